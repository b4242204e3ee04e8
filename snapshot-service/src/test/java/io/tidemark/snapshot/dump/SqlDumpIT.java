package io.tidemark.snapshot.dump;

import io.tidemark.common.layout.DumpLayout;
import io.tidemark.common.layout.DumpMetadata;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.storage.Storages;
import io.tidemark.common.table.TableFilter;
import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.precheck.source.SourceFacts;
import io.tidemark.snapshot.support.DumpLoader;
import io.tidemark.snapshot.support.SourceBinlog;
import io.tidemark.testkit.DataDiff;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Dumps a real MariaDB source, loads the files into a real MariaDB target with the mariadb client, diffs both. */
class SqlDumpIT {
    @RegisterExtension
    static final SourceAndTarget DBS = new SourceAndTarget("dump");

    @Test
    void everyTypeSurvivesDumpAndLoadExactly(@TempDir Path dir) throws Exception {
        // given a table with a column of every type, at their extremes, plus a view
        String db = TestDatabases.uniqueSchema("types");
        TestDatabases.execute(DBS.source(),
                "SET SESSION sql_mode = ''",
                "CREATE DATABASE " + db,
                "USE " + db,
                """
                CREATE TABLE all_types (
                  id INT NOT NULL, k VARCHAR(20) NOT NULL,
                  ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED,
                  mi MEDIUMINT, miu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED,
                  dec1 DECIMAL(65,30), dec2 DECIMAL(10,2), f FLOAT, d DOUBLE,
                  dt DATE, dtm DATETIME(6), ts TIMESTAMP(6) NULL DEFAULT NULL, tm TIME(6), yr YEAR,
                  c CHAR(10), vc VARCHAR(255), tx TEXT, lt LONGTEXT, l1 VARCHAR(20) CHARACTER SET latin1,
                  bn BINARY(4), vb VARBINARY(64), bl BLOB,
                  js JSON, en ENUM('a','b','c d'), st SET('x','y','z'),
                  b1 BIT(1), b10 BIT(10), b64 BIT(64),
                  gen BIGINT AS (i + 1) VIRTUAL, inv INT INVISIBLE DEFAULT 7,
                  PRIMARY KEY (id, k)
                ) DEFAULT CHARSET = utf8mb4
                """,
                """
                INSERT INTO all_types (id, k, ti, tiu, si, siu, mi, miu, i, iu, bi, biu, dec1, dec2, f, d,
                  dt, dtm, ts, tm, yr, c, vc, tx, lt, l1, bn, vb, bl, js, en, st, b1, b10, b64, inv) VALUES
                (1, 'max', 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295,
                  9223372036854775807, 18446744073709551615,
                  99999999999999999999999999999999999.999999999999999999999999999999, 99999999.99,
                  3.40282e38, 1.7976931348623157e308,
                  '9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', '838:59:59.000000', 2155,
                  'abc', 'héllo 😀🎉 世界', 'a''b"c\\\\d\\ne\\rf\\0g\\Zh', REPEAT('long😀', 5000), 'café',
                  0x00ff0001, 0x00, 0x0027005c0d0a1aff, '{"a": [1, 2.5, "x😀"], "b": null}', 'c d', 'x,z',
                  b'1', b'1000000001', b'1111111111111111111111111111111111111111111111111111111111111111', 42),
                (2, 'min', -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0,
                  -99999999999999999999999999999999999.999999999999999999999999999999, -0.01,
                  -1.17549e-38, -2.2250738585072014e-308,
                  '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '-838:59:59', 0,
                  '', '', '', '', '', 0x00000000, '', '', '[]', 'a', '',
                  b'0', b'0', b'0', -1),
                (3, 'nulls', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                  NULL, NULL, NULL, NULL),
                (3, 'mid', 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.000000000000000000000000000001, 0.10, 0.1, 0.1,
                  '2024-02-29', '2024-02-29 12:34:56.123456', '1970-01-01 00:00:01', '-00:00:01.500000', 1901,
                  'x ', 'tab\\there', 'ends with backslash \\\\', 'line1\\nline2', 'ÿ', 0x41, 0x41, 0x41,
                  '"just a string"', 'b', 'x,y,z', b'1', b'1', b'1', 0)
                """,
                "CREATE TABLE empty_one (id INT PRIMARY KEY)",
                "CREATE VIEW v_types AS SELECT id, k FROM all_types");
        BinlogPosition before = SourceBinlog.now(DBS.source());

        // when it is dumped
        List<TableResult> reported = new CopyOnWriteArrayList<>();
        List<BinlogPosition> started = new CopyOnWriteArrayList<>();
        DumpResult result = dump(db + ".*", dir, 2, 256L << 20, reported, started);

        // then the files have Dumpling's names, the view is not dumped, metadata holds the source's position
        TableRef allTypes = TableRef.of(db, "all_types");
        TableRef empty = TableRef.of(db, "empty_one");
        assertThat(result.tables()).containsExactly(allTypes, empty);
        assertThat(dir.resolve(DumpLayout.schemaCreateFile(db))).exists();
        assertThat(dir.resolve(DumpLayout.tableSchemaFile(allTypes))).exists();
        assertThat(dir.resolve(DumpLayout.tableSchemaFile(empty))).exists();
        assertThat(dir.resolve(DumpLayout.dataFile(allTypes, 0, "sql"))).exists();
        assertThat(dir.resolve(DumpLayout.dataFile(allTypes, 1, "sql"))).doesNotExist();
        assertThat(fileNames(dir)).noneMatch(n -> n.contains("v_types"));
        assertThat(Files.readString(dir.resolve(DumpLayout.schemaCreateFile(db))))
                .contains("CREATE DATABASE IF NOT EXISTS `" + db + "`");
        // data files hold the stored bytes (the latin1 column's too), so read them byte for byte
        assertThat(Files.readString(dir.resolve(DumpLayout.dataFile(allTypes, 0, "sql")),
                java.nio.charset.StandardCharsets.ISO_8859_1))
                .startsWith("/*!40101 SET NAMES binary*/;").contains("INSERT INTO `all_types` (`id`,");
        String metadata = Files.readString(dir.resolve(DumpLayout.METADATA));
        assertThat(DumpMetadata.parsePosition(metadata)).contains(before);
        assertThat(started).containsExactly(before);
        assertThat(result.start()).isEqualTo(before);
        assertThat(result.end()).isEqualTo(before);
        assertThat(reported).extracting(TableResult::table).containsExactlyInAnyOrder(allTypes, empty);
        assertThat(reported).filteredOn(r -> r.table().equals(allTypes)).singleElement()
                .satisfies(r -> assertThat(r.rows()).isEqualTo(4));
        assertThat(reported).filteredOn(r -> r.table().equals(empty)).singleElement()
                .satisfies(r -> assertThat(r.files()).isEmpty());

        // and loaded into the target, every value is the same
        DumpLoader.load(DBS.target(), dir);
        DataDiff.assertSame(DBS.source(), DBS.target(), List.of(allTypes, empty));
        try (Connection c = TestDatabases.connect(DBS.target()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT CAST(dtm AS CHAR), HEX(vb), biu, CAST(tm AS CHAR), vc FROM " + db
                     + ".all_types ORDER BY id, k")) {
            rs.next();
            assertThat(rs.getString(3)).isEqualTo("18446744073709551615");
            assertThat(rs.getString(5)).isEqualTo("héllo 😀🎉 世界");
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("0000-00-00 00:00:00.000000");
            assertThat(rs.getString(2)).isEmpty();
            assertThat(rs.getString(4)).isEqualTo("-838:59:59.000000");
        }
    }

