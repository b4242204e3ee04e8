package io.tidemark.dm.own;

import io.tidemark.common.command.Command;
import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.kit.kafka.KafkaClients;
import io.tidemark.testkit.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.tidemark.testkit.NewerVersions.asVersion;
import static io.tidemark.testkit.NewerVersions.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * dm-service's ownership consumer on a real broker: a replication task of a newer message version is not acted on,
 * and the task behind it on its partition waits, while another partition's task is taken (the loop runs).
 */
class OwnershipVersionIT {
    private static final String TOPIC = "own-version-test.tasks";
    private static final String GROUP = "own-version-test.workers";

    @Test
    void aTaskOfANewerVersionIsNotActedOnAndTheTaskBehindItWaits() throws Exception {
        try (TestKafka kafka = TestKafka.start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            // Given partition 0: a v2 task, then a valid one; partition 1: a valid task
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers",
                    kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "m-newer", asVersion(task("m-newer"), 2))).get();
                producer.send(new ProducerRecord<>(TOPIC, 0, "m-behind", MessageCodec.write(task("m-behind")))).get();
                producer.send(new ProducerRecord<>(TOPIC, 1, "m-live", MessageCodec.write(task("m-live")))).get();
            }

            // When the ownership consumer reads the topic
            List<String> reconciled = new CopyOnWriteArrayList<>();
            KafkaProperties properties = new KafkaProperties();
            properties.setBootstrapServers(List.of(kafka.bootstrapServers()));
            Ownership<Command, ReplicationTask> ownership = new Ownership<>(new KafkaClients(properties, "dm-test"),
                    GROUP, TOPIC, Command.class, ReplicationTask.class, new Recording(reconciled), "own-version-test") {
            };
            ownership.start();
            try {
                // Then the other partition's task is taken
                await().atMost(Duration.ofSeconds(30)).until(() -> reconciled.contains("m-live"));
                // and, several rereads later, neither the v2 task nor the one behind it was acted on
                Thread.sleep(4000);
                assertThat(reconciled).containsExactly("m-live");
                // and nothing was committed past it (the ownership group never commits)
                assertThat(admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS).values()).allMatch(o -> o == null || o.offset() == 0);
            } finally {
                ownership.stop();
            }
        }
    }

    private record Recording(List<String> reconciled) implements Owner<ReplicationTask> {
        @Override
        public void reconcile(String key, Optional<ReplicationTask> desired) {
            reconciled.add(key);
        }

        @Override
        public void stop(Collection<String> keys) {
        }

        @Override
        public void stopAll() {
        }
    }
}
