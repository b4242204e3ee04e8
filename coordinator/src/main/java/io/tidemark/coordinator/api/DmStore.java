package io.tidemark.coordinator.api;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.serde.MessageType;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.coordinator.CoordinatorProperties;
import io.tidemark.coordinator.config.dm.SourceFile;
import io.tidemark.coordinator.kafka.SyncSender;
import io.tidemark.coordinator.store.CompactedTopic;
import io.tidemark.kit.kafka.KafkaClients;
import io.tidemark.coordinator.leadership.ActiveState;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The DM sources and tasks the coordinator accepted, in memory, backed by the compacted
 * {@link TopicCatalog#dmConfigs()} topic as migrations are by theirs: a restart keeps them. A write goes to Kafka
 * before the map, so memory never shows what Kafka does not hold. Thread-safe; callers serialize changes of one name.
 */
@Component
class DmStore implements SmartLifecycle, ActiveState {
    private static final String SOURCE = "source/";
    private static final String TASK = "task/";

    /** a source as stored: its password sealed, never plaintext; {@code purge} null in entries before it existed */
    record StoredSource(String sourceId, DatabaseEndpoint from, boolean enableGtid, boolean enableRelay,
                        SourceFile.Tls security, List<String> notes, Instant createdAt, SourceFile.Purge purge) {
        StoredSource(String sourceId, DatabaseEndpoint from, boolean enableGtid, boolean enableRelay,
                     SourceFile.Tls security, List<String> notes, Instant createdAt) {
            this(sourceId, from, enableGtid, enableRelay, security, notes, createdAt, null);
        }
    }

    /** one migration of a task: the task's {@code mysql-instances[]} entry it was made from */
    record TaskInstance(String sourceId, String migrationId) {
    }

    /**
     * A task as started: the migrations it made, in the file's order of mysql-instances. After stop-task it is kept
     * with {@code stoppedAt} set (hidden from query-status, as DM forgets it) so that start-task of the same file
     * ({@code fileDigest}, SHA-256 of its text) resumes those migrations from their checkpoints, as DM's checkpoint
     * in the target wins over {@code meta}. Both are null in entries written before they existed. {@code file} is
     * the file's text as sent with its target password sealed ({@link TaskFileText}), for {@code config export}; null
     * in entries written before it existed.
     */
    record StoredTask(String name, String mode, List<TaskInstance> instances, List<String> notes, Instant createdAt,
                      String fileDigest, Instant stoppedAt, String file) {
        boolean stopped() {
            return stoppedAt != null;
        }
    }

    /** one value of the topic: exactly one of the two is set */
    @MessageType("dm-config")
    record Entry(StoredSource source, StoredTask task) {
    }

    private final Map<String, StoredSource> sources = new ConcurrentHashMap<>();
    private final Map<String, StoredTask> tasks = new ConcurrentHashMap<>();
    private final SyncSender sender;
    private final KafkaClients clients;
    private final String topic;
    private final Duration timeout;
    private volatile boolean running;

    DmStore(SyncSender sender, KafkaClients clients, TopicCatalog topics, CoordinatorProperties properties) {
        this.sender = sender;
        this.clients = clients;
        this.topic = topics.dmConfigs();
        this.timeout = properties.sendTimeout();
    }

    Optional<StoredSource> source(String id) {
        return Optional.ofNullable(sources.get(id));
    }

    List<StoredSource> sources() {
        return sources.values().stream().sorted(Comparator.comparing(StoredSource::sourceId)).toList();
    }

    Optional<StoredTask> task(String name) {
        return Optional.ofNullable(tasks.get(name));
    }

    /** every task but those stop-task stopped */
    List<StoredTask> tasks() {
        return tasks.values().stream().filter(t -> !t.stopped()).sorted(Comparator.comparing(StoredTask::name)).toList();
    }

    void save(StoredSource source) {
        sender.send(topic, SOURCE + source.sourceId(), new Entry(source, null), "DM source " + source.sourceId());
        sources.put(source.sourceId(), source);
    }

    void deleteSource(String id) {
        sender.send(topic, SOURCE + id, null, "the deletion of DM source " + id);
        sources.remove(id);
    }

    void save(StoredTask task) {
        sender.send(topic, TASK + task.name(), new Entry(null, task), "DM task " + task.name());
        tasks.put(task.name(), task);
    }

    void deleteTask(String name) {
        sender.send(topic, TASK + name, null, "the deletion of DM task " + name);
        tasks.remove(name);
    }

    /** a standby that takes over reads the files again: the coordinator before it may have changed them */
    @Override
    public void reload() {
        start();
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public void applyRead(String key, byte[] value) {
        if (value == null) {
            if (key.startsWith(SOURCE)) {
                sources.remove(key.substring(SOURCE.length()));
            } else if (key.startsWith(TASK)) {
                tasks.remove(key.substring(TASK.length()));
            }
            return;
        }
        put(MessageCodec.read(value, Entry.class));
    }

    private void put(Entry e) {
        if (e.source() != null) {
            sources.put(e.source().sourceId(), e.source());
        }
        if (e.task() != null) {
            tasks.put(e.task().name(), e.task());
        }
    }

    /** rebuilds both maps from the whole topic, before the web server takes requests (its phase is later) */
    @Override
    public void start() {
        Map<String, Entry> all = CompactedTopic.readAll(clients, topic, timeout, Entry.class, "coordinator-dm-loader");
        sources.clear();
        tasks.clear();
        all.values().forEach(this::put);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return 0;
    }
}
