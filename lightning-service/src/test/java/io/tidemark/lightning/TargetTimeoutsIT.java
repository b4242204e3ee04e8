package io.tidemark.lightning;

import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.command.ImportRequest;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.status.ChunkImported;
import io.tidemark.common.status.ImportPlanned;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Which wait gets which timeout, with {@code tidemark.db.read-timeout=1s}: a table locked by another session keeps a
 * statement waiting, and only the statements Tidemark knows to be long (schema DDL, a CSV file's LOAD DATA) may wait
 * past the read timeout; a batch of INSERTs may not, and its chunk is retried until the lock goes.
 */
class TargetTimeoutsIT {
    private static final TopicCatalog TOPICS = TopicCatalog.DEFAULT;
    private static final long READ_TIMEOUT_MS = 1000;
    /** how long a statement must have waited to prove it outlived the read timeout */
    private static final long WELL_PAST_READ_TIMEOUT_MS = 2 * READ_TIMEOUT_MS + 500;

    private static ServiceRig rig;
    private static LocalMariaDb target;
    private static StatusRecorder status;
    private static KafkaProducer<String, Object> producer;

    @TempDir
    static Path dumps;

    @BeforeAll
    static void start() {
        rig = ServiceRig.start("lightning-timeouts", "--tidemark.lightning.workers=1",
                "--tidemark.db.read-timeout=" + READ_TIMEOUT_MS + "ms", "--tidemark.lightning.max-retry-backoff=200ms");
        target = rig.target();
        status = rig.status();
        producer = rig.producer();
    }

    @AfterAll
    static void stop() throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void schemaCreationWaitsPastTheReadTimeout() throws Exception {
        // given a table the dump creates, already on the target and locked by another session
        String db = TestDatabases.uniqueSchema("ddl");
        Path dir = dumps.resolve(db);
        TestService.write(dir, db + "-schema-create.sql", "CREATE DATABASE `" + db + "`;\n");
        TestService.write(dir, db + ".t-schema.sql", "CREATE TABLE `t` (`id` int);\n");
        TestService.write(dir, db + ".t.000000000.sql", "INSERT INTO `t` VALUES (1),(2);\n");
        TestDatabases.execute(target, "CREATE DATABASE `" + db + "`", "CREATE TABLE `" + db + "`.t (`id` int)");
        MigrationId m = MigrationId.of("import-" + db.replace('_', '-'));

        try (Connection holder = TestDatabases.connect(target); Statement lock = holder.createStatement()) {
            lock.execute("LOCK TABLES `" + db + "`.t WRITE");

            // when the import is planned, its CREATE DATABASE waits for the lock well past the read timeout
            producer.send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), new ImportRequest(
                    ImportRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(target), dir.toString(),
                    List.of(TableRef.of(db, "t"))))).get();
            await().atMost(Duration.ofSeconds(30)).until(() -> waitedMillis(db, "CREATE DATABASE")
                    >= WELL_PAST_READ_TIMEOUT_MS);
            assertThat(status.of(WorkFailed.class, m)).as("nothing failed while the DDL waited").isEmpty();
            lock.execute("UNLOCK TABLES");
        }

        // then the plan goes on once the lock is gone, without a failure, and the rows arrive
        await().atMost(Duration.ofSeconds(30)).until(() -> !status.of(ChunkImported.class, m).isEmpty());
        assertThat(status.of(ImportPlanned.class, m)).hasSize(1);
        assertThat(status.of(WorkFailed.class, m)).isEmpty();
        assertThat(rows("SELECT COUNT(*) FROM `" + db + "`.t")).containsExactly("2");
    }

    @Test
    void aCsvFilesLoadDataWaitsPastTheReadTimeout() throws Exception {
        // given a CSV chunk of a table another session holds locked
        String db = TestDatabases.uniqueSchema("csv");
        Path dir = dumps.resolve(db);
        String file = db + ".c.000000000.csv";
        TestService.write(dir, file, "\"id\",\"label\"\n1,\"a\"\n2,\"b\"\n3,\"c\"\n");
        TestDatabases.execute(target, "CREATE DATABASE `" + db + "`",
                "CREATE TABLE `" + db + "`.c (`id` int, `label` varchar(10))");
        MigrationId m = MigrationId.of("import-" + db.replace('_', '-'));

        try (Connection holder = TestDatabases.connect(target); Statement lock = holder.createStatement()) {
            lock.execute("LOCK TABLES `" + db + "`.c WRITE");

            // when a worker loads it, its LOAD DATA waits for the lock well past the read timeout
            producer.send(chunkRecord(m, db, "c", dir, file)).get();
            await().atMost(Duration.ofSeconds(30)).until(() -> waitedMillis(db, "LOAD DATA")
                    >= WELL_PAST_READ_TIMEOUT_MS);
            assertThat(status.of(WorkFailed.class, m)).as("nothing failed while LOAD DATA waited").isEmpty();
            lock.execute("UNLOCK TABLES");
        }

        // then the same statement goes on once the lock is gone: imported at the first attempt
        await().atMost(Duration.ofSeconds(30)).until(() -> !status.of(ChunkImported.class, m).isEmpty());
        assertThat(status.of(ChunkImported.class, m)).extracting(ChunkImported::rows).containsExactly(3L);
        assertThat(status.of(WorkFailed.class, m)).isEmpty();
        assertThat(rows("SELECT COUNT(*) FROM `" + db + "`.c")).containsExactly("3");
    }

    @Test
    void aBatchOfInsertsGetsOnlyTheReadTimeoutAndIsRetriedUntilTheLockGoes() throws Exception {
        // given a SQL chunk of a table another session holds locked
        String db = TestDatabases.uniqueSchema("sql");
        Path dir = dumps.resolve(db);
        String file = db + ".t.000000000.sql";
        TestService.write(dir, db + ".t-schema.sql", "CREATE TABLE `t` (`id` int);\n");
        TestService.write(dir, file, "INSERT INTO `t` VALUES (1),(2);\nINSERT INTO `t` VALUES (3);\n");
        TestDatabases.execute(target, "CREATE DATABASE `" + db + "`", "CREATE TABLE `" + db + "`.t (`id` int)");
        MigrationId m = MigrationId.of("import-" + db.replace('_', '-'));

        try (Connection holder = TestDatabases.connect(target); Statement lock = holder.createStatement()) {
            lock.execute("LOCK TABLES `" + db + "`.t WRITE");

            // when a worker imports it, its first INSERT waits no longer than the read timeout
            producer.send(chunkRecord(m, db, "t", dir, file)).get();
            await().atMost(Duration.ofSeconds(30)).until(() -> !status.of(WorkFailed.class, m).isEmpty());
            lock.execute("UNLOCK TABLES");
        }

        // then that is reported once, as a retriable wait on the target naming the timeout to raise ...
        WorkFailed failed = status.of(WorkFailed.class, m).getFirst();
        assertThat(failed.code()).isEqualTo("TM-30001");
        assertThat(failed.retriable()).isTrue();
        assertThat(failed.message()).containsPattern("no answer within 1(\\.\\d)? s \\(the read timeout");
        // ... and the chunk, retried from its checkpoint, imports each row once after the lock went
        await().atMost(Duration.ofSeconds(30)).until(() -> !status.of(ChunkImported.class, m).isEmpty());
        assertThat(status.of(ChunkImported.class, m)).extracting(ChunkImported::rows).containsExactly(3L);
        assertThat(status.of(WorkFailed.class, m)).hasSize(1);
        assertThat(rows("SELECT id FROM `" + db + "`.t ORDER BY id")).containsExactly("1", "2", "3");
    }

    private static ProducerRecord<String, Object> chunkRecord(MigrationId m, String db, String table, Path dir,
                                                              String file) throws Exception {
        DatabaseEndpoint endpoint = TestDatabases.endpoint(target);
        ImportChunk chunk = new ImportChunk(ImportChunk.idFor(m, 1, file), m, 1, endpoint, dir.toString(),
                TableRef.of(db, table), file, Files.size(dir.resolve(file)));
        return new ProducerRecord<>(TOPICS.importChunks(), chunk.messageId(), chunk);
    }

    /**
     * How long the longest statement starting with {@code prefix} has waited for a lock, on {@code db} or naming it
     * (a CREATE DATABASE runs on no database).
     */
    private static long waitedMillis(String db, String prefix) throws Exception {
        try (Connection c = TestDatabases.connect(target); PreparedStatement ps = c.prepareStatement(
                "SELECT COALESCE(MAX(time_ms), 0) FROM information_schema.processlist WHERE info LIKE ?"
                        + " AND (db = ? OR info LIKE ?) AND state LIKE 'Waiting for%lock'")) {
            ps.setString(1, prefix + "%");
            ps.setString(2, db);
            ps.setString(3, "%`" + db + "`%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<String> rows(String sql) throws Exception {
        return rig.rows(sql);
    }
}
