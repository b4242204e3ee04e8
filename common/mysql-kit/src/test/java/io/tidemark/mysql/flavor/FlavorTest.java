package io.tidemark.mysql.flavor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Detection on answers recorded from each server kind (the strings are what these versions answer). */
class FlavorTest {
    record Answers(String case_, String version, String comment, Map<String, String> variables,
                   Flavor.Kind kind, int major, int minor, String statusStatement, String monitor, String display) {
        @Override
        public String toString() {
            return case_;
        }
    }

    static Stream<Answers> servers() {
        Map<String, String> none = Map.of();
        return Stream.of(
                new Answers("MySQL 5.7", "5.7.44-log", "MySQL Community Server (GPL)", none,
                        Flavor.Kind.MYSQL, 5, 7, "SHOW MASTER STATUS", "REPLICATION CLIENT", "MySQL 5.7.44"),
                new Answers("MySQL 8.0", "8.0.36", "MySQL Community Server - GPL", none,
                        Flavor.Kind.MYSQL, 8, 0, "SHOW MASTER STATUS", "REPLICATION CLIENT", "MySQL 8.0.36"),
                new Answers("MySQL 8.4", "8.4.3", "MySQL Community Server - GPL", none,
                        Flavor.Kind.MYSQL, 8, 4, "SHOW BINARY LOG STATUS", "REPLICATION CLIENT", "MySQL 8.4.3"),
                new Answers("Aurora 2", "5.7.12-log", "MySQL Community Server (GPL)",
                        Map.of("aurora_version", "2.11.2"), Flavor.Kind.AURORA_MYSQL, 5, 7, "SHOW MASTER STATUS",
                        "REPLICATION CLIENT", "Aurora MySQL 2.11.2 (MySQL 5.7.12)"),
                new Answers("Aurora 3", "8.0.32", "Source distribution", Map.of("aurora_version", "3.05.2"),
                        Flavor.Kind.AURORA_MYSQL, 8, 0, "SHOW MASTER STATUS", "REPLICATION CLIENT",
                        "Aurora MySQL 3.05.2 (MySQL 8.0.32)"),
                new Answers("Aurora 3, version string naming Aurora", "8.0.mysql_aurora.3.04.1", "Source distribution",
                        none, Flavor.Kind.AURORA_MYSQL, 8, 0, "SHOW MASTER STATUS", "REPLICATION CLIENT",
                        "Aurora MySQL 3.04.1 (MySQL 8.0.0)"),
                new Answers("Aurora 8.4", "8.4.5", "Source distribution", Map.of("aurora_version", "4.0.0"),
                        Flavor.Kind.AURORA_MYSQL, 8, 4, "SHOW BINARY LOG STATUS", "REPLICATION CLIENT",
                        "Aurora MySQL 4.0.0 (MySQL 8.4.5)"),
                new Answers("MariaDB 10.11", "10.11.6-MariaDB-0+deb12u1-log", "Debian 12", none,
                        Flavor.Kind.MARIADB, 10, 11, "SHOW MASTER STATUS", "BINLOG MONITOR", "MariaDB 10.11.6"),
                new Answers("MariaDB 10.4", "10.4.32-MariaDB", "mariadb.org binary distribution", none,
                        Flavor.Kind.MARIADB, 10, 4, "SHOW MASTER STATUS", "REPLICATION CLIENT", "MariaDB 10.4.32"),
                new Answers("MariaDB behind a proxy", "5.5.5-10.6.16-MariaDB", "", none,
                        Flavor.Kind.MARIADB, 10, 6, "SHOW MASTER STATUS", "BINLOG MONITOR", "MariaDB 10.6.16"),
                new Answers("TiDB 8.5", "8.0.11-TiDB-v8.5.1", "TiDB Server (Apache License 2.0) Community Edition,"
                        + " MySQL 8.0 compatible", none, Flavor.Kind.TIDB, 8, 5, "SHOW MASTER STATUS",
                        "REPLICATION CLIENT", "TiDB 8.5.1 (MySQL 8.0.11)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void detectsKindVersionAndWhatTheServerNeeds(Answers a) {
        // When the server's answers are read
        Flavor f = Flavor.fromAnswers(a.version(), a.comment(), a.variables());

        // Then kind, version and the flavor-specific statement and privilege follow
        assertThat(f.kind()).isEqualTo(a.kind());
        assertThat(f.major()).isEqualTo(a.major());
        assertThat(f.minor()).isEqualTo(a.minor());
        assertThat(f.binlogStatusStatement()).isEqualTo(a.statusStatement());
        assertThat(f.binlogMonitorPrivilege()).isEqualTo(a.monitor());
        assertThat(f).hasToString(a.display());
        assertThat(f.isAurora()).isEqualTo(a.kind() == Flavor.Kind.AURORA_MYSQL);
        assertThat(f.isMariaDb()).isEqualTo(a.kind() == Flavor.Kind.MARIADB);
        assertThat(f.isTiDb()).isEqualTo(a.kind() == Flavor.Kind.TIDB);
        assertThat(f.fallbackBinlogStatusStatement()).isNotEqualTo(f.binlogStatusStatement());
    }

    @Test
    void mysql82IsTheFirstWithTheNewStatementAnd81TheLastWithTheOld() {
        assertThat(Flavor.fromAnswers("8.1.0", null, Map.of()).binlogStatusStatement())
                .isEqualTo("SHOW MASTER STATUS");
        assertThat(Flavor.fromAnswers("8.2.0", null, Map.of()).binlogStatusStatement())
                .isEqualTo("SHOW BINARY LOG STATUS");
    }

    @Test
    void anEmptyAuroraVersionIsNotAurora() {
        assertThat(Flavor.fromAnswers("8.0.36", "", Map.of("aurora_version", "")).kind())
                .isEqualTo(Flavor.Kind.MYSQL);
    }

    @Test
    void anUnreadableVersionIsZeroNotAFailure() {
        Flavor f = Flavor.fromAnswers("custom-build", null, Map.of());
        assertThat(f.kind()).isEqualTo(Flavor.Kind.MYSQL);
        assertThat(f.versionNumber()).isEqualTo("0.0.0");
        assertThat(f.binlogStatusStatement()).isEqualTo("SHOW MASTER STATUS");
    }
}
