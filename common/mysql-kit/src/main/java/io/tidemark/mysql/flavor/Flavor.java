package io.tidemark.mysql.flavor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which MySQL-family server a session talks to, and its version: statements, privileges and remedies differ between
 * them (MySQL 8.4 dropped {@code SHOW MASTER STATUS}, MariaDB 10.5 split {@code BINLOG MONITOR} off
 * {@code REPLICATION CLIENT}, Aurora keeps its settings in parameter groups and stored procedures).
 *
 * <p>{@link #detect(Connection)} asks a live server and {@link #fromAnswers} takes recorded answers; both end in the
 * same parsing code, so what the tests prove about recorded answers holds for live servers. An immutable value:
 * safe to share between threads.
 *
 * @param kind          the server product
 * @param version       what {@code SELECT VERSION()} answered, as it was
 * @param major         the product's version: MySQL's, MariaDB's or TiDB's own; for Aurora the MySQL version it is
 *                      compatible with (its own version is {@code auroraVersion})
 * @param minor         see {@code major}
 * @param patch         see {@code major}; 0 when the version string has none
 * @param auroraVersion Aurora's own version (e.g. {@code 3.05.2}); null unless {@code kind} is AURORA_MYSQL
 */
public record Flavor(Kind kind, String version, int major, int minor, int patch, String auroraVersion) {
    private static final Logger LOGGER = LoggerFactory.getLogger(Flavor.class);

    /** leading {@code major.minor[.patch]} of a version string */
    private static final Pattern NUMBERS = Pattern.compile("^(\\d+)\\.(\\d+)(?:\\.(\\d+))?");
    /** TiDB's own version inside {@code 8.0.11-TiDB-v8.5.1} */
    private static final Pattern TIDB_VERSION = Pattern.compile("-tidb-v(\\d+)\\.(\\d+)(?:\\.(\\d+))?");
    /** Aurora's version inside {@code 8.0.mysql_aurora.3.05.2}, the form some Aurora releases answer */
    private static final Pattern AURORA_IN_VERSION = Pattern.compile("mysql_aurora\\.(\\d+(?:\\.\\d+)*)");
    /** MariaDB before 11 announced itself as {@code 5.5.5-10.x} to old replication clients; some proxies pass it on */
    private static final String MARIADB_COMPAT_PREFIX = "5.5.5-";

    static final String SHOW_MASTER_STATUS = "SHOW MASTER STATUS";
    static final String SHOW_BINARY_LOG_STATUS = "SHOW BINARY LOG STATUS";
    static final String SHOW_BINLOG_STATUS = "SHOW BINLOG STATUS";

    public enum Kind {
        MYSQL("MySQL"),
        /** Aurora MySQL: no SUPER, so no FLUSH TABLES WITH READ LOCK; settings live in the cluster parameter group */
        AURORA_MYSQL("Aurora MySQL"),
        MARIADB("MariaDB"),
        TIDB("TiDB");

        private final String displayName;

        Kind(String displayName) {
            this.displayName = displayName;
        }

        public String displayName() {
            return displayName;
        }
    }

    public Flavor {
        if (kind == null || version == null) {
            throw new IllegalArgumentException("a flavor needs a kind and a version string");
        }
        if (kind == Kind.AURORA_MYSQL && (auroraVersion == null || auroraVersion.isBlank())) {
            throw new IllegalArgumentException("an Aurora MySQL flavor needs its aurora_version");
        }
        if (kind != Kind.AURORA_MYSQL) {
            auroraVersion = null;
        }
    }

    /**
     * Asks the server: {@code VERSION()}, {@code @@version_comment} and whether the variable {@code aurora_version}
     * exists (only Aurora defines it; {@code SHOW VARIABLES} answers an empty result elsewhere instead of an error).
     * Reads only.
     */
    public static Flavor detect(Connection session) throws SQLException {
        String version;
        String comment;
        try (Statement st = session.createStatement();
             ResultSet rs = st.executeQuery("SELECT VERSION(), @@version_comment")) {
            rs.next();
            version = rs.getString(1);
            comment = rs.getString(2);
        }
        Map<String, String> variables = new HashMap<>();
        try (Statement st = session.createStatement();
             ResultSet rs = st.executeQuery("SHOW VARIABLES LIKE 'aurora_version'")) {
            while (rs.next()) {
                variables.put(rs.getString(1), rs.getString(2));
            }
        }
        Flavor flavor = fromAnswers(version, comment, variables);
        LOGGER.debug("server answered version={} comment={} variables={}: {}", version, comment, variables, flavor);
        return flavor;
    }

    /**
     * The flavor from a server's answers, recorded or live.
     *
     * @param version        {@code SELECT VERSION()}, e.g. {@code 8.0.32}, {@code 10.11.6-MariaDB-log},
     *                       {@code 8.0.11-TiDB-v8.5.1}
     * @param versionComment {@code @@version_comment}; may be null
     * @param variables      answers of {@code SHOW VARIABLES LIKE 'aurora_version'} (name → value); may be empty
     */
    public static Flavor fromAnswers(String version, String versionComment, Map<String, String> variables) {
        String raw = version == null ? "" : version.strip();
        String lower = raw.toLowerCase(Locale.ROOT);
        String comment = versionComment == null ? "" : versionComment.toLowerCase(Locale.ROOT);
        if (lower.contains("tidb") || comment.contains("tidb")) {
            Matcher m = TIDB_VERSION.matcher(lower);
            int[] v = m.find() ? numbers(m) : leadingNumbers(lower);
            return new Flavor(Kind.TIDB, raw, v[0], v[1], v[2], null);
        }
        if (lower.contains("mariadb") || comment.contains("mariadb")) {
            String stripped = lower.startsWith(MARIADB_COMPAT_PREFIX) ? lower.substring(MARIADB_COMPAT_PREFIX.length())
                    : lower;
            int[] v = leadingNumbers(stripped);
            return new Flavor(Kind.MARIADB, raw, v[0], v[1], v[2], null);
        }
        int[] v = leadingNumbers(lower);
        String aurora = auroraVersion(variables);
        Matcher inVersion = AURORA_IN_VERSION.matcher(lower);
        if (aurora == null && inVersion.find()) {
            aurora = inVersion.group(1);
        }
        if (aurora != null) {
            return new Flavor(Kind.AURORA_MYSQL, raw, v[0], v[1], v[2], aurora);
        }
        return new Flavor(Kind.MYSQL, raw, v[0], v[1], v[2], null);
    }

    private static String auroraVersion(Map<String, String> variables) {
        if (variables == null) {
            return null;
        }
        for (Map.Entry<String, String> e : variables.entrySet()) {
            if ("aurora_version".equalsIgnoreCase(e.getKey()) && e.getValue() != null && !e.getValue().isBlank()) {
                return e.getValue().strip();
            }
        }
        return null;
    }

    private static int[] leadingNumbers(String s) {
        Matcher m = NUMBERS.matcher(s);
        if (!m.find()) {
            LOGGER.warn("cannot read a version number from '{}'; treating it as 0.0.0", s);
            return new int[] {0, 0, 0};
        }
        return numbers(m);
    }

    private static int[] numbers(Matcher m) {
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3))};
    }

    public boolean isAurora() {
        return kind == Kind.AURORA_MYSQL;
    }

    public boolean isMariaDb() {
        return kind == Kind.MARIADB;
    }

    public boolean isTiDb() {
        return kind == Kind.TIDB;
    }

    /** MySQL or Aurora MySQL: the servers that take MySQL's statements and privilege names */
    public boolean isMySql() {
        return kind == Kind.MYSQL || kind == Kind.AURORA_MYSQL;
    }

    /** whether {@code major.minor} is at least the given version (Aurora: its MySQL version) */
    public boolean isAtLeast(int wantMajor, int wantMinor) {
        return major > wantMajor || (major == wantMajor && minor >= wantMinor);
    }

    /**
     * The statement that reports the current binlog file and position: {@code SHOW BINARY LOG STATUS} on MySQL 8.2
     * and later (8.4 removed the old name; Aurora's 8.4-compatible version follows MySQL), {@code SHOW MASTER STATUS}
     * on older MySQL, Aurora 2 and 3, MariaDB and TiDB.
     */
    public String binlogStatusStatement() {
        return isMySql() && isAtLeast(8, 2) ? SHOW_BINARY_LOG_STATUS : SHOW_MASTER_STATUS;
    }

    /**
     * The statement to try when {@link #binlogStatusStatement()} is a parse error (1064), e.g. on a version whose
     * string misled: the other MySQL name, or MariaDB's own {@code SHOW BINLOG STATUS}.
     */
    public String fallbackBinlogStatusStatement() {
        if (isMariaDb()) {
            return SHOW_BINLOG_STATUS;
        }
        return binlogStatusStatement().equals(SHOW_MASTER_STATUS) ? SHOW_BINARY_LOG_STATUS : SHOW_MASTER_STATUS;
    }

    /**
     * The privilege that lets an account read binlog positions and list binary logs: {@code BINLOG MONITOR} on MariaDB
     * 10.5 and later (where {@code REPLICATION CLIENT} is only its old alias), {@code REPLICATION CLIENT} elsewhere.
     */
    public String binlogMonitorPrivilege() {
        return isMariaDb() && isAtLeast(10, 5) ? "BINLOG MONITOR" : "REPLICATION CLIENT";
    }

    /** {@code 8.0.32}: major.minor.patch */
    public String versionNumber() {
        return major + "." + minor + "." + patch;
    }

    /** e.g. {@code MariaDB 10.11.6}, {@code Aurora MySQL 3.05.2 (MySQL 8.0.32)}, {@code TiDB 8.5.1 (MySQL 8.0.11)} */
    @Override
    public String toString() {
        return switch (kind) {
            case MYSQL, MARIADB -> kind.displayName() + " " + versionNumber();
            case AURORA_MYSQL -> kind.displayName() + " " + auroraVersion + " (MySQL " + versionNumber() + ")";
            case TIDB -> {
                int[] mysql = leadingNumbers(version.toLowerCase(Locale.ROOT));
                yield kind.displayName() + " " + versionNumber()
                        + " (MySQL " + mysql[0] + "." + mysql[1] + "." + mysql[2] + ")";
            }
        };
    }
}
