package io.tidemark.coordinator.leadership;

import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.coordinator.CoordinatorProperties;
import io.tidemark.coordinator.kafka.SyncSender;
import io.tidemark.coordinator.store.MigrationStore;
import io.tidemark.kit.kafka.KafkaClients;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Which coordinator instance drives the migrations. Alone ({@code tidemark.coordinator.ha.enabled=false}, the
 * default) this one is active from its start, as it always was. Under high availability every instance joins one
 * consumer group on the one-partition leader topic, and the member assigned partition 0 is the active coordinator:
 * it opens the transactional producer of the installation (fencing any coordinator before it), writes where it is on
 * the leader topic, rebuilds its state, resumes every migration and consumes status events. Every other instance is a
 * standby: it tails the state for reads and refuses writes. The active one steps down at once when Kafka takes the
 * partition from it (it stopped answering past the session timeout) or fences its producer, and never retries a write
 * then.
 *
 * <p>Threading: the election, the activation and the step-down run on one thread ({@code coordinator-election}); a
 * fenced write on any other thread only asks it to step down. The role is read from any thread.
 */
@Component
public class Leadership {
    private static final Logger LOGGER = LoggerFactory.getLogger(Leadership.class);
    private static final int LEADER_PARTITION = 0;

    /** this instance's role, as the API shows it */
    public sealed interface Role {
        Instant since();

        /** drives every migration; {@code epoch} is the election generation it won */
        record Active(int epoch, Instant since) implements Role {
        }

        /** serves reads; {@code leader} is the active coordinator as last read, null while none is known */
        record Standby(CoordinatorLeader leader, Instant since) implements Role {
        }
    }

    private final HaProperties properties;
    private final KafkaClients clients;
    private final TopicCatalog topics;
    private final SyncSender sender;
    private final Duration timeout;
    private final StateTailer tailer;
    private final List<ActiveState> otherState;
    private final Clock clock = Clock.systemUTC();
    private final AtomicBoolean rejoin = new AtomicBoolean();
    private volatile Role role;
    private volatile CoordinatorLeader leader;
    private volatile String instance;
    private volatile ActiveRole activeRole;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> election;
    private Thread thread;

    Leadership(HaProperties properties, KafkaClients clients, TopicCatalog topics, SyncSender sender,
               MigrationStore store, CoordinatorProperties coordinator, List<ActiveState> otherState) {
        this.properties = properties;
        this.otherState = otherState;
        this.clients = clients;
        this.topics = topics;
        this.sender = sender;
        this.timeout = coordinator.sendTimeout();
        this.role = new Role.Standby(null, clock.instant());
        this.instance = properties.advertisedUrl();
        this.tailer = new StateTailer(clients, store, otherState, topics.coordinatorLeader(), timeout,
                this::leaderRead);
    }

    /**
     * Called once by the orchestration's start-up. Alone, this coordinator activates at once; under high availability
     * it starts as a standby, and its election starts once its web server listens (its URL is what it advertises).
     */
    public void start(ActiveRole orchestration) {
        this.activeRole = orchestration;
        if (!properties.enabled()) {
            orchestration.activate();
            role = new Role.Active(0, clock.instant());
            return;
        }
        sender.transactional(instanceOrDefault(), e -> requestStepDown(e.getMessage()));
        tailer.start();
    }

    @EventListener
    void onWebServer(WebServerInitializedEvent event) {
        if (instance == null || instance.isBlank()) {
            instance = "http://" + hostName() + ":" + event.getWebServer().getPort();
        }
        if (!properties.enabled() || thread != null || activeRole == null) {
            return;
        }
        sender.transactional(instance, e -> requestStepDown(e.getMessage()));
        running = true;
        thread = Thread.ofPlatform().name("coordinator-election").start(this::elect);
        LOGGER.info("coordinator {} joined the election of {} (session timeout {})", instance,
                topics.coordinatorLeaderGroup(), properties.sessionTimeout());
    }

    /** whether this instance drives the migrations now */
    public boolean active() {
        return role instanceof Role.Active;
    }

    public Role role() {
        return role;
    }

    /** this instance as it advertises itself */
    public String instance() {
        return instanceOrDefault();
    }

    /** the active coordinator as this instance knows it: itself, or what it last read on the leader topic */
    public CoordinatorLeader leader() {
        return role instanceof Role.Active a ? new CoordinatorLeader(instance(), a.epoch(), a.since()) : leader;
    }

