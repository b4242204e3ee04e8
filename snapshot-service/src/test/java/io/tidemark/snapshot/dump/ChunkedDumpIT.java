package io.tidemark.snapshot.dump;

import io.tidemark.common.layout.DumpLayout;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.table.TableRef;
import io.tidemark.snapshot.support.DumpLoader;
import io.tidemark.snapshot.support.SourceBinlog;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A keyed table above {@code chunkRows} is read in several key ranges at once, and still from ONE snapshot at its
 * point: writers move balance between rows of the first and the last ranges and add a row at each end in the same
 * transaction while it is dumped. Loaded, the table must hold the seed's total balance (ranges read in different
 * snapshots would not) and exactly the added rows whose transaction the binlog ends at or before the table's point.
 */
class ChunkedDumpIT {
    private static final int SEED_ROWS = 30_000;
    private static final int BALANCE = 100;
    private static final long CHUNK_ROWS = 5_000;
    /** a writer's added row at the top of the key, as the binlog's Annotate_rows event records its statement */
    private static final Pattern ADDED = Pattern.compile("^INSERT INTO (`[^`]+`\\.`[^`]+`) VALUES \\((\\d+),");

    @RegisterExtension
    static final SourceAndTarget DBS = new SourceAndTarget("chunked");

    @Test
    void onMariaDbTheRangesOfATableShareOneSnapshotAtItsPoint(@TempDir Path dir) throws Exception {
        assertOneSnapshotUnderConcurrentWrites("status", dir, TestDumps.PointChoice.BY_FLAVOR);
    }

    @Test
    void withLockTablesAsOnMySqlTheRangesOfATableShareOneSnapshotAtItsPoint(@TempDir Path dir) throws Exception {
        assertOneSnapshotUnderConcurrentWrites("lock", dir, (from, sessions) -> flavor ->
                new SnapshotPoint.LockTables(from, sessions, flavor, SnapshotPoint.LockTables.LOCK_WAIT));
    }

