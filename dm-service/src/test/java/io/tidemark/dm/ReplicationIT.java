package io.tidemark.dm;

import io.tidemark.common.command.BinlogFilterRule;
import io.tidemark.common.command.BinlogOperation;
import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.command.RouteRule;
import io.tidemark.common.checksum.TableChecksum;
import io.tidemark.common.command.SafeMode;
import io.tidemark.common.id.MigrationId;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.status.ReplicationProgressed;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import io.tidemark.dm.sync.ReplicatorState;
import io.tidemark.dm.task.TaskSupervisor;
import io.tidemark.testkit.DataDiff;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Binlog replication end to end: real MariaDB source and target, a real broker, the service's own context. Every
 * scenario ends in a data diff (row counts and checksums) of source against target.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicationIT {
    private static final String ALL_TYPES = """
            CREATE TABLE all_types (
              id INT NOT NULL PRIMARY KEY,
              ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED,
              mi MEDIUMINT, miu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED,
              dec_wide DECIMAL(65,30), dec_money DECIMAL(10,2) UNSIGNED, f FLOAT, d DOUBLE,
              dt DATE, dtm DATETIME(6), dtm0 DATETIME, ts TIMESTAMP(6) NULL DEFAULT NULL, tm TIME(6), tm0 TIME,
              tm3 TIME(3), yr YEAR,
              c CHAR(10), vc VARCHAR(100), tx TEXT, latin VARCHAR(20) CHARACTER SET latin1,
              bn BINARY(4), vb VARBINARY(20), bl BLOB, js JSON,
              en ENUM('alpha','beta','it''s'), st SET('x','y','z'), bt BIT(10), b64 BIT(64)
            ) DEFAULT CHARSET=utf8mb4""";

    private DmRig rig;
    private LocalMariaDb source;
    private LocalMariaDb target;
    private DmHarness harness;
    private ConfigurableApplicationContext service;

    @BeforeAll
    void start() {
        rig = DmRig.start("replit");
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
    void replicatesEveryTypeRowChangesAndDdlExactly() throws Exception {
        String s = TestDatabases.uniqueSchema("repl");
        MigrationId id = MigrationId.of("repl-" + s.replace('_', '-'));
        String[] ddl = {"CREATE DATABASE " + s, "USE " + s, ALL_TYPES,
                "CREATE TABLE composite (a INT NOT NULL, b VARCHAR(20) NOT NULL, v INT, PRIMARY KEY (a, b))",
                "CREATE TABLE nopk (x INT, y VARCHAR(10))"};
        // given the tables on both sides, as the import leaves them
        TestDatabases.execute(source, ddl);
        TestDatabases.execute(target, ddl);
        BinlogPosition start = DmHarness.masterStatus(source);

        // when the task runs from the position before the writes
        harness.publish(DmHarness.task(id, 1, source, target, List.of(s + ".*", "!" + s + ".skipped"), start, null));
        TestDatabases.execute(source, "USE " + s,
                "INSERT INTO all_types VALUES (1, -128, 255, -32768, 65535, -8388608, 16777215, -2147483648,"
                        + " 4294967295, -9223372036854775808, 18446744073709551615,"
                        + " -12345678901234567890123456789012345.123456789012345678901234567890, 99999999.99,"
                        + " 3.40282e38, -1.7976931348623157e308, '0000-00-00', '0000-00-00 00:00:00',"
                        + " '9999-12-31 23:59:59', '1970-01-01 00:00:01.000001', '-838:59:59.000000', '838:59:59',"
                        + " '-00:00:00.5', 0000,"
                        + " 'pad  ', 'emoji 🚀🎉 ünïcødé', REPEAT('long text 😀 ', 500), 'café ÿ',"
                        + " x'00ff', x'000102fe', x'deadbeef00', '{\"k\": [1, 2.5, \"v\"], \"n\": null}',"
                        + " 'it''s', 'x,z', b'1010101010', b'1111111111111111111111111111111111111111111111111111111111111111')",
                "INSERT INTO all_types VALUES (2, 127, 0, 32767, 0, 8388607, 0, 2147483647, 0, 9223372036854775807, 0,"
                        + " 0.000000000000000000000000000001, 0.01, -1.17549435e-38, 2.2250738585072014e-308,"
                        + " '1000-01-01', '1000-01-01 00:00:00.000000', '2024-02-29 12:34:56', '2038-01-19 03:14:07.999999',"
                        + " '12:34:56.789012', '00:00:00', '23:59:59.999', 2155,"
                        + " '', '', '', '', '', '', '', '[]', 'alpha', '', b'0', b'0')",
                "INSERT INTO all_types (id) VALUES (3)",
                "INSERT INTO all_types (id, dt, dtm, yr, f, d) VALUES (4, '2024-00-00', '2024-01-00 10:00:00', 1901, 0.1, 0.1)",
                "UPDATE all_types SET vc = 'updated ✓', biu = 18446744073709551614, ts = '2001-02-03 04:05:06.5' WHERE id = 2",
                "UPDATE all_types SET id = 30 WHERE id = 3",
                "DELETE FROM all_types WHERE id = 4",
                "INSERT INTO composite VALUES (1, 'a', 1), (1, 'b', 2), (2, 'a', 3)",
                "UPDATE composite SET v = 20 WHERE a = 1 AND b = 'b'",
                "UPDATE composite SET b = 'z' WHERE a = 2",
                "DELETE FROM composite WHERE a = 1 AND b = 'a'",
                "INSERT INTO nopk VALUES (1, 'dup'), (1, 'dup'), (2, NULL), (NULL, NULL)",
                "DELETE FROM nopk WHERE x = 1 LIMIT 1",
                "UPDATE nopk SET y = 'was null' WHERE x = 2",
                "UPDATE nopk SET x = 9 WHERE x IS NULL",
                // DDL in binlog order, interleaved with rows
                "CREATE TABLE newt (id INT PRIMARY KEY, name VARCHAR(20))",
                "INSERT INTO newt VALUES (1, 'one'), (2, 'two')",
                "ALTER TABLE newt ADD COLUMN extra DATETIME(3) NULL",
                "UPDATE newt SET extra = '2020-01-01 00:00:00.123' WHERE id = 2",
                "RENAME TABLE newt TO newt2",
                "INSERT INTO newt2 VALUES (3, 'three', NULL)",
                "CREATE TABLE trunc_me (id INT PRIMARY KEY)",
                "INSERT INTO trunc_me VALUES (1), (2)",
                "TRUNCATE TABLE trunc_me",
                "INSERT INTO trunc_me VALUES (7)",
                "CREATE TABLE dropme (id INT)",
                "INSERT INTO dropme VALUES (1)",
                "DROP TABLE dropme",
                "CREATE TABLE skipped (id INT PRIMARY KEY)",
                "INSERT INTO skipped VALUES (1)");
        // a statement whose session schema is another one: names are qualified
        TestDatabases.execute(source, "CREATE DATABASE IF NOT EXISTS " + s + "_other", "USE " + s + "_other",
                "CREATE TABLE " + s + ".qualified (id BIGINT UNSIGNED PRIMARY KEY, note VARCHAR(10))",
                "INSERT INTO " + s + ".qualified VALUES (18446744073709551615, 'max')");

        // then the target equals the source, table by table
        List<TableRef> tables = List.of(TableRef.of(s, "all_types"), TableRef.of(s, "composite"),
                TableRef.of(s, "nopk"), TableRef.of(s, "newt2"), TableRef.of(s, "trunc_me"), TableRef.of(s, "qualified"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> DataDiff.same(source, target, tables));
        DataDiff.assertSame(source, target, tables);
        assertThat(DmHarness.count(target, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"
                + s + "' AND TABLE_NAME IN ('dropme', 'skipped', 'newt')")).isZero();
        assertThat(DmHarness.count(target, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '"
                + s + "_other'")).as("a schema the filter does not select is not created").isZero();
        BinlogPosition end = DmHarness.masterStatus(source);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                harness.statuses(id, ReplicationProgressed.class))
                .anySatisfy(p -> {
                    assertThat(p.position().file()).isEqualTo(start.file());
                    assertThat(p.position().pos()).isGreaterThan(start.pos());
                    assertThat(p.position()).isEqualTo(BinlogPosition.of(end.file(), end.pos(), p.position().gtidSet()));
                    assertThat(p.lagSeconds()).isZero();
                    assertThat(p.rowsApplied()).isPositive();
                }));
        // and while idle, progress keeps coming (lag stays visible) over a link kept alive by heartbeats
        await().atMost(Duration.ofSeconds(30)).until(() -> harness.statuses(id, ReplicationProgressed.class).stream()
                .filter(p -> p.position().pos() == end.pos() && p.lagSeconds() == 0).count() >= 4);
        assertThat(harness.statuses(id, WorkFailed.class)).isEmpty();
    }

    @Test
    void safeModeConvergesOverRowsTheSnapshotAlreadyHolds() throws Exception {
        String s = TestDatabases.uniqueSchema("safe");
        MigrationId id = MigrationId.of("safe-" + s.replace('_', '-'));
        String table = "CREATE TABLE acct (id INT PRIMARY KEY, owner VARCHAR(20) NOT NULL, balance DECIMAL(12,2),"
                + " UNIQUE KEY uk_owner (owner))";
        TestDatabases.execute(source, "CREATE DATABASE " + s, "USE " + s, table);
        TestDatabases.execute(target, "CREATE DATABASE " + s, "USE " + s, table);
        // given writes before and during a snapshot
        BinlogPosition snapshotStart = DmHarness.masterStatus(source);
        TestDatabases.execute(source, "USE " + s,
                "INSERT INTO acct VALUES (1, 'ann', 10), (2, 'bob', 20), (3, 'cid', 30), (4, 'dan', 40)",
                "UPDATE acct SET balance = balance + 1 WHERE id <= 2");
        // the dump captures the table mid-stream
        copyTable(s, "acct");
        TestDatabases.execute(source, "USE " + s,
                "UPDATE acct SET id = 10 WHERE id = 1",
                "DELETE FROM acct WHERE id = 3",
                "INSERT INTO acct VALUES (5, 'eve', 50)",
                "UPDATE acct SET owner = 'bobby' WHERE id = 2");
        BinlogPosition snapshotEnd = DmHarness.masterStatus(source);
        TestDatabases.execute(source, "USE " + s,
                "INSERT INTO acct VALUES (6, 'fay', 60)",
                "UPDATE acct SET balance = 0 WHERE id = 5",
                "DELETE FROM acct WHERE id = 4");

        // when replication replays from the snapshot's start in safe mode until its end (and only until then: no
        // safe mode after the start, so the end of the snapshot window is what turns it off)
        ReplicationTask task = DmHarness.task(id, 1, source, target, List.of(s + ".*"), snapshotStart, snapshotEnd)
                .withSafeMode(new SafeMode(false, 0));
        harness.publish(task);

        // then it converges with no duplicate-key failure
        List<TableRef> tables = List.of(TableRef.of(s, "acct"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> DataDiff.same(source, target, tables));
        DataDiff.assertSame(source, target, tables);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                harness.statuses(id, ReplicationProgressed.class)).anyMatch(p -> !p.safeMode()));
        assertThat(harness.statuses(id, ReplicationProgressed.class))
                .anyMatch(p -> p.position().isBefore(snapshotEnd) && p.safeMode());
        assertThat(harness.statuses(id, WorkFailed.class)).isEmpty();

        // and desired STOPPED stops the task cleanly on this worker
        TaskSupervisor supervisor = service.getBean(TaskSupervisor.class);
        assertThat(supervisor.states()).containsKey(ReplicationTask.idFor(id));
        harness.publish(DmHarness.stopped(task, 2));
        await().atMost(Duration.ofSeconds(30)).until(() -> !supervisor.states().containsKey(ReplicationTask.idFor(id)));
    }

    @Test
    void anIncrementalTaskFromBeforeRowsAlreadyCopiedReplaysExactlyInTheSafeModeAfterItsStart() throws Exception {
        String s = TestDatabases.uniqueSchema("overlap");
        MigrationId id = MigrationId.of("overlap-" + s.replace('_', '-'));
        BinlogPosition before = overlapAlreadyCopied(s);

        // when an incremental task starts at the position before them, with DM's default safe mode (60s after start)
        harness.publish(DmHarness.task(id, 1, source, target, List.of(s + ".*"), before, null));
        TestDatabases.execute(source, "USE " + s, "INSERT INTO acct VALUES (7, 'gus', 70)",
                "UPDATE acct SET balance = 1 WHERE id = 5");

        // then the replay over the copied rows converges with no duplicate-key failure
        List<TableRef> tables = List.of(TableRef.of(s, "acct"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> DataDiff.same(source, target, tables));
        DataDiff.assertSame(source, target, tables);
        assertThat(harness.statuses(id, ReplicationProgressed.class)).anyMatch(ReplicationProgressed::safeMode);
        assertThat(harness.statuses(id, WorkFailed.class)).isEmpty();
    }

    @Test
    void withoutSafeModeAfterStartTheSameOverlapFailsOnTheRowTheTargetHolds() throws Exception {
        String s = TestDatabases.uniqueSchema("nosafe");
        MigrationId id = MigrationId.of("nosafe-" + s.replace('_', '-'));
        BinlogPosition before = overlapAlreadyCopied(s);

        // when the same replay runs with safeModeDuration 0s: the control that shows the overlap is real
        harness.publish(DmHarness.task(id, 1, source, target, List.of(s + ".*"), before, null)
                .withSafeMode(new SafeMode(false, 0)));

        // then the first INSERT hits a row the target already holds: with parallel apply, whichever of its rows
        // (1, 'ann'), (2, 'bob'), (4, 'dan') a worker reaches first
        WorkFailed f = awaitOneFailure(id);
        assertThat(f.code()).isEqualTo("TM-30003");
        assertThat(f.message()).contains(s + ".acct").containsPattern("Duplicate entry '(ann|2|4)'");
        assertThat(harness.statuses(id, ReplicationProgressed.class)).noneMatch(ReplicationProgressed::safeMode);
    }

    @Test
    void safeModeAlwaysCoversAnOverlapWithNoWindowAfterStart() throws Exception {
        String s = TestDatabases.uniqueSchema("always");
        MigrationId id = MigrationId.of("always-" + s.replace('_', '-'));
        BinlogPosition before = overlapAlreadyCopied(s);

        // when the replay runs with safeMode true and no window after start
        harness.publish(DmHarness.task(id, 1, source, target, List.of(s + ".*"), before, null)
                .withSafeMode(new SafeMode(true, 0)));

        // then it converges, and reports safe mode all along
        List<TableRef> tables = List.of(TableRef.of(s, "acct"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> DataDiff.same(source, target, tables));
        DataDiff.assertSame(source, target, tables);
        assertThat(harness.statuses(id, ReplicationProgressed.class)).isNotEmpty()
                .allMatch(ReplicationProgressed::safeMode);
        assertThat(harness.statuses(id, WorkFailed.class)).isEmpty();
    }

    @Test
    void safeModeEndsAfterItsDurationAndComesBackOnResume() throws Exception {
        String s = TestDatabases.uniqueSchema("resume");
        MigrationId id = MigrationId.of("resume-" + s.replace('_', '-'));
        String table = "CREATE TABLE acct (id INT PRIMARY KEY, owner VARCHAR(20) NOT NULL, balance DECIMAL(12,2),"
                + " UNIQUE KEY uk_owner (owner))";
        TestDatabases.execute(source, "CREATE DATABASE " + s, "USE " + s, table);
        TestDatabases.execute(target, "CREATE DATABASE " + s, "USE " + s, table);
        ReplicationTask task = DmHarness.task(id, 1, source, target, List.of(s + ".*"), DmHarness.masterStatus(source),
                null).withSafeMode(new SafeMode(false, 3000));
        harness.publish(task);
        TestDatabases.execute(source, "USE " + s, "INSERT INTO acct VALUES (1, 'ann', 10)");
        // given a task whose safe mode after start has ended
        await().atMost(Duration.ofSeconds(20)).until(() -> harness.statuses(id, ReplicationProgressed.class).stream()
                .anyMatch(p -> !p.safeMode()));
        assertThat(harness.statuses(id, ReplicationProgressed.class)).anyMatch(ReplicationProgressed::safeMode);
        TaskSupervisor supervisor = service.getBean(TaskSupervisor.class);
        harness.publish(DmHarness.stopped(task, 2));
        await().atMost(Duration.ofSeconds(20)).until(() -> !supervisor.states().containsKey(ReplicationTask.idFor(id)));

        // when, while it is paused, rows are written and also reach the target another way
        TestDatabases.execute(source, "USE " + s, "INSERT INTO acct VALUES (2, 'bob', 20), (3, 'cid', 30)",
                "UPDATE acct SET owner = 'ann2' WHERE id = 1", "INSERT INTO acct VALUES (4, 'ann', 40)");
        TestDatabases.execute(target, "USE " + s, "INSERT INTO acct VALUES (2, 'bob', 20), (3, 'cid', 30)");
        // and the task resumes from its checkpoint
        int before = harness.statuses(id, ReplicationProgressed.class).size();
        harness.publish(new ReplicationTask(ReplicationTask.idFor(id) + "/e3", id, 3, ReplicationTask.Desired.RUNNING,
                task.source(), task.target(), task.filter(), task.start(), null, task.serverId(), List.of(),
                task.safeMode()));

        // then safe mode is on again after the resume and the replay converges
        List<TableRef> tables = List.of(TableRef.of(s, "acct"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> DataDiff.same(source, target, tables));
        DataDiff.assertSame(source, target, tables);
        assertThat(harness.statuses(id, ReplicationProgressed.class).subList(before,
                harness.statuses(id, ReplicationProgressed.class).size())).anyMatch(ReplicationProgressed::safeMode);
        assertThat(harness.statuses(id, WorkFailed.class)).isEmpty();
    }

    @Test
    void binlogEventFiltersIgnoreAndKeepOnlyWhatTheirRulesSayDdlAndDmlAlike() throws Exception {
        String s = TestDatabases.uniqueSchema("bfilter");
        MigrationId id = MigrationId.of("bfilter-" + s.replace('_', '-'));
        String[] ddl = {"CREATE DATABASE " + s, "USE " + s,
                "CREATE TABLE orders (id INT PRIMARY KEY, qty INT)",
                "CREATE TABLE audit (id INT PRIMARY KEY, note VARCHAR(20))",
                "CREATE TABLE logs (id INT PRIMARY KEY)",
                "CREATE TABLE plain (id INT PRIMARY KEY, v VARCHAR(20))"};
        TestDatabases.execute(source, ddl);
        TestDatabases.execute(target, ddl);
        // given DM's rules: deletes on orders ignored, only inserts on audit applied, no TRUNCATE anywhere in the
        // schema (a rule without tablePattern), DROP TABLE of logs ignored by its text
        List<BinlogFilterRule> rules = List.of(
                new BinlogFilterRule(s, "orders", List.of("delete"), null, BinlogFilterRule.Action.IGNORE),
                new BinlogFilterRule(s, "aud?t", List.of("insert"), null, BinlogFilterRule.Action.DO),
                new BinlogFilterRule(s.toUpperCase(java.util.Locale.ROOT), null, List.of("truncate table"), null,
                        BinlogFilterRule.Action.IGNORE),
                new BinlogFilterRule(s, "l*", List.of(), List.of("^DROP\\s+TABLE"), BinlogFilterRule.Action.IGNORE));
        harness.publish(DmHarness.task(id, 1, source, target, List.of(s + ".*"), DmHarness.masterStatus(source), null)
                .withBinlogFilters(rules));

        // when the source writes to every table and runs the DDL the rules cover
        TestDatabases.execute(source, "USE " + s,
                "INSERT INTO orders VALUES (1, 10), (2, 20), (3, 30)",
                "UPDATE orders SET qty = 21 WHERE id = 2",
                "DELETE FROM orders WHERE id IN (1, 3)",
                "INSERT INTO audit VALUES (1, 'created'), (2, 'created')",
                "UPDATE audit SET note = 'changed' WHERE id = 1",
                "DELETE FROM audit WHERE id = 2",
                "INSERT INTO logs VALUES (1), (2)",
                "DROP TABLE logs",
                "INSERT INTO plain VALUES (1, 'a'), (2, 'b')",
                "UPDATE plain SET v = 'bb' WHERE id = 2",
                "TRUNCATE TABLE plain",
                "INSERT INTO plain VALUES (3, 'c')",
                "CREATE TABLE late (id INT PRIMARY KEY)",
                "INSERT INTO late VALUES (7)");

        // then what no rule covers is exact, and the rest is what the rules left
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> DataDiff.same(source, target, List.of(TableRef.of(s, "late"))));
        DataDiff.assertSame(source, target, List.of(TableRef.of(s, "late")));
        assertThat(rows(target, "SELECT id, qty FROM " + s + ".orders ORDER BY id"))
                .as("deletes ignored, the update applied").containsExactly("1:10", "2:21", "3:30");
        assertThat(rows(target, "SELECT id, note FROM " + s + ".audit ORDER BY id"))
                .as("only inserts applied").containsExactly("1:created", "2:created");
        assertThat(rows(target, "SELECT id FROM " + s + ".logs ORDER BY id")).as("the DROP TABLE ignored")
                .containsExactly("1", "2");
        assertThat(rows(target, "SELECT id, v FROM " + s + ".plain ORDER BY id")).as("the TRUNCATE ignored")
                .containsExactly("1:a", "2:bb", "3:c");
        assertThat(harness.statuses(id, WorkFailed.class)).isEmpty();
    }

    @Test
    void anErrorRuleStopsTheTaskOnTheStatementNamingTheRule() throws Exception {
        String s = TestDatabases.uniqueSchema("berror");
        MigrationId id = MigrationId.of("berror-" + s.replace('_', '-'));
        String[] ddl = {"CREATE DATABASE " + s, "USE " + s, "CREATE TABLE t (id INT PRIMARY KEY)"};
        TestDatabases.execute(source, ddl);
        TestDatabases.execute(target, ddl);
        harness.publish(DmHarness.task(id, 1, source, target, List.of(s + ".*"), DmHarness.masterStatus(source), null)
                .withBinlogFilters(List.of(new BinlogFilterRule(s, null, List.of(), List.of("^DROP\\s+TABLE"),
                        BinlogFilterRule.Action.ERROR))));

        // when rows come, then a DROP TABLE the rule forbids
        TestDatabases.execute(source, "USE " + s, "INSERT INTO t VALUES (1), (2)");
        await().atMost(Duration.ofSeconds(30)).until(() -> DataDiff.same(source, target, List.of(TableRef.of(s, "t"))));
        TestDatabases.execute(source, "USE " + s, "DROP TABLE t");

        // then the task fails naming the rule and the statement, and the target keeps the table
        WorkFailed f = awaitOneFailure(id);
        assertThat(f.code()).isEqualTo("TM-20013");
        assertThat(f.message()).startsWith("binlog event refused by binlogFilters[0] at ").contains("DROP TABLE");
        assertThat(f.retriable()).isFalse();
        assertThat(rows(target, "SELECT id FROM " + s + ".t ORDER BY id")).containsExactly("1", "2");
    }

    @Test
    void binlogReplaceSkipAndInjectGetATaskPastTheStatementsTheTargetRejected() throws Exception {
        String s = TestDatabases.uniqueSchema("bop");
        MigrationId id = MigrationId.of("bop-" + s.replace('_', '-'));
        String[] ddl = {"CREATE DATABASE " + s, "USE " + s, "CREATE TABLE t (id INT PRIMARY KEY)",
                "CREATE TABLE x (id INT PRIMARY KEY, v INT)"};
        TestDatabases.execute(source, ddl);
        TestDatabases.execute(target, ddl);
        // the target's x holds a duplicate the source's does not: a unique key on v cannot be built there
        TestDatabases.execute(target, "USE " + s, "INSERT INTO x VALUES (1, 5), (2, 5)");
        ReplicationTask task = DmHarness.task(id, 1, source, target, List.of(s + ".*"), DmHarness.masterStatus(source),
                null);
        harness.publish(task);
        List<TableRef> t = List.of(TableRef.of(s, "t"));

        // given a task stopped on a DDL the target rejected
        TestDatabases.execute(source, "USE " + s, "INSERT INTO t VALUES (1)", "ALTER TABLE x ADD UNIQUE KEY uk (v)",
                "INSERT INTO t VALUES (2)");
        WorkFailed first = awaitFailures(id, 1);
        assertThat(first.code()).isEqualTo("TM-30003");
        BinlogPosition failedAt = failedDdlAt(first);

        // when it resumes with binlog replace at that position
        harness.publish(new ReplicationTask(ReplicationTask.idFor(id) + "/e2", id, 2, ReplicationTask.Desired.RUNNING,
                task.source(), task.target(), task.filter(), task.start(), null, task.serverId())
                .withBinlogOperation(new BinlogOperation(BinlogOperation.Op.REPLACE, failedAt,
                        List.of("ALTER TABLE x ADD KEY k (v)"))));

        // then the corrected statement ran instead and the rows after it arrive
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> DataDiff.same(source, target, t));
        assertThat(rows(target, "SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema = '"
                + s + "' AND table_name = 'x' ORDER BY index_name")).containsExactly("k", "PRIMARY");

        // and a second rejected DDL, skipped, leaves the target as it was and the task replicating past it
        TestDatabases.execute(source, "USE " + s, "ALTER TABLE x ADD UNIQUE KEY uk2 (v)", "INSERT INTO t VALUES (3)");
        WorkFailed second = awaitFailures(id, 2);
        BinlogPosition secondAt = failedDdlAt(second);
        assertThat(secondAt).isGreaterThan(failedAt);
        harness.publish(new ReplicationTask(ReplicationTask.idFor(id) + "/e3", id, 3, ReplicationTask.Desired.RUNNING,
                task.source(), task.target(), task.filter(), task.start(), null, task.serverId())
                .withBinlogOperation(new BinlogOperation(BinlogOperation.Op.SKIP, secondAt, List.of())));
        TestDatabases.execute(source, "USE " + s, "INSERT INTO t VALUES (4)");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> DataDiff.same(source, target, t));
        DataDiff.assertSame(source, target, t);
        assertThat(rows(target, "SELECT id FROM " + s + ".t ORDER BY id")).containsExactly("1", "2", "3", "4");
        assertThat(rows(target, "SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema = '"
                + s + "' AND table_name = 'x' ORDER BY index_name")).containsExactly("k", "PRIMARY");

        // and a third, with binlog inject of the statement that removes the duplicate, is applied after it
        TestDatabases.execute(source, "USE " + s, "ALTER TABLE x ADD UNIQUE KEY uk3 (v)", "INSERT INTO t VALUES (5)");
        BinlogPosition thirdAt = failedDdlAt(awaitFailures(id, 3));
        harness.publish(new ReplicationTask(ReplicationTask.idFor(id) + "/e4", id, 4, ReplicationTask.Desired.RUNNING,
                task.source(), task.target(), task.filter(), task.start(), null, task.serverId())
                .withBinlogOperation(new BinlogOperation(BinlogOperation.Op.INJECT, thirdAt,
                        List.of("DELETE FROM x WHERE id = 2"))));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> DataDiff.same(source, target, t));
        DataDiff.assertSame(source, target, t);
        assertThat(rows(target, "SELECT id FROM " + s + ".t ORDER BY id")).containsExactly("1", "2", "3", "4", "5");
        assertThat(rows(target, "SELECT id FROM " + s + ".x ORDER BY id")).containsExactly("1");
        assertThat(rows(target, "SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema = '"
                + s + "' AND table_name = 'x' ORDER BY index_name")).containsExactly("k", "PRIMARY", "uk3");
        assertThat(harness.statuses(id, WorkFailed.class)).hasSize(3);
    }

    private WorkFailed awaitFailures(MigrationId id, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> harness.statuses(id, WorkFailed.class).size() >= count);
        return harness.statuses(id, WorkFailed.class).get(count - 1);
    }

    /**
     * the event the failure names as its subject, the one binlog skip|replace operates on; the message names it too,
     * for the operator who reads it off the error
     */
    private static BinlogPosition failedDdlAt(WorkFailed f) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\S+):(\\d+)").matcher(f.subject());
        assertThat(m.matches()).as(f.subject()).isTrue();
        assertThat(f.message()).contains("DDL at " + f.subject());
        return BinlogPosition.ofFilePosition(m.group(1), Long.parseLong(m.group(2)));
    }

    @Test
    void routesWriteRowsAndDdlUnderTheTargetNames() throws Exception {
        String s = TestDatabases.uniqueSchema("route");
        String to = s + "_to";
        MigrationId id = MigrationId.of("route-" + s.replace('_', '-'));
        TestDatabases.execute(source, "CREATE DATABASE " + s, "USE " + s,
                "CREATE TABLE orders (id INT PRIMARY KEY, qty INT)", "CREATE TABLE items (id INT PRIMARY KEY)");
        TestDatabases.execute(target, "CREATE DATABASE " + to, "USE " + to,
                "CREATE TABLE orders_v2 (id INT PRIMARY KEY, qty INT)", "CREATE TABLE items (id INT PRIMARY KEY)");
        // given orders routed to another table, and the rest of the schema to another schema
        harness.publish(DmHarness.task(id, 1, source, target, List.of(s + ".*"), DmHarness.masterStatus(source), null)
                .withRoutes(List.of(new RouteRule(s, "orders", to, "orders_v2"), new RouteRule(s, null, to, null))));

        // when the source changes rows and runs DDL on routed tables
        TestDatabases.execute(source, "USE " + s,
                "INSERT INTO orders VALUES (1, 10), (2, 20), (3, 30)",
                "UPDATE orders SET qty = 21 WHERE id = 2",
                "DELETE FROM orders WHERE id = 3",
                "ALTER TABLE orders ADD COLUMN note VARCHAR(20) NULL",
                "INSERT INTO orders VALUES (4, 40, 'after alter')",
                "INSERT INTO items VALUES (1), (2)",
                "TRUNCATE TABLE items",
                "INSERT INTO items VALUES (3)",
                "CREATE TABLE later (id INT PRIMARY KEY, v VARCHAR(5))",
                "INSERT INTO later VALUES (1, 'x')",
                "RENAME TABLE later TO later2",
                "INSERT INTO later2 VALUES (2, 'y')",
                "CREATE TABLE gone (id INT)",
                "DROP TABLE gone");

        // then each target table holds exactly its source table's rows
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> sameRows(
                TableRef.of(s, "later2"), TableRef.of(to, "later2")));
        assertSameRows(TableRef.of(s, "orders"), TableRef.of(to, "orders_v2"));
        assertSameRows(TableRef.of(s, "items"), TableRef.of(to, "items"));
        assertSameRows(TableRef.of(s, "later2"), TableRef.of(to, "later2"));
        assertThat(DmHarness.count(target, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA IN ('"
                + s + "', '" + to + "') AND TABLE_NAME IN ('orders', 'later', 'gone')"))
                .as("nothing under the source names, the dropped table gone").isZero();
        assertThat(harness.statuses(id, WorkFailed.class)).isEmpty();

        // and a DDL whose other names routing cannot rewrite stops the task naming it
        TestDatabases.execute(source, "USE " + s, "CREATE TABLE copy_of LIKE orders");
        WorkFailed f = awaitOneFailure(id);
        assertThat(f.code()).isEqualTo("TM-30018");
        assertThat(f.message()).contains("CREATE TABLE copy_of LIKE orders");
    }

    private boolean sameRows(TableRef from, TableRef to) {
        try {
            assertSameRows(from, to);
            return true;
        } catch (Exception | AssertionError e) {
            return false;
        }
    }

    /** the data diff of a routed table: row count and checksum of the source table against the target one */
    private void assertSameRows(TableRef from, TableRef to) throws Exception {
        TableChecksum.Digest source = DataDiff.digests(this.source, List.of(from)).getFirst();
        TableChecksum.Digest routed = DataDiff.digests(target, List.of(to)).getFirst();
        assertThat(routed.rows()).as(to + " rows").isEqualTo(source.rows());
        assertThat(routed.checksum()).as(to + " checksum against " + from).isEqualTo(source.checksum());
    }

    private static List<String> rows(LocalMariaDb db, String sql) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (var c = TestDatabases.connect(db); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i > 1 ? ":" : "").append(rs.getString(i));
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    /**
     * A table on both sides, rows written after the returned position (inserts, updates of key and unique key,
     * deletes) and then copied to the target as they now are: what a dump taken after that position leaves.
     */
    private BinlogPosition overlapAlreadyCopied(String s) throws Exception {
        String table = "CREATE TABLE acct (id INT PRIMARY KEY, owner VARCHAR(20) NOT NULL, balance DECIMAL(12,2),"
                + " UNIQUE KEY uk_owner (owner))";
        TestDatabases.execute(source, "CREATE DATABASE " + s, "USE " + s, table);
        TestDatabases.execute(target, "CREATE DATABASE " + s, "USE " + s, table);
        BinlogPosition before = DmHarness.masterStatus(source);
        TestDatabases.execute(source, "USE " + s,
                "INSERT INTO acct VALUES (1, 'ann', 10), (2, 'bob', 20), (3, 'cid', 30), (4, 'dan', 40)",
                "UPDATE acct SET balance = balance + 1 WHERE id <= 2",
                "UPDATE acct SET id = 10 WHERE id = 1",
                "DELETE FROM acct WHERE id = 3",
                "INSERT INTO acct VALUES (5, 'eve', 50)",
                "UPDATE acct SET owner = 'bobby' WHERE id = 2",
                "INSERT INTO acct VALUES (6, 'bob', 60)");
        copyTable(s, "acct");
        return before;
    }

    @Test
    void aStartFileNoLongerOnTheSourceFailsThePrechecksAsPurged() {
        MigrationId id = MigrationId.of("purged-" + System.nanoTime() % 100000);
        // given a start file older than the oldest the source keeps (mysql-bin.000001)
        harness.publish(DmHarness.task(id, 1, source, target, List.of("nothing.*"),
                BinlogPosition.ofFilePosition("mysql-bin.000000", 4), null));

        WorkFailed f = awaitOneFailure(id);
        assertThat(f.code()).isEqualTo("TM-10008");
        assertThat(f.message()).startsWith("1 precheck failed: start_position: the binlog position mysql-bin.000000:4"
                        + " is no longer on source")
                .contains("no longer in SHOW BINARY LOGS (the oldest is mysql-bin.000001)")
                .contains("fix: the binary logs were purged before replication reached them");
        assertThat(f.retriable()).isFalse();
    }

    @Test
    void aStartPositionPastTheEndOfItsFileFailsNamingTheFileSize() throws Exception {
        MigrationId id = MigrationId.of("past-end-" + System.nanoTime() % 100000);
        // given a binlog file the source has closed (its size no longer changes) and an offset beyond its end
        TestDatabases.execute(source, "FLUSH BINARY LOGS");
        String file;
        long size;
        try (var c = TestDatabases.connect(source); var st = c.createStatement();
             var rs = st.executeQuery("SHOW BINARY LOGS")) {
            List<String[]> logs = new java.util.ArrayList<>();
            while (rs.next()) {
                logs.add(new String[] {rs.getString(1), rs.getString(2)});
            }
            String[] closed = logs.get(logs.size() - 2);
            file = closed[0];
            size = Long.parseLong(closed[1]);
        }

        harness.publish(DmHarness.task(id, 1, source, target, List.of("nothing.*"),
                BinlogPosition.ofFilePosition(file, size + 1000), null));

        WorkFailed f = awaitOneFailure(id);
        assertThat(f.code()).isEqualTo("TM-10008");
        assertThat(f.message()).contains("start_position: the binlog position " + file + ":" + (size + 1000)
                + " does not exist on source").contains("position " + (size + 1000) + " does not exist in file "
                + file + " (its size is " + size + " bytes)").doesNotContain("purged");
        assertThat(f.retriable()).isFalse();
    }

    @Test
    void aStatementFormatSourceAndAMissingReplicationGrantAreListedInOneFailure() throws Exception {
        MigrationId id = MigrationId.of("stmt-" + System.nanoTime() % 100000);
        String user = "norepl_" + System.nanoTime() % 100000;
        // given an account that may read positions but not stream the binlog, on a source that logs statements
        TestDatabases.execute(source, "CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + TestDatabases.PASSWORD + "'",
                "GRANT SELECT, BINLOG MONITOR ON *.* TO '" + user + "'@'%'",
                "SET GLOBAL binlog_format = 'STATEMENT'");
        try {
            // when a task streams from it
            harness.publish(DmHarness.task(id, 1, TestDatabases.endpoint(source, user, TestDatabases.PASSWORD),
                    target, List.of("any.*"), null, null, 9301));

            // then one failure lists both, each with its fix
            WorkFailed f = awaitOneFailure(id);
            assertThat(f.code()).isEqualTo("TM-10008");
            assertThat(f.subject()).isEqualTo("prechecks");
            assertThat(f.message()).startsWith("2 prechecks failed: ")
                    .contains("binlog_format: source " + user + "@127.0.0.1:" + source.port()
                            + " has binlog_format=STATEMENT")
                    .contains("fix: SET GLOBAL binlog_format='ROW'")
                    .contains("replication_privileges: source account " + user + "@127.0.0.1:" + source.port()
                            + " lacks a privilege: REPLICATION SLAVE is not granted ON *.*")
                    .contains("fix: GRANT REPLICATION SLAVE ON *.* TO `" + user + "`@`%`");
            assertThat(f.remedy()).contains("fix each item");
            assertThat(f.retriable()).isFalse();
            assertThat(service.getBean(TaskSupervisor.class).states().get(ReplicationTask.idFor(id)))
                    .isInstanceOfSatisfying(ReplicatorState.Failed.class,
                            failed -> assertThat(failed.errorCode()).isEqualTo("TM-10008"));
        } finally {
            TestDatabases.execute(source, "SET GLOBAL binlog_format = 'ROW'", "DROP USER '" + user + "'@'%'");
        }
    }

    @Test
    void aValueTheTargetColumnCannotHoldFailsNamingTableAndColumn() throws Exception {
        String s = TestDatabases.uniqueSchema("unfit");
        // given a column that is text on the source and INT on the target
        MigrationId id = streamTable(s, "id INT PRIMARY KEY, qty VARCHAR(10)", "id INT PRIMARY KEY, qty INT");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !harness.statuses(id, ReplicationProgressed.class).isEmpty());

        // when a row arrives
        TestDatabases.execute(source, "INSERT INTO " + s + ".t VALUES (1, '12 pcs')");

        // then the task fails with the catalog's statement error, not an internal one
        WorkFailed f = awaitOneFailure(id);
        assertThat(f.code()).isEqualTo("TM-30003");
        assertThat(f.message()).isEqualTo("target rejected a statement for " + s + ".t, column qty: the source sends a"
                + " string, which the target column qty int(11) cannot hold; make the target column's type match the"
                + " source's (compare SHOW CREATE TABLE on both)");
        assertThat(f.retriable()).isFalse();
        assertThat(DmHarness.count(target, "SELECT COUNT(*) FROM " + s + ".t")).isZero();
    }

    @Test
    void integersKeepTheSourcesValuesInWiderPreCreatedTargetColumns() throws Exception {
        String s = TestDatabases.uniqueSchema("wide");
        // given target columns created by hand: wider than the source's, and tu, si signed where the source's is not
        MigrationId id = streamTable(s,
                "id INT UNSIGNED NOT NULL PRIMARY KEY, yr YEAR, tu TINYINT UNSIGNED, su SMALLINT UNSIGNED,"
                        + " mu MEDIUMINT UNSIGNED, iu INT UNSIGNED, bu BIGINT UNSIGNED, si SMALLINT",
                "id BIGINT UNSIGNED NOT NULL PRIMARY KEY, yr YEAR, tu INT, su INT UNSIGNED, mu BIGINT,"
                        + " iu BIGINT UNSIGNED, bu DECIMAL(20,0), si INT");
        List<TableRef> tables = List.of(TableRef.of(s, "t"));
        assertThat(DmHarness.count(source, "SELECT @@GLOBAL.binlog_row_metadata = 'NO_LOG'"))
                .as("the binlog does not say which columns are unsigned").isEqualTo(1);

        // when the source writes every unsigned maximum and values with the top bit set, keyed by an unsigned max
        TestDatabases.execute(source, "USE " + s,
                "INSERT INTO t VALUES (4294967295, 2155, 255, 65535, 16777215, 4294967295, 18446744073709551615,"
                        + " -32768), (1, 1901, 128, 32768, 8388608, 2147483648, 9223372036854775808, -1),"
                        + " (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
                "UPDATE t SET iu = iu - 1, bu = bu - 1 WHERE id = 4294967295",
                "UPDATE t SET tu = 255, si = -32768 WHERE id = 2");

        // then the target holds the source's values, not their bits read at the target's width
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> DataDiff.same(source, target, tables));
        DataDiff.assertSame(source, target, tables);
        assertThat(DmHarness.count(target, "SELECT iu FROM " + s + ".t WHERE id = 4294967295")).isEqualTo(4294967294L);

        // and the same when the binlog carries the signedness itself (a YEAR column before the others)
        TestDatabases.execute(source, "SET GLOBAL binlog_row_metadata = 'MINIMAL'");
        try {
            TestDatabases.execute(source, "USE " + s,
                    "INSERT INTO t VALUES (3, 2000, 200, 40000, 9000000, 3000000000, 10000000000000000000, -300)",
                    "UPDATE t SET mu = 16777215, iu = 4294967295 WHERE id = 1",
                    "DELETE FROM t WHERE id = 2");
        } finally {
            TestDatabases.execute(source, "SET GLOBAL binlog_row_metadata = 'NO_LOG'");
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> DataDiff.same(source, target, tables));
        DataDiff.assertSame(source, target, tables);
        assertThat(DmHarness.count(target, "SELECT COUNT(*) FROM " + s + ".t WHERE tu = 200 AND su = 40000"
                + " AND bu = 10000000000000000000 AND si = -300")).isEqualTo(1);
        assertThat(harness.statuses(id, WorkFailed.class)).isEmpty();
    }

    @Test
    void aSilentSourceFailsTheStreamWithinThreeHeartbeatsAndReplicationResumes() throws Exception {
        String s = TestDatabases.uniqueSchema("silent");
        // given a task streaming from an idle source (heartbeat every 1 s, see DmHarness)
        MigrationId id = streamTable(s, "id INT PRIMARY KEY", "id INT PRIMARY KEY");
        String key = ReplicationTask.idFor(id);
        TaskSupervisor supervisor = service.getBean(TaskSupervisor.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> supervisor.states().get(key)
                instanceof ReplicatorState.Streaming);
        long pid = Long.parseLong(Files.readString(source.dataDir().resolve("mysqld.pid")).strip());

        // when the source freezes: its connections stay open, but nothing more comes, not even a heartbeat
        signal(pid, "STOP");
        Instant frozen = Instant.now();
        WorkFailed f;
        try {
            f = await().atMost(Duration.ofSeconds(15)).until(() -> harness.statuses(id, WorkFailed.class).stream()
                    .findFirst().orElse(null), java.util.Objects::nonNull);
        } finally {
            signal(pid, "CONT");
        }
        Instant thawed = Instant.now();

        // then the stream failed while the source was frozen, three heartbeat intervals after its last word
        assertThat(f.code()).isEqualTo("TM-20001");
        assertThat(f.retriable()).isTrue();
        assertThat(f.message()).contains("the binlog stream from").contains("no answer within 3 s");
        assertThat(f.at()).isBefore(thawed).isBetween(frozen.plusMillis(1500), frozen.plusSeconds(6));

        // and once the source answers again, replication resumes from the checkpoint
        TestDatabases.execute(source, "INSERT INTO " + s + ".t VALUES (1), (2)");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> DmHarness.count(target, "SELECT COUNT(*) FROM " + s + ".t") == 2);
    }

    /** a task over the table {@code s.t}, defined on each side by the given columns, streaming from now */
    private MigrationId streamTable(String s, String sourceColumns, String targetColumns) throws Exception {
        MigrationId id = MigrationId.of(s.replace('_', '-'));
        TestDatabases.execute(source, "CREATE DATABASE " + s, "CREATE TABLE " + s + ".t (" + sourceColumns + ")");
        TestDatabases.execute(target, "CREATE DATABASE " + s, "CREATE TABLE " + s + ".t (" + targetColumns + ")");
        harness.publish(DmHarness.task(id, 1, source, target, List.of(s + ".*"), DmHarness.masterStatus(source), null));
        return id;
    }

    /** the task's first failure, once no second one follows within a second */
    private WorkFailed awaitOneFailure(MigrationId id) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !harness.statuses(id, WorkFailed.class).isEmpty());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> harness.statuses(id, WorkFailed.class).size() == 1);
        return harness.statuses(id, WorkFailed.class).getFirst();
    }

    /** SIGSTOP freezes the test's own MariaDB process, SIGCONT thaws it */
    private static void signal(long pid, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -" + signal + " " + pid).isZero();
    }

    private void copyTable(String schema, String table) throws Exception {
        try (var src = TestDatabases.connect(source); var tgt = TestDatabases.connect(target);
             var st = src.createStatement(); var rs = st.executeQuery("SELECT * FROM " + schema + "." + table);
             var ins = tgt.prepareStatement("INSERT INTO " + schema + "." + table + " VALUES (?, ?, ?)")) {
            while (rs.next()) {
                for (int i = 1; i <= 3; i++) {
                    ins.setObject(i, rs.getObject(i));
                }
                ins.executeUpdate();
            }
        }
    }
}
