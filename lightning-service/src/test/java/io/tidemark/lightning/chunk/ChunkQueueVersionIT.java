package io.tidemark.lightning.chunk;

import io.tidemark.common.command.Command;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.kit.kafka.KafkaClients;
import io.tidemark.kit.kafka.ShareGroups;
import io.tidemark.testkit.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static io.tidemark.testkit.NewerVersions.asVersion;
import static io.tidemark.testkit.NewerVersions.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chunk workers' consumer-group queue on a real broker: a record of a newer message version is not committed
 * past and the record behind it waits (a misrouted one, which the queue would otherwise skip and commit), while
 * another partition moves on. The share-group queue never drops one either: it is released, then published again.
 */
class ChunkQueueVersionIT {
    private static final String TOPIC = "chunk-version-test.chunks";
    private static final String GROUP = "chunk-version-test.workers";

    @Test
    void aChunkOfANewerVersionHoldsItsPartitionUncommitted() throws Exception {
        try (TestKafka kafka = TestKafka.start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            // Given partition 0: a v2 command, then one the queue skips; partition 1: one the queue skips
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                    kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "m-newer", asVersion(task("m-newer"), 2))).get();
                producer.send(new ProducerRecord<>(TOPIC, 0, "m-behind", MessageCodec.write(task("m-behind")))).get();
                producer.send(new ProducerRecord<>(TOPIC, 1, "m-other", MessageCodec.write(task("m-other")))).get();
            }
            KafkaProperties properties = new KafkaProperties();
            properties.setBootstrapServers(List.of(kafka.bootstrapServers()));
            var consumers = new KafkaClients(properties, "lightning-test").consumerFactory(GROUP, Command.class,
                    Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1));

            // When a chunk worker's queue takes for a while (several rereads of the v2 record)
            try (var queue = new ConsumerGroupChunkQueue(consumers.createConsumer(), TOPIC)) {
                long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
                while (System.nanoTime() < until) {
                    assertThat(queue.take(Duration.ofMillis(200))).isEmpty();
                }
            }

            // Then partition 1 moved past its record, and partition 0 committed nothing: both of its records wait
            Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>(admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS));
            committed.values().removeIf(Objects::isNull);
            assertThat(committed.get(new TopicPartition(TOPIC, 1)).offset()).isEqualTo(1);
            assertThat(committed).doesNotContainKey(new TopicPartition(TOPIC, 0));
        }
    }

    @Test
    void aShareGroupNeverDropsAChunkOfANewerVersionButPutsItBackUnchanged() throws Exception {
        String topic = "chunk-version-share.chunks";
        String group = "chunk-version-share.workers";
        try (TestKafka kafka = TestKafka.start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            ShareGroups.configure(admin, group, kafka.bootstrapServers(), Duration.ofMinutes(1), Duration.ofSeconds(30));
            // Given a v2 command on the chunks topic
            byte[] newer = asVersion(task("m-newer"), 2);
            var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer());
            producer.send(new ProducerRecord<>(topic, "m-newer", newer)).get();
            KafkaProperties properties = new KafkaProperties();
            properties.setBootstrapServers(List.of(kafka.bootstrapServers()));
            KafkaClients clients = new KafkaClients(properties, "lightning-test");

            // When a share-group queue with max-deliveries 2 takes for a while
            try (var queue = new ShareChunkQueue(clients.shareConsumer(group, Command.class,
                    Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1, "share.acquire.mode", "record_limit")),
                    producer, topic, 2)) {
                // (until the record was delivered twice and put back: the pauses grow from 1 s)
                long until = System.nanoTime() + Duration.ofSeconds(25).toNanos();
                while (System.nanoTime() < until && endOffset(admin, topic) < 2) {
                    assertThat(queue.take(Duration.ofMillis(200))).isEmpty();
                }
            }

            // Then it was never handed out, and after its second delivery it was published again byte for byte
            try (var reader = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers(),
                    "group.id", "chunk-version-share.check", "auto.offset.reset", "earliest"),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                reader.subscribe(List.of(topic));
                List<byte[]> copies = new ArrayList<>();
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (copies.size() < 2 && System.nanoTime() < until) {
                    reader.poll(Duration.ofMillis(200)).forEach(r -> copies.add(r.value()));
                }
                assertThat(copies).hasSizeGreaterThanOrEqualTo(2).allSatisfy(v -> assertThat(v).isEqualTo(newer));
            }
        }
    }

    private static long endOffset(Admin admin, String topic) throws Exception {
        TopicPartition tp = new TopicPartition(topic, 0);
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get(10, TimeUnit.SECONDS)
                .offset();
    }
}
