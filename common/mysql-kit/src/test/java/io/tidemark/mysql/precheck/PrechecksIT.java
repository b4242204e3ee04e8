package io.tidemark.mysql.precheck;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.storage.LocalStorage;
import io.tidemark.common.table.TableFilter;
import io.tidemark.mysql.error.Side;
import io.tidemark.mysql.error.SqlErrors;
import io.tidemark.mysql.precheck.source.SourceChecks;
import io.tidemark.mysql.precheck.source.SourceFacts;
import io.tidemark.mysql.precheck.storage.StorageChecks;
import io.tidemark.mysql.precheck.target.TargetChecks;
import io.tidemark.mysql.precheck.target.TargetFacts;
import io.tidemark.mysql.session.Timeouts;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The source, target and storage checks against real MariaDB servers: a good pair, then a broken source. */
class PrechecksIT {
    private static final String PASSWORD = "Repl-pw-1";
    private static final String META = "tidemark_meta";
    private static LocalMariaDb source;
    private static LocalMariaDb target;
    private static String shop;

    @TempDir
    static Path dumps;

    @BeforeAll
    static void start() throws SQLException {
        source = TestDatabases.startSource("prechecks");
        target = TestDatabases.startTarget("prechecks");
        shop = TestDatabases.uniqueSchema("shop");
        TestDatabases.execute(source,
                "CREATE DATABASE " + shop,
                "CREATE TABLE " + shop + ".orders (id INT PRIMARY KEY, total DECIMAL(10,2))",
                "CREATE VIEW " + shop + ".order_totals AS SELECT SUM(total) AS total FROM " + shop + ".orders",
                // what a replication account needs, and one that lacks REPLICATION SLAVE
                "CREATE USER 'repl'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT SELECT ON " + shop + ".* TO 'repl'@'%'",
                "GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'repl'@'%'",
                "CREATE USER 'noslave'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT SELECT ON " + shop + ".* TO 'noslave'@'%'",
                "GRANT BINLOG MONITOR ON *.* TO 'noslave'@'%'");
        TestDatabases.execute(target,
                "CREATE USER 'writer'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT ALL PRIVILEGES ON " + META + ".* TO 'writer'@'%'");
    }

    @AfterAll
    static void stop() {
        for (LocalMariaDb db : new LocalMariaDb[] {source, target}) {
            if (db != null) {
                db.close();
            }
        }
    }

    private static SourceFacts sourceFacts(String user) {
        DatabaseEndpoint endpoint = TestDatabases.endpoint(source, user, PASSWORD);
        return SourceFacts.read(endpoint, PASSWORD, Timeouts.defaults(), TableFilter.parse(shop + ".*"));
    }

    private static TargetFacts targetFacts(String user, String password) {
        return TargetFacts.read(TestDatabases.endpoint(target, user, password), password, Timeouts.defaults(), META);
    }

    @Test
    void aGoodSourceTargetAndStoragePassEveryCheck() {
        // Given a source in ROW format and a replication account with what it needs
        SourceFacts facts = sourceFacts("repl");

        // When the checks of a full migration run on source, target and storage
        PrecheckReport report = Prechecks.run(SourceChecks.forDumpAndReplication(), facts)
                .and(Prechecks.run(SourceChecks.forReplication(facts.position().value()), facts))
                .and(Prechecks.run(TargetChecks.all(), targetFacts(target.user(), target.password())))
                .and(Prechecks.run(StorageChecks.all(), new LocalStorage(dumps)));

        // Then every one passes
        assertThat(report.ok()).as(report.toString()).isTrue();
        assertThat(report.results()).allSatisfy(r -> assertThat(r.state()).as(r.toString())
                .isEqualTo(CheckResult.State.PASS));
        assertThat(report.result(SourceChecks.LOGIN).orElseThrow().message()).contains("(MariaDB 10.");
        assertThat(report.result(SourceChecks.TABLES_SELECTED).orElseThrow().message())
                .isEqualTo("1 table selected; views and sequences skipped (no rows of their own): "
                        + shop + ".order_totals");
        assertThat(report.result(SourceChecks.START_POSITION).orElseThrow().message()).contains("lies inside it");
    }

