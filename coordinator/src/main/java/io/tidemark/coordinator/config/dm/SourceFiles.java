package io.tidemark.coordinator.config.dm;

import org.yaml.snakeyaml.nodes.Node;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a DM source file (DM v2's {@code source.yaml}; JSON of the same keys too) into a {@link SourceFile}: every
 * problem with its key path and line, keys DM has but Tidemark does not use noted, unknown keys refused with the
 * nearest known one. Stateless.
 */
public final class SourceFiles {
    static final String KIND = "source";
    /** DM's own limit on a source-id; it names a Kafka key and a relay topic here, so the characters are kept safe */
    private static final Pattern SOURCE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    private static final List<String> TOP = List.of("source-id", "enable-gtid", "enable-relay", "relay-binlog-name",
            "relay-binlog-gtid", "relay-dir", "from", "purge", "checker", "flavor", "server-id", "case-sensitive");
    private static final Map<String, String> OBSOLETE = Map.of(
            "meta", "a source's meta is of DM v1 and does nothing; a task's mysql-instances[].meta says where to start",
            "log-level", "DM worker logging does not apply; the coordinator logs with its own settings",
            "log-file", "DM worker logging does not apply; the coordinator logs with its own settings",
            "enable-heartbeat", "heartbeats of DM v1 do nothing; lag is measured from the binlog events' timestamps");
    private static final List<String> FROM = List.of("host", "port", "user", "password", "security",
            "max-allowed-packet", "session");
    private static final List<String> SECURITY = List.of("ssl-ca", "ssl-cert", "ssl-key", "cert-allowed-cn");
    private static final List<String> PURGE = List.of("interval", "expires", "remain-space");
    private static final List<String> CHECKER = List.of("check-enable", "backoff-rollback", "backoff-max",
            "check-interval", "backoff-min", "backoff-jitter", "backoff-factor");

    private SourceFiles() {
    }

    /**
     * @param fileName  the file's name as the user gave it, for messages
     * @param passwords opens a {@code tidemark encrypt} password
     * @throws DmConfigException with every problem of the file
     */
    public static SourceFile parse(String text, String fileName, Passwords passwords) {
        Findings f = new Findings(KIND, fileName);
        YamlMap root = YamlMap.root(text, f);
        f.throwIfAny();
        root.keys(TOP, OBSOLETE);
        String sourceId = root.string("source-id");
        if (sourceId == null) {
            f.problem("source-id", root.node(), null, "is missing", "name the source, e.g. source-id: \"mysql-01\"");
        } else if (!SOURCE_ID.matcher(sourceId).matches()) {
            f.problem("source-id", root.value("source-id"), "\"" + sourceId + "\"",
                    "is not 1 to 32 letters, digits, '_', '.' or '-'", "write e.g. source-id: \"mysql-01\"");
        }
        boolean gtid = Boolean.TRUE.equals(root.bool("enable-gtid"));
        if (gtid) {
            f.note("enable-gtid", root.value("enable-gtid"), "tasks of this source start and resume replication by"
                    + " GTID set (binlog file and offset are kept beside it and shown); the source must write GTIDs"
                    + " (MySQL: gtid_mode=ON)");
        }
        boolean relay = Boolean.TRUE.equals(root.bool("enable-relay"));
        if (relay) {
            f.note("enable-relay", root.value("enable-relay"), "dm-service spools the source's binlog into the Kafka"
                    + " topic of its relay; tasks started from now on read the relay instead of the source");
        }
        for (String key : List.of("relay-binlog-name", "relay-binlog-gtid", "relay-dir")) {
            if (root.has(key)) {
                root.string(key);
                f.note(key, root.value(key), "accepted and not used: the relay starts at the source's position"
                        + " when it is first enabled, and keeps its own files (a Kafka topic)");
            }
        }
        if (root.has("flavor")) {
            String flavor = root.string("flavor");
            if (flavor != null && !flavor.equals("mysql") && !flavor.equals("mariadb")) {
                f.problem("flavor", root.value("flavor"), "\"" + flavor + "\"", "is not mysql or mariadb",
                        "write flavor: mysql or flavor: mariadb, or leave it out: Tidemark asks the server");
            } else {
                f.note("flavor", root.value("flavor"), "Tidemark asks the server which flavour it is");
            }
        }
        if (root.has("server-id")) {
            root.integer("server-id", 1, 4294967295L);
            f.note("server-id", root.value("server-id"), "accepted; each replication task picks its own server id");
        }
        if (root.has("case-sensitive")) {
            root.bool("case-sensitive");
            f.note("case-sensitive", root.value("case-sensitive"), "set case-sensitive in the task file");
        }
        SourceFile.Purge purge = purge(root.map("purge"), f);
        noted(root.map("checker"), CHECKER, "Tidemark's dm-service retries a failed task by its own policy;"
                + " resume-task resumes a paused one", f);
        YamlMap from = root.map("from");
        String host = null;
        String user = null;
        String password = null;
        int port = 0;
        SourceFile.Tls tls = null;
        if (from == null) {
            f.problem("from", root.node(), null, "is missing", "give from: with host, port, user and password");
        } else {
            from.keys(FROM, Map.of());
            host = from.string("host");
            if (host == null || host.isBlank()) {
                f.problem("from.host", from.node(), null, "is missing", "write host: \"mysql.example.com\"");
            }
            Integer p = from.integer("port", 1, 65535);
            if (p == null && !from.has("port")) {
                f.problem("from.port", from.node(), null, "is missing", "write port: 3306");
            }
            port = p == null ? 0 : p;
            user = from.string("user");
            if (user == null || user.isBlank()) {
                f.problem("from.user", from.node(), null, "is missing", "write user: \"dm_user\"");
            }
            password = plaintext(from, passwords, f);
            if (from.has("max-allowed-packet")) {
                f.note("from.max-allowed-packet", from.value("max-allowed-packet"),
                        "accepted and not used; DM itself ignores it since v2.0.0");
            }
            if (from.has("session")) {
                f.problem("from.session", from.value("session"), null, "is not implemented: Tidemark sets its"
                        + " own session variables on the source (UTC time zone, utf8mb4)", "remove from.session");
            }
            YamlMap security = from.map("security");
            if (security != null) {
                security.keys(SECURITY, Map.of());
                tls = new SourceFile.Tls(security.string("ssl-ca"), security.string("ssl-cert"),
                        security.string("ssl-key"));
                keyIsAPath(security, "from.security.ssl-key", f);
                if (security.has("cert-allowed-cn")) {
                    security.strings("cert-allowed-cn");
                    f.note("from.security.cert-allowed-cn", security.value("cert-allowed-cn"), "accepted and not"
                            + " used: it names the clients a DM worker accepts, and Tidemark's services take no TLS"
                            + " clients");
                }
            }
        }
        f.throwIfAny();
        return new SourceFile(sourceId, host.strip(), port, user, password, gtid, relay, tls, f.notes(), purge);
    }

    /**
     * The plaintext of a {@code password} key (empty when absent: an account may have none), or null with the problem
     * recorded when it is {@code tidemark encrypt} output made with another key.
     */
    static String plaintext(YamlMap m, Passwords passwords, Findings f) {
        String written = m.string("password");
        if (written == null) {
            return "";
        }
        try {
            return passwords.plaintext(written);
        } catch (io.tidemark.common.error.TidemarkException e) {
            f.problem(m.child("password"), m.value("password"), "(hidden)", "does not open: " + e.detail(),
                    "write the password as it is, or encrypt it with `tidemark encrypt` against this coordinator");
            return null;
        }
    }

    /** a section whose keys are checked, read and noted as one: Tidemark has nothing they set */
    /**
     * DM's purge by age (interval in seconds, default 3600; expires in hours, default 0: never); remain-space, the
     * free disk DM keeps beside its relay files, has no meaning for a Kafka topic
     */
    private static SourceFile.Purge purge(YamlMap section, Findings f) {
        if (section == null) {
            return null;
        }
        section.keys(PURGE, Map.of());
        Integer interval = section.integer("interval", 1, Integer.MAX_VALUE);
        Integer expires = section.integer("expires", 0, Integer.MAX_VALUE);
        if (section.has("remain-space")) {
            section.integer("remain-space", 0, Integer.MAX_VALUE);
            f.note(section.child("remain-space"), section.value("remain-space"), "accepted and not used: the relay"
                    + " is a Kafka topic, bounded by size with dm-service's tidemark.dm.relay.retention-bytes");
        }
        if (expires == null || expires == 0) {
            if (section.has("interval")) {
                f.note(section.child("interval"), section.value("interval"), "accepted and not used: without"
                        + " expires above 0 nothing is purged by age (DM's default)");
            }
            return null;
        }
        return new SourceFile.Purge(interval == null ? 3600 : interval, expires);
    }

    private static void noted(YamlMap section, List<String> keys, String why, Findings f) {
        if (section == null) {
            return;
        }
        section.keys(keys, Map.of());
        Node at = section.node();
        f.note(section.path(), at, "accepted and not used: " + why);
    }


    /**
     * A DM file names its TLS key's file, as DM does: the file's text is kept and exported as written (only passwords
     * are sealed in it), so PEM text there would be a plaintext key at rest. The spec's {@code tls.key} takes PEM.
     */
    static void keyIsAPath(YamlMap security, String path, Findings f) {
        String key = security.string("ssl-key");
        if (key != null && key.strip().startsWith("-----BEGIN ")) {
            f.problem(path, security.value("ssl-key"), null, "is PEM text; a DM file names the key's file",
                    "write the path of the key file on the Tidemark hosts (ssl-key: \"/etc/tidemark/client-key.pem\"),"
                            + " or give the PEM as tls.key of a migration spec, where it is sealed");
        }
    }
}
