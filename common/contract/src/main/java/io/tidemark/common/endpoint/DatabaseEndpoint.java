package io.tidemark.common.endpoint;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.secret.Secret;

/**
 * Where a source or target database listens, who logs in and how the link is secured; the password (and a TLS client
 * key) travels only as a {@link Secret}. A record without {@code tls} (written before TLS existed) means disabled.
 */
public record DatabaseEndpoint(String host, int port, String user, Secret password, TlsSettings tls) {
    public DatabaseEndpoint {
        tls = tls == null ? TlsSettings.DISABLED : tls;
        if (host == null || host.isBlank()) {
            throw new TidemarkException(ErrorCode.INVALID_SPEC, "host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new TidemarkException(ErrorCode.INVALID_SPEC, "port " + port + " of " + host + " is not in 1..65535");
        }
        if (user == null || user.isBlank()) {
            throw new TidemarkException(ErrorCode.INVALID_SPEC, "user of " + host + ":" + port + " is empty");
        }
    }

    /** a plain-text endpoint (TLS disabled) */
    public DatabaseEndpoint(String host, int port, String user, Secret password) {
        this(host, port, user, password, TlsSettings.DISABLED);
    }

    /** the same endpoint with other TLS settings */
    public DatabaseEndpoint withTls(TlsSettings settings) {
        return new DatabaseEndpoint(host, port, user, password, settings);
    }

    /**
     * A Connector/J URL with no default schema. Sessions run in UTC so TIMESTAMP values cross unchanged, and in
     * utf8mb4 so every character does. No TLS parameter: the session code sets them all from {@link #tls}.
     */
    public String jdbcUrl(String extraParameters) {
        String base = "jdbc:mysql://" + host + ":" + port + "/?useUnicode=true&characterEncoding=UTF-8"
                + "&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&preserveInstants=true"
                + "&allowPublicKeyRetrieval=true";
        return extraParameters == null || extraParameters.isBlank() ? base : base + "&" + extraParameters;
    }

    /** {@code user@host:port}, for logs and messages */
    public String describe() {
        return user + "@" + host + ":" + port;
    }

    @Override
    public String toString() {
        return describe();
    }
}
