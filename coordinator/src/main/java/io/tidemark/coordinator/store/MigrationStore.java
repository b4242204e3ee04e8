package io.tidemark.coordinator.store;

import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.coordinator.CoordinatorProperties;
import io.tidemark.coordinator.kafka.MessageTooLarge;
import io.tidemark.coordinator.kafka.SyncSender;
import io.tidemark.coordinator.migration.ChunkProgress;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.kit.kafka.KafkaClients;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every migration, in memory, backed by the compacted {@link TopicCatalog#migrations()} topic and, for its import
 * chunks, {@link TopicCatalog#migrationChunks()} (one {@link StoredChunk} per chunk): the topics are the only durable
 * copy. {@link #load()} rebuilds the map from both; {@link #save} writes synchronously before it changes the map, so
 * memory never shows what Kafka does not hold, and writes only the chunks that changed. A standby coordinator keeps
 * the map by tailing both topics ({@link #tailedTopics}). Thread-safe.
 */
@Component
public class MigrationStore {

    private final Map<MigrationId, Migration> migrations = new ConcurrentHashMap<>();
    private final SyncSender sender;
    private final KafkaClients clients;
    private final String topic;
    private final String chunkTopic;
    private final Duration sendTimeout;
    /** a standby's chunks read so far, by migration: its migration's record may come before or after them */
    private final Map<MigrationId, Map<String, StoredChunk>> chunksRead = new ConcurrentHashMap<>();

    MigrationStore(SyncSender sender, KafkaClients clients, TopicCatalog topics, CoordinatorProperties properties) {
        this.sender = sender;
        this.clients = clients;
        this.topic = topics.migrations();
        this.chunkTopic = topics.migrationChunks();
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
        Migration before = migrations.get(migration.id());
        Map<String, ChunkProgress> was = before == null ? Map.of() : before.progress().chunks();
        Map<String, ChunkProgress> now = migration.progress().chunks();
        long epoch = migration.epochs().of(Stage.SNAPSHOT);
        boolean newEpoch = before == null || before.epochs().of(Stage.SNAPSHOT) != epoch;
        List<SyncSender.Write> changed = new ArrayList<>();
        now.forEach((id, chunk) -> {
            if (newEpoch || !chunk.equals(was.get(id))) {
                changed.add(new SyncSender.Write(chunkTopic, id, new StoredChunk(migration.id(), epoch, id, chunk),
                        "chunk " + id + " of migration " + migration.id()));
            }
        });
        List<SyncSender.Write> gone = was.keySet().stream().filter(id -> !now.containsKey(id))
                .map(id -> new SyncSender.Write(chunkTopic, id, null,
                        "the end of chunk " + id + " of migration " + migration.id())).toList();
        // in this order, each acknowledged before the next is sent (one transaction under high availability): the
        // chunks first, since a record read without chunks it counts on would show an import with less to do; the
        // chunks gone (a snapshot started over) last, and one left behind is of an older epoch, which a read ignores
        sender.atomically(() -> {
            sender.sendAll(changed);
            sender.send(topic, migration.id().value(), migration, what(migration));
            sender.sendAll(gone);
            return null;
        });
        // in a transaction (coordinator high availability), memory changes only once Kafka committed it
        sender.afterCommit(() -> migrations.put(migration.id(), migration));
    }

    /**
     * What a standby tails: the migrations topic (a migration's new state, or its deletion) and the chunks topic (a
     * chunk's new progress, or its end). The active coordinator's memory changes through {@link #save} only.
     */
    public List<TailedTopic> tailedTopics() {
        return List.of(TailedTopic.of(topic, this::migrationRead), TailedTopic.of(chunkTopic, this::chunkRead));
    }

    private void migrationRead(String key, byte[] value) {
        MigrationId id = MigrationId.of(key);
        if (value == null) {
            migrations.remove(id);
        } else {
            migrations.put(id, withChunks(MessageCodec.read(value, Migration.class),
                    chunksRead.getOrDefault(id, Map.of()).values()));
        }
    }

    private void chunkRead(String chunkId, byte[] value) {
        if (value == null) {
            chunksRead.values().forEach(chunks -> chunks.remove(chunkId));
            return;
        }
        StoredChunk chunk = MessageCodec.read(value, StoredChunk.class);
        chunksRead.computeIfAbsent(chunk.migrationId(), id -> new ConcurrentHashMap<>()).put(chunkId, chunk);
        migrations.computeIfPresent(chunk.migrationId(), (id, m) -> withChunks(m, List.of(chunk)));
    }

    /** the migration's record with the chunks of its snapshot epoch laid over it */
    private static Migration withChunks(Migration m, Collection<StoredChunk> chunks) {
        long epoch = m.epochs().of(Stage.SNAPSHOT);
        Map<String, ChunkProgress> current = new HashMap<>();
        chunks.stream().filter(c -> c.snapshotEpoch() == epoch).forEach(c -> current.put(c.chunkId(), c.chunk()));
        return m.withChunksRead(current);
    }

    /**
     * Reads the migrations topic from the beginning up to the end offsets taken at the start, the last value of
     * a key winning. A record this build cannot read stops the start-up loudly: skipping it would silently forget
     * a migration.
     */
    public void load() {
        Map<MigrationId, List<StoredChunk>> chunks = new HashMap<>();
        CompactedTopic.readAll(clients, chunkTopic, sendTimeout, StoredChunk.class, "coordinator-chunks-loader")
                .values().forEach(c -> chunks.computeIfAbsent(c.migrationId(), id -> new ArrayList<>()).add(c));
        Map<MigrationId, Migration> loaded = new HashMap<>();
        CompactedTopic.readAll(clients, topic, sendTimeout, Migration.class, "coordinator-state-loader")
                .forEach((key, migration) -> loaded.put(MigrationId.of(key),
                        withChunks(migration, chunks.getOrDefault(migration.id(), List.of()))));
        migrations.clear();
        migrations.putAll(loaded);
        chunksRead.clear();
    }
}
