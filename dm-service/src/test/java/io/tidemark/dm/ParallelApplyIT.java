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

    /** the table on both servers and a task from here without safe mode after start */
    private MigrationId given(String s, String ddl) throws Exception {
        TestDatabases.execute(source, "CREATE DATABASE " + s, "USE " + s, ddl);
        TestDatabases.execute(target, "CREATE DATABASE " + s, "USE " + s, ddl);
        MigrationId id = MigrationId.of(s.replace('_', '-'));
        harness.publish(DmHarness.task(id, 1, source, target, List.of(s + ".*"), DmHarness.masterStatus(source), null)
                .withSafeMode(SafeMode.of(false, Duration.ZERO)));
        return id;
    }

    private void thenSame(MigrationId id, TableRef table) throws Exception {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() ->
                DataDiff.same(source, target, List.of(table)) || !harness.statuses(id, WorkFailed.class).isEmpty());
        assertThat(harness.statuses(id, WorkFailed.class)).isEmpty();
        DataDiff.assertSame(source, target, List.of(table));
    }
}
