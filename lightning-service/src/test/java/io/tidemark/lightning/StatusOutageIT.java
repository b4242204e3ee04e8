package io.tidemark.lightning;

import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.command.ImportRequest;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.layout.DumpLayout;
import io.tidemark.common.status.ChunkImported;
import io.tidemark.common.status.ImportPlanned;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.kit.status.StatusPublisher;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.PersistentBroker;
import io.tidemark.testkit.TestDatabases;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka goes away while a worker reports a chunk imported: the report waits for Kafka instead of failing the chunk,
 * and once Kafka is back on its own log the ChunkImported arrives, the chunk imported once, no failure reported.
 */
class StatusOutageIT {
    private static final int ROWS = 12;

    @TempDir
    static Path tmp;
    private static PersistentBroker broker;
    private static LocalMariaDb target;

    @BeforeAll
    static void start() {
        broker = PersistentBroker.start(tmp.resolve("kafka"), 0);
        target = TestDatabases.startTarget("lightning-outage");
    }

    @AfterAll
    static void stop() {
        if (target != null) {
            target.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aChunkFinishedWhileKafkaIsDownIsReportedOnceKafkaIsBackAndImportedOnce() throws Exception {
        // given a dump of a table without a primary key, already created on the target, and a test transaction
        // whose gap lock will hold the worker's inserts inside its chunk
        String db = TestDatabases.uniqueSchema("outage");
        TableRef table = TableRef.of(db, "t");
        String ddl = "CREATE TABLE `t` (`id` int, `v` varchar(20), KEY (`id`)) DEFAULT CHARSET=utf8mb4";
        Path dir = tmp.resolve(db);
        TestService.write(dir, DumpLayout.schemaCreateFile(db), "CREATE DATABASE `" + db + "`;\n");
        TestService.write(dir, DumpLayout.tableSchemaFile(table), ddl + ";\n");
        StringBuilder data = new StringBuilder();
        for (int i = 1; i <= ROWS; i += 4) {
            data.append("INSERT INTO `t` VALUES (").append(i).append(",'a'),(").append(i + 1).append(",'b'),(")
                    .append(i + 2).append(",'c'),(").append(i + 3).append(",'d');\n");
        }
        String file = DumpLayout.dataFile(table, 0, "sql");
        TestService.write(dir, file, data.toString());
        TestDatabases.execute(target, "CREATE DATABASE `" + db + "`", "USE `" + db + "`", ddl);
        MigrationId m = MigrationId.of("outage-" + db.replace('_', '-'));
        String chunkId = ImportChunk.idFor(m, 1, file);

        ConfigurableApplicationContext service = TestService.start(broker.bootstrapServers(),
                "--tidemark.lightning.workers=1", "--tidemark.status.attempt-timeout=500ms",
                "--tidemark.status.max-retry-backoff=500ms");
        StatusPublisher publisher = service.getBean(StatusPublisher.class);
        try (StatusRecorder status = new StatusRecorder(broker.bootstrapServers());
             Connection holder = TestDatabases.connect(target)) {
            holder.setAutoCommit(false);
            try (Statement st = holder.createStatement()) {
                st.executeQuery("SELECT * FROM " + table.quoted() + " WHERE id >= 0 FOR UPDATE").close();
            }
            try (KafkaProducer<String, Object> producer = TestService.producer(broker.bootstrapServers())) {
                producer.send(new ProducerRecord<>(TopicCatalog.DEFAULT.importCommands(), m.value(),
                        new ImportRequest(ImportRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(target),
                                dir.toString(), List.of(table)))).get();
            }

            // when the worker waits on the lock inside its chunk, Kafka stops, and only then the lock is released
            await().atMost(Duration.ofSeconds(60)).until(() -> !status.of(ImportPlanned.class, m).isEmpty());
            // the worker's row statement (REPLACE INTO, the default on-duplicate, for a table without a key) running
            // on the table for a second: MariaDB's innodb_trx did not always list the waiting transaction at all
            String waiting = "SELECT COUNT(*) FROM information_schema.processlist WHERE ID <> CONNECTION_ID()"
                    + " AND COMMAND = 'Query' AND TIME >= 1 AND INFO LIKE '% INTO `" + db + "`.`t` %'";
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> count(waiting) == 1);
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("the worker never waited on the test's lock; " + whatTheWorkerDoes(chunkId, status, m), e);
            }
            assertThat(checkpointStatus(chunkId)).isEqualTo("running");
            broker.close();
            holder.rollback();

            // then the chunk is done on the target while its report cannot reach Kafka
            await().atMost(Duration.ofSeconds(30)).until(() -> "done".equals(checkpointStatus(chunkId)));
            await().atMost(Duration.ofSeconds(30)).until(() -> publisher.unsentSince() > 0);
            // refused for several attempts (500 ms each), and the chunk neither failed nor is reported yet
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> System.currentTimeMillis() - publisher.unsentSince() >= 1_500);
            assertThat(publisher.unsentSince()).isPositive();
            assertThat(status.of(ChunkImported.class, m)).isEmpty();

            // when Kafka comes back, on the same log and port
            broker = PersistentBroker.start(tmp.resolve("kafka"), 0);

            // then the ChunkImported arrives, the rows are in once, and nothing was reported failed
            await().atMost(Duration.ofSeconds(60)).until(() -> !status.of(ChunkImported.class, m).isEmpty());
            await().atMost(Duration.ofSeconds(10)).until(() -> publisher.unsentSince() == 0);
            assertThat(status.of(ChunkImported.class, m)) // a re-send may repeat the event, never change it
                    .extracting(ChunkImported::eventId, ChunkImported::rows)
                    .containsOnly(org.assertj.core.groups.Tuple.tuple(ChunkImported.idFor(chunkId), (long) ROWS));
            assertThat(count("SELECT COUNT(*) FROM " + table.quoted())).isEqualTo(ROWS);
            assertThat(count("SELECT COUNT(DISTINCT id) FROM " + table.quoted())).isEqualTo(ROWS);
            assertThat(status.of(WorkFailed.class, m)).isEmpty();
        } finally {
            service.close();
        }
    }

    /** what a failed wait shows: the chunk's checkpoint, the target's sessions and locks, the events, the threads */
    private static String whatTheWorkerDoes(String chunkId, StatusRecorder status, MigrationId m) {
        StringBuilder out = new StringBuilder();
        try {
            out.append("checkpoint=").append(checkpointStatus(chunkId));
            out.append("\nsessions: ").append(rows("SELECT ID, COMMAND, TIME, STATE, LEFT(INFO, 160)"
                    + " FROM information_schema.processlist WHERE COMMAND <> 'Sleep'"));
            out.append("\ntransactions: ").append(rows("SELECT trx_mysql_thread_id, trx_state, trx_rows_locked,"
                    + " LEFT(trx_query, 160) FROM information_schema.innodb_trx"));
        } catch (SQLException e) {
            out.append("\n(target unreadable: ").append(e.getMessage()).append(')');
        }
        out.append("\nevents: ").append(status.of(io.tidemark.common.status.StatusEvent.class, m));
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (t.getName().contains("chunk") || t.getName().contains("import") || t.getName().contains("worker")) {
                out.append("\nthread ").append(t.getName()).append(' ').append(t.getState());
                for (int i = 0; i < Math.min(stack.length, 25); i++) {
                    out.append("\n    at ").append(stack[i]);
                }
            }
        });
        return out.toString();
    }

    private static List<String> rows(String sql) throws SQLException {
        List<String> rows = new java.util.ArrayList<>();
        try (Connection c = TestDatabases.connect(target); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? " | " : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static String checkpointStatus(String chunkId) throws SQLException {
        try (Connection c = TestDatabases.connect(target);
             var ps = c.prepareStatement("SELECT status FROM tidemark_meta.import_chunks WHERE chunk_id = ?")) {
            ps.setString(1, chunkId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "none";
            }
        }
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = TestDatabases.connect(target); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
