package io.tidemark.coordinator.api;

import io.tidemark.coordinator.config.dm.SourceFile;
import tools.jackson.databind.json.JsonMapper;

/**
 * A kept source written back as the DM source file ({@code source.yaml}) that creates it again, for
 * {@code config export}: the password as the coordinator keeps it, sealed, which {@code operate-source create} takes
 * back where the same key is configured. Keys the file had that Tidemark does not keep (purge, checker, notes) are
 * not written. Deterministic, so two exports of the same source differ in nothing.
 */
final class SourceYaml {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SourceYaml() {
    }

    static String of(DmStore.StoredSource s) {
        StringBuilder y = new StringBuilder()
                .append("# DM source file written by tidemark config export; the password is sealed with the\n")
                .append("# exporting coordinator's key (tidemark encrypt): another cluster needs the same key\n")
                .append("source-id: ").append(quoted(s.sourceId())).append('\n')
                .append("enable-gtid: ").append(s.enableGtid()).append('\n')
                .append("enable-relay: ").append(s.enableRelay()).append('\n')
                .append("from:\n")
                .append("  host: ").append(quoted(s.from().host())).append('\n')
                .append("  port: ").append(s.from().port()).append('\n')
                .append("  user: ").append(quoted(s.from().user())).append('\n')
                .append("  password: ").append(quoted(s.from().password().value())).append('\n');
        SourceFile.Tls tls = s.security();
        if (tls != null && (tls.sslCa() != null || tls.sslCert() != null || tls.sslKey() != null)) {
            y.append("  security:\n");
            line(y, "ssl-ca", tls.sslCa());
            line(y, "ssl-cert", tls.sslCert());
            line(y, "ssl-key", tls.sslKey());
        }
        if (s.purge() != null) {
            y.append("purge:\n")
                    .append("  interval: ").append(s.purge().intervalSeconds()).append('\n')
                    .append("  expires: ").append(s.purge().expiresHours()).append('\n');
        }
        return y.toString();
    }

    private static void line(StringBuilder y, String key, String value) {
        if (value != null) {
            y.append("    ").append(key).append(": ").append(quoted(value)).append('\n');
        }
    }

    /** a JSON string is a YAML double-quoted scalar: every character that needs it is escaped */
    private static String quoted(String s) {
        return JSON.writeValueAsString(s);
    }
}
