package io.tidemark.snapshot.dump;

import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.position.TablePoint;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each table's point is exact: its dump holds precisely the transactions committed before it. Keyless tables are
 * written while they are dumped, one numbered row per transaction by several sessions at once, and the binlog says
 * where each of those transactions ends; the rows a table's dump holds must be exactly those whose transaction ends
 * at or before the table's point.
 */
class TablePointsIT {
    private static final int SEED_ROWS = 30_000;
    /** a writer's statement, as the binlog's Annotate_rows event records it */
    private static final Pattern WRITE = Pattern.compile("^INSERT INTO (`[^`]+`\\.`[^`]+`) VALUES \\((\\d+),");

    @RegisterExtension
    static final SourceAndTarget DBS = new SourceAndTarget("points");

    @Test
    void onMariaDbEachKeylessTableHoldsExactlyTheRowsCommittedBeforeItsPoint(@TempDir Path dir) throws Exception {
        assertExactPointsUnderConcurrentWrites("status", dir, (from, sessions) -> flavor -> {
            SnapshotPoint chosen = SnapshotPoint.forFlavor(flavor, from, sessions);
            assertThat(chosen).as("MariaDB's own way").isInstanceOf(SnapshotPoint.StatusVariables.class);
            return chosen;
        });
    }

    @Test
    void withLockTablesAsOnMySqlEachKeylessTableHoldsExactlyTheRowsCommittedBeforeItsPoint(@TempDir Path dir)
            throws Exception {
        assertExactPointsUnderConcurrentWrites("lock", dir, (from, sessions) -> flavor ->
                new SnapshotPoint.LockTables(from, sessions, flavor, SnapshotPoint.LockTables.LOCK_WAIT));
    }

    @Test
    void aTableWhoseLockIsNotGrantedInTimeGetsNoPointAndTheDumpGoesOn(@TempDir Path dir) throws Exception {
        // given a transaction on the source that has written to table held and stays open
        String db = TestDatabases.uniqueSchema("nolock");
        TestDatabases.execute(DBS.source(),
                "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".free (n INT)",
                "CREATE TABLE " + db + ".held (n INT)",
                "INSERT INTO " + db + ".free VALUES (1)",
                "INSERT INTO " + db + ".held VALUES (1)");
        TableRef free = TableRef.of(db, "free");
        TableRef held = TableRef.of(db, "held");
        try (Connection open = TestDatabases.connect(DBS.source()); Statement st = open.createStatement()) {
            open.setAutoCommit(false);
            st.execute("INSERT INTO " + held.quoted() + " VALUES (2)");

            // when the tables are dumped the MySQL way, with a lock wait of one second
            Duration lockWait = Duration.ofSeconds(1);
            long began = System.nanoTime();
            DumpResult result = dump(db + ".*", dir, 1, (from, sessions) -> flavor ->
                    new SnapshotPoint.LockTables(from, sessions, flavor, lockWait));
            Duration took = Duration.ofNanos(System.nanoTime() - began);

            // then the held table waited for its lock no longer than that, and was dumped without a point
            assertThat(took).isGreaterThanOrEqualTo(lockWait).isLessThan(lockWait.plusSeconds(10));
            assertThat(result.tablePoints()).extracting(TablePoint::table).containsExactly(free);
            assertThat(result.results()).filteredOn(r -> r.table().equals(held)).singleElement()
                    .satisfies(r -> assertThat(r.point()).isNull())
                    .satisfies(r -> assertThat(r.rows()).as("the uncommitted row is not dumped").isEqualTo(1));
            open.rollback();
        }
    }

    @Test
    void tablesASnapshotDoesNotCoverGetNoPointEitherWay(@TempDir Path dir) throws Exception {
        // given an InnoDB table beside a MyISAM and an Aria one
        String db = TestDatabases.uniqueSchema("engines");
        TestDatabases.execute(DBS.source(),
                "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".inno (n INT) ENGINE = InnoDB",
                "CREATE TABLE " + db + ".isam (n INT) ENGINE = MyISAM",
                "CREATE TABLE " + db + ".aria (n INT) ENGINE = Aria",
                "INSERT INTO " + db + ".inno VALUES (1)",
                "INSERT INTO " + db + ".isam VALUES (1)",
                "INSERT INTO " + db + ".aria VALUES (1)");
        TableRef inno = TableRef.of(db, "inno");
        BinlogPosition now = SourceBinlog.now(DBS.source());

        // when dumped with MariaDB's status variables, and with LOCK TABLES
        DumpResult byStatus = dump(db + ".*", dir.resolve("status"), 2, TestDumps.PointChoice.BY_FLAVOR);
        DumpResult byLock = dump(db + ".*", dir.resolve("lock"), 2, (from, sessions) -> flavor ->
                new SnapshotPoint.LockTables(from, sessions, flavor, SnapshotPoint.LockTables.LOCK_WAIT));

        // then only the InnoDB table has a point, where the binlog stood; every table was dumped
        for (DumpResult result : List.of(byStatus, byLock)) {
            assertThat(result.tablePoints()).singleElement().satisfies(p -> {
                assertThat(p.table()).isEqualTo(inno);
                assertThat(p.position().compareTo(now)).isZero();
            });
            assertThat(result.results()).extracting(TableResult::rows).containsOnly(1L);
            assertThat(result.results()).hasSize(3);
        }
    }

