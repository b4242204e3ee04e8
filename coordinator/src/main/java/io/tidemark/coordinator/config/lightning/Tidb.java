package io.tidemark.coordinator.config.lightning;

import java.util.List;
import java.util.Locale;

/**
 * The {@code [tidb]} section: the target cluster, reached through its SQL port. TiDB Lightning's defaults hold:
 * host {@code 127.0.0.1}, user {@code root}, an empty password. Tidemark connects without TLS: a file that asks for
 * TLS ({@code tls}, certificates under {@code [security]} or {@code [tidb.security]}) is refused rather than run in
 * plain text.
 *
 * @param password as written; never printed
 */
public record Tidb(String host, int port, String user, String password, Origin origin) {
    static final String STATUS_PORT_NOTE = "Tidemark reads table schemas through the SQL port, not TiDB's status port;"
            + " the import's progress is on the coordinator's status API";
    static final String PD_NOTE = "Tidemark does not talk to PD: it writes through the target's SQL interface"
            + " (logical import) and pauses no scheduling";
    private static final List<String> TLS_ON = List.of("cluster", "skip-verify", "preferred");

    public Tidb {
        Checks c = new Checks(origin);
        if (host == null || host.isBlank()) {
            c.fail("host", host, "must name a TiDB server of the target cluster", "write host = \"10.0.1.5\"");
        }
        if (port < 1 || port > 65535) {
            c.fail("port", origin.has("port") ? port : null, "must be the TiDB server's SQL port, 1 to 65535",
                    "write port = 4000 (TiDB's default SQL port)");
        }
        if (user == null || user.isBlank()) {
            c.fail("user", user, "must name the account that imports", "write user = \"root\"");
        }
        password = password == null ? "" : password;
        c.done();
    }

    static Tidb read(TomlSection s) {
        String host = s.string("host").orElse("127.0.0.1");
        int port = s.smallInteger("port").orElse(0);
        String user = s.string("user").orElse("root");
        String password = s.string("password").orElse("");
        s.note("status-port", STATUS_PORT_NOTE);
        s.note("pd-addr", PD_NOTE);
        s.note("log-level", Lightning.LOG_NOTE);
        s.string("tls").ifPresent(tls -> {
            String t = tls.strip().toLowerCase(Locale.ROOT);
            if (TLS_ON.contains(t)) {
                s.fail("tls", tls, "asks for TLS to the target, which Tidemark does not implement",
                        "remove tls (or write tls = \"false\") and reach the target over a network you trust");
            } else if (!t.isEmpty() && !t.equals("false")) {
                s.fail("tls", tls, "is not one of \"\", \"false\", \"cluster\", \"skip-verify\", \"preferred\"",
                        "remove tls");
            }
        });
        refuseCertificates(s.section("security"));
        return new Tidb(host, port, user, password, s.origin());
    }

    /**
     * {@code [security]} and {@code [tidb.security]}: empty paths mean no TLS, which is what Tidemark does; a
     * certificate asks for TLS, which it does not implement
     */
    static void refuseCertificates(TomlSection security) {
        for (String key : List.of("ca-path", "cert-path", "key-path")) {
            security.string(key).filter(p -> !p.isBlank()).ifPresent(p -> security.fail(key, p,
                    "asks for TLS, which Tidemark does not implement for the target's connections",
                    "remove it (or leave it empty) and reach the target over a network you trust"));
        }
    }

    @Override
    public String toString() {
        return "Tidb[host=" + host + ", port=" + port + ", user=" + user + ", password=(hidden)]";
    }
}
