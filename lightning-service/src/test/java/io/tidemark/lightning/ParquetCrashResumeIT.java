package io.tidemark.lightning;

import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.status.ChunkImported;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.storage.LocalStorage;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.lightning.parquet.ParquetRows;
import io.tidemark.lightning.parquet.SparkExport;
import io.tidemark.mysql.checksum.DigestColumns;
import io.tidemark.mysql.checksum.ValueChecksum;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.parquet.schema.MessageType;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One Parquet part file of a table without a primary key, its import stopped in the middle of a batch (the service
 * shut down while its worker's statement waited inside an open transaction, batches already committed before it) and
 * resumed by a fresh service: the resumed worker skips the rows its checkpoint counts and the target ends with
 * exactly the file's rows, none lost, none twice.
 */
class ParquetCrashResumeIT {
    private static final int ROWS = 100_000;

    private static TestKafka kafka;
    private static LocalMariaDb target;
    private static StatusRecorder status;
    private static TargetProbe probe;

    @TempDir
    static Path exports;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        target = TestDatabases.startTarget("lightning-pq-crash");
        probe = new TargetProbe(target);
        status = new StatusRecorder(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() throws Exception {
        if (status != null) {
            status.close();
        }
        if (target != null) {
            target.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aChunkCheckpointedByAVersionWithoutValueSumsReportsNoneRatherThanAPartialOne() throws Exception {
        // given the checkpoint table as a version before value sums created it, holding a chunk half done
        String db = TestDatabases.uniqueSchema("pqold");
        Path root = exports.resolve(db);
        SparkExport export = new SparkExport(root, "e1");
        Path file = export.partFile(db, "olds", 1, 0);
        SparkExport.write(file, SparkExport.schema("message spark_schema { optional int64 n; }"), 64 * 1024,
                (groups, out) -> {
                    for (long n = 0; n < 100; n++) {
                        out.accept(groups.newGroup().append("n", n));
                    }
                });
        String relative = root.relativize(file).toString();
        MigrationId m = MigrationId.of("pqold-" + db.replace('_', '-'));
        ImportChunk chunk = new ImportChunk(ImportChunk.idFor(m, 1, relative), m, 1, TestDatabases.endpoint(target),
                root.toString(), TableRef.of(db, "olds"), relative, Files.size(file));
        TestDatabases.execute(target, "CREATE DATABASE `" + db + "`", "CREATE TABLE `" + db + "`.olds (n BIGINT)",
                "INSERT INTO `" + db + "`.olds VALUES " + String.join(",", java.util.stream.LongStream.range(0, 40)
                        .mapToObj(n -> "(" + n + ")").toList()),
                "CREATE DATABASE IF NOT EXISTS tidemark_meta", "DROP TABLE IF EXISTS tidemark_meta.import_chunks",
                "CREATE TABLE tidemark_meta.import_chunks (chunk_id VARCHAR(700) NOT NULL,"
                        + " migration_id VARCHAR(64) NOT NULL, table_name VARCHAR(400) NOT NULL,"
                        + " file VARCHAR(1024) NOT NULL, status VARCHAR(16) NOT NULL,"
                        + " statements_done BIGINT NOT NULL DEFAULT 0, bytes_done BIGINT NOT NULL DEFAULT 0,"
                        + " rows_done BIGINT NOT NULL DEFAULT 0, updated_at TIMESTAMP(3) NOT NULL"
                        + " DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), PRIMARY KEY (chunk_id),"
                        + " KEY idx_import_chunks_migration (migration_id)) DEFAULT CHARSET=utf8mb4"
                        + " COLLATE=utf8mb4_bin",
                "INSERT INTO tidemark_meta.import_chunks (chunk_id, migration_id, table_name, file, status,"
                        + " statements_done, rows_done) VALUES ('" + chunk.messageId() + "', '" + m.value() + "',"
                        + " '" + db + ".olds', '" + relative + "', 'running', 1, 40)");

        // when a service of this version resumes it
        ConfigurableApplicationContext service = TestService.start(kafka.bootstrapServers(),
                "--tidemark.lightning.workers=1");
        try {
            try (KafkaProducer<String, Object> producer = TestService.producer(kafka.bootstrapServers())) {
                producer.send(new ProducerRecord<>(TopicCatalog.DEFAULT.importChunks(), chunk.messageId(), chunk))
                        .get();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> status.of(ChunkImported.class, m).stream()
                    .anyMatch(e -> e.chunkId().equals(chunk.messageId())) || !status.of(WorkFailed.class, m).isEmpty());
        } finally {
            service.close();
        }

        // then it finishes the file from row 40 and reports its rows with no value sum: the sum of the 40 rows the
        // old version wrote is unknown, and a sum of the other 60 would fail a correct import
        assertThat(status.of(WorkFailed.class, m)).isEmpty();
        assertThat(probe.count("SELECT COUNT(DISTINCT n) FROM `" + db + "`.olds")).isEqualTo(100);
        assertThat(probe.count("SELECT COUNT(*) FROM `" + db + "`.olds")).isEqualTo(100);
        assertThat(status.of(ChunkImported.class, m)).filteredOn(e -> e.chunkId().equals(chunk.messageId()))
                .extracting(ChunkImported::rows, ChunkImported::valueSum)
                .containsOnly(Tuple.tuple(100L, null));
    }

    @Test
    void aFileOfManyRowGroupsIsPlannedAsChunksOfRowGroupsEachImportedAndSummedOnItsOwn() throws Exception {
        // given an export whose one part file holds many row groups of about 16KB
        String db = TestDatabases.uniqueSchema("pqgroups");
        Path root = exports.resolve(db);
        SparkExport export = new SparkExport(root, "e1");
        Path file = export.partFile(db, "hits", 1, 0);
        long rowCount = 20_000;
        SparkExport.write(file, SparkExport.schema(
                "message spark_schema { optional int64 n; optional binary label (STRING); }"), 16 * 1024,
                (groups, out) -> {
                    for (long n = 0; n < rowCount; n++) {
                        out.accept(groups.newGroup().append("n", n).append("label", "h" + n * 7919 % 10007));
                    }
                });
        SparkExport.success(file.getParent());
        String relative = root.relativize(file).toString();
        java.util.List<ParquetRows.RowGroup> groups;
        try (ParquetRows rows = ParquetRows.open(new LocalStorage(root), relative, TableRef.of(db, "hits"),
                new ParquetRows.Limits(64L * 1024 * 1024))) {
            groups = rows.rowGroups();
        }
        assertThat(groups).as("enough row groups for several chunks").hasSizeGreaterThan(4);
        long chunkBytes = groups.stream().mapToLong(ParquetRows.RowGroup::compressedBytes).max().orElseThrow() * 2;
        TestDatabases.execute(target, "CREATE DATABASE `" + db + "`",
                "CREATE TABLE `" + db + "`.hits (n BIGINT, label VARCHAR(40)) DEFAULT CHARSET=utf8mb4");
        MigrationId m = MigrationId.of("pqgroups-" + db.replace('_', '-'));

        // when it is imported with chunks of at most two row groups' bytes
        ConfigurableApplicationContext service = TestService.start(kafka.bootstrapServers(),
                "--tidemark.lightning.workers=2", "--tidemark.lightning.chunk-bytes=" + chunkBytes + "B");
        try {
            try (KafkaProducer<String, Object> producer = TestService.producer(kafka.bootstrapServers())) {
                producer.send(new ProducerRecord<>(TopicCatalog.DEFAULT.importCommands(), m.value(),
                        new io.tidemark.common.command.ImportRequest(
                                io.tidemark.common.command.ImportRequest.idFor(m, 1), m, 1,
                                TestDatabases.endpoint(target), root.toString(), java.util.List.of()))).get();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> !status.of(WorkFailed.class, m).isEmpty()
                    || !status.of(io.tidemark.common.status.ImportPlanned.class, m).isEmpty()
                    && status.of(ChunkImported.class, m).stream().map(ChunkImported::chunkId).distinct().count()
                    == status.of(io.tidemark.common.status.ImportPlanned.class, m).getFirst().chunks().size());
        } finally {
            service.close();
        }

        // then the file was planned as consecutive runs of row groups, each within the chunk size
        assertThat(status.of(WorkFailed.class, m)).isEmpty();
        var planned = status.of(io.tidemark.common.status.ImportPlanned.class, m).getFirst().chunks();
        assertThat(planned).hasSizeGreaterThanOrEqualTo(groups.size() / 2);
        int next = 0;
        for (var chunk : planned) {
            String range = chunk.chunkId().substring(chunk.chunkId().lastIndexOf("#row-groups-") + 12);
            int from = Integer.parseInt(range.substring(0, range.indexOf('-')));
            int last = Integer.parseInt(range.substring(range.indexOf('-') + 1));
            assertThat(chunk.chunkId()).startsWith(ImportChunk.idFor(m, 1, relative) + "#row-groups-");
            assertThat(from).as("runs follow each other").isEqualTo(next);
            long bytes = groups.subList(from, last + 1).stream().mapToLong(ParquetRows.RowGroup::compressedBytes).sum();
            assertThat(chunk.sizeBytes()).isEqualTo(bytes).isLessThanOrEqualTo(chunkBytes);
            next = last + 1;
        }
        assertThat(next).as("every row group is in a chunk").isEqualTo(groups.size());
        // and the target holds each row once; the chunks' rows and value sums add up to the table's
        assertThat(probe.count("SELECT COUNT(*) FROM `" + db + "`.hits")).isEqualTo(rowCount);
        assertThat(probe.count("SELECT COUNT(DISTINCT n) FROM `" + db + "`.hits")).isEqualTo(rowCount);
        java.util.Map<String, ChunkImported> byChunk = new java.util.HashMap<>();
        status.of(ChunkImported.class, m).forEach(e -> byChunk.put(e.chunkId(), e));
        assertThat(byChunk.values().stream().mapToLong(ChunkImported::rows).sum()).isEqualTo(rowCount);
        assertThat(byChunk.values()).extracting(ChunkImported::valueSum).doesNotContainNull();
        long stored;
        try (Connection c = TestDatabases.connect(target)) {
            TableRef hits = TableRef.of(db, "hits");
            stored = ValueChecksum.of(c, hits, DigestColumns.of(c, hits)).sum();
        }
        assertThat(byChunk.values().stream().mapToLong(ChunkImported::valueSum).sum()).isEqualTo(stored);
    }

    @Test
    void anInterruptedChunkOfRowGroupsResumesWithinItsRowGroupsAndTakesNoOtherRow() throws Exception {
        // given a part file of 100k rows in several row groups, and a chunk of all but its first and last row groups
        String db = TestDatabases.uniqueSchema("pqcrashrg");
        Path root = exports.resolve(db);
        Path file = new SparkExport(root, "e1").partFile(db, "hits", 1, 0);
        SparkExport.write(file, SparkExport.schema("message spark_schema { optional int64 n; }"), 16 * 1024,
                (groups, out) -> {
                    for (long n = 0; n < ROWS; n++) {
                        out.accept(groups.newGroup().append("n", n));
                    }
                });
        String relative = root.relativize(file).toString();
        java.util.List<ParquetRows.RowGroup> groups;
        try (ParquetRows rows = ParquetRows.open(new LocalStorage(root), relative, TableRef.of(db, "hits"),
                new ParquetRows.Limits(64L * 1024 * 1024))) {
            groups = rows.rowGroups();
        }
        assertThat(groups).as("a range that crosses row groups").hasSizeGreaterThan(3);
        ImportChunk.RowGroups range = new ImportChunk.RowGroups(1, groups.size() - 1);
        long firstRow = groups.getFirst().rows();
        long endRow = ROWS - groups.getLast().rows();
        TestDatabases.execute(target, "CREATE DATABASE `" + db + "`", "CREATE TABLE `" + db + "`.hits (n BIGINT)");
        MigrationId m = MigrationId.of("pqcrashrg-" + db.replace('_', '-'));
        ImportChunk chunk = new ImportChunk(ImportChunk.idFor(m, 1, relative, range), m, 1,
                TestDatabases.endpoint(target), root.toString(), TableRef.of(db, "hits"), relative, 12345,
                io.tidemark.common.command.ImportOptions.OnDuplicate.REPLACE, range);
        String table = "`" + db + "`.`hits`";
        String[] worker = {"--tidemark.lightning.workers=1", "--tidemark.lightning.batch-bytes=8KB"};
        ConfigurableApplicationContext first = TestService.start(kafka.bootstrapServers(), worker);
        try (KafkaProducer<String, Object> producer = TestService.producer(kafka.bootstrapServers())) {
            producer.send(new ProducerRecord<>(TopicCatalog.DEFAULT.importChunks(), chunk.messageId(), chunk)).get();
        }

        // when the service stops while its worker waits inside an open batch, past the chunk's first row group
        long past = groups.get(1).rows() + 100;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                .until(() -> probe.checkpointOrNone(chunk.messageId()).rows() >= past);
        try (Connection lock = TestDatabases.connect(target); Statement st = lock.createStatement()) {
            st.execute("LOCK TABLES " + table + " WRITE");
            long session = probe.awaitWorkerWaitingOnTheLock();
            assertThat(probe.checkpoint(chunk.messageId()).rows()).isBetween(past, endRow - firstRow - 1);
            first.close();
            st.execute("UNLOCK TABLES");
            await().atMost(Duration.ofSeconds(30)).until(() -> !probe.sessionExists(session));
        }
        assertThat(probe.count("SELECT COUNT(*) FROM " + table)).isEqualTo(probe.checkpoint(chunk.messageId()).rows());

        // and a fresh service takes the chunk again
        ConfigurableApplicationContext second = TestService.start(kafka.bootstrapServers(), worker);
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> status.of(ChunkImported.class, m).stream()
                    .anyMatch(e -> e.chunkId().equals(chunk.messageId())));
        } finally {
            second.close();
        }

        // then the table holds exactly the rows of the chunk's row groups, each once, and its sum is theirs
        assertThat(probe.count("SELECT COUNT(*) FROM " + table)).isEqualTo(endRow - firstRow);
        assertThat(probe.count("SELECT COUNT(DISTINCT n) FROM " + table)).isEqualTo(endRow - firstRow);
        assertThat(probe.count("SELECT MIN(n) FROM " + table)).isEqualTo(firstRow);
        assertThat(probe.count("SELECT MAX(n) FROM " + table)).isEqualTo(endRow - 1);
        long stored;
        try (Connection c = TestDatabases.connect(target)) {
            TableRef hits = TableRef.of(db, "hits");
            stored = ValueChecksum.of(c, hits, DigestColumns.of(c, hits)).sum();
        }
        assertThat(status.of(ChunkImported.class, m)).filteredOn(e -> e.chunkId().equals(chunk.messageId()))
                .extracting(ChunkImported::rows, ChunkImported::bytes, ChunkImported::valueSum)
                .containsOnly(Tuple.tuple(endRow - firstRow, 12345L, stored));
        assertThat(status.of(WorkFailed.class, m)).isEmpty();
    }

    @Test
    void anInterruptedParquetChunkResumesAtItsCheckpointRowWithoutDuplicatesOrGaps() throws Exception {
        // given a keyless table's part file of 100k rows in several row groups; 8KB statements, one per batch
        String db = TestDatabases.uniqueSchema("pqcrash");
        Path root = exports.resolve(db);
        SparkExport export = new SparkExport(root, "e1");
        Path file = export.partFile(db, "hits", 1, 0);
        MessageType schema = SparkExport.schema(
                "message spark_schema { optional int64 n; optional binary label (STRING); }");
        SparkExport.write(file, schema, 64 * 1024, (groups, out) -> {
            for (long n = 0; n < ROWS; n++) {
                out.accept(groups.newGroup().append("n", n).append("label", "h" + n + "-😀"));
            }
        });
        SparkExport.success(file.getParent());
        String relative = root.relativize(file).toString();
        try (ParquetRows rows = ParquetRows.open(new LocalStorage(root), relative, TableRef.of(db, "hits"),
                new ParquetRows.Limits(64L * 1024 * 1024))) {
            assertThat(rows.rowGroups()).as("resuming must cross row groups").hasSizeGreaterThan(2);
        }
        TestDatabases.execute(target, "CREATE DATABASE `" + db + "`",
                "CREATE TABLE `" + db + "`.hits (n BIGINT, label VARCHAR(40)) DEFAULT CHARSET=utf8mb4");
        MigrationId m = MigrationId.of("pqcrash-" + db.replace('_', '-'));
        ImportChunk chunk = new ImportChunk(ImportChunk.idFor(m, 1, relative), m, 1, TestDatabases.endpoint(target),
                root.toString(), TableRef.of(db, "hits"), relative, Files.size(file));
        String table = "`" + db + "`.`hits`";
        String[] worker = {"--tidemark.lightning.workers=1", "--tidemark.lightning.batch-bytes=8KB"};

        ConfigurableApplicationContext first = TestService.start(kafka.bootstrapServers(), worker);
        try (KafkaProducer<String, Object> producer = TestService.producer(kafka.bootstrapServers())) {
            producer.send(new ProducerRecord<>(TopicCatalog.DEFAULT.importChunks(), chunk.messageId(), chunk)).get();
        }

        // when the service shuts down while its worker's next statement waits inside an open batch
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                .until(() -> probe.checkpointOrNone(chunk.messageId()).rows() >= 20_000);
        TargetProbe.Checkpoint interrupted;
        try (Connection lock = TestDatabases.connect(target); Statement st = lock.createStatement()) {
            st.execute("LOCK TABLES " + table + " WRITE");
            long session = probe.awaitWorkerWaitingOnTheLock();
            interrupted = probe.checkpoint(chunk.messageId());
            assertThat(interrupted.status()).as("the chunk is mid-file when the service stops").isEqualTo("running");
            assertThat(interrupted.rows()).as("some batches are in, not all").isBetween(20_000L, ROWS - 1L);
            first.close();
            st.execute("UNLOCK TABLES");
            await().atMost(Duration.ofSeconds(30)).until(() -> !probe.sessionExists(session));
        }

        // then the open batch was rolled back with its checkpoint: the target holds exactly the rows it counts
        TargetProbe.Checkpoint afterStop = probe.checkpoint(chunk.messageId());
        assertThat(afterStop).as("the waiting batch never committed").isEqualTo(interrupted);
        assertThat(probe.count("SELECT COUNT(*) FROM " + table)).isEqualTo(afterStop.rows());
        assertThat(probe.count("SELECT MAX(n) FROM " + table)).as("the rows in are the file's first ones")
                .isEqualTo(afterStop.rows() - 1);

        // when a fresh service takes the chunk again
        ConfigurableApplicationContext second = TestService.start(kafka.bootstrapServers(), worker);
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> status.of(ChunkImported.class, m).stream()
                    .anyMatch(e -> e.chunkId().equals(chunk.messageId())));
        } finally {
            second.close();
        }

        // then the table holds each row of the file exactly once
        assertThat(probe.count("SELECT COUNT(*) FROM " + table)).isEqualTo(ROWS);
        assertThat(probe.count("SELECT COUNT(DISTINCT n) FROM " + table)).isEqualTo(ROWS);
        assertThat(probe.count("SELECT MIN(n) FROM " + table)).isZero();
        assertThat(probe.count("SELECT MAX(n) FROM " + table)).isEqualTo(ROWS - 1);
        assertThat(probe.count("SELECT COUNT(*) FROM " + table + " WHERE label = CONCAT('h', n, '-😀')"))
                .isEqualTo(ROWS);
        TargetProbe.Checkpoint done = probe.checkpoint(chunk.messageId());
        assertThat(done.status()).isEqualTo("done");
        assertThat(done.rows()).isEqualTo(ROWS);
        assertThat(status.of(ChunkImported.class, m)).filteredOn(e -> e.chunkId().equals(chunk.messageId()))
                .extracting(ChunkImported::rows, ChunkImported::bytes)
                .containsOnly(Tuple.tuple((long) ROWS, Files.size(file)));
        assertThat(status.of(WorkFailed.class, m)).isEmpty();

        // and the value sum it reports is of all the file's rows, those committed before the stop included: it
        // equals the target's value checksum of the table
        long stored;
        try (Connection c = TestDatabases.connect(target)) {
            TableRef hits = TableRef.of(db, "hits");
            stored = ValueChecksum.of(c, hits, DigestColumns.of(c, hits)).sum();
        }
        assertThat(status.of(ChunkImported.class, m)).filteredOn(e -> e.chunkId().equals(chunk.messageId()))
                .extracting(ChunkImported::valueSum).containsOnly(stored);
    }
}
