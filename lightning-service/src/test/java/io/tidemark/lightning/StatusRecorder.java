package io.tidemark.lightning;

import io.tidemark.common.id.MigrationId;
import io.tidemark.common.serde.MessageDeserializer;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.topic.TopicCatalog;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** Reads everything on the status topic into memory, as a monitoring consumer would. */
final class StatusRecorder implements AutoCloseable {
    private final List<StatusEvent> events = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    StatusRecorder(String bootstrap) {
        thread = new Thread(() -> {
            try (KafkaConsumer<String, StatusEvent> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, "test-status-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    // the topic may be created only after this consumer subscribed: notice it soon
                    ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000"),
                    new StringDeserializer(), new MessageDeserializer<>(StatusEvent.class))) {
                consumer.subscribe(List.of(TopicCatalog.DEFAULT.status()));
                while (running) {
                    for (ConsumerRecord<String, StatusEvent> r : consumer.poll(Duration.ofMillis(100))) {
                        events.add(r.value());
                    }
                }
            }
        }, "status-recorder");
        thread.start();
    }

    <T extends StatusEvent> List<T> of(Class<T> type, MigrationId migration) {
        return events.stream().filter(type::isInstance).map(type::cast)
                .filter(e -> e.migrationId().equals(migration)).toList();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