    @Test
    void aStatementFormatSourceAndAnAccountWithoutReplicationSlaveAreBothListedInOneReport() throws SQLException {
        // Given a source switched to STATEMENT format and an account without REPLICATION SLAVE
        TestDatabases.execute(source, "SET GLOBAL binlog_format = 'STATEMENT'");
        try {
            // When the replication checks run
            PrecheckReport report = Prechecks.run(SourceChecks.forDumpAndReplication(), sourceFacts("noslave"));

            // Then both failures are in the one report, each with its instruction
            assertThat(report.failures()).extracting(CheckResult::name)
                    .containsExactly(SourceChecks.BINLOG_FORMAT, SourceChecks.REPLICATION_PRIVILEGES);
            TidemarkException e = report.toException();
            assertThat(e.error()).isEqualTo(ErrorCode.PRECHECKS_FAILED);
            assertThat(e.detail())
                    .startsWith("2 prechecks failed: binlog_format: source noslave@127.0.0.1:" + source.port()
                            + " has binlog_format=STATEMENT; row-based replication needs ROW — fix: SET GLOBAL"
                            + " binlog_format='ROW'")
                    .contains("; replication_privileges: source account noslave@127.0.0.1:" + source.port()
                            + " lacks a privilege: REPLICATION SLAVE is not granted ON *.* — fix: GRANT REPLICATION"
                            + " SLAVE ON *.* TO `noslave`@`%`");
            assertThat(e.getMessage()).contains("POST /api/v1/migrations/{id}/retry");
        } finally {
            TestDatabases.execute(source, "SET GLOBAL binlog_format = 'ROW'");
        }
    }

