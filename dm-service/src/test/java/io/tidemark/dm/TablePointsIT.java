package io.tidemark.dm;

import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.position.TablePoint;
import io.tidemark.common.status.ReplicationProgressed;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import io.tidemark.dm.task.TaskSupervisor;
import io.tidemark.testkit.DataDiff;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Table points (DM's table checkpoints) on real MariaDB: each test plays a snapshot by copying a table to the target
 * as the source holds it at a position P (what a dump taken at P holds), while the task starts earlier. Tables without
 * any key are the ones safe mode cannot make exact; with its point such a table ends equal to the source, duplicates
 * counted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TablePointsIT {
    private static final String KEYLESS = "CREATE TABLE k (a INT, b VARCHAR(10))";

    private DmRig rig;
    private LocalMariaDb source;
    private LocalMariaDb target;
    private DmHarness harness;
    private ConfigurableApplicationContext service;

    @BeforeAll
    void start() {
        // one source transaction per target transaction: the checkpoint moves transaction by transaction
        rig = DmRig.start("points", "tidemark.dm.batch-max-transactions=1");
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

    /** where a scenario's dump was taken, and where its writes ended */
    private record Played(BinlogPosition start, BinlogPosition point, BinlogPosition end) {
    }

    /**
     * Writes to the keyless table {@code s.k} around its point P: identical rows, an UPDATE and a DELETE of one of two
     * identical rows; copies the table as of P to the target; writes more of the same after P.
     */
    private Played keylessAroundItsPoint(String s) throws Exception {
        TestDatabases.execute(source, "CREATE DATABASE " + s, "USE " + s, KEYLESS);
        TestDatabases.execute(target, "CREATE DATABASE " + s);
        BinlogPosition start = DmHarness.masterStatus(source);
        TestDatabases.execute(source, "USE " + s,
                "INSERT INTO k VALUES (1, 'x'), (1, 'x'), (2, 'y')",
                "UPDATE k SET b = 'x2' WHERE a = 1 LIMIT 1",
                "DELETE FROM k WHERE a = 2 LIMIT 1",
                "INSERT INTO k VALUES (3, 'z'), (3, 'z')");
        BinlogPosition point = DmHarness.masterStatus(source);
        copyAsDumped(s, "k");
        TestDatabases.execute(source, "USE " + s,
                "INSERT INTO k VALUES (1, 'x')",
                "UPDATE k SET b = 'u' WHERE a = 3 LIMIT 1",
                "DELETE FROM k WHERE a = 1 AND b = 'x' LIMIT 1");
        return new Played(start, point, DmHarness.masterStatus(source));
    }

    @Test
    void aKeylessTableWrittenAroundItsPointEndsExactAndWithoutThePointGetsDuplicates() throws Exception {
        String exact = TestDatabases.uniqueSchema("kexact");
        String replay = TestDatabases.uniqueSchema("kreplay");
        Played withPoint = keylessAroundItsPoint(exact);
        Played without = keylessAroundItsPoint(replay);
        MigrationId exactId = MigrationId.of(exact.replace('_', '-'));
        MigrationId replayId = MigrationId.of(replay.replace('_', '-'));

        // when one task has the table's point and the other, otherwise the same, has none
        harness.publish(DmHarness.withPoints(DmHarness.task(exactId, 1, source, target, List.of(exact + ".*"),
                withPoint.start(), withPoint.point(), 9401), List.of(new TablePoint(TableRef.of(exact, "k"),
                withPoint.point()))));
        harness.publish(DmHarness.task(replayId, 1, source, target, List.of(replay + ".*"), without.start(),
                without.point(), 9402));

        // then the task with the point ends with the source's rows, each as often as on the source
        List<TableRef> exactTables = List.of(TableRef.of(exact, "k"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> DataDiff.same(source, target, exactTables));
        DataDiff.assertSame(source, target, exactTables);
        assertThat(rows(target, exact + ".k")).isEqualTo(rows(source, exact + ".k"))
                .isEqualTo(Map.of("1|x", 1, "1|x2", 1, "3|u", 1, "3|z", 1));
        awaitCaughtUp(exactId, withPoint.end());
        assertThat(rows(target, exact + ".k")).isEqualTo(rows(source, exact + ".k"));
        assertThat(harness.statuses(exactId, WorkFailed.class)).isEmpty();

        // and the one without it replays into the dump: safe mode cannot tell a row from its copy
        awaitCaughtUp(replayId, without.end());
        assertThat(rows(source, replay + ".k")).isEqualTo(rows(source, exact + ".k"));
        assertThat(rows(target, replay + ".k")).containsEntry("3|z", 3).containsEntry("1|x", 2);
        assertThat(DmHarness.count(target, "SELECT COUNT(*) FROM " + replay + ".k")).isEqualTo(8);
    }

    @Test
    void ddlBeforeATablesPointIsAlreadyInItsDump() throws Exception {
        String s = TestDatabases.uniqueSchema("kddl");
        MigrationId id = MigrationId.of(s.replace('_', '-'));
        TestDatabases.execute(source, "CREATE DATABASE " + s, "USE " + s, KEYLESS);
        TestDatabases.execute(target, "CREATE DATABASE " + s);
        BinlogPosition start = DmHarness.masterStatus(source);
        // given a table created and written before its own point P1
        TestDatabases.execute(source, "USE " + s, "CREATE TABLE early (v INT)", "INSERT INTO early VALUES (1), (1)");
        BinlogPosition earlyPoint = DmHarness.masterStatus(source);
        copyAsDumped(s, "early");
        // and a keyless table truncated and altered before its point P2
        TestDatabases.execute(source, "USE " + s,
                "INSERT INTO early VALUES (2)",
                "INSERT INTO k VALUES (1, 'gone'), (1, 'gone')",
                "TRUNCATE TABLE k",
                "INSERT INTO k VALUES (1, 'x'), (1, 'x'), (2, 'y')",
                "ALTER TABLE k ADD COLUMN c INT DEFAULT 7",
                "UPDATE k SET c = 8 WHERE a = 1 LIMIT 1");
        BinlogPosition kPoint = DmHarness.masterStatus(source);
        copyAsDumped(s, "k");
        TestDatabases.execute(source, "USE " + s,
                "INSERT INTO k VALUES (1, 'x', 7)",
                "DELETE FROM k WHERE a = 1 AND c = 7 LIMIT 1",
                "ALTER TABLE k ADD COLUMN d VARCHAR(5) NULL",
                "INSERT INTO k VALUES (2, 'y', 7, 'new'), (2, 'y', 7, NULL)",
                "UPDATE k SET d = 'one' WHERE a = 2 AND d IS NULL LIMIT 1",
                "INSERT INTO early VALUES (3), (3)");

        // when the task starts before both points
        harness.publish(DmHarness.withPoints(DmHarness.task(id, 1, source, target, List.of(s + ".*"), start, kPoint,
                9403), List.of(new TablePoint(TableRef.of(s, "early"), earlyPoint),
                new TablePoint(TableRef.of(s, "k"), kPoint))));

        // then neither the CREATE, the TRUNCATE nor the ALTER before the points runs again, and both tables are exact
        List<TableRef> tables = List.of(TableRef.of(s, "early"), TableRef.of(s, "k"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> DataDiff.same(source, target, tables));
        DataDiff.assertSame(source, target, tables);
        assertThat(rows(target, s + ".k")).isEqualTo(rows(source, s + ".k"));
        assertThat(rows(target, s + ".early")).isEqualTo(rows(source, s + ".early"))
                .isEqualTo(Map.of("1", 2, "2", 1, "3", 2));
        assertThat(harness.statuses(id, WorkFailed.class)).isEmpty();
    }

    @Test
    void aTaskStoppedBeforeTheGlobalPointReachedATablesPointResumesWithItFromTheCheckpoint() throws Exception {
        String s = TestDatabases.uniqueSchema("krestart");
        MigrationId id = MigrationId.of(s.replace('_', '-'));
        String key = ReplicationTask.idFor(id);
        TestDatabases.execute(source, "CREATE DATABASE " + s, "USE " + s, KEYLESS,
                "CREATE TABLE gate (id INT PRIMARY KEY)");
        TestDatabases.execute(target, "CREATE DATABASE " + s, "CREATE TABLE " + s + ".gate (id INT PRIMARY KEY)");
        BinlogPosition start = DmHarness.masterStatus(source);
        // given writes before the keyless table's point, with a keyed table's write (no point) among them
        TestDatabases.execute(source, "USE " + s,
                "INSERT INTO k VALUES (1, 'x'), (1, 'x')",
                "INSERT INTO gate VALUES (1)",
                "INSERT INTO k VALUES (1, 'x')",
                "UPDATE k SET b = 'x2' WHERE a = 1 LIMIT 1");
        BinlogPosition point = DmHarness.masterStatus(source);
        copyAsDumped(s, "k");
        TestDatabases.execute(source, "USE " + s,
                "INSERT INTO k VALUES (1, 'x')",
                "UPDATE k SET b = 'u' WHERE a = 1 AND b = 'x' LIMIT 1",
                "DELETE FROM k WHERE b = 'x2' LIMIT 1");
        ReplicationTask task = DmHarness.withPoints(DmHarness.task(id, 1, source, target, List.of(s + ".*"), start,
                point, 9404), List.of(new TablePoint(TableRef.of(s, "k"), point)));
        String checkpoint = "SELECT binlog_file, binlog_pos FROM tidemark_meta.replication_checkpoints"
                + " WHERE task_id = '" + key + "'";
        String stored = "SELECT COUNT(*) FROM tidemark_meta.replication_table_points WHERE task_id = '" + key
                + "' AND table_schema = '" + s + "' AND table_name = 'k' AND binlog_pos = " + point.pos();

        try (Connection hold = TestDatabases.connect(target); Statement st = hold.createStatement()) {
            // a transaction on the target holds the gate row: the task's copy of it waits, its checkpoint before P
            hold.setAutoCommit(false);
            st.execute("INSERT INTO " + s + ".gate VALUES (1)");
            harness.publish(task);
            await().atMost(Duration.ofSeconds(30)).until(() -> DmHarness.count(target, "SELECT COUNT(*) FROM"
                    + " information_schema.PROCESSLIST WHERE COMMAND = 'Query' AND ID <> CONNECTION_ID()"
                    + " AND INFO LIKE '%" + s + "%gate%'") == 1);
            assertThat(DmHarness.count(target, stored)).as("the point is stored with the checkpoint").isEqualTo(1);

            // when the task is stopped while it waits
            TaskSupervisor supervisor = service.getBean(TaskSupervisor.class);
            harness.publish(DmHarness.stopped(task, 2));
            await().atMost(Duration.ofSeconds(10)).until(() -> !supervisor.states().containsKey(key));
            hold.rollback();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> DmHarness.count(target, "SELECT COUNT(*) FROM " + s
                + ".gate") == 1);
        BinlogPosition stoppedAt = position(checkpoint);
        assertThat(stoppedAt).as("the checkpoint stopped before the table's point").isLessThan(point);
        assertThat(DmHarness.count(target, stored)).isEqualTo(1);
        assertThat(rows(target, s + ".k")).as("the dump, untouched").isEqualTo(Map.of("1|x", 2,
                "1|x2", 1));

        // and started again from a desired state that carries no points: they come from the checkpoint
        harness.publish(new ReplicationTask(key + "/e3", id, 3, ReplicationTask.Desired.RUNNING, task.source(),
                task.target(), task.filter(), task.start(), task.safeModeExit(), task.serverId()));

        // then the keyless table ends exact, and the point is dropped once the checkpoint passed it
        List<TableRef> tables = List.of(TableRef.of(s, "k"), TableRef.of(s, "gate"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> DataDiff.same(source, target, tables));
        DataDiff.assertSame(source, target, tables);
        assertThat(rows(target, s + ".k")).isEqualTo(rows(source, s + ".k"))
                .isEqualTo(Map.of("1|u", 1, "1|x", 2));
        await().atMost(Duration.ofSeconds(30)).until(() -> DmHarness.count(target, stored) == 0);
        assertThat(position(checkpoint)).isGreaterThanOrEqualTo(point);
        assertThat(harness.statuses(id, WorkFailed.class)).isEmpty();
    }

    private void awaitCaughtUp(MigrationId id, BinlogPosition end) {
        await().atMost(Duration.ofSeconds(60)).until(() -> harness.statuses(id, ReplicationProgressed.class).stream()
                .anyMatch(p -> !p.position().isBefore(end)));
    }

    private BinlogPosition position(String sql) throws Exception {
        try (Connection c = TestDatabases.connect(target); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return BinlogPosition.ofFilePosition(rs.getString(1), rs.getLong(2));
        }
    }

    /** the table's definition and rows as the source holds them now: what a dump taken now holds */
    private void copyAsDumped(String schema, String table) throws Exception {
        String qualified = schema + "." + table;
        try (Connection src = TestDatabases.connect(source); Connection tgt = TestDatabases.connect(target);
             Statement sst = src.createStatement(); Statement tst = tgt.createStatement()) {
            try (ResultSet rs = sst.executeQuery("SHOW CREATE TABLE " + qualified)) {
                rs.next();
                tst.execute("USE " + schema);
                tst.execute(rs.getString(2));
            }
            try (ResultSet rs = sst.executeQuery("SELECT * FROM " + qualified)) {
                int n = rs.getMetaData().getColumnCount();
                String marks = String.join(", ", java.util.Collections.nCopies(n, "?"));
                try (var ins = tgt.prepareStatement("INSERT INTO " + qualified + " VALUES (" + marks + ")")) {
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            ins.setObject(i, rs.getObject(i));
                        }
                        ins.executeUpdate();
                    }
                }
            }
        }
    }

    /** every distinct row ({@code a|b|…}, NULL as {@code NULL}) and how many times the table holds it */
    private static Map<String, Integer> rows(LocalMariaDb db, String table) throws Exception {
        Map<String, Integer> out = new TreeMap<>();
        try (Connection c = TestDatabases.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i) == null ? "NULL" : rs.getString(i));
                }
                out.merge(row.toString(), 1, Integer::sum);
            }
        }
        return out;
    }
}
