package io.tidemark.coordinator.store;

import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.coordinator.CoordinatorProperties;
import io.tidemark.coordinator.kafka.MessageTooLarge;
import io.tidemark.coordinator.kafka.SyncSender;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.kit.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every migration, in memory, backed by the compacted {@link TopicCatalog#migrations()} topic: the topic is the only
 * durable copy. {@link #load()} rebuilds the map from the whole topic; {@link #save} writes synchronously before it
 * changes the map, so memory never shows what Kafka does not hold. Thread-safe.
 */
@Component
public class MigrationStore {
    private static final Logger LOGGER = LoggerFactory.getLogger(MigrationStore.class);

    private final Map<MigrationId, Migration> migrations = new ConcurrentHashMap<>();
    private final SyncSender sender;
    private final KafkaClients clients;
    private final String topic;
    private final Duration sendTimeout;

    MigrationStore(SyncSender sender, KafkaClients clients, TopicCatalog topics, CoordinatorProperties properties) {
        this.sender = sender;
        this.clients = clients;
        this.topic = topics.migrations();
        this.sendTimeout = properties.sendTimeout();
    }

    public Optional<Migration> get(MigrationId id) {
        return Optional.ofNullable(migrations.get(id));
    }

    /** oldest first */
    public List<Migration> all() {
        return migrations.values().stream()
                .sorted(Comparator.comparing(Migration::createdAt).thenComparing(Migration::id))
                .toList();
    }

    /**
     * Checked before the commands of a change are published: a command must not go out for a state that then cannot
     * be saved. The check knows the coordinator's producer limit only; a topic whose max.message.bytes is set below it
     * is found at {@link #save}, after the commands.
     *
     * @throws MessageTooLarge when the migration would not fit in one message of the coordinator's producer
     */
    public void requireFits(Migration migration) {
        sender.requireFits(topic, migration.id().value(), migration, what(migration));
    }

    private static String what(Migration migration) {
        return "the state of migration " + migration.id();
    }

    /**
     * @throws MessageTooLarge   when the migration has grown past what Kafka takes in one message: fatal, the
     *                           stored value stays the last one that fitted
     * @throws TidemarkException KAFKA_UNAVAILABLE when Kafka did not take it in time (retriable)
     */
    public void save(Migration migration) {
        sender.send(topic, migration.id().value(), migration, what(migration));
        migrations.put(migration.id(), migration);
    }

    /**
     * Reads the migrations topic from the beginning up to the end offsets taken at the start, the last value of
     * a key winning. A record this build cannot read stops the start-up loudly: skipping it would silently forget
     * a migration.
     */
    public void load() {
        // the kit's consumer settings without a group: the loader assigns the partitions and seeks by itself
        Map<String, Object> props = new HashMap<>(clients.consumerProperties("no-group",
                Map.of(ConsumerConfig.CLIENT_ID_CONFIG, "coordinator-state-loader")));
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Map<MigrationId, Migration> loaded = new HashMap<>();
        int records = 0;
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, sendTimeout).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, sendTimeout);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, sendTimeout) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    records++;
                    MigrationId id = MigrationId.of(record.key());
                    if (record.value() == null) {
                        loaded.remove(id);
                        continue;
                    }
                    try {
                        loaded.put(id, MessageCodec.read(record.value(), Migration.class));
                    } catch (TidemarkException e) {
                        LOGGER.error("cannot read migration {} at {}-{}@{}: {}", id, topic,
                                record.partition(), record.offset(), e.getMessage());
                        throw e;
                    }
                }
            }
        }
        migrations.clear();
        migrations.putAll(loaded);
        LOGGER.info("rebuilt {} migrations from {} records of {}", loaded.size(), records, topic);
    }
}
