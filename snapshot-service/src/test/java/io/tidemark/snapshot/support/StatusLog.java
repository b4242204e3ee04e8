package io.tidemark.snapshot.support;

import io.tidemark.common.id.MigrationId;
import io.tidemark.common.serde.MessageDeserializer;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.topic.TopicCatalog;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;


/**
 * The status topic as a monitoring consumer reads it: every event from the beginning, in order per migration.
 * Reads without a consumer group, so it keeps reading across a broker restart. The topic must exist (a started
 * service creates it).
 */
public final class StatusLog implements AutoCloseable {
    private final KafkaConsumer<String, StatusEvent> consumer;
    private final List<StatusEvent> events = new CopyOnWriteArrayList<>();

    public StatusLog(String bootstrapServers) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringDeserializer(), new MessageDeserializer<>(StatusEvent.class));
        String topic = TopicCatalog.DEFAULT.status();
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** reads what arrived since the last call */
    public synchronized void poll() {
        for (ConsumerRecord<String, StatusEvent> r : consumer.poll(Duration.ofMillis(200))) {
            events.add(r.value());
        }
    }

    /** every event of {@code type} for the migration read so far, in topic order */
    public <T extends StatusEvent> List<T> events(MigrationId m, Class<T> type) {
        return events.stream().filter(e -> e.migrationId().equals(m)).filter(type::isInstance).map(type::cast)
                .toList();
    }

    /** every event for the migration read so far, in topic order */
    public List<StatusEvent> events(MigrationId m) {
        return events(m, StatusEvent.class);
    }

    /** the n-th event of that type for the migration, once it has arrived */
    public <T extends StatusEvent> T await(MigrationId m, Class<T> type, int n, Duration within) {
        Awaitility.await().atMost(within).pollInterval(Duration.ZERO).until(() -> {
            poll();
            return events(m, type).size() >= n;
        });
        return events(m, type).get(n - 1);
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