    @Test
    void aKeylessTableOrOneUnderTheThresholdIsDumpedWhole(@TempDir Path dir) throws Exception {
        // given a large keyless table, a large one keyed only on a nullable unique column, and a small keyed one
        String db = TestDatabases.uniqueSchema("whole");
        TestDatabases.execute(DBS.source(),
                "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".keyless (n INT NOT NULL)",
                "CREATE TABLE " + db + ".nullable (n INT NULL, UNIQUE KEY (n))",
                "CREATE TABLE " + db + ".small (id INT PRIMARY KEY)",
                "INSERT INTO " + db + ".keyless SELECT seq FROM " + db + ".seq_1_to_12000",
                "INSERT INTO " + db + ".nullable SELECT seq FROM " + db + ".seq_1_to_12000",
                "INSERT INTO " + db + ".small SELECT seq FROM " + db + ".seq_1_to_100",
                "ANALYZE TABLE " + db + ".keyless, " + db + ".nullable, " + db + ".small");

        // when dumped with 4 threads and ranges of 5,000 rows
        DumpResult result = dump(db + ".*", dir, new DumpOptions(4, 256L << 20, 1 << 20, OutputFormat.sql(),
                CHUNK_ROWS));

        // then each is one data file numbered 0, with all its rows
        assertThat(result.results()).extracting(r -> r.table().table(), TableResult::rows, r -> r.files().size())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("keyless", 12_000L, 1),
                        org.assertj.core.groups.Tuple.tuple("nullable", 12_000L, 1),
                        org.assertj.core.groups.Tuple.tuple("small", 100L, 1));
        assertThat(result.results()).allSatisfy(r ->
                assertThat(DumpLayout.parseDataFile(r.files().getFirst()).orElseThrow().index()).isZero());
    }

    @Test
    void compositeStringAndBinaryKeysAreCutAtSampledBoundariesAndLoadBackEqual(@TempDir Path dir) throws Exception {
        // given tables keyed by (varchar, int), by a utf8mb4 string with accents, and by a NOT NULL unique varbinary
        String db = TestDatabases.uniqueSchema("keys");
        TestDatabases.execute(DBS.source(),
                "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".composite (region VARCHAR(20) NOT NULL, n INT NOT NULL, v INT,"
                        + " PRIMARY KEY (region, n))",
                "CREATE TABLE " + db + ".named (name VARCHAR(40) CHARACTER SET utf8mb4 NOT NULL PRIMARY KEY, v INT)",
                "CREATE TABLE " + db + ".hashed (h VARBINARY(16) NOT NULL, v INT, UNIQUE KEY (h))",
                "INSERT INTO " + db + ".composite SELECT CONCAT('r', seq % 7), seq, seq FROM " + db + ".seq_1_to_12000",
                "INSERT INTO " + db + ".named SELECT CONCAT(IF(seq % 3 = 0, 'é', 'e'), LPAD(seq, 6, '0')), seq FROM "
                        + db + ".seq_1_to_12000",
                "INSERT INTO " + db + ".hashed SELECT UNHEX(MD5(seq)), seq FROM " + db + ".seq_1_to_12000",
                "ANALYZE TABLE " + db + ".composite, " + db + ".named, " + db + ".hashed");
        List<TableRef> tables = List.of(TableRef.of(db, "composite"), TableRef.of(db, "hashed"),
                TableRef.of(db, "named"));

        // when dumped with 4 threads and ranges of 3,000 rows
        DumpResult result = dump(db + ".*", dir, new DumpOptions(4, 256L << 20, 1 << 20, OutputFormat.sql(),
                3_000));

        // then each was read in at least 3 ranges, and loaded it equals the source, row for row
        assertThat(result.results()).allSatisfy(r -> assertThat(r.files()).as("files of %s", r.table())
                .hasSizeGreaterThanOrEqualTo(3));
        assertThat(result.results()).extracting(TableResult::rows).containsOnly(12_000L);
        DumpLoader.load(DBS.target(), dir);
        io.tidemark.testkit.DataDiff.assertSame(DBS.source(), DBS.target(), tables);
    }

    private void assertOneSnapshotUnderConcurrentWrites(String name, Path dir, TestDumps.PointChoice choice)
            throws Exception {
        // given a table of 30,000 rows keyed by id, each with a balance of 100
        String db = TestDatabases.uniqueSchema(name);
        TestDatabases.execute(DBS.source(),
                "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".accounts (id INT NOT NULL PRIMARY KEY, balance INT NOT NULL,"
                        + " note VARCHAR(40))",
                "INSERT INTO " + db + ".accounts SELECT seq, " + BALANCE + ", 'seed' FROM " + db + ".seq_1_to_"
                        + SEED_ROWS,
                "ANALYZE TABLE " + db + ".accounts");
        TableRef accounts = TableRef.of(db, "accounts");

        // when it is dumped by 4 threads in ranges of 5,000 rows while writers move balance and add rows
        BinlogPosition beforeWrites = SourceBinlog.now(DBS.source());
        DumpResult result;
        SourceWriters writers = new SourceWriters("chunked", DBS.source(),
                (st, n) -> moveAndAdd(st, accounts, n));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> writers.committed() >= 50);
            result = dump(db + ".*", dir, new DumpOptions(4, 256L << 20, 1 << 20, OutputFormat.sql(), CHUNK_ROWS));
            int atEnd = writers.committed();
            await().atMost(Duration.ofSeconds(30)).until(() -> writers.committed() >= atEnd + 50);
        } finally {
            writers.close();
        }

        // then the table was read in at least 3 ranges, each into files numbered from its own block
        TableResult dumped = result.results().getFirst();
        assertThat(dumped.files()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(dumped.files()).extracting(f -> DumpLayout.parseDataFile(f).orElseThrow().index() % 100_000)
                .containsOnly(0);
        assertThat(dumped.point()).as("one point for the whole table").isNotNull();

        // and writers committed on both sides of the point: a point at the dump's start or end fails the check below
        List<Write> writes = committedSince(beforeWrites, accounts);
        assertThat(writes).as("every committed transaction, found in the binlog").hasSize(writers.committed());
        assertThat(writes).anyMatch(w -> w.after().compareTo(result.start()) > 0
                && w.after().compareTo(dumped.point()) <= 0);
        assertThat(writes).anyMatch(w -> w.after().compareTo(dumped.point()) > 0);

        // and loaded, the table holds the seed's total balance and exactly the rows committed by its point
        DumpLoader.load(DBS.target(), dir);
        List<Long> committedBefore = writes.stream().filter(w -> w.after().compareTo(dumped.point()) <= 0)
                .map(Write::id).sorted().toList();
        assertThat(query(accounts, "SELECT id FROM %s WHERE id > " + SEED_ROWS + " ORDER BY id"))
                .as("rows added at the top of the key").containsExactlyElementsOf(committedBefore);
        assertThat(query(accounts, "SELECT -id FROM %s WHERE id < 1 ORDER BY -id"))
                .as("rows added at the bottom of the key, in the same transactions")
                .containsExactlyElementsOf(committedBefore.stream().map(id -> id - 1_000_000).toList());
        assertThat(query(accounts, "SELECT SUM(balance) FROM %s WHERE id BETWEEN 1 AND " + SEED_ROWS))
                .as("balance moved between the first and last ranges is neither lost nor doubled")
                .containsExactly((long) SEED_ROWS * BALANCE);
        assertThat(dumped.rows()).isEqualTo(SEED_ROWS + 2L * committedBefore.size());
    }

    private static DumpResult dump(String filter, Path dir, DumpOptions options) throws InterruptedException {
        return TestDumps.run(DBS.source(), filter, dir, options, TestDumps.PointChoice.BY_FLAVOR,
                TestDumps.recording(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>()));
    }

    private static List<Long> query(TableRef table, String sql) throws Exception {
        List<Long> out = new ArrayList<>();
        try (Connection c = TestDatabases.connect(DBS.target()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(String.format(sql, table.quoted()))) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    /** the transaction that added row {@code id} (and {@code -(id - 1,000,000)}) ends at {@code after} */
    private record Write(long id, BinlogPosition after) {
    }

    /**
     * A writer's transaction {@code n}: it moves 1 of balance from a row of the first range to one of the last and adds
     * rows {@code 1,000,000 + n} (top of the key) and {@code -n} (bottom), so it touches both end ranges.
     */
    private static void moveAndAdd(Statement st, TableRef table, int n) throws SQLException {
        int from = ThreadLocalRandom.current().nextInt(1, 2_000);
        int to = ThreadLocalRandom.current().nextInt(SEED_ROWS - 2_000, SEED_ROWS + 1);
        st.execute("INSERT INTO " + table.quoted() + " VALUES (" + (1_000_000 + n) + ", 0, 'top')");
        st.execute("UPDATE " + table.quoted() + " SET balance = balance - 1 WHERE id = " + from);
        st.execute("UPDATE " + table.quoted() + " SET balance = balance + 1 WHERE id = " + to);
        st.execute("INSERT INTO " + table.quoted() + " VALUES (" + (-n) + ", 0, 'bottom')");
    }

    /** where each writer's transaction ends, from the binlog: its top row's statement, then its Xid event */
    private static List<Write> committedSince(BinlogPosition from, TableRef table) throws Exception {
        List<Write> writes = new ArrayList<>();
        Long pending = null;
        try (Connection c = TestDatabases.connect(DBS.source()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW BINLOG EVENTS IN '" + from.file() + "' FROM " + from.pos())) {
            while (rs.next()) {
                String type = rs.getString("Event_type");
                if (type.equals("Annotate_rows")) {
                    Matcher m = ADDED.matcher(rs.getString("Info"));
                    if (m.find() && m.group(1).equals(table.quoted())) {
                        pending = Long.parseLong(m.group(2));
                    }
                } else if (type.equals("Xid") && pending != null) {
                    writes.add(new Write(pending, BinlogPosition.ofFilePosition(from.file(),
                            rs.getLong("End_log_pos"))));
                    pending = null;
                }
            }
        }
        assertThat(SourceBinlog.now(DBS.source()).file()).as("the binlog did not rotate while the writers ran")
                .isEqualTo(from.file());
        return writes;
    }
}