    @Test
    void aSmallFileSizeRotatesDataFilesAndKeepsEveryRow(@TempDir Path dir) throws Exception {
        String db = TestDatabases.uniqueSchema("rotate");
        TestDatabases.execute(DBS.source(),
                "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".big (id INT PRIMARY KEY, payload VARCHAR(200))",
                "INSERT INTO " + db + ".big SELECT seq, CONCAT(REPEAT('x', seq % 100), seq) FROM " + db + ".seq_1_to_3000");

        DumpResult result = dump(db + ".big", dir, 1, 16 * 1024, new CopyOnWriteArrayList<>(),
                new CopyOnWriteArrayList<>());

        TableRef big = TableRef.of(db, "big");
        TableResult r = result.results().getFirst();
        assertThat(r.rows()).isEqualTo(3000);
        assertThat(r.files()).hasSizeGreaterThan(5);
        assertThat(r.files()).containsExactlyElementsOf(fileNames(dir).stream()
                .filter(n -> DumpLayout.parseDataFile(n).isPresent()).sorted().toList());
        assertThat(r.files().getFirst()).isEqualTo(DumpLayout.dataFile(big, 0, "sql"));
        long bytes = 0;
        for (String f : r.files()) {
            bytes += Files.size(dir.resolve(f));
        }
        assertThat(r.bytes()).isEqualTo(bytes);
        for (String f : r.files()) {
            // every file loads on its own: its own session header, no statement running into the next file
            assertThat(Files.readString(dir.resolve(f))).startsWith(DataFileWriter.HEADER)
                    .contains("INSERT INTO `big` VALUES\n(").endsWith(");\n");
        }
        DumpLoader.load(DBS.target(), dir);
        DataDiff.assertSame(DBS.source(), DBS.target(), List.of(big));
    }

