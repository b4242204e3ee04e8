package io.tidemark.lightning;

import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.command.ImportRequest;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.layout.DumpLayout;
import io.tidemark.common.status.ChunkImported;
import io.tidemark.common.status.ImportPlanned;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.LocalS3;
import io.tidemark.testkit.SilentServer;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The service against a real broker and a real MariaDB target: plan, import, redeliver, fail with the right text. */
class ImportIT {
    private static final TopicCatalog TOPICS = TopicCatalog.DEFAULT;
    private static final String S3_BUCKET = "dumps";
    private static ServiceRig rig;
    private static TestKafka kafka;
    private static LocalMariaDb target;
    private static StatusRecorder status;
    private static KafkaProducer<String, Object> producer;
    private static LocalS3 s3;

    @TempDir
    static Path dumps;
    @TempDir
    static Path s3Dir;

    @BeforeAll
    static void start() {
        rig = ServiceRig.start("lightning-import", "--tidemark.lightning.workers=2",
                "--tidemark.lightning.batch-statements=2", "--tidemark.lightning.max-retry-backoff=100ms");
        kafka = rig.kafka();
        target = rig.target();
        status = rig.status();
        producer = rig.producer();
        s3 = LocalS3.start(s3Dir, S3_BUCKET);
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

    @Test
    void importsSchemaThenRowsChunkByChunkAndARedeliveryChangesNothing() throws Exception {
        // given a Dumpling dump: two tables, one without a primary key, one table in two files
        String db = TestDatabases.uniqueSchema("shop");
        Path dir = dumps.resolve(db);
        writeShopDump(dir, db);
        MigrationId m = MigrationId.of("import-" + db.replace('_', '-'));
        DatabaseEndpoint endpoint = TestDatabases.endpoint(target);
        ImportRequest request = new ImportRequest(ImportRequest.idFor(m, 1), m, 1, endpoint, dir.toString(),
                List.of(TableRef.of(db, "customers"), TableRef.of(db, "events")));

        // when the coordinator asks for the import
        producer.send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), request)).get();

        // then the plan names the three files and each is reported imported with its rows
        await().atMost(Duration.ofSeconds(60)).until(() -> status.of(ChunkImported.class, m).size() >= 3);
        List<ImportPlanned> planned = status.of(ImportPlanned.class, m);
        assertThat(planned).hasSize(1);
        assertThat(planned.getFirst().chunks()).extracting(ImportPlanned.PlannedChunk::chunkId).containsExactly(
                ImportChunk.idFor(m, 1, db + ".customers.000000000.sql"),
                ImportChunk.idFor(m, 1, db + ".customers.000000001.sql"),
                ImportChunk.idFor(m, 1, db + ".events.000000000.sql"));
        assertThat(planned.getFirst().epoch()).isEqualTo(1);
        assertThat(planned.getFirst().workerId().value()).startsWith("lightning-service@");
        assertThat(status.of(ChunkImported.class, m))
                .extracting(ChunkImported::chunkId, ChunkImported::rows)
                .containsOnly( // at least once: a rebalance may repeat a report, never change it
                        org.assertj.core.groups.Tuple.tuple(ImportChunk.idFor(m, 1, db + ".customers.000000000.sql"), 2L),
                        org.assertj.core.groups.Tuple.tuple(ImportChunk.idFor(m, 1, db + ".customers.000000001.sql"), 2L),
                        org.assertj.core.groups.Tuple.tuple(ImportChunk.idFor(m, 1, db + ".events.000000000.sql"), 4L));

        // and the target holds exactly the dump's rows, byte for byte
        List<String> customers = SHOP_CUSTOMERS;
        assertThat(rows("SELECT id, name, note, CAST(created AS CHAR) FROM `" + db + "`.customers ORDER BY id"))
                .containsExactlyElementsOf(customers);
        List<String> events = rows("SELECT kind, payload, CAST(at AS CHAR) FROM `" + db + "`.events ORDER BY at, kind");
        assertThat(events).containsExactlyElementsOf(SHOP_EVENTS);

        // when the no-PK table's chunk and then the whole request are delivered again
        String eventsFile = db + ".events.000000000.sql";
        ImportChunk again = new ImportChunk(ImportChunk.idFor(m, 1, eventsFile), m, 1, endpoint, dir.toString(),
                TableRef.of(db, "events"), eventsFile, Files.size(dir.resolve(eventsFile)));
        producer.send(new ProducerRecord<>(TOPICS.importChunks(), again.messageId(), again)).get();
        await().atMost(Duration.ofSeconds(30)).until(() -> status.of(ChunkImported.class, m).stream()
                .filter(e -> e.chunkId().equals(again.messageId())).count() >= 2);
        producer.send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), request)).get();
        await().atMost(Duration.ofSeconds(30)).until(() -> status.of(ChunkImported.class, m).size() >= 7);

        // then ChunkImported is reported again, with the same rows, and the target is unchanged
        assertThat(status.of(ChunkImported.class, m)).filteredOn(e -> e.chunkId().equals(again.messageId()))
                .extracting(ChunkImported::rows).containsOnly(4L);
        assertThat(status.of(ImportPlanned.class, m)).hasSize(2)
                .extracting(ImportPlanned::eventId).containsOnly(ImportPlanned.idFor(m, 1));
        assertThat(rows("SELECT id, name, note, CAST(created AS CHAR) FROM `" + db + "`.customers ORDER BY id"))
                .containsExactlyElementsOf(customers);
        assertThat(rows("SELECT kind, payload, CAST(at AS CHAR) FROM `" + db + "`.events ORDER BY at, kind"))
                .containsExactlyElementsOf(events);
        assertThat(rows("SELECT status, statements_done, rows_done FROM tidemark_meta.import_chunks"
                + " WHERE chunk_id = '" + again.messageId() + "'")).containsExactly("done|4|4");
        assertThat(status.of(WorkFailed.class, m)).isEmpty();
    }

    @Test
    void importsADumplingDumpCopiedToS3ThroughThePlannerAndTheWorkersAsFromDisk() throws Exception {
        // given a Dumpling dump of SQL files, plus a table dumped as CSV, copied to an S3 bucket
        String db = TestDatabases.uniqueSchema("s3shop");
        Path dir = dumps.resolve(db);
        writeShopDump(dir, db);
        TestService.write(dir, db + ".tags-schema.sql",
                "CREATE TABLE `tags` (`id` int, `label` varchar(50), `note` text) DEFAULT CHARSET=utf8mb4;\n");
        TestService.write(dir, db + ".tags.000000000.csv", """
                "id","label","note"
                1,"a,b",\\N
                2,"quote \\"x\\"","😀 line
                two"
                """);
        String prefix = "dumps/" + db;
        TestService.upload(s3, S3_BUCKET, prefix, dir);
        // and a location as Dumpling and Lightning users write it, keys in the URI, region left to its default
        String location = "s3://" + S3_BUCKET + "/" + prefix + "?endpoint=" + s3.endpoint()
                + "&force-path-style=true&access-key=" + LocalS3.ACCESS_KEY
                + "&secret-access-key=" + LocalS3.SECRET_KEY;
        MigrationId m = MigrationId.of("import-" + db.replace('_', '-'));
        ImportRequest request = new ImportRequest(ImportRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(target),
                location, List.of(TableRef.of(db, "customers"), TableRef.of(db, "events"), TableRef.of(db, "tags")));

        // when the import of that location is asked for
        producer.send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), request)).get();

        // then the planner lists the bucket, creates the schema from its files and queues each data file
        await().atMost(Duration.ofSeconds(60)).until(() -> status.of(ChunkImported.class, m).stream()
                .map(ChunkImported::chunkId).distinct().count() == 4 || !status.of(WorkFailed.class, m).isEmpty());
        assertThat(status.of(WorkFailed.class, m)).isEmpty();
        assertThat(status.of(ImportPlanned.class, m).getFirst().chunks())
                .extracting(ImportPlanned.PlannedChunk::chunkId, ImportPlanned.PlannedChunk::sizeBytes)
                .containsExactly(
                        chunkOf(m, dir, db + ".customers.000000000.sql"),
                        chunkOf(m, dir, db + ".customers.000000001.sql"),
                        chunkOf(m, dir, db + ".events.000000000.sql"),
                        chunkOf(m, dir, db + ".tags.000000000.csv"));
        // and the workers read each file from the bucket: the target holds exactly the dump's rows
        assertThat(status.of(ChunkImported.class, m)).extracting(ChunkImported::rows).containsOnly(2L, 4L);
        assertThat(rows("SELECT id, name, note, CAST(created AS CHAR) FROM `" + db + "`.customers ORDER BY id"))
                .containsExactlyElementsOf(SHOP_CUSTOMERS);
        assertThat(rows("SELECT kind, payload, CAST(at AS CHAR) FROM `" + db + "`.events ORDER BY at, kind"))
                .containsExactlyElementsOf(SHOP_EVENTS);
        assertThat(rows("SELECT id, label, note FROM `" + db + "`.tags ORDER BY id"))
                .containsExactly("1|a,b|null", "2|quote \"x\"|😀 line\ntwo");
    }

    @Test
    void aBucketThatDoesNotExistFailsTheImportNamingTheBucketAndNoKey() throws Exception {
        String db = TestDatabases.uniqueSchema("nobucket");
        MigrationId m = MigrationId.of("import-" + db.replace('_', '-'));
        String location = s3.location("no-such-bucket", "dumps/" + db);

        producer.send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), new ImportRequest(
                ImportRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(target), location,
                List.of(TableRef.of(db, "t"))))).get();

        await().atMost(Duration.ofSeconds(60)).until(() -> !status.of(WorkFailed.class, m).isEmpty());
        WorkFailed failed = status.of(WorkFailed.class, m).getFirst();
        assertThat(failed.code()).isEqualTo("TM-40004");
        assertThat(failed.retriable()).isFalse();
        assertThat(failed.subject()).isEqualTo("plan");
        assertThat(failed.message()).contains("bucket no-such-bucket does not exist in region " + LocalS3.REGION)
                .contains("endpoint " + s3.endpoint()).doesNotContain(LocalS3.SECRET_KEY);
        assertThat(failed.remedy()).contains("create the bucket");
        assertThat(status.of(ImportPlanned.class, m)).isEmpty();
    }

    private static org.assertj.core.groups.Tuple chunkOf(MigrationId m, Path dir, String file) throws Exception {
        return org.assertj.core.groups.Tuple.tuple(ImportChunk.idFor(m, 1, file), Files.size(dir.resolve(file)));
    }

    @Test
    void importsDumplingCsvFilesThroughLoadDataLocalExactlyOnce() throws Exception {
        // given a CSV dump (Dumpling's --filetype csv) of a table without a primary key
        String db = TestDatabases.uniqueSchema("csv");
        Path dir = dumps.resolve(db);
        TestService.write(dir, db + "-schema-create.sql", "CREATE DATABASE `" + db + "`;\n");
        TestService.write(dir, db + ".tags-schema.sql",
                "CREATE TABLE `tags` (`id` int, `label` varchar(50), `note` text) DEFAULT CHARSET=utf8mb4;\n");
        TestService.write(dir, db + ".tags.000000000.csv", """
                "id","label","note"
                1,"a,b",\\N
                2,"quote \\"x\\"","😀 line
                two"
                3,"",""
                """);
        MigrationId m = MigrationId.of("import-" + db.replace('_', '-'));
        ImportRequest request = new ImportRequest(ImportRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(target),
                dir.toString(), List.of(TableRef.of(db, "tags")));

        // when it is imported, and the request delivered a second time
        producer.send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), request)).get();
        await().atMost(Duration.ofSeconds(60)).until(() -> status.of(ChunkImported.class, m).size() >= 1);
        producer.send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), request)).get();
        await().atMost(Duration.ofSeconds(60)).until(() -> status.of(ChunkImported.class, m).size() >= 2);

        // then each row is there once, NULL and empty string kept apart
        assertThat(status.of(ChunkImported.class, m)).extracting(ChunkImported::rows).containsOnly(3L);
        assertThat(rows("SELECT id, label, note FROM `" + db + "`.tags ORDER BY id")).containsExactly(
                "1|a,b|null",
                "2|quote \"x\"|😀 line\ntwo",
                "3||");
        assertThat(status.of(WorkFailed.class, m)).isEmpty();
        // and the chunk's value sum, read from the bytes LOAD DATA read, is the target's value checksum of the table
        assertThat(status.of(ChunkImported.class, m)).extracting(ChunkImported::valueSum)
                .containsOnly(valueChecksum(db, "tags"));
    }

    @Test
    void columnsOfEveryCharsetLoadByteForByteFromSqlAndCsv() throws Exception {
        // given a Dumpling dump of latin1, utf8mb4 and binary columns: the files hold each column's stored bytes
        String db = TestDatabases.uniqueSchema("charsets");
        Path dir = dumps.resolve(db);
        String columns = "(id INT PRIMARY KEY, l VARCHAR(20) CHARACTER SET latin1, u VARCHAR(20) CHARACTER SET utf8mb4,"
                + " b VARBINARY(8))";
        TestService.write(dir, db + "-schema-create.sql", "/*!40101 SET NAMES binary*/;\n"
                + "CREATE DATABASE `" + db + "` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;\n");
        TestService.write(dir, db + ".t-schema.sql", "/*!40101 SET NAMES binary*/;\nCREATE TABLE `t` " + columns + ";\n");
        TestService.write(dir, db + ".c-schema.sql", "/*!40101 SET NAMES binary*/;\nCREATE TABLE `c` " + columns + ";\n");
        // b: 0x80 0xFF 0xC3 (no UTF-8), then NUL, quote and backslash escaped as Dumpling does, a raw newline, 0xE9
        TestService.writeBytes(dir, db + ".t.000000000.sql",
                "/*!40101 SET NAMES binary*/;\nINSERT INTO `t` VALUES (1,'caf", TestService.bytes(0xE9), "','😀 ok','",
                TestService.bytes(0x80, 0xFF, 0xC3), "\\0\\'\\\\\n", TestService.bytes(0xE9), "'),\n(2,'gr",
                TestService.bytes(0xFC, 0xDF), "e','中文','');\n");
        TestService.writeBytes(dir, db + ".c.000000000.csv",
                "\"id\",\"l\",\"u\",\"b\"\n1,\"caf", TestService.bytes(0xE9), "\",\"😀 ok\",\"",
                TestService.bytes(0x80, 0xFF, 0xC3), "\\\\\\\"", TestService.bytes(0xE9), "\"\n2,\"gr",
                TestService.bytes(0xFC, 0xDF), "e\",\"中文\",\\N\n");
        MigrationId m = MigrationId.of("import-" + db.replace('_', '-'));
        ImportRequest request = new ImportRequest(ImportRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(target),
                dir.toString(), List.of(TableRef.of(db, "t"), TableRef.of(db, "c")));

        // when it is imported
        producer.send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), request)).get();
        await().atMost(Duration.ofSeconds(60)).until(() -> status.of(ChunkImported.class, m).size() >= 2
                || !status.of(WorkFailed.class, m).isEmpty());

        // then every column holds exactly the file's bytes, whichever the charset and the file type
        assertThat(status.of(WorkFailed.class, m)).isEmpty();
        assertThat(status.of(ChunkImported.class, m)).extracting(ChunkImported::rows).containsOnly(2L);
        assertThat(rows("SELECT id, HEX(l), HEX(u), HEX(b) FROM `" + db + "`.t ORDER BY id")).containsExactly(
                "1|636166E9|F09F9880206F6B|80FFC300275C0AE9",
                "2|6772FCDF65|E4B8ADE69687|");
        assertThat(rows("SELECT id, HEX(l), HEX(u), HEX(b) FROM `" + db + "`.c ORDER BY id")).containsExactly(
                "1|636166E9|F09F9880206F6B|80FFC35C22E9",
                "2|6772FCDF65|E4B8ADE69687|null");
        // and a utf8mb4 session reads the latin1 column as the characters it stores
        assertThat(rows("SELECT l, u FROM `" + db + "`.t ORDER BY id")).containsExactly("café|😀 ok", "grüße|中文");
        assertThat(rows("SELECT l, u FROM `" + db + "`.c ORDER BY id")).containsExactly("café|😀 ok", "grüße|中文");
        // and each chunk's value sum equals the target's value checksum (latin1 bytes, escapes and NULL included),
        // the CSV one read from the bytes LOAD DATA read, the SQL one from the INSERT's literals
        assertThat(status.of(ChunkImported.class, m)).filteredOn(e -> e.table().table().equals("c"))
                .extracting(ChunkImported::valueSum).containsOnly(valueChecksum(db, "c"));
        assertThat(status.of(ChunkImported.class, m)).filteredOn(e -> e.table().table().equals("t"))
                .extracting(ChunkImported::valueSum).containsOnly(valueChecksum(db, "t"));
    }

    @Test
    void compressedSqlAndCsvFilesImportFromS3AsOneChunkEachWithTheirRowsAndSums() throws Exception {
        // given a Dumpling dump written with --compress: SQL files as gzip, zstd and framed snappy, CSV as gzip and zstd
        String db = TestDatabases.uniqueSchema("packed");
        Path dir = dumps.resolve(db);
        writeShopDump(dir, db);
        TestService.write(dir, db + ".tags-schema.sql",
                "CREATE TABLE `tags` (`id` int, `label` varchar(50), `note` text) DEFAULT CHARSET=utf8mb4;\n");
        TestService.write(dir, db + ".tags.000000000.csv", "\"id\",\"label\",\"note\"\n1,\"a,b\",\\N\n"
                + "2,\"quote \\\"x\\\"\",\"😀 line\ntwo\"\n");
        TestService.write(dir, db + ".tags.000000001.csv", "\"id\",\"label\",\"note\"\n3,\"\",\"\"\n");
        String c0 = compress(dir, db + ".customers.000000000.sql", "gz");
        String c1 = compress(dir, db + ".customers.000000001.sql", "zst");
        String e0 = compress(dir, db + ".events.000000000.sql", "snappy");
        String t0 = compress(dir, db + ".tags.000000000.csv", "gz");
        String t1 = compress(dir, db + ".tags.000000001.csv", "zstd");
        String prefix = "dumps/" + db;
        TestService.upload(s3, S3_BUCKET, prefix, dir);
        MigrationId m = MigrationId.of("import-" + db.replace('_', '-'));
        ImportRequest request = new ImportRequest(ImportRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(target),
                s3.location(S3_BUCKET, prefix),
                List.of(TableRef.of(db, "customers"), TableRef.of(db, "events"), TableRef.of(db, "tags")));

        // when it is imported
        producer.send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), request)).get();
        await().atMost(Duration.ofSeconds(60)).until(() -> status.of(ChunkImported.class, m).stream()
                .map(ChunkImported::chunkId).distinct().count() == 5 || !status.of(WorkFailed.class, m).isEmpty());

        // then each compressed file is one chunk of its compressed size, and the target holds exactly the dump's rows
        assertThat(status.of(WorkFailed.class, m)).isEmpty();
        assertThat(status.of(ImportPlanned.class, m).getFirst().chunks())
                .extracting(ImportPlanned.PlannedChunk::chunkId, ImportPlanned.PlannedChunk::sizeBytes)
                .containsExactly(chunkOf(m, dir, c0), chunkOf(m, dir, c1), chunkOf(m, dir, e0), chunkOf(m, dir, t0),
                        chunkOf(m, dir, t1));
        assertThat(rows("SELECT id, name, note, CAST(created AS CHAR) FROM `" + db + "`.customers ORDER BY id"))
                .containsExactlyElementsOf(SHOP_CUSTOMERS);
        assertThat(rows("SELECT kind, payload, CAST(at AS CHAR) FROM `" + db + "`.events ORDER BY at, kind"))
                .containsExactlyElementsOf(SHOP_EVENTS);
        assertThat(rows("SELECT id, label, note FROM `" + db + "`.tags ORDER BY id"))
                .containsExactly("1|a,b|null", "2|quote \"x\"|😀 line\ntwo", "3||");
        assertThat(status.of(ChunkImported.class, m)).extracting(ChunkImported::table, ChunkImported::rows)
                .containsOnly(org.assertj.core.groups.Tuple.tuple(TableRef.of(db, "customers"), 2L),
                        org.assertj.core.groups.Tuple.tuple(TableRef.of(db, "events"), 4L),
                        org.assertj.core.groups.Tuple.tuple(TableRef.of(db, "tags"), 2L),
                        org.assertj.core.groups.Tuple.tuple(TableRef.of(db, "tags"), 1L));
        // and the CSV chunks' value sums, digested from the decompressed bytes, add up to the target's checksum
        List<Long> tagSums = status.of(ChunkImported.class, m).stream().filter(e -> e.table().table().equals("tags"))
                .map(ChunkImported::valueSum).distinct().toList();
        assertThat(tagSums).hasSize(2).doesNotContainNull();
        assertThat(tagSums.get(0) + tagSums.get(1)).isEqualTo(valueChecksum(db, "tags"));
        // and so do the SQL chunks' sums, digested from the decompressed statements' literals
        for (String table : List.of("customers", "events")) {
            List<Long> sums = status.of(ChunkImported.class, m).stream()
                    .filter(e -> e.table().table().equals(table))
                    .collect(java.util.stream.Collectors.toMap(ChunkImported::chunkId, ChunkImported::valueSum,
                            (a, b) -> a)).values().stream().toList();
            assertThat(sums).as(table).doesNotContainNull();
            assertThat(sums.stream().mapToLong(Long::longValue).sum()).as(table).isEqualTo(valueChecksum(db, table));
        }
    }

    @Test
    void aTruncatedCompressedFileFailsItsChunkAsCorruptNamingFileAndTable() throws Exception {
        // given a gzip SQL file and a zstd CSV file each cut off halfway, as an interrupted copy leaves them
        String db = TestDatabases.uniqueSchema("cut");
        Path dir = dumps.resolve(db);
        TestService.write(dir, db + "-schema-create.sql", "CREATE DATABASE `" + db + "`;\n");
        TestService.write(dir, db + ".s-schema.sql", "CREATE TABLE `s` (`id` int PRIMARY KEY, `v` varchar(40));\n");
        TestService.write(dir, db + ".c-schema.sql", "CREATE TABLE `c` (`id` int PRIMARY KEY, `v` varchar(40));\n");
        StringBuilder sql = new StringBuilder();
        StringBuilder csv = new StringBuilder("\"id\",\"v\"\n");
        for (int i = 0; i < 3000; i++) {
            sql.append("INSERT INTO `s` VALUES (").append(i).append(",'value ").append(i * 7919 % 10007).append("');\n");
            csv.append(i).append(",\"value ").append(i * 7919 % 10007).append("\"\n");
        }
        TestService.write(dir, db + ".s.000000000.sql", sql.toString());
        TestService.write(dir, db + ".c.000000000.csv", csv.toString());
        String sqlFile = compress(dir, db + ".s.000000000.sql", "gz");
        String csvFile = compress(dir, db + ".c.000000000.csv", "zst");
        for (String f : List.of(sqlFile, csvFile)) {
            byte[] whole = Files.readAllBytes(dir.resolve(f));
            Files.write(dir.resolve(f), java.util.Arrays.copyOf(whole, whole.length / 2));
        }
        MigrationId m = MigrationId.of("import-" + db.replace('_', '-'));

        // when it is imported
        producer.send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), new ImportRequest(
                ImportRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(target), dir.toString(),
                List.of(TableRef.of(db, "s"), TableRef.of(db, "c"))))).get();
        await().atMost(Duration.ofSeconds(60)).until(() -> status.of(WorkFailed.class, m).stream()
                .map(WorkFailed::subject).distinct().count() >= 2);

        // then each chunk fails for good as a corrupt dump file, naming the file, its table and the decompression
        assertThat(status.of(WorkFailed.class, m)).extracting(WorkFailed::subject)
                .containsOnly(sqlFile, csvFile);
        for (WorkFailed failed : status.of(WorkFailed.class, m)) {
            String table = failed.subject().equals(sqlFile) ? "s" : "c";
            assertThat(failed.code()).isEqualTo("TM-40002");
            assertThat(failed.retriable()).isFalse();
            assertThat(failed.stage()).isEqualTo(io.tidemark.common.migration.Stage.IMPORT);
            assertThat(failed.message()).contains(failed.subject())
                    .contains((table.equals("s") ? "gzip" : "zstd") + "-compressed but its bytes do not decompress")
                    .contains("truncated or damaged").contains(TableRef.of(db, table).toString());
            assertThat(failed.remedy()).contains("intact copy");
        }
        // and the CSV file, one LOAD DATA, left no row behind; nothing was reported imported
        assertThat(rows("SELECT COUNT(*) FROM `" + db + "`.c")).containsExactly("0");
        assertThat(status.of(ChunkImported.class, m)).isEmpty();
    }

    @Test
    void compressedSchemaFilesCreateTheDatabaseAndTablesAndTheRowsFollow() throws Exception {
        // given a Dumpling dump written with --compress whole: schema files as gzip, zstd and snappy, beside its data,
        // and a table whose only file is its compressed CREATE TABLE (Dumpling writes no data file for an empty table)
        String db = TestDatabases.uniqueSchema("packed_schema");
        Path dir = dumps.resolve(db);
        writeShopDump(dir, db);
        TestService.write(dir, db + ".empty-schema.sql", "CREATE TABLE `empty` (`id` int PRIMARY KEY);\n");
        compress(dir, db + "-schema-create.sql", "gz");
        compress(dir, db + ".customers-schema.sql", "zst");
        compress(dir, db + ".events-schema.sql", "snappy");
        compress(dir, db + ".empty-schema.sql", "gzip");
        compress(dir, db + ".customers.000000000.sql", "gz");
        MigrationId m = MigrationId.of("import-" + db.replace('_', '-'));

        // when the whole location is imported, its tables found by the files' names
        producer.send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), new ImportRequest(
                ImportRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(target), dir.toString(), List.of()))).get();
        await().atMost(Duration.ofSeconds(60)).until(() -> status.of(ChunkImported.class, m).stream()
                .map(ChunkImported::chunkId).distinct().count() == 3 || !status.of(WorkFailed.class, m).isEmpty());

        // then the database and every table are created from the decompressed files and hold exactly the dump's rows
        assertThat(status.of(WorkFailed.class, m)).isEmpty();
        assertThat(rows("SELECT DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '"
                + db + "'")).containsExactly("utf8mb4");
        assertThat(rows("SELECT id, name, note, CAST(created AS CHAR) FROM `" + db + "`.customers ORDER BY id"))
                .containsExactlyElementsOf(SHOP_CUSTOMERS);
        assertThat(rows("SELECT kind, payload, CAST(at AS CHAR) FROM `" + db + "`.events ORDER BY at, kind"))
                .containsExactlyElementsOf(SHOP_EVENTS);
        assertThat(rows("SELECT COUNT(*) FROM `" + db + "`.`empty`")).containsExactly("0");
        assertThat(rows("SELECT COLUMN_KEY FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + db
                + "' AND TABLE_NAME = 'customers' AND COLUMN_NAME = 'id'")).containsExactly("PRI");
    }

    @Test
    void aDamagedCompressedSchemaFileFailsThePlanAsCorruptBeforeAnyTableIsCreated() throws Exception {
        // given a dump whose gzip CREATE TABLE file was cut off, as an interrupted copy leaves it
        String db = TestDatabases.uniqueSchema("cut_schema");
        Path dir = dumps.resolve(db);
        writeShopDump(dir, db);
        String file = compress(dir, db + ".customers-schema.sql", "gz");
        byte[] whole = Files.readAllBytes(dir.resolve(file));
        Files.write(dir.resolve(file), java.util.Arrays.copyOf(whole, whole.length - 12));
        MigrationId m = MigrationId.of("import-" + db.replace('_', '-'));

        // when it is imported
        producer.send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), new ImportRequest(
                ImportRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(target), dir.toString(), List.of()))).get();
        await().atMost(Duration.ofSeconds(60)).until(() -> !status.of(WorkFailed.class, m).isEmpty());

        // then the plan fails for good as a corrupt dump file naming the file and its table, and nothing is queued
        WorkFailed failed = status.of(WorkFailed.class, m).getFirst();
        assertThat(failed.code()).isEqualTo("TM-40002");
        assertThat(failed.retriable()).isFalse();
        assertThat(failed.subject()).isEqualTo("plan");
        assertThat(failed.message()).contains(file).contains("gzip-compressed but its bytes do not decompress")
                .contains("CREATE TABLE of " + TableRef.of(db, "customers"));
        assertThat(status.of(ImportPlanned.class, m)).isEmpty();
        assertThat(rows("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + db
                + "' AND TABLE_NAME = 'customers'")).containsExactly("0");
    }

    @Test
    void aDataFileCompressedAsLz4FailsThePlanByNameBeforeAnyTableIsCreated() throws Exception {
        // given a dump whose second customers file was compressed with lz4, which Tidemark does not read
        String db = TestDatabases.uniqueSchema("lz4");
        Path dir = dumps.resolve(db);
        writeShopDump(dir, db);
        String plain = db + ".customers.000000001.sql";
        Files.move(dir.resolve(plain), dir.resolve(plain + ".lz4"));
        MigrationId m = MigrationId.of("import-" + db.replace('_', '-'));

        // when the whole location is imported
        producer.send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), new ImportRequest(
                ImportRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(target), dir.toString(), List.of()))).get();
        await().atMost(Duration.ofSeconds(60)).until(() -> !status.of(WorkFailed.class, m).isEmpty());

        // then the plan fails for good naming the file, its compression, its table and the fix; nothing is created
        WorkFailed failed = status.of(WorkFailed.class, m).getFirst();
        assertThat(failed.code()).isEqualTo("TM-40014");
        assertThat(failed.retriable()).isFalse();
        assertThat(failed.subject()).isEqualTo("plan");
        assertThat(failed.message()).contains("file " + plain + ".lz4 is compressed as lz4")
                .contains("the rows of " + TableRef.of(db, "customers"));
        assertThat(failed.remedy()).contains("dumpling --compress gzip|zstd|snappy").contains("lz4 -d");
        assertThat(status.of(ImportPlanned.class, m)).isEmpty();
        assertThat(rows("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" + db + "'"))
                .containsExactly("0");
    }

    @Test
    void aCsvDialectOfPipesSingleQuotesNullWordsAndCrlfWithoutHeaderLoadsItsRowsAndSumsAsTheTarget()
            throws Exception {
        // given a header-less CSV file written with '|' between fields, ' around them, NULL for NULL and CRLF after
        // each row, as a [mydumper.csv] section says
        String db = TestDatabases.uniqueSchema("pipes");
        Path dir = dumps.resolve(db);
        TestService.write(dir, db + "-schema-create.sql", "CREATE DATABASE `" + db + "`;\n");
        TestService.write(dir, db + ".t-schema.sql", "CREATE TABLE `t` (`id` int PRIMARY KEY, `label` varchar(50),"
                + " `note` text, `b` varbinary(20)) DEFAULT CHARSET=utf8mb4;\n");
        TestService.write(dir, db + ".t.000000000.csv", "1|'a|b'|NULL|'x'\r\n"
                + "2|'it''s'|'NULL'|\r\n"
                + "3|'multi\r\nline'|'😀 \\t tab'|NULL\r\n");
        io.tidemark.common.command.CsvFormat pipes = new io.tidemark.common.command.CsvFormat("|", "'", "\r\n", false,
                List.of("NULL"), true);
        MigrationId m = MigrationId.of("import-" + db.replace('_', '-'));

        // when it is imported with that format
        producer.send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), new ImportRequest(
                ImportRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(target), dir.toString(), List.of(),
                new io.tidemark.common.command.ImportOptions(null, true,
                        io.tidemark.common.command.ImportOptions.OnDuplicate.REPLACE, List.of(), false, pipes)))).get();
        await().atMost(Duration.ofSeconds(60)).until(() -> !status.of(ChunkImported.class, m).isEmpty()
                || !status.of(WorkFailed.class, m).isEmpty());

        // then the target holds exactly the file's rows, and the chunk's value sum is the target's checksum
        assertThat(status.of(WorkFailed.class, m)).isEmpty();
        assertThat(rows("SELECT id, label, note, HEX(b) FROM `" + db + "`.t ORDER BY id"))
                .containsExactly("1|a|b|null|78", "2|it's|NULL|", "3|multi\r\nline|😀 \t tab|null");
        ChunkImported chunk = status.of(ChunkImported.class, m).getFirst();
        assertThat(chunk.rows()).isEqualTo(3);
        assertThat(chunk.valueSum()).isNotNull().isEqualTo(valueChecksum(db, "t"));
    }

    @Test
    void aCsvFormatLoadDataCannotReadFailsThePlanNamingWhy() throws Exception {
        String db = TestDatabases.uniqueSchema("nulls");
        Path dir = dumps.resolve(db);
        TestService.write(dir, db + ".t.000000000.csv", "1,NA\n");
        MigrationId m = MigrationId.of("import-" + db.replace('_', '-'));

        producer.send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), new ImportRequest(
                ImportRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(target), dir.toString(), List.of(),
                new io.tidemark.common.command.ImportOptions(null, true,
                        io.tidemark.common.command.ImportOptions.OnDuplicate.REPLACE, List.of(), false,
                        new io.tidemark.common.command.CsvFormat(",", "\"", "", false, List.of("NA", "-"), true)))))
                .get();
        await().atMost(Duration.ofSeconds(60)).until(() -> !status.of(WorkFailed.class, m).isEmpty());

        WorkFailed failed = status.of(WorkFailed.class, m).getFirst();
        assertThat(failed.code()).isEqualTo("TM-40015");
        assertThat(failed.subject()).isEqualTo("plan");
        assertThat(failed.message()).contains("cannot be read by LOAD DATA").contains("2 NULL markers [NA, -]");
        assertThat(status.of(ImportPlanned.class, m)).isEmpty();
    }

    /** compresses {@code dir/file} whole, as Dumpling's --compress does, into {@code file.suffix}; removes the plain one */
    private static String compress(Path dir, String file, String suffix) throws Exception {
        String packed = file + "." + suffix;
        try (java.io.OutputStream out = Files.newOutputStream(dir.resolve(packed));
             java.io.OutputStream c = switch (suffix) {
                 case "gz", "gzip" -> new java.util.zip.GZIPOutputStream(out);
                 case "zst", "zstd" -> new com.github.luben.zstd.ZstdOutputStream(out);
                 case "snappy" -> new org.xerial.snappy.SnappyFramedOutputStream(out);
                 default -> throw new IllegalArgumentException(suffix);
             }) {
            c.write(Files.readAllBytes(dir.resolve(file)));
        }
        Files.delete(dir.resolve(file));
        return packed;
    }

    /** the table's value checksum computed by the target, as the coordinator computes it after an import */
    private static Long valueChecksum(String db, String table) throws Exception {
        try (java.sql.Connection c = TestDatabases.connect(target)) {
            TableRef t = TableRef.of(db, table);
            return io.tidemark.mysql.checksum.ValueChecksum.of(c, t,
                    io.tidemark.mysql.checksum.DigestColumns.of(c, t)).sum();
        }
    }

    @Test
    void unicodeDatabaseAndTableNamesImportCheckpointAndReportReadably() throws Exception {
        // given a database and tables named in non-ASCII UTF-8, one table's data with a column the target lacks
        String db = "ünïcode_" + TestDatabases.uniqueSchema("n");
        Path dir = dumps.resolve(db);
        TestService.write(dir, db + "-schema-create.sql", "/*!40101 SET NAMES binary*/;\n"
                + "CREATE DATABASE `" + db + "` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;\n");
        TestService.write(dir, db + ".表-schema.sql", "/*!40101 SET NAMES binary*/;\n"
                + "CREATE TABLE `表` (`编号` int PRIMARY KEY, `名字` varchar(20)) DEFAULT CHARSET=utf8mb4;\n");
        TestService.write(dir, db + ".錯-schema.sql", "CREATE TABLE `錯` (`id` int);\n");
        TestService.write(dir, db + ".表.000000000.sql", """
                /*!40101 SET NAMES binary*/;
                INSERT INTO `表` VALUES (1,'一'),(2,'二');
                INSERT INTO `表` (`编号`,`名字`) VALUES (3,'三');
                """);
        TestService.write(dir, db + ".錯.000000000.sql", "INSERT INTO `錯` (`列`) VALUES (1);\n");
        MigrationId m = MigrationId.of("import-" + db.substring("ünïcode_".length()).replace('_', '-'));
        DatabaseEndpoint endpoint = TestDatabases.endpoint(target);
        ImportRequest request = new ImportRequest(ImportRequest.idFor(m, 1), m, 1, endpoint, dir.toString(),
                List.of(TableRef.of(db, "表"), TableRef.of(db, "錯")));
        String file = db + ".表.000000000.sql";
        String chunkId = ImportChunk.idFor(m, 1, file);

        // when it is imported (two statements per batch: checkpoints are saved between the file's statements)
        producer.send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), request)).get();
        await().atMost(Duration.ofSeconds(60)).until(() -> !status.of(ChunkImported.class, m).isEmpty()
                && !status.of(WorkFailed.class, m).isEmpty());

        // then the rows are there under their names, and the checkpoint row names the chunk as it is
        assertThat(status.of(ChunkImported.class, m)).extracting(ChunkImported::chunkId, ChunkImported::rows)
                .containsOnly(org.assertj.core.groups.Tuple.tuple(chunkId, 3L));
        assertThat(rows("SELECT `编号`, `名字` FROM `" + db + "`.`表` ORDER BY 1")).containsExactly("1|一", "2|二", "3|三");
        assertThat(rows("SELECT table_name, file, status, statements_done, rows_done FROM tidemark_meta.import_chunks"
                + " WHERE chunk_id = '" + chunkId + "'")).containsExactly(db + ".表|" + file + "|done|3|3");

        // and the failure names table, file and the server's complaint in readable text
        WorkFailed failed = status.of(WorkFailed.class, m).getFirst();
        assertThat(failed.code()).isEqualTo("TM-30003");
        assertThat(failed.subject()).isEqualTo(db + ".錯.000000000.sql");
        assertThat(failed.message()).contains(db + ".錯").contains("file " + db + ".錯.000000000.sql")
                .contains("Unknown column '列'");

        // when the imported chunk is delivered again, its checkpoint is found by its non-ASCII id
        ImportChunk again = new ImportChunk(chunkId, m, 1, endpoint, dir.toString(), TableRef.of(db, "表"), file,
                Files.size(dir.resolve(file)));
        producer.send(new ProducerRecord<>(TOPICS.importChunks(), chunkId, again)).get();
        await().atMost(Duration.ofSeconds(30)).until(() -> status.of(ChunkImported.class, m).stream()
                .filter(e -> e.chunkId().equals(chunkId)).count() >= 2);

        // then it is reported again, unchanged, with one checkpoint row and the same rows
        assertThat(status.of(ChunkImported.class, m)).filteredOn(e -> e.chunkId().equals(chunkId))
                .extracting(ChunkImported::rows).containsOnly(3L);
        assertThat(rows("SELECT COUNT(*) FROM tidemark_meta.import_chunks WHERE migration_id = '" + m.value() + "'"))
                .containsExactly("2");
        assertThat(rows("SELECT COUNT(*) FROM `" + db + "`.`表`")).containsExactly("3");
    }

    @Test
    void tablesNamedWithDotsSlashesQuotesAndPercentSignsEachGetTheirOwnFilesAndRows() throws Exception {
        // given a dump, named as Dumpling names it, of tables whose names once collided or escaped the directory:
        // `db`.`x.y` and `db.x`.`y` (one file name before escaping), x%2Ey (what x.y escapes to), a slash ...
        String db = TestDatabases.uniqueSchema("names");
        Path dir = dumps.resolve(db);
        Files.createDirectories(dir);
        List<TableRef> tables = new ArrayList<>();
        for (String name : List.of("x.y", "x%2Ey", "a/b", "../up", "a b", "a`b", "it's \"q\"", "50%", "t-schema",
                "表.名", "l." + "x".repeat(62))) {
            tables.add(TableRef.of(db, name));
        }
        tables.add(TableRef.of(db + ".x", "y"));
        TableRef csvTable = TableRef.of(db, "c.s/v");
        tables.add(csvTable);
        for (String schema : List.of(db, db + ".x")) {
            TestService.write(dir, DumpLayout.schemaCreateFile(schema),
                    "CREATE DATABASE " + TableRef.quote(schema) + ";\n");
        }
        Map<TableRef, Long> expected = new LinkedHashMap<>();
        for (TableRef t : tables) {
            long rows = expected.size() + 1; // a different count per table: a mix-up cannot go unseen
            expected.put(t, rows);
            TestService.write(dir, DumpLayout.tableSchemaFile(t), "CREATE TABLE " + TableRef.quote(t.table())
                    + " (`id` int, `name` varchar(80)) DEFAULT CHARSET=utf8mb4;\n");
            StringBuilder sql = new StringBuilder("INSERT INTO " + TableRef.quote(t.table()) + " VALUES ");
            StringBuilder csv = new StringBuilder("\"id\",\"name\"\n");
            for (int i = 1; i <= rows; i++) {
                sql.append(i == 1 ? "" : ",").append("(").append(i).append(",'")
                        .append(t.table().replace("\\", "\\\\").replace("'", "\\'")).append("')");
                csv.append(i).append(",\"").append(t.table().replace("\"", "\\\"")).append("\"\n");
            }
            if (t.equals(csvTable)) {
                TestService.write(dir, DumpLayout.dataFile(t, 0, "csv"), csv.toString());
            } else {
                TestService.write(dir, DumpLayout.dataFile(t, 0, "sql"), sql.append(";\n").toString());
            }
        }
        try (var listing = Files.list(dir)) {
            assertThat(listing).as("one flat directory, a file per table").allMatch(Files::isRegularFile)
                    .hasSize(2 + 2 * tables.size());
        }
        MigrationId m = MigrationId.of("import-" + db.replace('_', '-'));

        // when it is imported
        producer.send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), new ImportRequest(
                ImportRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(target), dir.toString(), tables))).get();
        await().atMost(Duration.ofSeconds(60)).until(() -> status.of(ChunkImported.class, m).stream()
                .map(ChunkImported::chunkId).distinct().count() >= tables.size()
                || !status.of(WorkFailed.class, m).isEmpty());

        // then each table got its own file's rows, and only those
        assertThat(status.of(WorkFailed.class, m)).isEmpty();
        assertThat(status.of(ImportPlanned.class, m).getFirst().chunks())
                .extracting(ImportPlanned.PlannedChunk::table).containsExactlyInAnyOrderElementsOf(tables);
        for (TableRef t : tables) {
            assertThat(rows("SELECT COUNT(*), MIN(name), MAX(name) FROM " + t.quoted())).as("rows of %s", t)
                    .containsExactly(expected.get(t) + "|" + t.table() + "|" + t.table());
        }
        assertThat(status.of(ChunkImported.class, m)).extracting(ChunkImported::table, ChunkImported::rows)
                .containsOnly(expected.entrySet().stream()
                        .map(e -> org.assertj.core.groups.Tuple.tuple(e.getKey(), e.getValue()))
                        .toArray(org.assertj.core.groups.Tuple[]::new));
    }

    @Test
    void anUnreadableMessageIsSkippedAndTheNextOneOnItsPartitionIsServed() throws Exception {
        String db = TestDatabases.uniqueSchema("poison");
        Path dir = dumps.resolve(db);
        TestService.write(dir, db + ".t-schema.sql", "CREATE TABLE `t` (`id` int);\n");
        TestService.write(dir, db + ".t.000000000.sql", "INSERT INTO `t` VALUES (1),(2);\n");
        MigrationId m = MigrationId.of("import-" + db.replace('_', '-'));
        ImportRequest request = new ImportRequest(ImportRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(target),
                dir.toString(), List.of(TableRef.of(db, "t")));
        String chunkFile = db + ".t.000000000.sql";
        ImportChunk chunk = new ImportChunk(ImportChunk.idFor(m, 1, chunkFile), m, 1, TestDatabases.endpoint(target),
                dir.toString(), TableRef.of(db, "t"), chunkFile, Files.size(dir.resolve(chunkFile)));

        // given garbage, then a message of another schema version, ahead of real work on the same partition
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(java.util.Map.of(
                org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(TOPICS.importCommands(), 0, "junk", "not json".getBytes())).get();
            raw.send(new ProducerRecord<>(TOPICS.importCommands(), 0, "junk", "{\"schema\":99}".getBytes())).get();
            producer.send(new ProducerRecord<>(TOPICS.importCommands(), 0, m.value(), request)).get();

            // then the request behind them is planned and imported
            await().atMost(Duration.ofSeconds(60)).until(() -> status.of(ChunkImported.class, m).size() >= 1);

            // and so is a chunk queued behind garbage on its partition (a redelivery: found done, reported again)
            raw.send(new ProducerRecord<>(TOPICS.importChunks(), 0, "junk", "not json".getBytes())).get();
            raw.send(new ProducerRecord<>(TOPICS.importChunks(), 0, "junk", "{\"schema\":99}".getBytes())).get();
            producer.send(new ProducerRecord<>(TOPICS.importChunks(), 0, chunk.messageId(), chunk)).get();
            // at least once: a rebalance between the two workers may report the done chunk twice (same event id)
            await().atMost(Duration.ofSeconds(60)).until(() -> status.of(ChunkImported.class, m).size() >= 2);
            assertThat(status.of(ChunkImported.class, m)).extracting(ChunkImported::eventId).containsOnly(
                    ChunkImported.idFor(chunk.messageId()));
        }
        assertThat(rows("SELECT COUNT(*) FROM `" + db + "`.t")).containsExactly("2");
    }

    @Test
    void aStatementTheTargetRejectsFailsTheChunkNamingTableFileAndServerMessage() throws Exception {
        String db = TestDatabases.uniqueSchema("bad");
        Path dir = dumps.resolve(db);
        TestService.write(dir, db + "-schema-create.sql", "CREATE DATABASE `" + db + "`;\n");
        TestService.write(dir, db + ".t-schema.sql", "CREATE TABLE `t` (`id` int PRIMARY KEY, `code` varchar(3));\n");
        TestService.write(dir, db + ".t.000000000.sql",
                "INSERT INTO `t` VALUES (1,'ok');\nINSERT INTO `t` VALUES (2,'too','many');\n");
        MigrationId m = MigrationId.of("import-" + db.replace('_', '-'));

        producer.send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), new ImportRequest(
                ImportRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(target), dir.toString(),
                List.of(TableRef.of(db, "t"))))).get();

        await().atMost(Duration.ofSeconds(60)).until(() -> !status.of(WorkFailed.class, m).isEmpty());
        WorkFailed failed = status.of(WorkFailed.class, m).getFirst();
        assertThat(failed.code()).isEqualTo("TM-30003");
        assertThat(failed.retriable()).isFalse();
        assertThat(failed.subject()).isEqualTo(db + ".t.000000000.sql");
        assertThat(failed.message())
                .contains(db + ".t")
                .contains("file " + db + ".t.000000000.sql")
                .contains("statement 1")
                .contains("Column count doesn't match value count");
        assertThat(failed.remedy()).isNotBlank();
        // the statement before the failing one is rolled back with it: the batch is one transaction
        assertThat(rows("SELECT COUNT(*) FROM `" + db + "`.t")).containsExactly("0");
        assertThat(status.of(ChunkImported.class, m)).isEmpty();
    }

    @Test
    void aWrongTargetPasswordIsReportedAsAccessDeniedNamingTheAccount() throws Exception {
        String db = TestDatabases.uniqueSchema("denied");
        Path dir = dumps.resolve(db);
        TestService.write(dir, db + ".t-schema.sql", "CREATE TABLE `t` (`id` int);\n");
        MigrationId m = MigrationId.of("import-" + db.replace('_', '-'));

        producer.send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), new ImportRequest(
                ImportRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(target, "root", "not-the-password"),
                dir.toString(), List.of(TableRef.of(db, "t"))))).get();

        await().atMost(Duration.ofSeconds(60)).until(() -> !status.of(WorkFailed.class, m).isEmpty());
        WorkFailed failed = status.of(WorkFailed.class, m).getFirst();
        assertThat(failed.code()).isEqualTo("TM-30002");
        assertThat(failed.message()).contains("root@" + target.host() + ":" + target.port())
                .contains("Access denied")
                .doesNotContain("not-the-password");
        assertThat(failed.retriable()).isFalse();
        assertThat(status.of(ImportPlanned.class, m)).isEmpty();
    }

    @Test
    void rowsGoToTheirColumnsByNameInATargetTableCreatedInAnotherColumnOrder() throws Exception {
        // given target tables created by hand, columns in another order than the source's and one more column
        String db = TestDatabases.uniqueSchema("order");
        String targetColumns = " (`amount` decimal(10,2), `id` int PRIMARY KEY, `extra` varchar(5) DEFAULT 'x',"
                + " `label` varchar(20))";
        TestDatabases.execute(target, "CREATE DATABASE `" + db + "`",
                "CREATE TABLE `" + db + "`.s" + targetColumns, "CREATE TABLE `" + db + "`.c" + targetColumns,
                "CREATE TABLE `" + db + "`.z" + targetColumns);
        // and a Dumpling dump of the source's (id, label, amount): INSERTs without a column list, a CSV with a header,
        // and one table whose CREATE TABLE file is compressed (dumpling --compress)
        Path dir = dumps.resolve(db);
        String sourceColumns = " (`id` int NOT NULL, `label` varchar(20), `amount` decimal(10,2), PRIMARY KEY (`id`));\n";
        TestService.write(dir, db + ".s-schema.sql", "CREATE TABLE `s`" + sourceColumns);
        TestService.write(dir, db + ".c-schema.sql", "CREATE TABLE `c`" + sourceColumns);
        TestService.write(dir, db + ".z-schema.sql", "CREATE TABLE `z`" + sourceColumns);
        compress(dir, db + ".z-schema.sql", "gz");
        TestService.write(dir, db + ".z.000000000.sql", "INSERT INTO `z` VALUES (7,'seven',7.50);\n");
        compress(dir, db + ".z.000000000.sql", "gz"); // dumpling --compress compresses data and schema alike
        TestService.write(dir, db + ".s.000000000.sql", "INSERT INTO `s` VALUES (1,'one',1.50),(2,'two',2.50);\n"
                + "INSERT INTO `s` (`label`,`id`,`amount`) VALUES ('three',3,3.50);\n");
        TestService.write(dir, db + ".c.000000000.csv", "\"id\",\"label\",\"amount\"\n1,\"one\",1.50\n2,\"two\",2.50\n");
        MigrationId m = MigrationId.of("import-" + db.replace('_', '-'));

        // when it is imported
        producer.send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), new ImportRequest(
                ImportRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(target), dir.toString(),
                List.of(TableRef.of(db, "s"), TableRef.of(db, "c"), TableRef.of(db, "z"))))).get();
        await().atMost(Duration.ofSeconds(60)).until(() -> status.of(ChunkImported.class, m).size() >= 3
                || !status.of(WorkFailed.class, m).isEmpty());

        // then every value is in the column it was dumped from, and the target's own column keeps its default
        assertThat(status.of(WorkFailed.class, m)).isEmpty();
        assertThat(rows("SELECT id, label, amount, extra FROM `" + db + "`.s ORDER BY id"))
                .containsExactly("1|one|1.50|x", "2|two|2.50|x", "3|three|3.50|x");
        assertThat(rows("SELECT id, label, amount, extra FROM `" + db + "`.c ORDER BY id"))
                .containsExactly("1|one|1.50|x", "2|two|2.50|x");
        assertThat(rows("SELECT id, label, amount, extra FROM `" + db + "`.z ORDER BY id"))
                .containsExactly("7|seven|7.50|x");
    }

    @Test
    void aReadOnlyTargetFailsPlanAndChunkNamingReadOnlyAndHowToLiftIt() throws Exception {
        // given an account with every privilege the import needs but not READ_ONLY ADMIN/SUPER, which read_only binds
        String db = TestDatabases.uniqueSchema("readonly");
        String user = "loader_" + db;
        Path dir = dumps.resolve(db);
        TestService.write(dir, db + "-schema-create.sql", "CREATE DATABASE `" + db + "`;\n");
        TestService.write(dir, db + ".t-schema.sql", "CREATE TABLE `t` (`id` int PRIMARY KEY);\n");
        String file = db + ".t.000000000.sql";
        TestService.write(dir, file, "INSERT INTO `t` VALUES (1),(2);\n");
        TestDatabases.execute(target, "CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + TestDatabases.PASSWORD + "'",
                "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE ON `" + db + "`.* TO '" + user + "'@'%'",
                "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE ON tidemark_meta.* TO '" + user + "'@'%'");
        DatabaseEndpoint loader = TestDatabases.endpoint(target, user, TestDatabases.PASSWORD);
        MigrationId m = MigrationId.of("import-" + db.replace('_', '-'));
        ImportChunk chunk = new ImportChunk(ImportChunk.idFor(m, 1, file), m, 1, loader, dir.toString(),
                TableRef.of(db, "t"), file, Files.size(dir.resolve(file)));

        // when the target is read-only while the import is planned and a chunk of it is delivered to a worker
        TestDatabases.execute(target, "SET GLOBAL read_only = ON");
        try {
            producer.send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), new ImportRequest(
                    ImportRequest.idFor(m, 1), m, 1, loader, dir.toString(), List.of(TableRef.of(db, "t"))))).get();
            producer.send(new ProducerRecord<>(TOPICS.importChunks(), chunk.messageId(), chunk)).get();
            await().atMost(Duration.ofSeconds(60)).until(() -> status.of(WorkFailed.class, m).stream()
                    .map(WorkFailed::subject).distinct().count() >= 2);
        } finally {
            TestDatabases.execute(target, "SET GLOBAL read_only = OFF");
        }

        // then both fail for good as a read-only target, saying how to make it writable, not to compare tables
        List<WorkFailed> failures = status.of(WorkFailed.class, m);
        assertThat(failures).extracting(WorkFailed::subject).containsExactlyInAnyOrder("plan", file);
        for (WorkFailed failed : failures) {
            assertThat(failed.code()).as(failed.subject()).isEqualTo("TM-30007");
            assertThat(failed.retriable()).isFalse();
            assertThat(failed.message()).contains(user + "@" + target.host() + ":" + target.port())
                    .contains("is read-only").contains("--read-only option");
            assertThat(failed.remedy()).contains("SET GLOBAL read_only=OFF")
                    .doesNotContain("compare the table definitions");
        }
        assertThat(status.of(ImportPlanned.class, m)).isEmpty();
        assertThat(status.of(ChunkImported.class, m)).isEmpty();
        assertThat(rows("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '" + db + "'"))
                .containsExactly("0");
    }

    @Test
    void aTargetThatStaysUnreachableFailsThePlanAfterItsAttemptsSayingHowToResume() throws Exception {
        String db = TestDatabases.uniqueSchema("unreachable");
        Path dir = dumps.resolve(db);
        TestService.write(dir, db + ".t-schema.sql", "CREATE TABLE `t` (`id` int);\n");
        MigrationId m = MigrationId.of("import-" + db.replace('_', '-'));
        int closedPort = SilentServer.closedPort();

        // when the request names a target nothing listens on
        producer.send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), new ImportRequest(
                ImportRequest.idFor(m, 1), m, 1, new DatabaseEndpoint("127.0.0.1", closedPort, "root",
                TestDatabases.secretBox().seal("pw")), dir.toString(), List.of(TableRef.of(db, "t"))))).get();

        // then the first failure says Tidemark retries, and the last one, once the attempts ran out, that it stopped
        await().atMost(Duration.ofSeconds(60)).until(() -> status.of(WorkFailed.class, m).stream()
                .anyMatch(e -> !e.retriable()));
        List<WorkFailed> failures = status.of(WorkFailed.class, m);
        assertThat(failures.getFirst().retriable()).isTrue();
        assertThat(failures.getFirst().remedy()).contains("Tidemark retries");
        WorkFailed last = failures.getLast();
        assertThat(last.code()).isEqualTo("TM-30001");
        assertThat(last.subject()).isEqualTo("plan");
        assertThat(last.message()).contains("127.0.0.1:" + closedPort);
        assertThat(last.remedy()).contains("Tidemark stopped after 5 attempts")
                .contains("POST /api/v1/migrations/{id}/retry").doesNotContain("Tidemark retries");
        assertThat(failures).filteredOn(e -> !e.retriable()).hasSize(1);
        assertThat(status.of(ImportPlanned.class, m)).isEmpty();
    }

    @Test
    void aTableWithoutSchemaFileThatTheTargetLacksIsNamedWithWhereItsFileWasLookedFor() throws Exception {
        String db = TestDatabases.uniqueSchema("missing");
        Path dir = dumps.resolve(db);
        TestService.write(dir, db + ".t.000000000.sql", "INSERT INTO `t` VALUES (1);\n");
        MigrationId m = MigrationId.of("import-" + db.replace('_', '-'));

        producer.send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), new ImportRequest(
                ImportRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(target), dir.toString(),
                List.of(TableRef.of(db, "t"))))).get();

        await().atMost(Duration.ofSeconds(60)).until(() -> !status.of(WorkFailed.class, m).isEmpty());
        WorkFailed failed = status.of(WorkFailed.class, m).getFirst();
        assertThat(failed.code()).isEqualTo("TM-30014");
        assertThat(failed.message()).contains("has no table " + db + ".t: the files hold no CREATE TABLE file for it"
                + " (looked in " + dir + ")");
        assertThat(rows("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '" + db + "'"))
                .containsExactly("0");
    }

    /** {@link #writeShopDump}'s customers as the target holds them */
    private static final List<String> SHOP_CUSTOMERS = List.of(
            "1|Ann|it's ok; really|2024-01-02 03:04:05",
            "2|Bob 😀|multi\nline 'quoted'|null",
            "3|Zoë|/* not a comment */|0000-00-00 00:00:00",
            "4|中文|dq|2024-02-29 23:59:59");
    /** {@link #writeShopDump}'s events, ordered by time and kind */
    private static final List<String> SHOP_EVENTS = List.of(
            "login|{\"a\":1}|2024-01-01 00:00:00",
            "login|{\"a\":1}|2024-01-01 00:00:00",
            "logout|null|2024-01-01 01:00:00",
            "buy|🛒;x|2024-01-01 02:00:00");

    /**
     * A Dumpling dump of {@code db}: customers (with a primary key) in two files of quoted, multi-line and zero-date
     * values, events (without a key) in one file with comments between its statements.
     */
    private static void writeShopDump(Path dir, String db) throws Exception {
        TestService.write(dir, db + "-schema-create.sql", "/*!40101 SET NAMES binary*/;\n"
                + "CREATE DATABASE `" + db + "` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;\n");
        TestService.write(dir, db + ".customers-schema.sql", """
                /*!40101 SET NAMES binary*/;
                CREATE TABLE `customers` (
                  `id` int NOT NULL,
                  `name` varchar(100) DEFAULT NULL, -- who; with a semicolon in a comment
                  `note` text,
                  `created` datetime DEFAULT NULL,
                  PRIMARY KEY (`id`)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
                """);
        TestService.write(dir, db + ".events-schema.sql", """
                /*!40101 SET NAMES binary*/;
                CREATE TABLE `events` (`kind` varchar(20), `payload` varchar(200), `at` datetime) DEFAULT CHARSET=utf8mb4;
                """);
        TestService.write(dir, db + ".customers.000000000.sql", """
                /*!40101 SET NAMES binary*/;
                /*!40014 SET FOREIGN_KEY_CHECKS=0*/;
                INSERT INTO `customers` VALUES
                (1,'Ann','it''s ok; really','2024-01-02 03:04:05'),
                (2,'Bob 😀','multi
                line \\'quoted\\'',NULL);
                """);
        TestService.write(dir, db + ".customers.000000001.sql", """
                /*!40101 SET NAMES binary*/;
                INSERT INTO `customers` VALUES (3,'Zoë','/* not a comment */','0000-00-00 00:00:00');
                INSERT INTO `customers` (`id`,`name`,`note`,`created`) VALUES (4,'中文',"dq",'2024-02-29 23:59:59');
                """);
        TestService.write(dir, db + ".events.000000000.sql", """
                /*!40101 SET NAMES binary*/;
                INSERT INTO `events` VALUES ('login','{"a":1}','2024-01-01 00:00:00'),('login','{"a":1}','2024-01-01 00:00:00');
                # a dump comment
                INSERT INTO `events` VALUES ('logout',NULL,'2024-01-01 01:00:00');
                INSERT INTO `events` VALUES ('buy','🛒;x','2024-01-01 02:00:00');
                """);
    }

    private static List<String> rows(String sql) throws Exception {
        return rig.rows(sql);
    }
}
