package io.tidemark.lightning;

import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.command.ImportRequest;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.status.ChunkImported;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.mysql.checksum.DigestColumns;
import io.tidemark.mysql.checksum.ValueChecksum;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A chunk of a table without a primary key, interrupted twice in the middle of a batch (the service shut down while
 * its worker's statement waited inside an open transaction, then that worker's target session killed in the same
 * place) and resumed each time: the target ends with exactly the file's rows, and the chunk reports their value sum.
 */
class CrashResumeIT {
    private static final int ROWS = 50_000;
    private static final int ROWS_PER_STATEMENT = 50;

    private static TestKafka kafka;
    private static LocalMariaDb target;
    private static StatusRecorder status;
    private static TargetProbe probe;

    @TempDir
    static Path dumps;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        target = TestDatabases.startTarget("lightning-crash");
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
    void anInterruptedChunkResumesFromItsCheckpointWithoutDuplicatesOrGaps() throws Exception {
        // given a dump of a table without a primary key: 50k rows in 1,000 statements, two statements per batch
        String db = TestDatabases.uniqueSchema("crash");
        Path dir = dumps.resolve(db);
        Files.createDirectories(dir);
        TestService.write(dir, db + "-schema-create.sql", "CREATE DATABASE `" + db + "`;\n");
        TestService.write(dir, db + ".big-schema.sql",
                "CREATE TABLE `big` (`id` int NOT NULL, `v` varchar(40)) DEFAULT CHARSET=utf8mb4;\n");
        String file = db + ".big.000000000.sql";
        writeBigFile(dir.resolve(file));
        MigrationId m = MigrationId.of("crash-" + db.replace('_', '-'));
        String chunkId = ImportChunk.idFor(m, 1, file);
        String table = "`" + db + "`.`big`";
        String[] worker = {"--tidemark.lightning.workers=1", "--tidemark.lightning.batch-statements=2"};

        ConfigurableApplicationContext first = TestService.start(kafka.bootstrapServers(), worker);
        try (KafkaProducer<String, Object> producer = TestService.producer(kafka.bootstrapServers())) {
            producer.send(new ProducerRecord<>(TopicCatalog.DEFAULT.importCommands(), m.value(), new ImportRequest(
                    ImportRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(target), dir.toString(),
                    List.of(TableRef.of(db, "big"))))).get();
        }

        // when the service shuts down while its worker's next statement waits inside an open batch
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                .until(() -> probe.checkpointOrNone(chunkId).statements() >= 20);
        TargetProbe.Checkpoint interrupted;
        try (Connection lock = TestDatabases.connect(target); Statement st = lock.createStatement()) {
            st.execute("LOCK TABLES " + table + " WRITE");
            long session = probe.awaitWorkerWaitingOnTheLock();
            interrupted = probe.checkpoint(chunkId);
            assertThat(interrupted.status()).as("the chunk is mid-way when the service stops").isEqualTo("running");
            assertThat(interrupted.rows()).as("some rows but not all are in").isBetween(1L, (long) ROWS - 1);
            first.close();
            st.execute("UNLOCK TABLES");
            await().atMost(Duration.ofSeconds(30)).until(() -> !probe.sessionExists(session));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> probe.otherSessions() == 0);

        // then the open batch was rolled back with its checkpoint: the target holds exactly the checkpoint's rows
        TargetProbe.Checkpoint afterStop = probe.checkpoint(chunkId);
        assertThat(afterStop).as("the waiting batch never committed").isEqualTo(interrupted);
        assertThat(probe.count("SELECT COUNT(*) FROM " + table)).isEqualTo(afterStop.rows());

        // when a fresh service resumes, and its worker's session is killed while it waits inside an open batch
        ConfigurableApplicationContext second = TestService.start(kafka.bootstrapServers(), worker);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                    .until(() -> probe.checkpointOrNone(chunkId).statements() >= afterStop.statements() + 20);
            try (Connection lock = TestDatabases.connect(target); Statement st = lock.createStatement()) {
                st.execute("LOCK TABLES " + table + " WRITE");
                long session = probe.awaitWorkerWaitingOnTheLock();
                TargetProbe.Checkpoint killedAt = probe.checkpoint(chunkId);
                assertThat(killedAt.status()).isEqualTo("running");
                assertThat(killedAt.rows()).as("it resumed, and is not done")
                        .isBetween(afterStop.rows() + 1, (long) ROWS - 1);
                st.execute("KILL CONNECTION " + session); // throws when no such session is alive
                await().atMost(Duration.ofSeconds(10)).until(() -> !probe.sessionExists(session));
                st.execute("UNLOCK TABLES");
            }
            await().atMost(Duration.ofSeconds(120)).until(() -> status.of(ChunkImported.class, m).stream()
                    .anyMatch(e -> e.chunkId().equals(chunkId)));

            // then the table holds each of the file's rows exactly once
            assertThat(probe.count("SELECT COUNT(*) FROM " + table)).isEqualTo(ROWS);
            assertThat(probe.count("SELECT COUNT(DISTINCT id) FROM " + table)).isEqualTo(ROWS);
            assertThat(probe.count("SELECT MIN(id) FROM " + table)).isEqualTo(1);
            assertThat(probe.count("SELECT MAX(id) FROM " + table)).isEqualTo(ROWS);
            assertThat(probe.count("SELECT COUNT(*) FROM " + table + " WHERE v = CONCAT('row-', id, '-😀')"))
                    .isEqualTo(ROWS);
            assertThat(probe.checkpoint(chunkId))
                    .isEqualTo(new TargetProbe.Checkpoint("done", 1 + ROWS / ROWS_PER_STATEMENT, ROWS));
            ChunkImported imported = status.of(ChunkImported.class, m).stream()
                    .filter(e -> e.chunkId().equals(chunkId)).findFirst().orElseThrow();
            assertThat(imported.rows()).isEqualTo(ROWS);
            assertThat(imported.bytes()).isEqualTo(Files.size(dir.resolve(file)));
            // and its value sum, saved with each checkpoint and resumed twice, is that of all the rows the target holds
            assertThat(imported.valueSum()).isNotNull().isEqualTo(valueChecksum(TableRef.of(db, "big")));
            // and the worker felt the kill: the lost session was reported as retriable, and retried
            assertThat(status.of(WorkFailed.class, m)).extracting(WorkFailed::code, WorkFailed::retriable)
                    .containsOnly(Tuple.tuple("TM-30001", true)).isNotEmpty();
        } finally {
            second.close();
        }
    }

    private static long valueChecksum(TableRef table) throws Exception {
        try (Connection c = TestDatabases.connect(target)) {
            return ValueChecksum.of(c, table, DigestColumns.of(c, table)).sum();
        }
    }

    private static void writeBigFile(Path path) throws Exception {
        try (BufferedWriter w = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
            w.write("/*!40101 SET NAMES binary*/;\n");
            int id = 1;
            while (id <= ROWS) {
                w.write("INSERT INTO `big` VALUES\n");
                for (int i = 0; i < ROWS_PER_STATEMENT; i++, id++) {
                    w.write((i == 0 ? "" : ",\n") + "(" + id + ",'row-" + id + "-😀')");
                }
                w.write(";\n");
            }
        }
    }
}