    @Test
    void theTargetAccountsGrantsAreCheckedPerSchemaAndTheFixGrantsWhatIsMissing() throws SQLException {
        // Given an account that may import into one schema (and holds nothing more there) and nothing on another
        String granted = TestDatabases.uniqueSchema("orders");
        String other = TestDatabases.uniqueSchema("crm");
        TestDatabases.execute(target,
                "CREATE USER 'importer'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT SELECT, INSERT, DELETE, CREATE ON " + granted + ".* TO 'importer'@'%'",
                "GRANT SELECT ON " + other + ".* TO 'importer'@'%'");

        // When the import's privileges are checked on both
        CheckResult result = Prechecks.run(List.of(TargetChecks.login(), TargetChecks.privileges(
                List.of(granted, other), TargetChecks.IMPORT)), targetFacts("importer", PASSWORD))
                .result(TargetChecks.PRIVILEGES).orElseThrow();

        // Then only the other schema fails, naming what it lacks, and the fix is the GRANT as the server names the
        // account, with the schema's '_' escaped so that it grants on that schema alone; it repeats SELECT, since the
        // server would use it instead of the SELECT grant above, whose unescaped '_' makes it a wildcard grant
        assertThat(result.state()).isEqualTo(CheckResult.State.FAIL);
        assertThat(result.error().error()).isEqualTo(ErrorCode.TARGET_PRIVILEGE_MISSING);
        assertThat(result.message()).endsWith("lacks a privilege for the migrated schemas: `" + other
                + "` lacks INSERT, DELETE, CREATE");
        String fix = "GRANT SELECT, INSERT, DELETE, CREATE ON `" + other.replace("_", "\\_") + "`.* TO `importer`@`%`";
        assertThat(result.instruction()).isEqualTo(fix);

        // And once the fix runs, the import can create and fill a table there and the check passes
        TestDatabases.execute(target, fix);
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(), "importer", PASSWORD);
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + other);
            st.execute("CREATE TABLE " + other + ".t (id INT PRIMARY KEY)");
            st.execute("REPLACE INTO " + other + ".t VALUES (1)");
            st.executeQuery("SELECT id FROM " + other + ".t").close();
        }
        assertThat(Prechecks.run(List.of(TargetChecks.privileges(List.of(granted, other), TargetChecks.IMPORT)),
                targetFacts("importer", PASSWORD)).ok()).isTrue();
    }

    @Test
    void aRoleCountsOnlyOnceItIsTheAccountsDefaultAsInTheSessionsTidemarkOpens() throws SQLException {
        // Given an account whose import privileges come only through a role that is granted but not its default
        String schema = TestDatabases.uniqueSchema("roles");
        TestDatabases.execute(target,
                "CREATE USER 'roled'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "CREATE ROLE importer_role",
                "GRANT SELECT, INSERT, DELETE, CREATE ON " + schema + ".* TO importer_role",
                "GRANT importer_role TO 'roled'@'%'");

        // When the import's privileges are checked
        CheckResult inactive = Prechecks.run(List.of(TargetChecks.privileges(List.of(schema), TargetChecks.IMPORT)),
                targetFacts("roled", PASSWORD)).result(TargetChecks.PRIVILEGES).orElseThrow();

        // Then it is a warning that the role gives nothing in a new session, with the statement that activates it
        assertThat(inactive.state()).isEqualTo(CheckResult.State.WARN);
        assertThat(inactive.message()).contains("`importer_role`, which is not active in a new session (not a default"
                + " role), so its privileges do not apply");
        assertThat(inactive.instruction()).contains("SET DEFAULT ROLE `importer_role` FOR `roled`@`%`");

        // And once it is the default role, the role's grants count and the check passes
        TestDatabases.execute(target, "SET DEFAULT ROLE importer_role FOR 'roled'@'%'");
        assertThat(Prechecks.run(List.of(TargetChecks.privileges(List.of(schema), TargetChecks.IMPORT)),
                targetFacts("roled", PASSWORD)).result(TargetChecks.PRIVILEGES).orElseThrow().state())
                .isEqualTo(CheckResult.State.PASS);
    }

    @Test
    void aWrongPasswordFailsTheLoginAndNothingElse() {
        SourceFacts facts = SourceFacts.read(TestDatabases.endpoint(source, "repl", "nope"), "nope",
                Timeouts.defaults(), TableFilter.parse(shop + ".*"));

        PrecheckReport report = Prechecks.run(SourceChecks.forDumpAndReplication(), facts);

        assertThat(report.failures()).extracting(CheckResult::name).containsExactly(SourceChecks.LOGIN);
        assertThat(report.failures().getFirst().error().error()).isEqualTo(ErrorCode.SOURCE_ACCESS_DENIED);
        assertThat(report.skipped()).hasSize(SourceChecks.forDumpAndReplication().size() - 1);
    }

    @Test
    void aReadOnlyTargetFailsItsCheckAndItsWritesAreClassifiedReadOnly() throws SQLException {
        // Given a target switched to read_only, with a table the account may write, and an account that does not
        // bypass read_only (root does: it holds READ_ONLY ADMIN)
        TestDatabases.execute(target, "CREATE DATABASE IF NOT EXISTS " + META,
                "CREATE TABLE IF NOT EXISTS " + META + ".probe_it (id INT PRIMARY KEY)",
                "SET GLOBAL read_only = 1");
        try {
            // When the target checks run
            PrecheckReport report = Prechecks.run(TargetChecks.all(), targetFacts("writer", PASSWORD));

            // Then the read-only check fails with the statement that fixes it, and the meta write is not checked
            CheckResult readOnly = report.result(TargetChecks.NOT_READ_ONLY).orElseThrow();
            assertThat(readOnly.error().error()).isEqualTo(ErrorCode.TARGET_READ_ONLY);
            assertThat(readOnly.instruction()).startsWith("SET GLOBAL read_only = OFF");
            assertThat(report.result(TargetChecks.META_SCHEMA).orElseThrow().state())
                    .isEqualTo(CheckResult.State.SKIPPED);

            // And the server's refusal of a write (error 1290) is classified as read-only, not as a bad statement
            DatabaseEndpoint writer = TestDatabases.endpoint(target, "writer", PASSWORD);
            try (Connection c = DriverManager.getConnection(target.jdbcUrl(), "writer", PASSWORD);
                 Statement st = c.createStatement()) {
                SQLException refused = catchThrowableOfType(SQLException.class,
                        () -> st.executeUpdate("INSERT INTO " + META + ".probe_it VALUES (1)"));
                TidemarkException e = SqlErrors.classify(refused, Side.TARGET, writer.describe(),
                        META + ".probe_it");
                assertThat(e.error()).isEqualTo(ErrorCode.TARGET_READ_ONLY);
                assertThat(e.retriable()).isFalse();
                assertThat(e.detail()).isEqualTo("target " + writer.describe() + " is read-only and refused " + META
                        + ".probe_it: The MariaDB server is running with the --read-only option so it cannot execute"
                        + " this statement (error 1290)");
            }
        } finally {
            TestDatabases.execute(target, "SET GLOBAL read_only = 0");
        }
    }
}
