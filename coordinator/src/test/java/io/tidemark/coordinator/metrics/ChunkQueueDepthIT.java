package io.tidemark.coordinator.metrics;

import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.kit.kafka.ShareGroups;
import io.tidemark.testkit.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The depth the autoscaler scales import workers by, on a real broker: chunks waiting count whether the workers take
 * them from a share group (KIP-932, where no consumer-group offset ever moves) or from the classic consumer group.
 */
class ChunkQueueDepthIT {
    private static final int CHUNKS = 5;

    @Test
    void chunksWaitingAreCountedOnTheShareGroupAndOnTheConsumerGroup() throws Exception {
        TopicCatalog topics = new TopicCatalog("depth");
        try (TestKafka kafka = TestKafka.start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topics.importChunks(), 1, (short) 1))).all().get();
            ChunkQueueDepth depth = new ChunkQueueDepth(admin, topics);
            // (a topic just created takes a moment to be served: until then its offsets are an unknown partition)
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> depth.read() == 0);
            publish(kafka, topics, CHUNKS);
            assertThat(depth.read()).as("published, no worker yet").isEqualTo(CHUNKS);

            // share group: a worker holds every chunk; done only once acknowledged (the consumer group never moves)
            // as lightning-service sets its group up: from the earliest chunk, locks of a chunk's length
            ShareGroups.configure(admin, topics.importWorkerShareGroup(), kafka.bootstrapServers(), Duration.ofMinutes(1),
                    Duration.ofSeconds(10));
            try (KafkaShareConsumer<String, String> worker = shareWorker(kafka, topics)) {
                worker.subscribe(List.of(topics.importChunks()));
                List<ConsumerRecord<String, String>> held = new ArrayList<>();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    worker.poll(Duration.ofMillis(500)).forEach(held::add);
                    return held.size() == CHUNKS;
                });
                assertThat(depth.read()).as("taken, not done").isEqualTo(CHUNKS);
                held.forEach(r -> worker.acknowledge(r, AcknowledgeType.ACCEPT));
                worker.commitSync();
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                        assertThat(depth.read()).as("every chunk acknowledged on the share group").isZero());
            }

            // classic consumer group (clusters older than 4.2): its committed offsets say what is done
            publish(kafka, topics, 2);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(depth.read()).as("the share group has no member: the consumer group's lag").isEqualTo(CHUNKS + 2));
            try (KafkaConsumer<String, String> worker = groupWorker(kafka, topics)) {
                worker.commitSync(Map.of(new TopicPartition(topics.importChunks(), 0), new OffsetAndMetadata(CHUNKS)));
            }
            assertThat(depth.read()).as("committed up to the first five").isEqualTo(2);
        }
    }

    private static void publish(TestKafka kafka, TopicCatalog topics, int n) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(topics.importChunks(), "chunk-" + i, "{}"));
            }
        }
    }

    private static KafkaShareConsumer<String, String> shareWorker(TestKafka kafka, TopicCatalog topics) {
        return new KafkaShareConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, topics.importWorkerShareGroup(),
                "share.acknowledgement.mode", "explicit"), new StringDeserializer(), new StringDeserializer());
    }

    private static KafkaConsumer<String, String> groupWorker(TestKafka kafka, TopicCatalog topics) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, topics.importWorkerGroup()), new StringDeserializer(),
                new StringDeserializer());
    }
}
