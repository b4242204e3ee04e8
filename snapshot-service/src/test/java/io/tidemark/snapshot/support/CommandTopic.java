package io.tidemark.snapshot.support;

import io.tidemark.common.command.Command;
import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.serde.MessageSerializer;
import io.tidemark.common.topic.TopicCatalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** The snapshot commands topic as the coordinator writes it, and where the snapshot group has committed it. */
public final class CommandTopic implements AutoCloseable {
    private static final TopicCatalog TOPICS = TopicCatalog.DEFAULT;
    private final String bootstrapServers;
    private final KafkaProducer<String, Command> producer;

    public CommandTopic(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new MessageSerializer<>());
    }

    /** sends the request keyed by its migration id, as the coordinator does; returns its partition */
    public int send(SnapshotRequest request) {
        return send(new ProducerRecord<>(TOPICS.snapshotCommands(), request.migrationId().value(), request));
    }

    /** sends the request to the given partition */
    public int send(SnapshotRequest request, int partition) {
        return send(new ProducerRecord<>(TOPICS.snapshotCommands(), partition, request.migrationId().value(),
                request));
    }

    private int send(ProducerRecord<String, Command> record) {
        try {
            return producer.send(record).get(30, TimeUnit.SECONDS).partition();
        } catch (Exception e) {
            throw new IllegalStateException("sending " + record.value(), e);
        }
    }

    /** the offset the snapshot group committed on that partition of the commands topic, if any */
    public OptionalLong committed(int partition) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin
                    .listConsumerGroupOffsets(TOPICS.snapshotGroup()).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            OffsetAndMetadata o = offsets.get(new TopicPartition(TOPICS.snapshotCommands(), partition));
            return o == null ? OptionalLong.empty() : OptionalLong.of(o.offset());
        } catch (Exception e) {
            throw new IllegalStateException("reading the snapshot group's offsets", e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