    public boolean highAvailability() {
        return properties.enabled();
    }

    private String instanceOrDefault() {
        return instance == null || instance.isBlank() ? "http://" + hostName() : instance;
    }

    private void leaderRead(CoordinatorLeader read) {
        leader = read;
        if (role instanceof Role.Standby s) {
            role = new Role.Standby(read, s.since());
        }
    }

    /** a fenced or broken write, on any thread: the election thread steps down and rejoins */
    private void requestStepDown(String why) {
        LOGGER.warn("coordinator {} steps down: {}", instance, why);
        // refuse writes at once; the election thread does the rest
        if (role instanceof Role.Active) {
            leader = null;
            role = new Role.Standby(null, clock.instant());
        }
        rejoin.set(true);
        KafkaConsumer<String, byte[]> c = election;
        if (c != null) {
            c.wakeup();
        }
    }

    private void elect() {
        Map<String, Object> props = clients.consumerProperties(topics.coordinatorLeaderGroup(), Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "coordinator-election",
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) properties.sessionTimeout().toMillis(),
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) properties.heartbeatInterval().toMillis(),
                // the active member keeps partition 0 when a standby joins: no needless failover
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName()));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            election = consumer;
            subscribe(consumer);
            while (running) {
                if (rejoin.getAndSet(false)) {
                    stepDown("its write was fenced or failed");
                    // leave and join again: the group decides anew who is active, this instance may win again
                    consumer.unsubscribe();
                    subscribe(consumer);
                }
                try {
                    consumer.poll(Duration.ofMillis(200));
                } catch (WakeupException e) {
                    LOGGER.debug("election woken up");
                }
            }
        } catch (RuntimeException e) {
            LOGGER.error("coordinator {} left the election: {}", instance, e.toString());
        } finally {
            election = null;
            stepDown("it stops");
        }
    }

    private void subscribe(KafkaConsumer<String, byte[]> consumer) {
        consumer.subscribe(List.of(topics.coordinatorLeader()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                if (holdsLeader(partitions) && !active()) {
                    becomeActive(consumer.groupMetadata().generationId());
                }
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                if (holdsLeader(partitions)) {
                    stepDown("it gave up the leader partition (a rebalance of the election)");
                }
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                if (holdsLeader(partitions)) {
                    stepDown("it lost its election membership (it did not answer within the session timeout)");
                }
            }
        });
    }

    private static boolean holdsLeader(Collection<TopicPartition> partitions) {
        return partitions.stream().anyMatch(p -> p.partition() == LEADER_PARTITION);
    }

    /** on the election thread: fence every coordinator before this one, say so, then take the state over */
    private void becomeActive(int epoch) {
        Instant since = clock.instant();
        LOGGER.info("coordinator {} won the election (epoch {}): taking over", instance, epoch);
        try {
            tailer.stop();
            sender.activate(topics.coordinatorTransactionalId());
            sender.send(topics.coordinatorLeader(), CoordinatorLeader.KEY, new CoordinatorLeader(instance, epoch, since),
                    "the leader record of epoch " + epoch);
            otherState.forEach(ActiveState::reload);
            activeRole.activate();
            role = new Role.Active(epoch, since);
            LOGGER.info("coordinator {} is the active coordinator (epoch {}), after {} ms", instance, epoch,
                    Duration.between(since, clock.instant()).toMillis());
        } catch (TidemarkException | org.apache.kafka.common.KafkaException e) {
            LOGGER.error("coordinator {} could not take over: {}", instance, e.getMessage());
            stepDown("its takeover failed");
            rejoin.set(true);
        }
    }

    /** on the election thread (or at shutdown): stop driving, close the producer, serve reads */
    private synchronized void stepDown(String why) {
        boolean wasDriving = activeRole != null && (role instanceof Role.Active || sender.transactional());
        // who is active now is known again once the tailer has read the leader topic to its end
        leader = null;
        role = new Role.Standby(null, clock.instant());
        sender.deactivate();
        if (wasDriving) {
            activeRole.deactivate();
        }
        if (running) {
            tailer.start();
            LOGGER.warn("coordinator {} is a standby: {}", instance, why);
        }
    }

    /** the service stops: leave the election (a standby takes over at once) */
    @PreDestroy
    public void close() {
        running = false;
        KafkaConsumer<String, byte[]> c = election;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        tailer.stop();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
