package io.tidemark.deploy.cli;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The coordinator's REST address as dmctl's {@code --master-addr} takes it: {@code HOST:PORT}, optionally with an
 * {@code http://} or {@code https://} in front.
 *
 * @param shown as the user wrote it, for messages and for the commands the client suggests
 * @param base  {@code http://HOST:PORT}
 * @param token the API token every request carries ({@code Authorization: Bearer}), null for none; never shown
 */
record MasterAddr(String shown, URI base, String token) {
    static final String DEFAULT = "127.0.0.1:8080";
    static final String ENV = "TIDEMARK_MASTER_ADDR";

    /** @param origin where the value came from, for the message when it is not an address */
    static MasterAddr parse(String value, String origin) throws UsageError {
        String v = value.strip();
        String withScheme = v.startsWith("http://") || v.startsWith("https://") ? v : "http://" + v;
        try {
            URI uri = new URI(withScheme);
            boolean bare = uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/");
            if (uri.getHost() != null && uri.getPort() > 0 && bare && uri.getQuery() == null && uri.getUserInfo() == null) {
                return new MasterAddr(v, new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), null, null, null),
                        null);
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new UsageError(origin + " '" + value + "' is not HOST:PORT: give the coordinator's REST address, e.g. "
                + DEFAULT);
    }

    MasterAddr withToken(String apiToken) {
        return new MasterAddr(shown, base, apiToken);
    }

    @Override
    public String toString() {
        return shown;
    }

    URI resolve(String pathAndQuery) {
        return URI.create(base + pathAndQuery);
    }

    boolean isDefault() {
        return shown.equals(DEFAULT);
    }

    /** {@code tidemark [--master-addr X] VERB ARGS}, as the user would type it again */
    String command(String verbAndArgs) {
        return "tidemark " + (isDefault() ? "" : "--master-addr " + shown + " ") + verbAndArgs;
    }
}
