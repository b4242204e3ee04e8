package io.tidemark.coordinator;

import io.tidemark.common.command.Command;
import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.common.status.SnapshotCompleted;
import io.tidemark.common.status.SnapshotStarted;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.testkit.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rolling upgrade, the coordinator's side: a worker already upgraded reports a status event of a version this
 * coordinator does not read yet. The event must not be lost: it is kept unacknowledged and read again (so the
 * events behind it on its partition wait too, in order) until the coordinator is upgraded.
 */
class MessageVersionIT {
    private static final TopicCatalog TOPICS = TopicCatalog.DEFAULT;
    private static final WorkerId WORKER = WorkerId.forService("upgraded-worker");
    private static final TableRef ORDERS = TableRef.of("shop", "orders");
    private static final BinlogPosition START = BinlogPosition.of("mysql-bin.000002", 1000, "0-1-10");

    private static TestKafka kafka;

    @BeforeAll
    static void broker() {
        kafka = TestKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void aStatusEventOfANewerVersionIsKeptAndReadAgainNeverSkipped() throws Exception {
        try (Harness h = Harness.start(kafka);
             KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                     new StringSerializer(), new ByteArraySerializer());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            // Given a migration waiting for its snapshot
            Harness.Response created = h.post("/api/v1/migrations", """
                    {"name": "versions", "mode": "full",
                     "source": {"host": "10.1.0.1", "port": 3306, "user": "dm", "password": "pw"},
                     "target": {"host": "10.1.0.2", "port": 4000, "user": "root", "password": "pw"},
                     "filter": ["shop.*"], "storage": "file:///var/tmp/tidemark-it/", "checksum": "off"}
                    """);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String id = created.json().get("id").asString();
            MigrationId m = MigrationId.of(id);
            await().atMost(Duration.ofSeconds(30)).until(() -> h.records(TOPICS.snapshotCommands(), id).stream()
                    .map(r -> MessageCodec.read(r.value(), Command.class)).anyMatch(SnapshotRequest.class::isInstance));

            // When an upgraded snapshot worker reports snapshot-started at version 2 (with a field v1 has not),
            ObjectNode newer = (ObjectNode) MessageCodec.mapper().readTree(MessageCodec.write(new SnapshotStarted(
                    SnapshotStarted.idFor(m, 1), m, WORKER, 1, Instant.now(), START, List.of(ORDERS))));
            newer.put(MessageCodec.VERSION_FIELD, 2);
            newer.put("chunkCount", 12);
            RecordMetadata kept = raw.send(new ProducerRecord<>(TOPICS.status(), id,
                    MessageCodec.mapper().writeValueAsBytes(newer))).get();
            // and then the rest of its snapshot at version 1, on the same partition
            h.report(new SnapshotStarted(SnapshotStarted.idFor(m, 1), m, WORKER, 1, Instant.now(), START,
                    List.of(ORDERS)));
            h.report(new SnapshotCompleted(SnapshotCompleted.idFor(m, 1), m, WORKER, 1, Instant.now(),
                    "file:///var/tmp/tidemark-it/" + id, START, START, List.of(ORDERS), List.of()));

            // Then the coordinator neither applies nor skips past it: the events behind it wait in order (skipped,
            // they would move the migration to importing at once), and the group's offset never passes it
            TopicPartition partition = new TopicPartition(TOPICS.status(), kept.partition());
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
                assertThat(h.migration(id).get("phase").asString()).isEqualTo("snapshotting");
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets(TOPICS.coordinatorGroup())
                        .partitionsToOffsetAndMetadata().get().get(partition);
                assertThat(committed == null ? 0 : committed.offset()).isLessThanOrEqualTo(kept.offset());
            });
        }
    }
}
