package io.tidemark.lightning.chunk;

import io.tidemark.common.command.Command;
import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.common.table.TableRef;
import io.tidemark.kit.kafka.KafkaClients;
import io.tidemark.kit.kafka.ShareGroups;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The share-group queue on a real broker: the group gets the service's chunk lock; a worker busy with a chunk keeps it
 * and acquires nothing else meanwhile (the chunk behind goes to another worker at its first delivery); a completed
 * chunk is never delivered again; the chunk of a worker killed with SIGKILL goes to another at once, not after the lock.
 */
class ShareChunkQueueIT {
    private static final String TOPIC = "share-queue-test.chunks";
    private static final String GROUP = "share-queue-test.workers";

    @Test
    void aBusyWorkerKeepsItsChunkAndTakesNoOtherAndACompletedChunkIsNotDeliveredAgain() throws Exception {
        try (TestKafka kafka = TestKafka.start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            // Given a share group set up as the service sets it, with a chunk lock of 8 s, and two chunks
            assertThat(ShareGroups.configure(admin, GROUP, kafka.bootstrapServers(), Duration.ofSeconds(8),
                    Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(8));
            ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, GROUP);
            assertThat(admin.describeConfigs(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group)
                    .get("share.record.lock.duration.ms").value()).isEqualTo("8000");
            ImportChunk chunk = chunk("db.t.000000000.sql");
            ImportChunk behind = chunk("db.t.000000001.sql");
            KafkaProperties properties = new KafkaProperties();
            properties.setBootstrapServers(List.of(kafka.bootstrapServers()));
            KafkaClients clients = new KafkaClients(properties, "lightning-test");
            try (var producer = producer(kafka)) {
                producer.send(new ProducerRecord<>(TOPIC, chunk.messageId(), MessageCodec.write(chunk))).get();
                producer.send(new ProducerRecord<>(TOPIC, behind.messageId(), MessageCodec.write(behind))).get();
            }

            try (ShareChunkQueue first = queue(clients, kafka); ShareChunkQueue second = queue(clients, kafka)) {
                // When one worker takes the first chunk and imports it for a while
                Optional<ChunkQueue.Delivery> taken = take(first);
                assertThat(taken.get().chunk().messageId()).isEqualTo(chunk.messageId());
                assertThat(taken.get().count()).hasValue(1);
                long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                while (System.nanoTime() < until) {
                    first.keepAlive(Duration.ofMillis(200));
                }

                // Then another worker gets the chunk behind it, at its first delivery (the busy worker acquired nothing
                // more), and not the one held
                Optional<ChunkQueue.Delivery> next = take(second);
                assertThat(next.get().chunk().messageId()).isEqualTo(behind.messageId());
                assertThat(next.get().count()).hasValue(1);
                first.keepAlive(Duration.ofMillis(200));

                // And once both are complete, nobody gets either again
                first.complete();
                second.complete();
                long after = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (System.nanoTime() < after) {
                    assertThat(second.take(Duration.ofMillis(200))).isEmpty();
                    assertThat(first.take(Duration.ofMillis(200))).isEmpty();
                }
            }
        }
    }

    @Test
    void theChunkOfAWorkerKilledWithSigkillGoesToAnotherWorkerLongBeforeItsLock() throws Exception {
        String topic = TOPIC + ".kill";
        String group = GROUP + ".kill";
        try (TestKafka kafka = TestKafka.start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            // Given a chunk lock of 10 minutes, and a worker in another JVM holding the one chunk
            ShareGroups.configure(admin, group, kafka.bootstrapServers(), Duration.ofMinutes(10), Duration.ofSeconds(30));
            ImportChunk chunk = chunk("db.t.000000007.sql");
            try (var producer = producer(kafka)) {
                producer.send(new ProducerRecord<>(topic, chunk.messageId(), MessageCodec.write(chunk))).get();
            }
            Process worker = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                    System.getProperty("java.class.path"), HoldOneChunk.class.getName(), kafka.bootstrapServers(),
                    topic, group).redirectErrorStream(true).start();
            try {
                var out = new java.io.BufferedReader(new java.io.InputStreamReader(worker.getInputStream()));
                String line;
                while ((line = out.readLine()) != null && !line.contains("HOLDING")) {
                    // its log, until it holds the chunk
                }
                assertThat(line).as("the other JVM took the chunk").isEqualTo("HOLDING");

                // When it is killed with SIGKILL
                worker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                long killed = System.nanoTime();

                // Then another worker gets the chunk at its second delivery, within the session timeout, not the lock
                KafkaProperties properties = new KafkaProperties();
                properties.setBootstrapServers(List.of(kafka.bootstrapServers()));
                try (ShareChunkQueue other = new ShareChunkQueue(new KafkaClients(properties, "lightning-test")
                        .shareConsumer(group, Command.class, Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1,
                                ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit")), producer(kafka), topic, 4)) {
                    Optional<ChunkQueue.Delivery> taken = Optional.empty();
                    while (taken.isEmpty() && System.nanoTime() - killed < Duration.ofSeconds(90).toNanos()) {
                        taken = other.take(Duration.ofMillis(500));
                    }
                    long seconds = Duration.ofNanos(System.nanoTime() - killed).toSeconds();
                    assertThat(taken).isPresent();
                    assertThat(taken.get().chunk().messageId()).isEqualTo(chunk.messageId());
                    assertThat(taken.get().count()).hasValue(2);
                    // the broker drops the session when the connection closes (about 1 s here)
                    assertThat(seconds).as("seconds until the chunk came back").isLessThan(20);
                    other.complete();
                }
            } finally {
                worker.destroyForcibly();
            }
        }
    }

    private static Optional<ChunkQueue.Delivery> take(ShareChunkQueue queue) {
        Optional<ChunkQueue.Delivery> taken = Optional.empty();
        for (int i = 0; i < 50 && taken.isEmpty(); i++) {
            taken = queue.take(Duration.ofMillis(200));
        }
        assertThat(taken).isPresent();
        return taken;
    }

    private static ImportChunk chunk(String file) {
        MigrationId m = MigrationId.of("share-queue");
        return new ImportChunk(ImportChunk.idFor(m, 1, file), m, 1, new DatabaseEndpoint("127.0.0.1", 3306, "root",
                TestDatabases.secretBox().seal("pw")), "/dumps", TableRef.of("db", "t"), file, 10);
    }

    private static ShareChunkQueue queue(KafkaClients clients, TestKafka kafka) {
        return new ShareChunkQueue(clients.shareConsumer(GROUP, Command.class, Map.of(
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1, ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit")),
                producer(kafka), TOPIC, 4);
    }

    private static KafkaProducer<String, byte[]> producer(TestKafka kafka) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer());
    }
}
