package io.tidemark.dm;

import io.tidemark.common.command.SafeMode;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import io.tidemark.testkit.DataDiff;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Parallel apply (4 workers) keeps the order the target's unique indexes need, with no safe mode to hide a reorder: a
 * change applied before one it depends on fails on a duplicate key or leaves a different row, which the data diff
 * sees.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ParallelApplyIT {
    private DmRig rig;
    private LocalMariaDb source;
    private LocalMariaDb target;
    private DmHarness harness;

    @BeforeAll
    void start() {
        rig = DmRig.start("parallel", "tidemark.dm.worker-count=4");
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
    void uniqueValuesSwappedAndKeysMovedAcrossWorkersArriveInOrder() throws Exception {
        String s = TestDatabases.uniqueSchema("swaps");
        String ddl = "CREATE TABLE acct (id INT PRIMARY KEY, code VARCHAR(20) NOT NULL UNIQUE, n INT NOT NULL)";
        MigrationId id = given(s, ddl);
        try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement()) {
            st.execute("USE " + s);
            for (int i = 1; i <= 200; i++) {
                st.execute("INSERT INTO acct VALUES (" + i + ", 'c" + i + "', 0)");
            }
            // when transactions swap codes between rows, move rows to new keys and reuse the freed ones
            c.setAutoCommit(false);
            for (int i = 1; i <= 100; i++) {
                int a = i;
                int b = 201 - i;
                st.execute("UPDATE acct SET code = 'tmp' WHERE id = " + a);
                st.execute("UPDATE acct SET code = 'c" + a + "', n = n + 1 WHERE id = " + b);
                st.execute("UPDATE acct SET code = 'c" + b + "' WHERE id = " + a);
                if (i % 3 == 0) {
                    st.execute("UPDATE acct SET id = id + 1000 WHERE id = " + a);
                    st.execute("INSERT INTO acct VALUES (" + a + ", 'new" + a + "', 7)");
                }
                if (i % 5 == 0) {
                    st.execute("DELETE FROM acct WHERE id = " + b);
                    st.execute("INSERT INTO acct VALUES (" + b + ", 'c" + a + "x', 9)");
                }
                c.commit();
            }
        }

        // then the target equals the source, with no failure on the way
        thenSame(id, TableRef.of(s, "acct"));
    }

    @Test
    void aUniqueIndexOnAColumnPrefixKeepsItsTableInOrder() throws Exception {
        String s = TestDatabases.uniqueSchema("prefix");
        // names differing after their first 5 characters clash: whole values could not tell which rows conflict
        String ddl = "CREATE TABLE tag (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, UNIQUE KEY uk_name (name(5)))";
        MigrationId id = given(s, ddl);
        try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement()) {
            st.execute("USE " + s);
            for (int i = 1; i <= 100; i++) {
                st.execute("INSERT INTO tag VALUES (" + i + ", '" + String.format("%05d", i) + "-a')");
            }
            // when each row is replaced by one under another key whose name shares its prefix
            c.setAutoCommit(false);
            for (int i = 1; i <= 100; i++) {
                st.execute("DELETE FROM tag WHERE id = " + i);
                st.execute("INSERT INTO tag VALUES (" + (1000 + i) + ", '" + String.format("%05d", i) + "-b')");
            }
            c.commit();
        }

        // then the deletes came before the inserts whose prefixes they freed
        thenSame(id, TableRef.of(s, "tag"));
    }

    @Test
    void rowsChangedManyTimesArriveAsTheirNetStateInMultiRowStatements() throws Exception {
        String s = TestDatabases.uniqueSchema("compact");
        // a sysbench-like table (one unique index: its key), a case-insensitive key and a binary one
        MigrationId id = given(s, "CREATE TABLE sb (id INT PRIMARY KEY, k INT NOT NULL, c CHAR(40) NOT NULL,"
                        + " KEY k_1 (k))",
                "CREATE TABLE ci (code VARCHAR(20) PRIMARY KEY, n INT NOT NULL)",
                "CREATE TABLE bin (code VARCHAR(20) COLLATE utf8mb4_bin PRIMARY KEY, n INT NOT NULL)");
        long updatesBefore = status(target, "Com_update");
        int sourceUpdates = 0;
        try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement()) {
            st.execute("USE " + s);
            st.execute("INSERT INTO ci VALUES ('Abc', 1), ('Def', 1)");
            st.execute("INSERT INTO bin VALUES ('x', 1), ('X', 1)");
            c.setAutoCommit(false);
            for (int i = 1; i <= 400; i++) {
                st.execute("INSERT INTO sb VALUES (" + i + ", " + i + ", 'c" + i + "')");
            }
            c.commit();
            // when each transaction changes one row as sysbench's oltp_write_only does, four times
            for (int t = 0; t < 1200; t++) {
                int i = 1 + (t * 7) % 400;
                st.execute("UPDATE sb SET k = k + 1 WHERE id = " + i);
                st.execute("UPDATE sb SET c = 'u" + t + "' WHERE id = " + i);
                st.execute("DELETE FROM sb WHERE id = " + i);
                st.execute("INSERT INTO sb VALUES (" + i + ", " + t + ", 'i" + t + "')");
                sourceUpdates += 2;
                if (t % 50 == 0) {
                    // a row moved to a new key and back, a row born and gone within the batch
                    st.execute("UPDATE sb SET id = id + 10000 WHERE id = " + i);
                    st.execute("UPDATE sb SET id = id - 10000, k = 7 WHERE id = " + (i + 10000));
                    st.execute("INSERT INTO sb VALUES (" + (20000 + t) + ", 0, 'brief')");
                    st.execute("DELETE FROM sb WHERE id = " + (20000 + t));
                    sourceUpdates += 2;
                }
                c.commit();
            }
            // and keys one collation calls equal and the other different change in one transaction
            st.execute("DELETE FROM ci WHERE code = 'Abc'");
            st.execute("INSERT INTO ci VALUES ('abc', 2)");
            st.execute("UPDATE ci SET code = 'DEF', n = 3 WHERE code = 'Def'");
            st.execute("UPDATE bin SET n = 2 WHERE code = 'x'");
            st.execute("UPDATE bin SET n = 3 WHERE code = 'X'");
            st.execute("DELETE FROM bin WHERE code = 'x'");
            st.execute("INSERT INTO bin VALUES ('x', 4)");
            c.commit();
        }

        // then every table equals the source, and the target ran a small part of the source's UPDATEs
        thenSame(id, TableRef.of(s, "sb"), TableRef.of(s, "ci"), TableRef.of(s, "bin"));
        try (Connection c = TestDatabases.connect(target); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT code FROM " + s + ".ci ORDER BY code")) {
            List<String> codes = new java.util.ArrayList<>();
            while (rs.next()) {
                codes.add(rs.getString(1));
            }
            assertThat(codes).as("the keys as the source spells them now").containsExactly("abc", "DEF");
        }
        long targetUpdates = status(target, "Com_update") - updatesBefore;
        assertThat(targetUpdates).as("UPDATE statements on the target for %d on the source", sourceUpdates)
                .isLessThan(sourceUpdates / 10);
    }

    @Test
    void anInsertOfARowTheTargetAlreadyHasStillFailsInNormalMode() throws Exception {
        String s = TestDatabases.uniqueSchema("dup");
        MigrationId id = given(s, "CREATE TABLE t (id INT PRIMARY KEY, v INT NOT NULL)");
        TestDatabases.execute(target, "INSERT INTO " + s + ".t VALUES (5, 0)"); // the target diverged
        // when the source inserts that row and changes it in the same batch
        TestDatabases.execute(source, "USE " + s, "INSERT INTO t VALUES (4, 1), (5, 1)", "UPDATE t SET v = 2");

        // then the task fails on the duplicate rather than overwrite the target's row
        await().atMost(Duration.ofSeconds(60)).until(() -> !harness.statuses(id, WorkFailed.class).isEmpty());
        assertThat(harness.statuses(id, WorkFailed.class).getFirst().toString()).containsIgnoringCase("duplicate");
    }

    private static long status(LocalMariaDb db, String name) throws Exception {
        try (Connection c = TestDatabases.connect(db); Statement st = c.createStatement();
             var rs = st.executeQuery("SHOW GLOBAL STATUS LIKE '" + name + "'")) {
            rs.next();
            return rs.getLong(2);
        }
    }

    /** the table on both servers and a task from here without safe mode after start */
    private MigrationId given(String s, String... ddl) throws Exception {
        for (LocalMariaDb db : List.of(source, target)) {
            TestDatabases.execute(db, "CREATE DATABASE " + s);
            for (String table : ddl) {
                TestDatabases.execute(db, "USE " + s, table);
            }
        }
        MigrationId id = MigrationId.of(s.replace('_', '-'));
        harness.publish(DmHarness.task(id, 1, source, target, List.of(s + ".*"), DmHarness.masterStatus(source), null)
                .withSafeMode(SafeMode.of(false, Duration.ZERO)));
        return id;
    }

    private void thenSame(MigrationId id, TableRef... tables) throws Exception {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() ->
                DataDiff.same(source, target, List.of(tables)) || !harness.statuses(id, WorkFailed.class).isEmpty());
        assertThat(harness.statuses(id, WorkFailed.class)).isEmpty();
        DataDiff.assertSame(source, target, List.of(tables));
    }
}