    @Test
    void aCancelledDumpHeldOnTheSourceStopsAtOnceAndLeavesNoThreadWriting(@TempDir Path dir) throws Exception {
        // given a dump whose read of table b waits on a metadata lock (its prechecks ran before the lock)
        String db = TestDatabases.uniqueSchema("cancel");
        TestDatabases.execute(DBS.source(),
                "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".a (id INT PRIMARY KEY)",
                "INSERT INTO " + db + ".a VALUES (1), (2)",
                "CREATE TABLE " + db + ".b (id INT PRIMARY KEY)",
                "INSERT INTO " + db + ".b SELECT seq FROM " + db + ".seq_1_to_3000");
        Source from = TestDumps.source(DBS.source());
        SourceFacts checked = DumpPrechecks.run(from, new SourceSessions(), TableFilter.parse(db + ".*"));
        SourceSessions sessions = new SourceSessions();
        List<TableResult> reported = new CopyOnWriteArrayList<>();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        try (Connection locker = TestDatabases.connect(DBS.source()); Statement lock = locker.createStatement()) {
            lock.execute("LOCK TABLES " + db + ".b WRITE");
            Thread dumper = inBackground("cancel-test-dump", outcome, () ->
                    new Dump(from, sessions, Storages.open(dir.toString()), new DumpOptions(2, 1 << 20, 4096))
                            .run(checked, TestDumps.recording(reported, new CopyOnWriteArrayList<>())));
            await().atMost(Duration.ofSeconds(30)).until(() -> waitingOn(lock, db + "`.`b`"));

            // when the dump is cancelled, as the revocation fence does
            long cancelledAt = System.nanoTime();
            dumper.interrupt();
            sessions.cancel();

            // then it returns at once, interrupted, with no table thread left and nothing of b written
            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt)).isLessThan(Duration.ofSeconds(5));
            // (a pool reports itself terminated just before its last thread has exited: allow that instant)
            await().atMost(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                            .noneMatch(n -> n.startsWith("snapshot-table-")));
            assertThat(fileNames(dir)).noneMatch(n -> n.startsWith(db + ".b."));
            assertThat(reported).extracting(TableResult::table).doesNotContain(TableRef.of(db, "b"));
            // and a cancelled dump opens no new session
            assertThatThrownBy(() -> sessions.open(from)).isInstanceOf(CancellationException.class);
        }
    }

    @Test
    void aCancelledPrecheckHeldOnTheSourceStopsAtOnce() throws Exception {
        // given prechecks whose SELECT probe of table b waits on a metadata lock
        String db = TestDatabases.uniqueSchema("cutcheck");
        TestDatabases.execute(DBS.source(),
                "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".b (id INT PRIMARY KEY)");
        SourceSessions sessions = new SourceSessions();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        try (Connection locker = TestDatabases.connect(DBS.source()); Statement lock = locker.createStatement()) {
            lock.execute("LOCK TABLES " + db + ".b WRITE");
            inBackground("cancel-test-precheck", outcome,
                    () -> DumpPrechecks.run(TestDumps.source(DBS.source()), sessions, TableFilter.parse(db + ".*")));
            await().atMost(Duration.ofSeconds(30)).until(() -> waitingOn(lock, db + "`.`b` LIMIT 0"));

            // when the dump is cancelled, as the revocation fence does
            long cancelledAt = System.nanoTime();
            sessions.cancel();

            // then the prechecks end at once, as cancelled, not as a finding about the source
            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt)).isLessThan(Duration.ofSeconds(5));
        }
    }

    /** runs {@code work} on a thread of its own; {@code outcome} gets what it threw, or null */
    private static Thread inBackground(String name, CompletableFuture<Throwable> outcome, Callable<?> work) {
        return Thread.ofPlatform().name(name).start(() -> {
            try {
                work.call();
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
    }

    private static boolean waitingOn(Statement st, String quotedTableSuffix) throws Exception {
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                + " WHERE STATE = 'Waiting for table metadata lock' AND INFO LIKE '%" + quotedTableSuffix + "%'")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    private DumpResult dump(String filter, Path dir, int threads, long fileSize, List<TableResult> reported,
                            List<BinlogPosition> started) throws InterruptedException {
        // statements of 4 KiB so even small tables have several INSERTs
        return TestDumps.run(DBS.source(), filter, dir, new DumpOptions(threads, fileSize, 4096),
                TestDumps.PointChoice.BY_FLAVOR, TestDumps.recording(reported, started));
    }

    private static List<String> fileNames(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
