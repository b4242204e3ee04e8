package io.tidemark.coordinator.store;

import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.coordinator.CoordinatorProperties;
import io.tidemark.coordinator.kafka.MessageTooLarge;
import io.tidemark.coordinator.kafka.SyncSender;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.kit.kafka.KafkaClients;
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
 * changes the map, so memory never shows what Kafka does not hold. A standby coordinator keeps the map by tailing the
 * topic ({@link #applyRead}). Thread-safe.
 */
@Component
public class MigrationStore {

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
        // in a transaction (coordinator high availability), memory changes only once Kafka committed it
        sender.afterCommit(() -> migrations.put(migration.id(), migration));
    }

    /**
     * What a standby coordinator read on the migrations topic, written by the active one: a migration's new state, or
     * null when it was deleted. Only a standby calls it; the active coordinator's memory changes through {@link #save}.
     */
    public void applyRead(MigrationId id, Migration migration) {
        if (migration == null) {
            migrations.remove(id);
        } else {
            migrations.put(id, migration);
        }
    }

    /** the topic {@link #load} reads and a standby tails */
    public String topic() {
        return topic;
    }

    /**
     * Reads the migrations topic from the beginning up to the end offsets taken at the start, the last value of
     * a key winning. A record this build cannot read stops the start-up loudly: skipping it would silently forget
     * a migration.
     */
    public void load() {
        Map<MigrationId, Migration> loaded = new HashMap<>();
        CompactedTopic.readAll(clients, topic, sendTimeout, Migration.class, "coordinator-state-loader")
                .forEach((key, migration) -> loaded.put(MigrationId.of(key), migration));
        migrations.clear();
        migrations.putAll(loaded);
    }
}
