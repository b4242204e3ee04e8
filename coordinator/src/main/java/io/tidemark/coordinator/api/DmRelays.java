package io.tidemark.coordinator.api;

import io.tidemark.common.command.DesiredRelay;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.coordinator.CoordinatorProperties;
import io.tidemark.coordinator.kafka.SyncSender;
import io.tidemark.coordinator.store.CompactedTopic;
import io.tidemark.kit.kafka.KafkaClients;
import io.tidemark.coordinator.leadership.ActiveState;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The relay each DM source with {@code enable-relay: true} should have, published on the compacted
 * {@link TopicCatalog#dmRelays()} topic for dm-service to run (DM's relay log, issue 10). The start position is taken
 * once, when the relay is first enabled, and kept across updates and stop/start: a relay is one unbroken spool of the
 * source's binlog, and moving its start would leave a gap that tasks reading it cannot see. Callers serialize changes
 * (SourceController's lock).
 */
@Component
class DmRelays implements SmartLifecycle, ActiveState {
    private final Map<String, DesiredRelay> relays = new ConcurrentHashMap<>();
    private final SyncSender sender;
    private final KafkaClients clients;
    private final SourceHeads heads;
    private final String topic;
    private final Duration timeout;
    private volatile boolean running;

    DmRelays(SyncSender sender, KafkaClients clients, SourceHeads heads, TopicCatalog topics,
             CoordinatorProperties properties) {
        this.sender = sender;
        this.clients = clients;
        this.heads = heads;
        this.topic = topics.dmRelays();
        this.timeout = properties.sendTimeout();
    }

    Optional<DesiredRelay> relay(String sourceId) {
        return Optional.ofNullable(relays.get(sourceId));
    }

    /** after operate-source create|update: the relay wanted running if the source enables it, else stopped */
    void follow(DmStore.StoredSource source) {
        if (source.enableRelay()) {
            start(source);
        } else {
            stop(source.sourceId());
        }
    }

    /** start-relay, or a source enabling it: running, from the first start it ever had, else the source's now */
    DesiredRelay start(DmStore.StoredSource source) {
        DesiredRelay known = relays.get(source.sourceId());
        if (known != null && known.start() != null) {
            // the source's endpoint may have changed (a new password, a failover address); the spool goes on
            return publish(new DesiredRelay(source.sourceId(), source.from(), known.serverId(), known.start(), true));
        }
        return publish(new DesiredRelay(source.sourceId(), source.from(), serverId(source.sourceId()),
                heads.now(source.from()).orElse(null), true));
    }

    /**
     * stop-relay, operate-source stop, an update without the flag: the relay stops; its record stays (stopped) so the
     * topic keeps its start if it is started again. Empty when the source never had a relay.
     */
    Optional<DesiredRelay> stop(String sourceId) {
        DesiredRelay known = relays.get(sourceId);
        if (known == null || !known.running()) {
            return Optional.ofNullable(known);
        }
        return Optional.of(publish(known.stopped()));
    }

    private DesiredRelay publish(DesiredRelay relay) {
        sender.send(topic, relay.sourceId(), relay, "the relay of DM source " + relay.sourceId());
        relays.put(relay.sourceId(), relay);
        return relay;
    }

    /**
     * Stable across restarts so the source sees one replica for the relay, far from small real replica ids and apart
     * from the tasks' ids (Orchestrator#serverId hashes migration ids the same way, under another name).
     */
    static long serverId(String sourceId) {
        return 1_000_000L + (("relay:" + sourceId).hashCode() & 0x3fffffff);
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
            relays.remove(key);
        } else {
            relays.put(key, MessageCodec.read(value, DesiredRelay.class));
        }
    }

    @Override
    public void start() {
        Map<String, DesiredRelay> all = CompactedTopic.readAll(clients, topic, timeout, DesiredRelay.class,
                "coordinator-dm-relays-loader");
        relays.clear();
        relays.putAll(all);
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
