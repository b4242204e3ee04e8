package io.tidemark.kit.kafka;

import io.tidemark.common.command.Command;
import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.testkit.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.listener.AcknowledgingMessageListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.util.backoff.FixedBackOff;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.tidemark.testkit.NewerVersions.asVersion;
import static io.tidemark.testkit.NewerVersions.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker's spring-kafka command container with {@link CommandErrors}, on a real broker: a command of a newer
 * message version is not acted on, its offset is not committed, and the valid command behind it on its partition
 * waits; a malformed command on another partition is still skipped, which shows the container was running.
 */
class CommandVersionIT {
    private static final String TOPIC = "kit-cmd-test.commands";
    private static final String GROUP = "kit-cmd-test.workers";

    @Test
    void aCommandOfANewerVersionIsKeptUncommittedAndTheCommandBehindItWaits() throws Exception {
        try (TestKafka kafka = TestKafka.start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            ReplicationTask behindNewer = task("m-behind-newer");
            ReplicationTask behindMalformed = task("m-behind-malformed");
            // Given partition 0: a v2 command, then a valid one; partition 1: a malformed command, then a valid one
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                    kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "m-newer", asVersion(task("m-newer"), 2))).get();
                producer.send(new ProducerRecord<>(TOPIC, 0, "m-behind-newer", MessageCodec.write(behindNewer))).get();
                producer.send(new ProducerRecord<>(TOPIC, 1, "m-bad",
                        "{\"type\":\"replication-task\",\"v\":1}".getBytes(StandardCharsets.UTF_8))).get();
                producer.send(new ProducerRecord<>(TOPIC, 1, "m-behind-malformed",
                        MessageCodec.write(behindMalformed))).get();
            }

            // When a worker's container with the shared error handler consumes them
            List<Command> taken = new CopyOnWriteArrayList<>();
            KafkaMessageListenerContainer<String, Command> container = container(kafka.bootstrapServers(), taken);
            container.start();
            try {
                // Then the command behind the malformed one is taken (the malformed one was skipped and committed)
                await().atMost(Duration.ofSeconds(30)).until(() -> taken.contains(behindMalformed));
                await().atMost(Duration.ofSeconds(10)).until(() -> committed(admin).containsKey(partition(1)));
                assertThat(committed(admin).get(partition(1)).offset()).isEqualTo(2);
                // and, several backoff rounds later, nothing of partition 0 was acted on or committed past offset 0
                Thread.sleep(4000);
                assertThat(taken).containsExactly(behindMalformed);
                OffsetAndMetadata newer = committed(admin).get(partition(0));
                assertThat(newer == null ? 0 : newer.offset()).isZero();
            } finally {
                container.stop();
            }
        }
    }

    private static KafkaMessageListenerContainer<String, Command> container(String servers, List<Command> taken) {
        KafkaProperties properties = new KafkaProperties();
        properties.setBootstrapServers(List.of(servers));
        KafkaClients clients = new KafkaClients(properties, "kit-test");
        ContainerProperties props = new ContainerProperties(TOPIC);
        props.setGroupId(GROUP);
        props.setAckMode(ContainerProperties.AckMode.MANUAL_IMMEDIATE);
        props.setMessageListener((AcknowledgingMessageListener<String, Command>) (record, ack) -> {
            if (record.value() != null) {
                taken.add(record.value());
            }
            ack.acknowledge();
        });
        var container = new KafkaMessageListenerContainer<>(clients.consumerFactory(GROUP, Command.class,
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1)), props);
        container.setCommonErrorHandler(CommandErrors.handler("kit-test", new FixedBackOff(0L, 0L)));
        return container;
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>(
                admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS));
        offsets.values().removeIf(java.util.Objects::isNull);
        return offsets;
    }

    private static TopicPartition partition(int p) {
        return new TopicPartition(TOPIC, p);
    }
}
