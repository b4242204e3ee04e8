package io.tidemark.dm;

import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.command.SafeMode;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import io.tidemark.testkit.DataDiff;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Parallel apply (worker-count 4) killed with SIGKILL in the one window it adds: the workers committed their rows, the
 * checkpoint after them did not. The task runs without DM's safe mode after start, so only the replay horizon the
 * workers recorded makes the replay of that window safe; the successor must end with the source's rows exactly,
 * the keyless table (applied with the checkpoint) included.
 */
class ParallelApplyKillIT {
    private static final String TASK_ROW = "SELECT binlog_file, binlog_pos, replay_file, replay_pos"
            + " FROM tidemark_meta.replication_checkpoints WHERE task_id = '%s'";

    @Test
    void aServiceKilledAfterItsWorkersCommittedButBeforeItsCheckpointReplaysTheWindowAndEndsExact() throws Exception {
        try (LocalMariaDb source = TestDatabases.startSource("killapply");
             LocalMariaDb target = TestDatabases.startTarget("killapply");
             DmHarness harness = new DmHarness()) {
            String s = TestDatabases.uniqueSchema("killapply");
            MigrationId id = MigrationId.of("killapply-" + s.replace('_', '-'));
            String taskKey = ReplicationTask.idFor(id);
            String[] ddl = {"CREATE TABLE accounts (id INT PRIMARY KEY, code VARCHAR(16) NOT NULL UNIQUE,"
                    + " balance BIGINT NOT NULL)", "CREATE TABLE ledger (account INT, amount BIGINT)"};
            TestDatabases.execute(source, "CREATE DATABASE " + s, "USE " + s, ddl[0], ddl[1]);
            TestDatabases.execute(target, "CREATE DATABASE " + s, "USE " + s, ddl[0], ddl[1]);
            List<TableRef> tables = List.of(TableRef.of(s, "accounts"), TableRef.of(s, "ledger"));

            // given a dm-service in its own JVM applying with 4 workers a stream of transactions that change keys
            ReplicationTask task = DmHarness.task(id, 1, source, target, List.of(s + ".*"),
                    DmHarness.masterStatus(source), null).withSafeMode(SafeMode.of(false, Duration.ZERO));
            Process service = harness.startServiceProcess("killapply", "tidemark.dm.worker-count=4");
            try {
                harness.publish(task);
                write(source, s, 1, 300);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                        .until(() -> DataDiff.same(source, target, tables));

                // when the keyless table is locked on the target, the next flush stalls after the workers committed
                // (the keyless rows commit with the checkpoint), and the service is killed there
                try (Connection lock = TestDatabases.connect(target); Statement st = lock.createStatement()) {
                    lock.setAutoCommit(false);
                    st.executeQuery("SELECT * FROM " + s + ".ledger FOR UPDATE").close();
                    TestDatabases.execute(source, "USE " + s, "BEGIN",
                            "INSERT INTO accounts SELECT seq, CONCAT('w-', seq), seq FROM seq_5000_to_5049",
                            "UPDATE accounts SET id = id + 100000, code = CONCAT(code, '+') WHERE id BETWEEN 10 AND 30",
                            "INSERT INTO ledger VALUES (5000, 1)", "COMMIT");
                    String moved = "SELECT COUNT(*) FROM " + s + ".accounts WHERE id >= 5000";
                    long window = DmHarness.count(source, moved);
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                            .until(() -> DmHarness.count(target, moved) == window);
                    long[] row = checkpoint(target, taskKey);
                    assertThat(row[1]).as("replay horizon past the checkpoint").isGreaterThan(row[0]);
                    service.destroyForcibly();
                    assertThat(service.waitFor()).isNotZero();
                    lock.rollback();
                }

                // then the target holds the window's keyed rows without the checkpoint or the keyless row after them
                long[] atKill = checkpoint(target, taskKey);
                assertThat(atKill[1]).isGreaterThan(atKill[0]);
                assertThat(DmHarness.count(target, "SELECT COUNT(*) FROM " + s + ".ledger WHERE account = 5000"))
                        .isZero();
            } finally {
                service.destroyForcibly();
            }

            // when more changes of the same keys arrive and another service takes over
            TestDatabases.execute(source, "USE " + s,
                    "UPDATE accounts SET balance = balance * 2 WHERE id >= 5000",
                    "DELETE FROM accounts WHERE id BETWEEN 5040 AND 5049",
                    "INSERT INTO ledger VALUES (5001, 2), (5001, 2)");
            write(source, s, 300, 340);
            ConfigurableApplicationContext second = harness.startService("tidemark.dm.worker-count=4");
            try {
                // then the window replays in safe mode and the target equals the source, the keyless table exactly
                // (a replay in normal mode fails on the first row the workers had committed: stop waiting then)
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                        DataDiff.same(source, target, tables) || !harness.statuses(id, WorkFailed.class).isEmpty());
                assertThat(harness.statuses(id, WorkFailed.class)).isEmpty();
                DataDiff.assertSame(source, target, tables);
                assertThat(DmHarness.count(target, "SELECT COUNT(*) FROM " + s + ".ledger WHERE account = 5001"))
                        .isEqualTo(2);
                assertThat(DmHarness.count(target, "SELECT owner_epoch FROM tidemark_meta.replication_checkpoints"
                        + " WHERE task_id = '" + taskKey + "'")).isEqualTo(2);
            } finally {
                second.close();
            }
        }
    }

    /** {checkpoint offset, replay horizon offset}, of one binlog file: the test writes less than a file */
    private static long[] checkpoint(LocalMariaDb target, String taskKey) throws Exception {
        try (Connection c = TestDatabases.connect(target); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(TASK_ROW.formatted(taskKey))) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(3)).as("replay horizon file").isEqualTo(rs.getString(1));
            return new long[] {rs.getLong(2), rs.getLong(4)};
        }
    }

    /**
     * One transaction per round: an account, a move of an earlier account to a new key (and its code to another
     * unique value), a balance update, a delete, and a ledger row — keys changing across workers included.
     */
    private static void write(LocalMariaDb source, String schema, int from, int to) throws Exception {
        try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement()) {
            st.execute("USE " + schema);
            c.setAutoCommit(false);
            for (int i = from; i < to; i++) {
                st.execute("INSERT INTO accounts VALUES (" + i + ", 'c-" + i + "', " + i + ")");
                if (i % 7 == 0) {
                    st.execute("UPDATE accounts SET id = id + 1000, code = CONCAT('m-', code) WHERE id = " + (i - 3));
                }
                if (i % 5 == 0) {
                    st.execute("UPDATE accounts SET balance = balance + " + i + " WHERE id = " + (i / 2));
                }
                if (i % 11 == 0) {
                    st.execute("DELETE FROM accounts WHERE id = " + (i - 1));
                }
                st.execute("INSERT INTO ledger VALUES (" + i + ", " + (i % 3) + ")");
                c.commit();
            }
        }
    }
}
