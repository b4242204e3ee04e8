package io.tidemark.lightning;

import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The target away while chunks wait, on a share group: a chunk worker pauses after each delivery that failed, longer
 * each time in a row, instead of taking the chunk straight back, failing it and reporting it again as fast as it can.
 */
class FailedDeliveryPauseIT {
    @TempDir
    static Path dumps;

    @Test
    void aWorkerPausesLongerAfterEachFailedDeliveryInARowSoAChunkDoesNotGoRoundAsFastAsItFails() throws Exception {
        try (TestKafka kafka = TestKafka.start()) {
            ConfigurableApplicationContext service = TestService.start(kafka.bootstrapServers(),
                    "--tidemark.lightning.planner-enabled=false", "--tidemark.lightning.workers=1",
                    "--tidemark.lightning.chunk-queue=share", "--tidemark.lightning.attempts-per-delivery=1",
                    "--tidemark.lightning.max-retry-backoff=2s");
            try (StatusRecorder status = new StatusRecorder(kafka.bootstrapServers());
                 KafkaProducer<String, Object> producer = TestService.producer(kafka.bootstrapServers())) {
                // given a chunk whose target is a port nothing listens on
                int away;
                try (ServerSocket socket = new ServerSocket(0)) {
                    away = socket.getLocalPort();
                }
                MigrationId m = MigrationId.of("pause-1");
                String file = "shop.t.000000000.sql";
                TestService.write(dumps, file, "INSERT INTO `t` VALUES (1);\n");
                ImportChunk chunk = new ImportChunk(ImportChunk.idFor(m, 1, file), m, 1,
                        new DatabaseEndpoint("127.0.0.1", away, "root", TestDatabases.secretBox().seal("pw")),
                        dumps.toString(), TableRef.of("shop", "t"), file, 28);

                // when it is queued and the target stays away for 8 s after its 4th failed delivery
                producer.send(new ProducerRecord<>(TopicCatalog.DEFAULT.importChunks(), chunk.messageId(), chunk)).get();
                await().atMost(Duration.ofSeconds(60)).until(() -> !deliveriesFailed(status, m).isEmpty());
                Thread.sleep(8_000);

                // then each delivery failed naming the target, and the worker paused 0.5, 1, 2, 2, … s between them:
                // a handful of deliveries, not one every few milliseconds
                List<WorkFailed> failed = deliveriesFailed(status, m);
                assertThat(failed).allSatisfy(f -> {
                    assertThat(f.retriable()).isTrue();
                    assertThat(f.message()).contains("TM-30001").contains("127.0.0.1:" + away);
                });
                assertThat(failed).as("failed deliveries reported in about 8 s").hasSizeBetween(3, 12);
                assertThat(failed).extracting(WorkFailed::eventId).doesNotHaveDuplicates();
            } finally {
                service.close();
            }
        }
    }

    /**
     * one event per failed delivery from the 4th on (max-deliveries): the delivery-count reports, TM-40021, naming
     * the last error (with one attempt per delivery, a delivery reports nothing else: its first failure is reported
     * only before a retry within it)
     */
    private static List<WorkFailed> deliveriesFailed(StatusRecorder status, MigrationId m) {
        return status.of(WorkFailed.class, m).stream().filter(f -> f.code().equals("TM-40021")).toList();
    }
}
