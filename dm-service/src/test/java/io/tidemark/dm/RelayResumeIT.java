package io.tidemark.dm;

import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.command.SafeMode;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import io.tidemark.dm.relay.RelayWriter;
import io.tidemark.dm.relay.RelayWriters;
import io.tidemark.dm.task.TaskSupervisor;
import io.tidemark.mysql.flavor.Flavor;
import io.tidemark.mysql.position.BinlogPositions;
import io.tidemark.testkit.DataDiff;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * DM's relay (enable-relay) on a real source, target and broker: a task paused for longer than the source keeps its
 * binlog resumes from the relay; the same task without the relay fails as a purged binlog (the control).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayResumeIT {
    private static final String[] TABLES = {"CREATE TABLE acct (id INT PRIMARY KEY, owner VARCHAR(20), balance INT)",
            "CREATE TABLE journal (acct INT, note VARCHAR(20))"};

    private DmRig rig;
    private LocalMariaDb source;
    private LocalMariaDb target;
    private DmHarness harness;

    @BeforeAll
    void start() {
        rig = DmRig.start("relayit");
        source = rig.source();
        target = rig.target();
        harness = rig.harness();
    }

    @AfterAll
    void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void aPausedTaskResumesFromTheRelayAfterTheSourcePurgedItsBinlogs() throws Exception {
        String s = TestDatabases.uniqueSchema("relay");
        String sourceId = "src-" + s.replace('_', '-');
        try (RelayWriter relay = rig.service().getBean(RelayWriters.class)
                .start(sourceId, TestDatabases.endpoint(source), 5000, now())) {
            ReplicationTask task = stoppedAfterFirstWrites(s, sourceId);
            writeWhileStopped(s);
            // the source's position read on every try: MariaDB adds a Binlog_checkpoint event after a rotation
            await().atMost(Duration.ofSeconds(30)).until(() -> now().withGtidSet(null).equals(relay.relayed()));
            purgeAllButTheCurrentBinlog();

            harness.publish(resumed(task, 3));

            List<TableRef> tables = List.of(TableRef.of(s, "acct"), TableRef.of(s, "journal"));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                    .until(() -> DataDiff.same(source, target, tables));
            DataDiff.assertSame(source, target, tables);
            // the keyless journal would hold a row twice had an event been applied twice
            assertThat(DmHarness.count(target, "SELECT COUNT(*) FROM " + s + ".journal")).isEqualTo(6);
            assertThat(harness.statuses(task.migrationId(), WorkFailed.class)).isEmpty();
            assertThat(relay.failure()).isNull();
        }
    }

    @Test
    void withoutTheRelayTheSameResumeFailsAsAPurgedBinlog() throws Exception {
        String s = TestDatabases.uniqueSchema("norelay");
        ReplicationTask task = stoppedAfterFirstWrites(s, null);
        BinlogPosition checkpointFile = now();
        writeWhileStopped(s);
        purgeAllButTheCurrentBinlog();

        harness.publish(resumed(task, 3));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> !harness.statuses(task.migrationId(), WorkFailed.class).isEmpty());
        WorkFailed f = harness.statuses(task.migrationId(), WorkFailed.class).getFirst();
        assertThat(f.code()).isEqualTo("TM-10008");
        assertThat(f.message()).contains("start_position: the binlog position " + checkpointFile.file())
                .contains("is no longer on source");
    }

    /** a task on new tables (reading the relay of {@code relayOf} unless null) that replicated first writes, stopped */
    private ReplicationTask stoppedAfterFirstWrites(String s, String relayOf) throws Exception {
        TestDatabases.execute(source, "CREATE DATABASE " + s, "USE " + s, TABLES[0], TABLES[1]);
        TestDatabases.execute(target, "CREATE DATABASE " + s, "USE " + s, TABLES[0], TABLES[1]);
        MigrationId id = MigrationId.of(s.replace('_', '-'));
        ReplicationTask task = DmHarness.task(id, 1, source, target, List.of(s + ".*"), now(), null)
                .withSafeMode(new SafeMode(false, 0)).withRelay(relayOf);
        harness.publish(task);
        TestDatabases.execute(source, "USE " + s, "INSERT INTO acct VALUES (1, 'ann', 10), (2, 'bob', 20)",
                "INSERT INTO journal VALUES (1, 'open'), (2, 'open')");
        List<TableRef> tables = List.of(TableRef.of(s, "acct"), TableRef.of(s, "journal"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> DataDiff.same(source, target, tables));
        TaskSupervisor supervisor = rig.service().getBean(TaskSupervisor.class);
        harness.publish(DmHarness.stopped(task, 2));
        await().atMost(Duration.ofSeconds(20)).until(() -> !supervisor.states().containsKey(ReplicationTask.idFor(id)));
        return task;
    }

    private void writeWhileStopped(String s) throws Exception {
        TestDatabases.execute(source, "USE " + s, "BEGIN", "INSERT INTO acct VALUES (3, 'cid', 30)",
                "INSERT INTO journal VALUES (3, 'open')", "UPDATE acct SET balance = balance - 5 WHERE id = 1",
                "INSERT INTO journal VALUES (1, 'debit')", "COMMIT");
        TestDatabases.execute(source, "FLUSH BINARY LOGS");
        TestDatabases.execute(source, "USE " + s, "DELETE FROM acct WHERE id = 2",
                "INSERT INTO journal VALUES (2, 'close')", "INSERT INTO acct VALUES (4, 'dan', 40)",
                "INSERT INTO journal VALUES (4, 'open')");
    }

    /** FLUSH and PURGE until only the new file is left (MariaDB keeps a file a dump thread still reads, and warns) */
    private void purgeAllButTheCurrentBinlog() throws Exception {
        TestDatabases.execute(source, "FLUSH BINARY LOGS");
        String keep = now().file();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            TestDatabases.execute(source, "PURGE BINARY LOGS TO '" + keep + "'");
            try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
                rs.next();
                return rs.getString(1).equals(keep);
            }
        });
    }

    private static ReplicationTask resumed(ReplicationTask t, long epoch) {
        return new ReplicationTask(ReplicationTask.idFor(t.migrationId()) + "/e" + epoch, t.migrationId(), epoch,
                ReplicationTask.Desired.RUNNING, t.source(), t.target(), t.filter(), t.start(), null, t.serverId(),
                List.of(), t.safeMode()).withRelay(t.relaySourceId());
    }

    private BinlogPosition now() throws Exception {
        try (Connection c = TestDatabases.connect(source)) {
            return BinlogPositions.current(c, Flavor.detect(c));
        }
    }
}