    /**
     * Two keyless tables, seeded with enough rows that dumping one takes a while, are dumped one after the other
     * while writers insert into both; each table's rows must be exactly those committed by its point.
     */
    private void assertExactPointsUnderConcurrentWrites(String name, Path dir, TestDumps.PointChoice choice)
            throws Exception {
        // given two keyless tables holding identical seed rows
        String db = TestDatabases.uniqueSchema(name);
        TestDatabases.execute(DBS.source(),
                "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".k1 (n INT NOT NULL, note VARCHAR(40))",
                "CREATE TABLE " + db + ".k2 (n INT NOT NULL, note VARCHAR(40))",
                "INSERT INTO " + db + ".k1 SELECT 0, 'seed row of the same value' FROM " + db + ".seq_1_to_"
                        + SEED_ROWS,
                "INSERT INTO " + db + ".k2 SELECT * FROM " + db + ".k1");
        List<TableRef> keyless = List.of(TableRef.of(db, "k1"), TableRef.of(db, "k2"));

        // when they are dumped one at a time while writers commit numbered rows into both
        BinlogPosition beforeWrites = SourceBinlog.now(DBS.source());
        DumpResult result;
        SourceWriters writers = new SourceWriters("table-points", DBS.source(),
                (st, n) -> addRow(st, keyless, n));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> writers.committed() >= 100);
            result = dump(db + ".*", dir, 1, choice);
            int atEnd = writers.committed();
            await().atMost(Duration.ofSeconds(30)).until(() -> writers.committed() >= atEnd + 100);
        } finally {
            writers.close();
        }
        List<Write> writes = committedSince(beforeWrites, keyless);
        assertThat(writes).as("every committed write, found in the binlog").hasSize(writers.committed());

        // then every table has a point between the dump's start and end
        assertThat(result.tablePoints()).extracting(TablePoint::table).containsExactlyElementsOf(keyless);
        for (TablePoint p : result.tablePoints()) {
            assertThat(p.position().compareTo(result.start())).isGreaterThanOrEqualTo(0);
            assertThat(p.position().compareTo(result.end())).isLessThanOrEqualTo(0);
        }
        // and the writers committed rows during the dump on both sides of the points: a point at the dump's start, or
        // at its end, would not pass the check below
        assertThat(result.tablePoints()).as("writes between the dump's start and a table's point")
                .anySatisfy(p -> assertThat(writes).anyMatch(w -> w.table().equals(p.table())
                        && w.after().compareTo(result.start()) > 0 && w.after().compareTo(p.position()) <= 0));
        assertThat(result.tablePoints()).as("writes between a table's point and the dump's end")
                .anySatisfy(p -> assertThat(writes).anyMatch(w -> w.table().equals(p.table())
                        && w.after().compareTo(p.position()) > 0 && w.after().compareTo(result.end()) <= 0));

        // and loaded, each table holds its seed rows and exactly the rows whose commit ended by its point
        DumpLoader.load(DBS.target(), dir);
        for (TablePoint p : result.tablePoints()) {
            List<Integer> committedBefore = writes.stream()
                    .filter(w -> w.table().equals(p.table()) && w.after().compareTo(p.position()) <= 0)
                    .map(Write::n).sorted().toList();
            assertThat(numbers(p.table())).as("rows of %s dumped at %s", p.table(), p.position())
                    .containsExactlyElementsOf(committedBefore);
            assertThat(seedRows(p.table())).isEqualTo(SEED_ROWS);
        }
    }

    private static DumpResult dump(String filter, Path dir, int threads, TestDumps.PointChoice points)
            throws InterruptedException {
        return TestDumps.run(DBS.source(), filter, dir, new DumpOptions(threads, 256L << 20, 1 << 20), points,
                TestDumps.recording(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>()));
    }

    private static List<Integer> numbers(TableRef table) throws Exception {
        List<Integer> out = new ArrayList<>();
        try (Connection c = TestDatabases.connect(DBS.target()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT n FROM " + table.quoted() + " WHERE n > 0 ORDER BY n")) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
    }

    private static long seedRows(TableRef table) throws Exception {
        try (Connection c = TestDatabases.connect(DBS.target()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table.quoted() + " WHERE n = 0")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** row {@code n} of {@code table} was committed by a transaction whose last event ends at {@code after} */
    private record Write(TableRef table, int n, BinlogPosition after) {
    }

    /** a writer's transaction {@code n}: one numbered row into the tables in turn, so each is written by several */
    private static void addRow(Statement st, List<TableRef> tables, int n) throws SQLException {
        st.execute("INSERT INTO " + tables.get(n % tables.size()).quoted() + " VALUES (" + n
                + ", 'written during the dump')");
    }

    /**
     * Where each writer's transaction ends in the binlog, read from the binlog itself: the statement of each
     * transaction is in its Annotate_rows event (MariaDB logs it by default), its end is its Xid event's end.
     */
    private static List<Write> committedSince(BinlogPosition from, List<TableRef> tables) throws Exception {
        List<Write> writes = new ArrayList<>();
        List<Write> pending = new ArrayList<>();
        try (Connection c = TestDatabases.connect(DBS.source()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW BINLOG EVENTS IN '" + from.file() + "' FROM " + from.pos())) {
            while (rs.next()) {
                String type = rs.getString("Event_type");
                String info = rs.getString("Info");
                if (type.equals("Annotate_rows")) {
                    Matcher m = WRITE.matcher(info);
                    if (m.find()) {
                        TableRef table = tables.stream().filter(t -> t.quoted().equals(m.group(1))).findFirst()
                                .orElseThrow();
                        pending.add(new Write(table, Integer.parseInt(m.group(2)), null));
                    }
                } else if (type.equals("Xid")) {
                    BinlogPosition end = BinlogPosition.ofFilePosition(from.file(), rs.getLong("End_log_pos"));
                    pending.forEach(w -> writes.add(new Write(w.table(), w.n(), end)));
                    pending.clear();
                }
            }
        }
        assertThat(SourceBinlog.now(DBS.source()).file()).as("the binlog did not rotate while the writers ran")
                .isEqualTo(from.file());
        return writes;
    }
}
