package io.tidemark.dm;

import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.command.SafeMode;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.status.ReplicationProgressed;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
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
import org.springframework.context.ConfigurableApplicationContext;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * DM's enable-gtid on a real MariaDB source: a task stopped, its source written to and its binlog rotated, and its
 * checkpoint's file name made one the source never had (what a failover to a server with other file names does)
 * resumes by the checkpoint's GTID set, exactly: no safe mode, so a transaction applied twice fails on its key or
 * doubles a keyless row, and one skipped is missing from the data diff. The same resume by file and offset fails as a
 * purged binlog. MySQL's form is covered on recorded events (GtidTrackerTest): no MySQL server runs here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GtidResumeIT {
    private static final String[] TABLES = {"CREATE TABLE acct (id INT PRIMARY KEY, owner VARCHAR(20), balance INT)",
            "CREATE TABLE journal (acct INT, note VARCHAR(20))"};
    /** a checkpoint file the source never had: sorts before its oldest (mysql-bin.000001) */
    private static final String FOREIGN_FILE = "failover-bin.000000";

    private DmRig rig;
    private LocalMariaDb source;
    private LocalMariaDb target;
    private DmHarness harness;
    private ConfigurableApplicationContext service;

    @BeforeAll
    void start() {
        rig = DmRig.start("gtidit");
        source = rig.source();
        target = rig.target();
        harness = rig.harness();
        service = rig.service();
    }

    @AfterAll
    void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void aStoppedTaskResumesByItsGtidSetAfterARotationAndAForeignCheckpointFileExactly() throws Exception {
        String s = TestDatabases.uniqueSchema("gtid");
        MigrationId id = MigrationId.of("gtid-" + s.replace('_', '-'));
        ReplicationTask task = stoppedAfterFirstWrites(s, id, true);

        // then the checkpoint holds the GTID set beside file and offset
        Checkpoint before = checkpoint(id);
        assertThat(before.gtidSet()).matches("\\d+-\\d+-\\d+(,\\d+-\\d+-\\d+)*");

        // when the source goes on, rotates its binlog, goes on again, and the checkpoint's file becomes foreign
        writeWhileStoppedAndMakeTheCheckpointFileForeign(s, id);
        BinlogPosition end = now();
        assertThat(end.file()).isNotEqualTo(before.file());

        // and the task resumes with enable-gtid and no safe mode
        harness.publish(resumed(task, 3));

        // then the target equals the source: nothing skipped, nothing applied twice (the keyless journal would double)
        List<TableRef> tables = List.of(TableRef.of(s, "acct"), TableRef.of(s, "journal"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> DataDiff.same(source, target, tables));
        DataDiff.assertSame(source, target, tables);
        assertThat(DmHarness.count(target, "SELECT COUNT(*) FROM " + s + ".journal")).isEqualTo(6);
        // and the checkpoint moved to the source's real file, with the source's GTID position
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Checkpoint after = checkpoint(id);
            assertThat(after.file()).isEqualTo(end.file());
            assertThat(after.pos()).isEqualTo(end.pos());
            assertThat(after.gtidSet()).isEqualTo(end.gtidSet());
        });
        assertThat(harness.statuses(id, ReplicationProgressed.class)).noneMatch(ReplicationProgressed::safeMode);
        assertThat(harness.statuses(id, WorkFailed.class)).isEmpty();
    }

    @Test
    void withoutEnableGtidTheSameResumeFailsAsAPurgedBinlog() throws Exception {
        String s = TestDatabases.uniqueSchema("nogtid");
        MigrationId id = MigrationId.of("nogtid-" + s.replace('_', '-'));
        ReplicationTask task = stoppedAfterFirstWrites(s, id, false);
        writeWhileStoppedAndMakeTheCheckpointFileForeign(s, id);

        harness.publish(resumed(task, 3));

        WorkFailed f = awaitOneFailure(id);
        assertThat(f.code()).isEqualTo("TM-10008");
        assertThat(f.message()).contains("start_position: the binlog position " + FOREIGN_FILE)
                .contains("is no longer on source");
        assertThat(f.retriable()).isFalse();
    }

    @Test
    void aCheckpointWithoutAGtidSetResumesByFileAndOffset() throws Exception {
        String s = TestDatabases.uniqueSchema("oldcp");
        MigrationId id = MigrationId.of("oldcp-" + s.replace('_', '-'));
        ReplicationTask task = stoppedAfterFirstWrites(s, id, true);
        // given a checkpoint as one written before GTID sets were recorded
        TestDatabases.execute(target, "UPDATE tidemark_meta.replication_checkpoints SET gtid_set = NULL"
                + " WHERE task_id = '" + ReplicationTask.idFor(id) + "'");
        TestDatabases.execute(source, "USE " + s, "INSERT INTO acct VALUES (3, 'cid', 30)",
                "INSERT INTO journal VALUES (3, 'open')");

        harness.publish(resumed(task, 3));

        // then it resumes at its file and offset, exactly, and records the set again from the stream
        List<TableRef> tables = List.of(TableRef.of(s, "acct"), TableRef.of(s, "journal"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> DataDiff.same(source, target, tables));
        DataDiff.assertSame(source, target, tables);
        BinlogPosition end = now();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(checkpoint(id))
                .isEqualTo(new Checkpoint(end.file(), end.pos(), end.gtidSet())));
        assertThat(harness.statuses(id, WorkFailed.class)).isEmpty();
    }

    @Test
    void aStartSetInMysqlsFormOnAMariadbSourceIsRefusedBeforeStreaming() {
        MigrationId id = MigrationId.of("gtidform-" + System.nanoTime() % 100000);
        BinlogPosition meta = BinlogPosition.of("mysql-bin.000001", 4, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5");

        harness.publish(DmHarness.task(id, 1, source, target, List.of("nothing.*"), meta, null).withEnableGtid(true));

        WorkFailed f = awaitOneFailure(id);
        assertThat(f.code()).isEqualTo("TM-30031");
        assertThat(f.message()).contains("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5").contains("MySQL's form")
                .contains("MariaDB");
        assertThat(f.retriable()).isFalse();
    }

    @Test
    void aStartSetTheSourceDoesNotHoldFailsForGoodNamingTheSet() throws Exception {
        MigrationId id = MigrationId.of("gtidgone-" + System.nanoTime() % 100000);
        BinlogPosition now = now();
        // a sequence far past anything the source wrote in its domain: no binlog holds what follows it
        String domain = now.gtidSet() == null ? "0" : now.gtidSet().split("-")[0];
        BinlogPosition meta = BinlogPosition.of(now.file(), now.pos(), domain + "-1-999999999");

        harness.publish(DmHarness.task(id, 1, source, target, List.of("nothing.*"), meta, null).withEnableGtid(true));

        WorkFailed f = awaitOneFailure(id);
        assertThat(f.code()).isEqualTo("TM-30029");
        assertThat(f.message()).contains(domain + "-1-999999999");
        assertThat(f.retriable()).isFalse();
    }

    /** a task on new tables, started at the source's GTID position, that replicated a first write and was stopped */
    private ReplicationTask stoppedAfterFirstWrites(String s, MigrationId id, boolean gtid) throws Exception {
        TestDatabases.execute(source, "CREATE DATABASE " + s, "USE " + s, TABLES[0], TABLES[1]);
        TestDatabases.execute(target, "CREATE DATABASE " + s, "USE " + s, TABLES[0], TABLES[1]);
        ReplicationTask task = DmHarness.task(id, 1, source, target, List.of(s + ".*"), now(), null)
                .withSafeMode(new SafeMode(false, 0)).withEnableGtid(gtid);
        harness.publish(task);
        TestDatabases.execute(source, "USE " + s, "INSERT INTO acct VALUES (1, 'ann', 10), (2, 'bob', 20)",
                "INSERT INTO journal VALUES (1, 'open'), (2, 'open')");
        List<TableRef> tables = List.of(TableRef.of(s, "acct"), TableRef.of(s, "journal"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> DataDiff.same(source, target, tables));
        TaskSupervisor supervisor = service.getBean(TaskSupervisor.class);
        harness.publish(DmHarness.stopped(task, 2));
        await().atMost(Duration.ofSeconds(20)).until(() -> !supervisor.states().containsKey(ReplicationTask.idFor(id)));
        return task;
    }

    private void writeWhileStoppedAndMakeTheCheckpointFileForeign(String s, MigrationId id) throws Exception {
        // the first transaction after the checkpoint: multi-statement, both tables
        TestDatabases.execute(source, "USE " + s, "BEGIN", "INSERT INTO acct VALUES (3, 'cid', 30)",
                "INSERT INTO journal VALUES (3, 'open')", "UPDATE acct SET balance = balance - 5 WHERE id = 1",
                "INSERT INTO journal VALUES (1, 'debit')", "COMMIT");
        TestDatabases.execute(source, "FLUSH BINARY LOGS");
        TestDatabases.execute(source, "USE " + s, "DELETE FROM acct WHERE id = 2",
                "INSERT INTO journal VALUES (2, 'close')", "INSERT INTO acct VALUES (4, 'dan', 40)",
                "INSERT INTO journal VALUES (4, 'open')");
        try (Connection c = TestDatabases.connect(target); PreparedStatement ps = c.prepareStatement(
                "UPDATE tidemark_meta.replication_checkpoints SET binlog_file = ? WHERE task_id = ?")) {
            ps.setString(1, FOREIGN_FILE);
            ps.setString(2, ReplicationTask.idFor(id));
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    private static ReplicationTask resumed(ReplicationTask t, long epoch) {
        return new ReplicationTask(ReplicationTask.idFor(t.migrationId()) + "/e" + epoch, t.migrationId(), epoch,
                ReplicationTask.Desired.RUNNING, t.source(), t.target(), t.filter(), t.start(), null, t.serverId(),
                List.of(), t.safeMode()).withEnableGtid(t.enableGtid());
    }

    private BinlogPosition now() throws Exception {
        try (Connection c = TestDatabases.connect(source)) {
            return BinlogPositions.current(c, Flavor.detect(c));
        }
    }

    private record Checkpoint(String file, long pos, String gtidSet) {
    }

    private Checkpoint checkpoint(MigrationId id) throws Exception {
        try (Connection c = TestDatabases.connect(target); PreparedStatement ps = c.prepareStatement(
                "SELECT binlog_file, binlog_pos, gtid_set FROM tidemark_meta.replication_checkpoints"
                        + " WHERE task_id = ?")) {
            ps.setString(1, ReplicationTask.idFor(id));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("checkpoint of " + id).isTrue();
                return new Checkpoint(rs.getString(1), rs.getLong(2), rs.getString(3));
            }
        }
    }

    private WorkFailed awaitOneFailure(MigrationId id) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !harness.statuses(id, WorkFailed.class).isEmpty());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> harness.statuses(id, WorkFailed.class).size() == 1);
        return harness.statuses(id, WorkFailed.class).getFirst();
    }
}
