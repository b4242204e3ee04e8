package io.tidemark.lightning;

import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.status.ChunkImported;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.storage.LocalStorage;
import io.tidemark.common.storage.Storages;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.lightning.parquet.AuroraExport;
import io.tidemark.lightning.parquet.SparkExport;
import io.tidemark.mysql.checksum.DigestColumns;
import io.tidemark.mysql.checksum.ValueChecksum;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.LocalS3;
import io.tidemark.testkit.TestDatabases;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An Aurora snapshot export, written as AWS writes it (Spark's Parquet under {@code <export>/<db>/<db>.<table>/}),
 * imported through the service's chunk workers into a real MariaDB target whose own time zone is +09:00, from local
 * disk and from a real S3-compatible server (S3Mock): each file a chunk, each table ending in a data check at the
 * edges of its types, and every bad file stopped with its name.
 * This test queues the chunks itself, one per file that {@link AuroraExport} finds, as the planner does, to try the
 * workers alone on many types and failures; {@code ImportOptionsIT} plans an export through the planner.
 */
class ParquetImportIT {
    private static final TopicCatalog TOPICS = TopicCatalog.DEFAULT;
    private static final long ROW_GROUP = 128L * 1024 * 1024;
    private static final String BUCKET = "exports";
    private static final String EDGES_SCHEMA = """
            message spark_schema {
              optional int64 id;
              optional int32 tiny_u (INTEGER(16,true));
              optional int32 small_s;
              optional int32 int_s;
              optional int64 int_u;
              optional int64 big_s;
              optional fixed_len_byte_array(9) big_u (DECIMAL(20,0));
              optional int32 dec9 (DECIMAL(9,2));
              optional int64 dec18 (DECIMAL(18,4));
              optional fixed_len_byte_array(16) dec38 (DECIMAL(38,10));
              optional binary dec65 (STRING);
              optional double f;
              optional double d;
              optional int64 dt (TIMESTAMP(MICROS,true));
              optional int64 ts (TIMESTAMP(MICROS,true));
              optional binary day (STRING);
              optional binary t (STRING);
              optional int32 yr;
              optional binary name (STRING);
              optional binary latin (STRING);
              optional binary chr;
              optional binary raw;
              optional binary bits;
              optional binary js (STRING);
              optional binary en (STRING);
            }
            """;

    private static ServiceRig rig;
    private static LocalMariaDb target;
    private static StatusRecorder status;
    private static KafkaProducer<String, Object> producer;
    private static LocalS3 s3;

    @TempDir
    static Path exports;
    @TempDir
    static Path s3Dir;

    @BeforeAll
    static void start() {
        // the server's own zone is not UTC: the import must not depend on it
        rig = ServiceRig.start("lightning-parquet", List.of("--default-time-zone=+09:00"),
                "--tidemark.lightning.workers=2", "--tidemark.lightning.batch-statements=2",
                "--tidemark.lightning.batch-bytes=64KB",
                // the smallest bound a worker takes, and chunks of a few row groups, for the planner's test below
                "--tidemark.lightning.max-row-group-bytes=1MB", "--tidemark.lightning.chunk-bytes=16KB");
        target = rig.target();
        status = rig.status();
        producer = rig.producer();
        s3 = LocalS3.start(s3Dir, BUCKET);
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) {
            s3.stop();
        }
        if (rig != null) {
            rig.close();
        }
    }

    /** where the export lies */
    enum Where { LOCAL_DISK, S3 }

    /** every type family the export's edges file holds, in a column order of the table's own */
    private static final String EDGES_TABLE = """
            CREATE TABLE edges (
              en ENUM('a','b','c'), js JSON, bits BIT(12), raw VARBINARY(300), chr CHAR(10),
              latin VARCHAR(20) CHARACTER SET latin1, name VARCHAR(100), yr YEAR, t TIME(6), day DATE,
              ts TIMESTAMP(6) NULL DEFAULT NULL, dt DATETIME(6), d DOUBLE, f FLOAT, dec65 DECIMAL(65,30),
              dec38 DECIMAL(38,10), dec18 DECIMAL(18,4), dec9 DECIMAL(9,2), big_u BIGINT UNSIGNED,
              big_s BIGINT, int_u INT UNSIGNED, int_s INT, small_s SMALLINT, tiny_u TINYINT UNSIGNED,
              id BIGINT NOT NULL PRIMARY KEY
            ) DEFAULT CHARSET=utf8mb4""";

    @ParameterizedTest
    @EnumSource(Where.class)
    void importsEachTableOfTheExportByColumnNameWithEveryValueAtItsEdgesIntact(Where where) throws Exception {
        // given an export of three tables: every type family at its edges, a keyless table in batch folders with gaps
        // in the numbering, and a table in AWS's earlier naming, straight under its folder
        String db = TestDatabases.uniqueSchema("pq");
        Path root = exports.resolve(db);
        SparkExport export = new SparkExport(root, "export-" + db.replace('_', '-'));
        writeEdges(export.partFile(db, "edges", 1, 0));
        SparkExport.success(export.tableFolder(db, "edges").resolve("1"));
        int[][] visitFiles = {{1, 0, 0}, {1, 3, 1000}, {2, 1, 2000}};
        for (int[] f : visitFiles) {
            writeVisits(export.partFile(db, "visits", f[0], f[1]), f[2], 1000);
            SparkExport.success(export.tableFolder(db, "visits").resolve(Integer.toString(f[0])));
        }
        writeNotes(export.oldPartFile(db, "notes", 0), 0);
        writeNotes(export.oldPartFile(db, "notes", 5), 10);
        SparkExport.success(export.tableFolder(db, "notes"));
        export.exportInfo("COMPLETE");
        // copied to a bucket when it is read from S3, as an export to S3 lies there
        String location = root.toString();
        if (where == Where.S3) {
            TestService.upload(s3, BUCKET, "exports/" + db, root);
            location = s3.location(BUCKET, "exports/" + db);
        }
        // and the tables on the target, from the schema dump, in a column order of their own
        TestDatabases.execute(target, "CREATE DATABASE `" + db + "`", "USE `" + db + "`", EDGES_TABLE,
                "CREATE TABLE visits (label VARCHAR(40), n BIGINT) DEFAULT CHARSET=utf8mb4",
                "CREATE TABLE notes (n BIGINT, label VARCHAR(40), note_len INT AS (CHAR_LENGTH(label)) VIRTUAL)"
                        + " DEFAULT CHARSET=utf8mb4");
        MigrationId m = MigrationId.of("pq-" + db.replace('_', '-'));

        // when the export is read where it lies and each of its files imported as a chunk
        AuroraExport found = AuroraExport.scan(Storages.open(location));
        found.requireComplete();
        List<String> chunkIds = queueEveryFile(m, location, found);

        // then each chunk is reported imported with its file's rows
        assertThat(chunkIds).hasSize(6);
        await().atMost(Duration.ofSeconds(90)).until(() -> status.of(ChunkImported.class, m).stream()
                .map(ChunkImported::chunkId).distinct().count() == 6 || !status.of(WorkFailed.class, m).isEmpty());
        assertThat(status.of(WorkFailed.class, m)).isEmpty();
        assertThat(status.of(ChunkImported.class, m)).extracting(ChunkImported::rows)
                .containsOnly(3L, 1000L, 10L);

        // and edges holds each value exactly, read back in UTC and as epoch seconds
        assertThat(rows("SELECT id, tiny_u, small_s, int_s, int_u, big_s, big_u, dec9, dec18, dec38, dec65 FROM `"
                + db + "`.edges ORDER BY id")).containsExactly(
                "1|0|-32768|-2147483648|0|-9223372036854775808|0|-9999999.99|-99999999999999.9999"
                        + "|-9999999999999999999999999999.9999999999"
                        + "|-99999999999999999999999999999999999.999999999999999999999999999999",
                "2|255|32767|2147483647|4294967295|9223372036854775807|18446744073709551615|9999999.99"
                        + "|99999999999999.9999|9999999999999999999999999999.9999999999"
                        + "|99999999999999999999999999999999999.999999999999999999999999999999",
                "3|null|null|null|null|null|null|null|null|null|null");
        assertThat(rows("SELECT id, f, d = 1.7976931348623157E308 OR d = -2.2250738585072014E-308,"
                + " CAST(dt AS CHAR), CAST(ts AS CHAR), UNIX_TIMESTAMP(ts), CAST(day AS CHAR), CAST(t AS CHAR),"
                + " yr + 0 FROM `" + db + "`.edges ORDER BY id")).containsExactly(
                "1|-1.5|1|1000-01-01 00:00:00.000000|1970-01-01 00:00:01.000001|1.000001|1000-01-01"
                        + "|-838:59:59.000000|1901",
                "2|0.1|1|9999-12-31 23:59:59.999999|2038-01-19 03:14:07.999999|2147483647.999999|9999-12-31"
                        + "|838:59:59.000000|2155",
                "3|null|null|null|null|null|null|null|null");
        assertThat(rows("SELECT id, name, HEX(latin), chr, HEX(raw), bits + 0, js, en FROM `" + db
                + "`.edges ORDER BY id")).containsExactly(
                "1|Zoë 😀 it's a \\ and a \0 and \n 中文|636166E9|Zoë|" + HexFormat.of().withUpperCase()
                        .formatHex(allBytes()) + "|4095|{\"a\": [1, 2]}|b",
                "2|" + "x".repeat(100) + "||a||0|[]|c",
                "3|null|null|null|null|null|null|null");
        // a date before 1970 in a DATETIME, to the microsecond
        assertThat(rows("SELECT COUNT(*) FROM `" + db + "`.edges WHERE dt = '1000-01-01 00:00:00'"))
                .containsExactly("1");

        // and the keyless table holds each row of its three files once, the other table both of its files, with its
        // generated column computed by the target rather than taken from the file
        assertThat(rows("SELECT COUNT(*), COUNT(DISTINCT n), MIN(n), MAX(n) FROM `" + db + "`.visits"))
                .containsExactly("3000|3000|0|2999");
        assertThat(rows("SELECT COUNT(*) FROM `" + db + "`.visits WHERE label = CONCAT('v', n, '-😀')"))
                .containsExactly("3000");
        assertThat(rows("SELECT COUNT(*), MAX(note_len) FROM `" + db + "`.notes")).containsExactly("20|5");
        assertThat(rows("SELECT status, COUNT(*), SUM(rows_done) FROM tidemark_meta.import_chunks"
                + " WHERE migration_id = '" + m.value() + "' GROUP BY status")).containsExactly("done|6|3023");

        // and each chunk reports the value checksum of its rows: per table, the sum equals the one the target
        // computes over the stored rows (values: equal), every type family at its edges included; the table with a
        // generated column reports none, as the target computes a value the file does not give
        assertThat(valueSumOfChunks(m, db, "edges")).isEqualTo(valueChecksum(db, "edges"));
        assertThat(valueSumOfChunks(m, db, "visits")).isEqualTo(valueChecksum(db, "visits"));
        assertThat(status.of(ChunkImported.class, m)).filteredOn(e -> e.table().table().equals("notes"))
                .extracting(ChunkImported::valueSum).containsOnlyNulls();
    }

    @Test
    void aTargetThatRefusesLoadDataLocalGetsInsertStatementsStoringTheSameValuesWithTheSameSums() throws Exception {
        // given the file of every type family at its edges, imported once as LOAD DATA (the default path)
        String[] dbs = {TestDatabases.uniqueSchema("pqload"), TestDatabases.uniqueSchema("pqinsert")};
        MigrationId[] ms = new MigrationId[2];
        long[] loads = new long[3];
        long[] inserts = new long[3];
        loads[0] = globalStatus("Com_load");
        inserts[0] = globalStatus("Com_insert");
        try {
            for (int i = 0; i < 2; i++) {
                // and once more into a target whose local_infile is OFF
                if (i == 1) {
                    TestDatabases.execute(target, "SET GLOBAL local_infile = 0");
                }
                String db = dbs[i];
                Path root = exports.resolve(db);
                SparkExport export = new SparkExport(root, "e1");
                writeEdges(export.partFile(db, "edges", 1, 0));
                SparkExport.success(export.tableFolder(db, "edges").resolve("1"));
                TestDatabases.execute(target, "CREATE DATABASE `" + db + "`", "USE `" + db + "`", EDGES_TABLE);
                MigrationId m = MigrationId.of("pq-" + db.replace('_', '-'));
                ms[i] = m;
                queueEveryFile(m, root.toString(), AuroraExport.scan(new LocalStorage(root)));
                await().atMost(Duration.ofSeconds(60)).until(() -> !status.of(ChunkImported.class, m).isEmpty()
                        || !status.of(WorkFailed.class, m).isEmpty());
                assertThat(status.of(WorkFailed.class, m)).isEmpty();
                loads[i + 1] = globalStatus("Com_load");
                inserts[i + 1] = globalStatus("Com_insert");
            }
        } finally {
            TestDatabases.execute(target, "SET GLOBAL local_infile = 1");
        }

        // then the first went by LOAD DATA, the second by INSERT statements and no LOAD DATA
        assertThat(loads[1] - loads[0]).as("LOAD DATA statements of the default path").isPositive();
        assertThat(loads[2] - loads[1]).as("LOAD DATA statements without local_infile").isZero();
        assertThat(inserts[2] - inserts[1]).as("INSERT statements without local_infile").isPositive();
        // and both tables hold the same rows, value for value, with the sum each chunk reported equal to the target's
        String select = "SELECT id, en, js, HEX(bits), HEX(raw), HEX(chr), HEX(latin), HEX(name), yr + 0,"
                + " CAST(t AS CHAR), CAST(day AS CHAR), CAST(ts AS CHAR), CAST(dt AS CHAR), d, f, dec65, dec38,"
                + " dec18, dec9, big_u, big_s, int_u, int_s, small_s, tiny_u FROM `%s`.edges ORDER BY id";
        assertThat(rows(select.formatted(dbs[1]))).hasSize(3).isEqualTo(rows(select.formatted(dbs[0])));
        for (int i = 0; i < 2; i++) {
            assertThat(status.of(ChunkImported.class, ms[i]).getFirst().rows()).isEqualTo(3);
            assertThat(valueSumOfChunks(ms[i], dbs[i], "edges")).isEqualTo(valueChecksum(dbs[i], "edges"));
        }
        assertThat(valueChecksum(dbs[1], "edges")).isEqualTo(valueChecksum(dbs[0], "edges"));
    }

    private static long globalStatus(String name) throws Exception {
        return Long.parseLong(rows("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
                + " WHERE VARIABLE_NAME = '" + name.toUpperCase(java.util.Locale.ROOT) + "'").getFirst());
    }

    @Test
    void aTriggerThatAltersAValueOnInsertLeavesTheRowCountEqualAndTheValueChecksumDifferent() throws Exception {
        // given a table whose BEFORE INSERT trigger rewrites a value behind the import's back
        String db = TestDatabases.uniqueSchema("pqtrig");
        Path root = exports.resolve(db);
        SparkExport export = new SparkExport(root, "e1");
        writeVisits(export.partFile(db, "visits", 1, 0), 0, 50);
        SparkExport.success(export.tableFolder(db, "visits").resolve("1"));
        export.exportInfo("COMPLETE");
        TestDatabases.execute(target, "CREATE DATABASE `" + db + "`", "USE `" + db + "`",
                "CREATE TABLE visits (n BIGINT, label VARCHAR(40)) DEFAULT CHARSET=utf8mb4",
                "CREATE TRIGGER shout BEFORE INSERT ON visits FOR EACH ROW"
                        + " SET NEW.label = IF(NEW.n = 7, 'changed', NEW.label)");
        MigrationId m = MigrationId.of("pq-" + db.replace('_', '-'));

        // when it is imported
        queueEveryFile(m, root.toString(), AuroraExport.scan(new LocalStorage(root)));
        await().atMost(Duration.ofSeconds(60)).until(() -> !status.of(ChunkImported.class, m).isEmpty()
                || !status.of(WorkFailed.class, m).isEmpty());

        // then the chunk reports the file's 50 rows, which the target holds too, but the checksum of the values read
        // from the file is not the target's: the one changed value is caught (the coordinator fails the import
        // TM-30015 naming this chunk)
        assertThat(status.of(WorkFailed.class, m)).isEmpty();
        ChunkImported imported = status.of(ChunkImported.class, m).getFirst();
        assertThat(imported.rows()).isEqualTo(50);
        assertThat(rows("SELECT COUNT(*) FROM `" + db + "`.visits")).containsExactly("50");
        assertThat(imported.valueSum()).isNotNull().isNotEqualTo(valueChecksum(db, "visits"));
        // without the changed value the sums agree: the difference is that value's alone
        TestDatabases.execute(target, "UPDATE `" + db + "`.visits SET label = CONCAT('v7-', CONVERT(0xF09F9880 USING utf8mb4))"
                + " WHERE n = 7");
        assertThat(imported.valueSum()).isEqualTo(valueChecksum(db, "visits"));
    }

    /** the sum of the value sums the table's chunks reported; null if one reported none */
    private static Long valueSumOfChunks(MigrationId m, String db, String table) {
        List<ChunkImported> chunks = status.of(ChunkImported.class, m).stream()
                .filter(e -> e.table().equals(TableRef.of(db, table))).toList();
        long sum = 0;
        for (ChunkImported c : chunks.stream().collect(java.util.stream.Collectors.toMap(ChunkImported::chunkId,
                e -> e, (a, b) -> a)).values()) {
            if (c.valueSum() == null) {
                return null;
            }
            sum += c.valueSum();
        }
        return sum;
    }

    /** the table's value checksum computed by the target, as the coordinator computes it after an import */
    private static long valueChecksum(String db, String table) throws Exception {
        try (Connection c = TestDatabases.connect(target)) {
            TableRef t = TableRef.of(db, table);
            return ValueChecksum.of(c, t, DigestColumns.of(c, t)).sum();
        }
    }

    @Test
    void aTruncatedFileFailsItsChunkNamingTheFileAndItsTable() throws Exception {
        // given a part file cut in half, as an interrupted copy leaves it
        String db = TestDatabases.uniqueSchema("pqcut");
        Path root = exports.resolve(db);
        SparkExport export = new SparkExport(root, "e1");
        Path file = export.partFile(db, "visits", 1, 0);
        writeVisits(file, 0, 2000);
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length / 2));
        SparkExport.success(file.getParent());
        TestDatabases.execute(target, "CREATE DATABASE `" + db + "`",
                "CREATE TABLE `" + db + "`.visits (n BIGINT, label VARCHAR(40))");
        MigrationId m = MigrationId.of("pq-" + db.replace('_', '-'));

        // when it is imported
        queueEveryFile(m, root.toString(), AuroraExport.scan(new LocalStorage(root)));

        // then the chunk fails for good, naming the file and the table, and nothing was written
        WorkFailed failed = awaitFailure(m);
        String relative = root.relativize(file).toString();
        assertThat(failed.subject()).isEqualTo(relative);
        assertThat(failed.code()).isEqualTo("TM-40002");
        assertThat(failed.retriable()).isFalse();
        assertThat(failed.message()).contains("dump file " + relative + " is unreadable")
                .contains("not a readable Parquet file of table " + db + ".visits");
        assertThat(rows("SELECT COUNT(*) FROM `" + db + "`.visits")).containsExactly("0");
    }

    @Test
    void aFileColumnTheTargetLacksAnInt96ColumnAndAValueTheColumnCannotHoldAreEachNamed() throws Exception {
        String db = TestDatabases.uniqueSchema("pqbad");
        Path root = exports.resolve(db);
        SparkExport export = new SparkExport(root, "e1");
        // a column the target table lacks
        Path extra = export.partFile(db, "lacks", 1, 0);
        SparkExport.write(extra, SparkExport.schema(
                        "message spark_schema { optional int64 n; optional binary extra (STRING); }"), ROW_GROUP,
                (groups, out) -> out.accept(groups.newGroup().append("n", 1L).append("extra", "x")));
        // Spark's legacy INT96 timestamp
        Path int96 = export.partFile(db, "legacy", 1, 0);
        SparkExport.write(int96, SparkExport.schema(
                        "message spark_schema { optional int64 n; optional int96 created; }"), ROW_GROUP,
                (groups, out) -> out.accept(groups.newGroup().append("n", 1L)));
        // a value the target column cannot hold: strict mode refuses it instead of clipping it to 127
        Path range = export.partFile(db, "narrow", 1, 0);
        SparkExport.write(range, SparkExport.schema("message spark_schema { optional int32 v; }"), ROW_GROUP,
                (groups, out) -> {
                    out.accept(groups.newGroup().append("v", 1));
                    out.accept(groups.newGroup().append("v", 300));
                });
        for (Path p : List.of(extra, int96, range)) {
            SparkExport.success(p.getParent());
        }
        TestDatabases.execute(target, "CREATE DATABASE `" + db + "`", "USE `" + db + "`",
                "CREATE TABLE lacks (n BIGINT)", "CREATE TABLE legacy (n BIGINT, created DATETIME)",
                "CREATE TABLE narrow (v TINYINT)");
        MigrationId m = MigrationId.of("pq-" + db.replace('_', '-'));

        queueEveryFile(m, root.toString(), AuroraExport.scan(new LocalStorage(root)));

        await().atMost(Duration.ofSeconds(60)).until(() -> status.of(WorkFailed.class, m).stream()
                .map(WorkFailed::subject).distinct().count() == 3);
        Map<String, WorkFailed> bySubject = new HashMap<>();
        status.of(WorkFailed.class, m).forEach(f -> bySubject.put(f.subject(), f));
        assertThat(bySubject.get(root.relativize(extra).toString())).satisfies(f -> {
            assertThat(f.code()).isEqualTo("TM-30013");
            assertThat(f.message()).contains("table " + db + ".lacks has no column `extra`");
        });
        assertThat(bySubject.get(root.relativize(int96).toString())).satisfies(f -> {
            assertThat(f.code()).isEqualTo("TM-40010");
            assertThat(f.message()).contains("column `created` of table " + db + ".legacy")
                    .contains("optional int96 created").contains("TIMESTAMP_MICROS");
        });
        assertThat(bySubject.get(root.relativize(range).toString())).satisfies(f -> {
            assertThat(f.code()).isEqualTo("TM-30003");
            assertThat(f.message()).contains(db + ".narrow (file " + root.relativize(range) + ", rows 0 to 1")
                    .containsIgnoringCase("out of range");
        });
        assertThat(rows("SELECT (SELECT COUNT(*) FROM `" + db + "`.lacks) + (SELECT COUNT(*) FROM `" + db
                + "`.legacy) + (SELECT COUNT(*) FROM `" + db + "`.narrow)")).containsExactly("0");
    }

    @Test
    void aChunkInABucketThatDoesNotExistFailsNamingTheBucket() throws Exception {
        String db = TestDatabases.uniqueSchema("pqnobucket");
        TestDatabases.execute(target, "CREATE DATABASE `" + db + "`", "CREATE TABLE `" + db + "`.t (n BIGINT)");
        MigrationId m = MigrationId.of("pq-" + db.replace('_', '-'));
        String file = "e1/" + db + "/" + db + ".t/1/part-00000-x-c000.gz.parquet";
        ImportChunk chunk = new ImportChunk(ImportChunk.idFor(m, 1, file), m, 1, TestDatabases.endpoint(target),
                s3.location("no-such-bucket", "exports"), TableRef.of(db, "t"), file, 1000);

        producer.send(new ProducerRecord<>(TOPICS.importChunks(), chunk.messageId(), chunk)).get();

        WorkFailed failed = awaitFailure(m);
        assertThat(failed.subject()).isEqualTo(file);
        assertThat(failed.code()).isEqualTo("TM-40004");
        assertThat(failed.retriable()).isFalse();
        assertThat(failed.message()).contains("bucket no-such-bucket does not exist")
                .doesNotContain(LocalS3.SECRET_KEY);
    }

    @Test
    void aRowGroupAboveTheWorkersBoundFailsThePlanBeforeAnyChunkIsQueuedOrRowWritten() throws Exception {
        // given an export of a table in small row groups (several chunks) and one whose single row group holds 2MB
        // of incompressible bytes, above the workers' 1MB bound
        String db = TestDatabases.uniqueSchema("pqbig");
        Path root = exports.resolve(db);
        SparkExport export = new SparkExport(root, "e1");
        Path small = export.partFile(db, "visits", 1, 0);
        SparkExport.write(small, SparkExport.schema(
                "message spark_schema { optional int64 n; optional binary label (STRING); }"), 4 * 1024,
                (groups, out) -> {
                    for (long n = 0; n < 3000; n++) {
                        out.accept(groups.newGroup().append("n", n).append("label", "v" + n * 7919 % 10007));
                    }
                });
        SparkExport.success(small.getParent());
        Path big = export.partFile(db, "blobs", 1, 0);
        java.util.Random random = new java.util.Random(7);
        SparkExport.write(big, SparkExport.schema("message spark_schema { optional int64 n; optional binary b; }"),
                ROW_GROUP, (groups, out) -> {
                    for (long n = 0; n < 2048; n++) {
                        byte[] bytes = new byte[1024];
                        random.nextBytes(bytes);
                        out.accept(groups.newGroup().append("n", n).append("b", Binary.fromConstantByteArray(bytes)));
                    }
                });
        SparkExport.success(big.getParent());
        export.exportInfo("COMPLETE");
        TestDatabases.execute(target, "CREATE DATABASE `" + db + "`",
                "CREATE TABLE `" + db + "`.visits (n BIGINT, label VARCHAR(40))",
                "CREATE TABLE `" + db + "`.blobs (n BIGINT, b VARBINARY(1024))");
        AuroraExport scanned = AuroraExport.scan(new LocalStorage(root));
        assertThat(scanned.tables()).hasSize(2);
        String bigFile = root.relativize(big).toString();
        MigrationId m = MigrationId.of("pq-" + db.replace('_', '-'));

        // when the export is imported through the planner
        producer.send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), new io.tidemark.common.command
                .ImportRequest(io.tidemark.common.command.ImportRequest.idFor(m, 1), m, 1,
                TestDatabases.endpoint(target), root.toString(), List.of()))).get();
        WorkFailed failed = awaitFailure(m);

        // then the plan fails for good with TM-40011 naming the row group, its file, its table and both sizes
        assertThat(failed.subject()).isEqualTo("plan");
        assertThat(failed.code()).isEqualTo("TM-40011");
        assertThat(failed.retriable()).isFalse();
        assertThat(failed.message()).contains("row group 0 of dump file " + bigFile + " (table " + db + ".blobs)")
                .contains("more than the 1048576 bytes a worker reads at once");
        assertThat(failed.remedy()).contains("raise tidemark.lightning.max-row-group-bytes");
        // and no chunk was queued, not even the small table's, so no row was written
        Thread.sleep(500);
        assertThat(status.of(io.tidemark.common.status.ImportPlanned.class, m)).isEmpty();
        assertThat(status.of(ChunkImported.class, m)).isEmpty();
        assertThat(rows("SELECT (SELECT COUNT(*) FROM `" + db + "`.visits) + (SELECT COUNT(*) FROM `" + db
                + "`.blobs)")).containsExactly("0");
    }

    /** queues one chunk per data file, as the planner does; returns the chunk ids */
    private static List<String> queueEveryFile(MigrationId m, String location, AuroraExport export)
            throws Exception {
        DatabaseEndpoint endpoint = TestDatabases.endpoint(target);
        List<String> ids = new ArrayList<>();
        for (AuroraExport.Table table : export.tables()) {
            for (AuroraExport.DataFile file : table.files()) {
                ImportChunk chunk = new ImportChunk(ImportChunk.idFor(m, 1, file.path()), m, 1, endpoint,
                        location, table.table(), file.path(), file.size());
                producer.send(new ProducerRecord<>(TOPICS.importChunks(), chunk.messageId(), chunk)).get();
                ids.add(chunk.messageId());
            }
        }
        return ids;
    }

    private static WorkFailed awaitFailure(MigrationId m) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !status.of(WorkFailed.class, m).isEmpty());
        return status.of(WorkFailed.class, m).getFirst();
    }

    private static void writeEdges(Path file) throws Exception {
        MessageType schema = SparkExport.schema(EDGES_SCHEMA);
        SparkExport.write(file, schema, ROW_GROUP, (groups, out) -> {
            Group min = groups.newGroup().append("id", 1L).append("tiny_u", 0).append("small_s", -32768)
                    .append("int_s", Integer.MIN_VALUE).append("int_u", 0L).append("big_s", Long.MIN_VALUE)
                    .append("big_u", SparkExport.unsignedBigint("0"))
                    .append("dec9", -999999999).append("dec18", -999999999999999999L)
                    .append("dec38", SparkExport.fixedDecimal(
                            new BigDecimal("-9999999999999999999999999999.9999999999"), 10, 16))
                    .append("dec65", "-99999999999999999999999999999999999.999999999999999999999999999999")
                    .append("f", (double) -1.5f).append("d", 1.7976931348623157E308)
                    .append("dt", SparkExport.micros("1000-01-01T00:00:00"))
                    .append("ts", SparkExport.micros("1970-01-01T00:00:01.000001"))
                    .append("day", "1000-01-01").append("t", "-838:59:59.000000").append("yr", 1901)
                    .append("name", "Zoë 😀 it's a \\ and a \0 and \n 中文").append("latin", "café")
                    .append("chr", Binary.fromConstantByteArray("Zoë".getBytes(StandardCharsets.UTF_8)))
                    .append("raw", Binary.fromConstantByteArray(allBytes()))
                    .append("bits", Binary.fromConstantByteArray(new byte[]{0x0f, (byte) 0xff}))
                    .append("js", "{\"a\": [1, 2]}").append("en", "b");
            Group max = groups.newGroup().append("id", 2L).append("tiny_u", 255).append("small_s", 32767)
                    .append("int_s", Integer.MAX_VALUE).append("int_u", 4294967295L).append("big_s", Long.MAX_VALUE)
                    .append("big_u", SparkExport.unsignedBigint("18446744073709551615"))
                    .append("dec9", 999999999).append("dec18", 999999999999999999L)
                    .append("dec38", SparkExport.fixedDecimal(
                            new BigDecimal("9999999999999999999999999999.9999999999"), 10, 16))
                    .append("dec65", "99999999999999999999999999999999999.999999999999999999999999999999")
                    .append("f", (double) 0.1f).append("d", -2.2250738585072014E-308)
                    .append("dt", SparkExport.micros("9999-12-31T23:59:59.999999"))
                    .append("ts", SparkExport.micros("2038-01-19T03:14:07.999999"))
                    .append("day", "9999-12-31").append("t", "838:59:59.000000").append("yr", 2155)
                    .append("name", "x".repeat(100)).append("latin", "")
                    .append("chr", Binary.fromConstantByteArray("a".getBytes(StandardCharsets.UTF_8)))
                    .append("raw", Binary.fromConstantByteArray(new byte[0]))
                    .append("bits", Binary.fromConstantByteArray(new byte[]{0, 0}))
                    .append("js", "[]").append("en", "c");
            out.accept(min);
            out.accept(max);
            out.accept(groups.newGroup().append("id", 3L));
        });
    }

    /** {@code count} rows (n, 'v<n>-😀') from {@code first} */
    private static void writeVisits(Path file, long first, int count) throws Exception {
        MessageType schema = SparkExport.schema(
                "message spark_schema { optional int64 n; optional binary label (STRING); }");
        SparkExport.write(file, schema, ROW_GROUP, (groups, out) -> {
            for (long n = first; n < first + count; n++) {
                out.accept(groups.newGroup().append("n", n).append("label", "v" + n + "-😀"));
            }
        });
    }

    /**
     * 10 rows (n, 'v<n>-😀', 999) from {@code first}: the export carries the value of the generated column note_len,
     * which the target computes itself
     */
    private static void writeNotes(Path file, long first) throws Exception {
        MessageType schema = SparkExport.schema("message spark_schema { optional int64 n; optional binary label"
                + " (STRING); optional int32 note_len; }");
        SparkExport.write(file, schema, ROW_GROUP, (groups, out) -> {
            for (long n = first; n < first + 10; n++) {
                out.accept(groups.newGroup().append("n", n).append("label", "v" + n + "-😀").append("note_len", 999));
            }
        });
    }

    private static byte[] allBytes() {
        byte[] out = new byte[256];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) i;
        }
        return out;
    }

    private static List<String> rows(String sql) throws Exception {
        return rig.rows(sql);
    }
}
