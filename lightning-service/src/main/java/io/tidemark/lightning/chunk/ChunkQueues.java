package io.tidemark.lightning.chunk;

import io.tidemark.common.command.Command;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.kit.kafka.KafkaClients;
import io.tidemark.kit.kafka.ShareGroups;
import io.tidemark.lightning.LightningProperties;
import io.tidemark.lightning.LightningProperties.ChunkQueueKind;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Where this instance's chunk workers take chunks from, decided once at start-up ({@code tidemark.lightning.chunk-queue}):
 * a KIP-932 share group where the Kafka cluster has share groups ({@link ShareGroups#probe}), else the classic consumer
 * group — {@code auto} picks, {@code share} insists (and refuses to start on a cluster without them), {@code
 * consumer-group} never asks. The choice is logged and shown in the service's info endpoint and metrics. Makes each
 * worker's queue; thread-safe.
 */
final class ChunkQueues {
    private static final Logger LOGGER = LoggerFactory.getLogger(ChunkQueues.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

    /** the two ways to consume the chunks topic, and none when this instance runs no workers */
    enum Path {
        SHARE_GROUP, CONSUMER_GROUP, NONE;

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Path path;
    private final String reason;
    private final String group;
    private final KafkaClients clients;
    private final TopicCatalog topics;
    private final int maxDeliveries;
    private final ConsumerFactory<String, Command> consumers;
    /** a share group's acquisition lock: a worker busy with a chunk does not poll for as long */
    private final Duration lock;

    private ChunkQueues(Path path, String reason, String group, KafkaClients clients, TopicCatalog topics,
                        int maxDeliveries, Duration lock) {
        this.lock = lock;
        this.path = path;
        this.reason = reason;
        this.group = group;
        this.clients = clients;
        this.topics = topics;
        this.maxDeliveries = maxDeliveries;
        // one chunk per poll: the rest stay in Kafka for other members instead of waiting behind a long chunk
        this.consumers = path == Path.CONSUMER_GROUP ? clients.consumerFactory(group, Command.class,
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1)) : null;
    }

    /**
     * @throws TidemarkException {@link ErrorCode#SHARE_GROUPS_UNSUPPORTED} when share groups are demanded of a cluster
     *                           without them; {@link ErrorCode#KAFKA_FEATURES_UNREADABLE} when the cluster cannot be asked
     */
    static ChunkQueues choose(KafkaClients clients, TopicCatalog topics, LightningProperties props) {
        ChunkQueues chosen = decide(clients, topics, props);
        LOGGER.info("chunk queue: {} (group {}): {}", chosen.path.label(), chosen.group, chosen.reason);
        return chosen;
    }

    private static ChunkQueues decide(KafkaClients clients, TopicCatalog topics, LightningProperties props) {
        String setting = "tidemark.lightning.chunk-queue=" + props.chunkQueue().name().toLowerCase(Locale.ROOT)
                .replace('_', '-');
        if (props.workers() == 0) {
            return new ChunkQueues(Path.NONE, "tidemark.lightning.workers=0: this instance takes no chunks", "-",
                    clients, topics, props.maxDeliveries(), Duration.ZERO);
        }
        if (props.chunkQueue() == ChunkQueueKind.CONSUMER_GROUP) {
            return consumerGroup(setting, clients, topics, props);
        }
        String cluster = clients.bootstrapServers();
        try (Admin admin = Admin.create(clients.adminProperties())) {
            ShareGroups.Support support = ShareGroups.probe(admin, cluster, PROBE_TIMEOUT);
            if (!support.available()) {
                if (props.chunkQueue() == ChunkQueueKind.SHARE) {
                    throw new TidemarkException(ErrorCode.SHARE_GROUPS_UNSUPPORTED, cluster, support.reason());
                }
                return consumerGroup(setting + ", and " + support.reason(), clients, topics, props);
            }
            Duration lock = ShareGroups.configure(admin, topics.importWorkerShareGroup(), cluster, props.chunkLock(),
                    PROBE_TIMEOUT);
            return new ChunkQueues(Path.SHARE_GROUP, setting + ", and " + support.reason() + "; chunk lock "
                    + lock.toSeconds() + " s", topics.importWorkerShareGroup(), clients, topics, props.maxDeliveries(),
                    lock);
        }
    }

    private static ChunkQueues consumerGroup(String reason, KafkaClients clients, TopicCatalog topics,
                                             LightningProperties props) {
        return new ChunkQueues(Path.CONSUMER_GROUP, reason, topics.importWorkerGroup(), clients, topics,
                props.maxDeliveries(), Duration.ZERO);
    }

    Path path() {
        return path;
    }

    String reason() {
        return reason;
    }

    String group() {
        return group;
    }

    /** a new member of the chosen group, for worker {@code index}; the worker owns and closes it */
    ChunkQueue open(int index) {
        return switch (path) {
            case CONSUMER_GROUP -> new ConsumerGroupChunkQueue(
                    consumers.createConsumer(null, "lightning-worker-", "" + index), topics.importChunks());
            case SHARE_GROUP -> new ShareChunkQueue(clients.shareConsumer(group, Command.class, Map.of(
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1,
                    ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit",
                    // the member does not poll while it imports a chunk: it stays in the group as long as the lock
                    ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Math.max(lock.toMillis(), 300_000),
                    ConsumerConfig.CLIENT_ID_CONFIG, "lightning-worker-" + index)),
                    new KafkaProducer<>(clients.producerProperties("chunk-requeue-" + index, Map.of()),
                            new StringSerializer(), new ByteArraySerializer()),
                    topics.importChunks(), maxDeliveries);
            case NONE -> throw new IllegalStateException("this instance runs no chunk workers");
        };
    }
}
