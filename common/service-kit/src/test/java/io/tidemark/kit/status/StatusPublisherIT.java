package io.tidemark.kit.status;

import io.tidemark.common.table.TableRef;
import io.tidemark.common.status.ImportPlanned;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.serde.MessageDeserializer;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.kit.kafka.KafkaClients;
import io.tidemark.kit.retry.RetryPolicy;
import io.tidemark.testkit.PersistentBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.KafkaTemplate;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The status rule on a real broker that goes away: an event published while Kafka is down is neither dropped nor
 * reported as sent; publish returns only once the restarted broker has taken it, and a consumer then reads it.
 */
class StatusPublisherIT {
    private static final TopicCatalog TOPICS = new TopicCatalog("kit-test");

    @TempDir
    Path dir;

    @Test
    void anEventPublishedWhileKafkaIsDownIsSentOnceKafkaIsBackAndNotBefore() throws Exception {
        PersistentBroker broker = PersistentBroker.start(dir.resolve("kafka"), 0);
        String servers = broker.bootstrapServers();
        int port = Integer.parseInt(servers.substring(servers.lastIndexOf(':') + 1));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers))) {
            admin.createTopics(List.of(new NewTopic(TOPICS.status(), 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        StatusPublisher publisher = publisher(servers);
        WorkFailed before = failure("m-before");
        publisher.publish(before);

        // Given Kafka is down
        broker.close();
        // When a worker reports a failure
        WorkFailed during = failure("m-during");
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
            try {
                publisher.publish(during);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        // Then it is not reported as sent while Kafka is away, and the publisher says since when it waits
        Thread.sleep(3000);
        assertThat(sent).isNotDone();
        assertThat(publisher.unsentSince()).isPositive();

        // When Kafka comes back (same log, same port)
        broker = PersistentBroker.start(dir.resolve("kafka"), port);
        try {
            // Then publish returns and the event is on the topic, after the one sent before the outage
            sent.get(90, TimeUnit.SECONDS);
            assertThat(publisher.unsentSince()).isZero();
            assertThat(readAll(servers, 2)).extracting(StatusEvent::eventId)
                    .containsSubsequence(before.eventId(), during.eventId());
        } finally {
            publisher.close();
            broker.close();
        }
    }

    @Test
    void anEventLargerThanKafkaTakesIsReplacedByAFailureOfItsStageInsteadOfRetriedForever() throws Exception {
        try (PersistentBroker broker = PersistentBroker.start(dir.resolve("kafka3"), 0)) {
            String servers = broker.bootstrapServers();
            StatusPublisher publisher = publisher(servers);
            try {
                // Given an import plan of so many chunks that its report exceeds Kafka's 1 MiB message limit
                MigrationId m = new MigrationId("m-huge");
                List<ImportPlanned.PlannedChunk> chunks = new ArrayList<>();
                for (int i = 0; i < 12_000; i++) {
                    chunks.add(new ImportPlanned.PlannedChunk("m-huge/import/e1/shop.orders.%09d.sql".formatted(i),
                            new TableRef("shop", "orders"), 1));
                }
                ImportPlanned plan = new ImportPlanned("m-huge/plan", m, new WorkerId("w"), 1, Instant.now(), chunks);

                // When it is published, publish returns instead of retrying forever
                CompletableFuture.runAsync(() -> {
                    try {
                        publisher.publish(plan);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }).get(60, TimeUnit.SECONDS);

                // Then the topic holds a failure of the import stage saying why and what to do, not the plan
                assertThat(readAll(servers, 1)).singleElement().isInstanceOfSatisfying(WorkFailed.class, f -> {
                    assertThat(f.migrationId()).isEqualTo(m);
                    assertThat(f.stage()).isEqualTo(Stage.IMPORT);
                    assertThat(f.epoch()).isEqualTo(1);
                    assertThat(f.code()).isEqualTo("TM-50005");
                    assertThat(f.message()).startsWith("the ImportPlanned report of m-huge is ")
                            .contains(" bytes, more than Kafka takes in one message");
                    assertThat(f.remedy()).contains("split it into migrations of fewer tables");
                });
            } finally {
                publisher.close();
            }
        }
    }

    @Test
    void progressIsCoalescedToTheNewestPerMigrationAndNeverBlocksTheCaller() throws Exception {
        try (PersistentBroker broker = PersistentBroker.start(dir.resolve("kafka2"), 0)) {
            StatusPublisher publisher = publisher(broker.bootstrapServers());
            for (int i = 0; i < 50; i++) {
                publisher.publishLatest(failure("m-progress", "step-" + i));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> readAll(broker.bootstrapServers(), 1).stream()
                    .anyMatch(e -> e.eventId().endsWith("step-49")));
            publisher.close();
        }
    }

    private static StatusPublisher publisher(String servers) {
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of(servers));
        KafkaClients clients = new KafkaClients(kafka, "kit-test");
        KafkaTemplate<String, StatusEvent> template = new KafkaTemplate<>(clients.producerFactory("status",
                Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 1500)));
        return new StatusPublisher(template, TOPICS,
                RetryPolicy.untilStopped(Duration.ofMillis(50), Duration.ofMillis(500)), Duration.ofSeconds(2));
    }

    private static WorkFailed failure(String migration) {
        return failure(migration, "snapshot");
    }

    private static WorkFailed failure(String migration, String subject) {
        MigrationId id = new MigrationId(migration);
        return new WorkFailed(id + "/snapshot/e1/failed/" + subject, id, new WorkerId("kit-test@here:1"), 1,
                Instant.now(), Stage.SNAPSHOT, subject, "TM-20001", "cannot connect", "check the source", false);
    }

    private static List<StatusEvent> readAll(String servers, int atLeast) {
        List<StatusEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, StatusEvent> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", servers, "group.id", "reader-" + System.nanoTime(),
                "auto.offset.reset", "earliest"), new StringDeserializer(),
                new MessageDeserializer<>(StatusEvent.class))) {
            consumer.subscribe(List.of(TOPICS.status()));
            long deadline = System.currentTimeMillis() + 30_000;
            while (events.size() < atLeast && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, StatusEvent> r : consumer.poll(Duration.ofMillis(500))) {
                    events.add(r.value());
                }
            }
        }
        return events;
    }
}
