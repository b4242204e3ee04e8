package io.tidemark.deploy;

import io.tidemark.common.table.TableRef;
import io.tidemark.testkit.DataDiff;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The seed's optional incremental step (migrate-aurora-to-tidb, ja, "増分データを TiDB に複製する"): its
 * {@code source1.yaml} and {@code task1.yaml}, values filled in, given to the {@code tidemark} client — a process of
 * its own — with dmctl's verbs, against the standalone platform (all four services, real Kafka) and real MariaDB
 * source and target. The task's {@code meta} is a position recorded before rows the test then copies to the target
 * itself (as the seed's snapshot export would have): replaying them from there must converge exactly, which DM's
 * automatic safe mode after a start is for.
 */
class SeedDmFilesIT {
    /** the seed's step 1 file, verbatim */
    private static final String SEED_SOURCE_FILE = """
            # Must be unique.
            source-id: "mysql-01"
            # Configures whether DM-worker uses the global transaction identifier (GTID) to pull binlogs. To enable this mode, the upstream MySQL must also enable GTID. If the upstream MySQL service is configured to switch master between different nodes automatically, GTID mode is required.
            enable-gtid: false

            from:
              host: "${host}"         # e.g.: 172.16.10.81
              user: "root"
              password: "${password}" # Supported but not recommended to use plaintext password. It is recommended to use `dmctl encrypt` to encrypt the plaintext password before using it.
              port: 3306
            """;
    /** the seed's step 2 file, verbatim */
    private static final String SEED_TASK_FILE = """
            # Task name. Multiple tasks that are running at the same time must each have a unique name.
            name: "test"
            # Task mode. Options are:
            # - full: only performs full data migration.
            # - incremental: only performs binlog real-time replication.
            # - all: full data migration + binlog real-time replication.
            task-mode: "incremental"
            # The configuration of the target TiDB database.
            target-database:
              host: "${host}"                   # e.g.: 172.16.10.83
              port: 4000
              user: "root"
              password: "${password}"           # Supported but not recommended to use a plaintext password. It is recommended to use `dmctl encrypt` to encrypt the plaintext password before using it.

            # Global configuration for block and allow lists. Each instance can reference the configuration by name.
            block-allow-list:                     # If the DM version is earlier than v2.0.0-beta.2, use black-white-list.
              listA:                              # Name.
                do-tables:                        # Allow list for the upstream tables to be migrated.
                - db-name: "test_db"              # Name of databases to be migrated.
                  tbl-name: "test_table"          # Name of tables to be migrated.

            # Configures the data source.
            mysql-instances:
              - source-id: "mysql-01"               # Data source ID, i.e., source-id in source1.yaml
                block-allow-list: "listA"           # References the block-allow-list configuration above.
            #       syncer-config-name: "global"    # Name of the syncer configuration.
                meta:                               # The position where the binlog replication starts when `task-mode` is `incremental` and the downstream database checkpoint does not exist. If the checkpoint exists, the checkpoint is used. If neither the `meta` configuration item nor the downstream database checkpoint exists, the migration starts from the latest binlog position of the upstream.
                  binlog-name: "mysql-bin.000004"   # The binlog position recorded in "Step 1. Export an Amazon Aurora snapshot to Amazon S3". When the upstream database has source-replica switching, GTID mode is required.
                  binlog-pos: 109227
                  # binlog-gtid: "09bec856-ba95-11ea-850a-58f2b4af5188:1-9"

            # (Optional) If you need to incrementally replicate data that has already been migrated in the full data migration, you need to enable the safe mode to avoid the incremental data replication error.
               # This scenario is common in the following case: the full migration data does not belong to the data source's consistency snapshot, and after that, DM starts to replicate incremental data from a position earlier than the full migration.
               # syncers:            # The running configurations of the sync processing unit.
               #   global:            # Configuration name.
               #     safe-mode: true  # If this field is set to true, DM changes INSERT of the data source to REPLACE for the target database, and changes UPDATE of the data source to DELETE and REPLACE for the target database. This is to ensure that when the table schema contains a primary key or unique index, DML statements can be imported repeatedly. In the first minute of starting or resuming an incremental replication task, DM automatically enables the safe mode.
            """;
    private static final String TABLE = "CREATE TABLE test_db.test_table (id INT PRIMARY KEY, name VARCHAR(40),"
            + " qty INT)";
    private static final String OTHER = "CREATE TABLE test_db.other (id INT PRIMARY KEY)";
    private static final List<TableRef> MIGRATED = List.of(TableRef.of("test_db", "test_table"));

    private static Stack stack;
    private static LocalMariaDb source;
    private static LocalMariaDb target;
    private static Platform platform;

    @TempDir
    static Path work;

    @BeforeAll
    static void startEverything() {
        stack = Stack.named("seeddm").withSource().start();
        aliases();
    }

    /** the stack's parts under the names the tests use */
    private static void aliases() {
        source = stack.source();
        target = stack.target();
        platform = stack.platform();
    }

    @AfterAll
    static void stopEverything() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theSeedsSourceAndTaskFilesReplicateFromTheirMetaPositionOverRowsAlreadyCopiedEndingInTheSameData()
            throws Exception {
        // Given the seed's table on both sides, a position recorded on the source, and rows written after it that
        // the target already holds (a snapshot taken later than the position, as the seed's export is)
        TestDatabases.execute(source, "CREATE DATABASE test_db", TABLE, OTHER,
                "INSERT INTO test_db.test_table VALUES (1, 'Ada', 1), (2, 'Zoë', 2)");
        String[] position = masterStatus();
        TestDatabases.execute(source, "INSERT INTO test_db.test_table VALUES (3, '中文', 3), (4, 'Bob', 4)",
                "UPDATE test_db.test_table SET qty = 10 WHERE id = 1", "DELETE FROM test_db.test_table WHERE id = 2");
        TestDatabases.execute(target, "CREATE DATABASE test_db", TABLE, OTHER);
        copySourceRowsToTarget();
        // and the seed's two files with this test's values
        Path sourceFile = Files.writeString(work.resolve("source1.yaml"), SEED_SOURCE_FILE
                .replace("\"${host}\"", "\"" + source.host() + "\"")
                .replace("\"${password}\"", "\"" + TestDatabases.PASSWORD + "\"")
                .replace("port: 3306", "port: " + source.port()));
        Path taskFile = Files.writeString(work.resolve("task1.yaml"), SEED_TASK_FILE
                .replace("\"${host}\"", "\"" + target.host() + "\"")
                .replace("\"${password}\"", "\"" + TestDatabases.PASSWORD + "\"")
                .replace("port: 4000", "port: " + target.port())
                .replace("\"mysql-bin.000004\"", "\"" + position[0] + "\"")
                .replace("binlog-pos: 109227", "binlog-pos: " + position[1]));

        // When the source is created, the task checked and started, with dmctl's verbs
        CliRun created = tidemark("operate-source", "create", sourceFile.toString());
        assertThat(created.exit()).as(created.output()).isZero();
        assertThat(created.output()).contains("source mysql-01 created: root@" + source.host() + ":" + source.port());
        CliRun checked = tidemark("check-task", taskFile.toString());
        assertThat(checked.exit()).as(checked.output()).isZero();
        assertThat(checked.lastLine()).isEqualTo("check-task passed: test");
        CliRun started = tidemark("start-task", taskFile.toString());
        assertThat(started.exit()).as(started.output()).isZero();
        assertThat(started.output()).contains("task test started: stage ").containsPattern("mysql-01 +\\S+ ");

        // and the source goes on changing, in the allowed table and in one the block-allow list leaves out
        TestDatabases.execute(source, "INSERT INTO test_db.test_table VALUES (5, 'Eve', 5)",
                "UPDATE test_db.test_table SET name = 'Rob' WHERE id = 4",
                "DELETE FROM test_db.test_table WHERE id = 3", "INSERT INTO test_db.other VALUES (1)");

        // Then query-status shows the task running in unit Sync, and the target catches up with the source
        AtomicReference<CliRun> status = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            status.set(tidemark("query-status", "test"));
            return status.get().output().matches("(?s).*mysql-01 +\\S+ +Running +Sync .*")
                    && DataDiff.same(source, target, MIGRATED);
        });
        assertThat(status.get().exit()).as(status.get().output()).isZero();
        assertThat(status.get().output()).contains("task test (task-mode incremental): stage Running");
        // and, as dmctl's, the source's binlog position now beside replication's, synced once it has caught up
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            status.set(tidemark("query-status", "test"));
            return status.get().output().contains("(synced)");
        });
        assertThat(status.get().output()).containsPattern("master binlog +mysql-bin\\.\\d+:\\d+ .*\\(synced\\)");
        assertThat(rows("SELECT id, name, qty FROM test_db.test_table ORDER BY id"))
                .containsExactly("1|Ada|10", "4|Rob|4", "5|Eve|5");

        // When the task is stopped
        CliRun stopped = tidemark("stop-task", "test");

        // Then it says so, and the target holds the source's data of the allowed table and nothing of the other
        assertThat(stopped.exit()).as(stopped.output()).isZero();
        assertThat(stopped.output()).contains("task test stopped: stage ");
        DataDiff.assertSame(source, target, MIGRATED);
        assertThat(rows("SELECT COUNT(*) FROM test_db.other")).containsExactly("0");
        for (CliRun run : List.of(created, checked, started, status.get(), stopped)) {
            assertThat(run.output()).doesNotContain(TestDatabases.PASSWORD);
        }

        // Given, while the task is stopped, a new row on the source and a row the target lost (changed before the
        // task's checkpoint, so only a replay from meta brings it back)
        String migration = migrationOf(started);
        TestDatabases.execute(source, "INSERT INTO test_db.test_table VALUES (6, 'Dan', 6)");
        TestDatabases.execute(target, "DELETE FROM test_db.test_table WHERE id = 1");

        // When the same file is started again
        CliRun again = tidemark("start-task", taskFile.toString());

        // Then the stopped migration continues from its checkpoint, as DM's checkpoint wins over meta
        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(migrationOf(again)).isEqualTo(migration);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> rows("SELECT COUNT(*) FROM test_db.test_table WHERE id = 6").equals(List.of("1")));
        assertThat(rows("SELECT id, name, qty FROM test_db.test_table ORDER BY id"))
                .containsExactly("4|Rob|4", "5|Eve|5", "6|Dan|6");

        // When it is stopped and started with --remove-meta
        assertThat(tidemark("stop-task", "test").exit()).isZero();
        CliRun over = tidemark("start-task", taskFile.toString(), "--remove-meta");

        // Then a new migration replays from meta, bringing the lost row back, and the target equals the source
        assertThat(over.exit()).as(over.output()).isZero();
        assertThat(migrationOf(over)).isNotEqualTo(migration);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> DataDiff.same(source, target, MIGRATED));
        assertThat(tidemark("stop-task", "test").exit()).isZero();
        DataDiff.assertSame(source, target, MIGRATED);
    }

    /** the migration id start-task printed for source mysql-01 */
    private static String migrationOf(CliRun started) {
        Matcher m = Pattern.compile("mysql-01 +(\\S+) +Running +Sync ").matcher(started.output());
        assertThat(m.find()).as(started.output()).isTrue();
        return m.group(1);
    }

    /** the source's binlog file and position now: SHOW MASTER STATUS, as the seed records it */
    private static String[] masterStatus() throws Exception {
        try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
            assertThat(rs.next()).as("the source writes a binlog").isTrue();
            return new String[] {rs.getString(1), Long.toString(rs.getLong(2))};
        }
    }

    /** what the seed's snapshot import leaves on the target: the table's rows as the source holds them now */
    private static void copySourceRowsToTarget() throws Exception {
        try (Connection s = TestDatabases.connect(source); Statement q = s.createStatement();
             ResultSet rs = q.executeQuery("SELECT id, name, qty FROM test_db.test_table");
             Connection t = TestDatabases.connect(target);
             var insert = t.prepareStatement("INSERT INTO test_db.test_table VALUES (?, ?, ?)")) {
            while (rs.next()) {
                insert.setInt(1, rs.getInt(1));
                insert.setString(2, rs.getString(2));
                insert.setInt(3, rs.getInt(3));
                insert.executeUpdate();
            }
        }
    }

    // --- the client and the target ----------------------------------------------------------------------------------

    private static CliRun tidemark(String... args) throws Exception {
        return CliRun.of(platform.coordinatorPort(), work, Duration.ofMinutes(2), args);
    }

    private static List<String> rows(String sql) throws Exception {
        return CliRun.rows(target, sql);
    }
}
