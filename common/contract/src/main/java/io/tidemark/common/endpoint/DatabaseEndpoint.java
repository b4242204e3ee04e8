package io.tidemark.common.endpoint;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.secret.Secret;

/** Where a source or target database listens and who logs in; the password travels only as a {@link Secret}. */
public record DatabaseEndpoint(String host, int port, String user, Secret password) {
    public DatabaseEndpoint {
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

    /**
     * A Connector/J URL with no default schema. Sessions run in UTC so TIMESTAMP values cross unchanged, and in
     * utf8mb4 so every character does.
     */
    public String jdbcUrl(String extraParameters) {
        String base = "jdbc:mysql://" + host + ":" + port + "/?useUnicode=true&characterEncoding=UTF-8"
                + "&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&preserveInstants=true"
                + "&useSSL=false&allowPublicKeyRetrieval=true";
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
