package io.tidemark.kit.kafka;

import io.tidemark.common.serde.MessageDeserializer;
import io.tidemark.common.serde.MessageSerializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every Kafka client a Tidemark service opens, built one way: {@code spring.kafka.*} first (bootstrap servers,
 * {@code security.protocol}, SASL for Amazon MSK, TLS, timeouts), then only what Tidemark's delivery rules need on
 * top. Producers are idempotent with {@code acks=all}; consumers commit by hand, start from the earliest offset of a
 * new group, read committed records only, and read the contract's versioned JSON, an unreadable record arriving as null with the error in a header
 * (skipped by the listener, or kept and reread when of a newer version: {@link CommandErrors}) instead of failing
 * the poll. Thread-safe.
 */
public final class KafkaClients {
    private final KafkaProperties kafka;
    private final String service;

    public KafkaClients(KafkaProperties kafka, String service) {
        this.kafka = kafka;
        this.service = service;
    }

    /** producer settings for {@code purpose} (e.g. "status", "commands"), named {@code <service>-<purpose>} */
    public Map<String, Object> producerProperties(String purpose, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, service + "-" + purpose);
        config.putAll(overrides);
        return config;
    }

    public <V> ProducerFactory<String, V> producerFactory(String purpose, Map<String, Object> overrides) {
        return new DefaultKafkaProducerFactory<>(producerProperties(purpose, overrides), StringSerializer::new,
                MessageSerializer::new);
    }

    public <V> KafkaTemplate<String, V> template(String purpose) {
        return new KafkaTemplate<>(producerFactory(purpose, Map.of()));
    }

    /** consumer settings for a member of {@code groupId}; committed by hand, from the earliest offset of a new group */
    public Map<String, Object> consumerProperties(String groupId, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // the active coordinator writes its state and commands in Kafka transactions: what a fenced (stale)
        // coordinator began and never committed must never reach a worker or a rebuilt state
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // topics are created by the services' admin with their partition count and policy; a consumer that looked
        // first (the snapshot stop watch at start-up) had the broker create one with a single partition, and the
        // group then saw the partitions added to it only at its next metadata refresh, up to 5 minutes later: a
        // request on one of them waited that long (bench/many-migrations.sh, 266 s)
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.putAll(overrides);
        return config;
    }

    /**
     * settings for a member of share group {@code groupId} (KIP-932): {@code spring.kafka.consumer.*} without what a
     * share consumer refuses (offsets reset, auto commit, assignment, sessions are the group's, not the member's),
     * acknowledging each record explicitly
     */
    public Map<String, Object> shareConsumerProperties(String groupId, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        SHARE_UNSUPPORTED.forEach(config::remove);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        config.putAll(overrides);
        return config;
    }

    /** a member of share group {@code groupId} reading {@code type}, unreadable records as in {@link #consumerFactory} */
    public <V> KafkaShareConsumer<String, V> shareConsumer(String groupId, Class<V> type, Map<String, Object> overrides) {
        return new KafkaShareConsumer<>(shareConsumerProperties(groupId, overrides), new StringDeserializer(),
                new ErrorHandlingDeserializer<>(new MessageDeserializer<>(type)));
    }

    /** admin client settings: {@code spring.kafka.admin.*} over the common ones */
    public Map<String, Object> adminProperties() {
        return new HashMap<>(kafka.buildAdminProperties());
    }

    /** the cluster these clients talk to, for messages: the bootstrap servers as configured */
    public String bootstrapServers() {
        Object servers = adminProperties().get("bootstrap.servers");
        return servers instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                : String.valueOf(servers);
    }

    /** the consumer settings a KafkaShareConsumer refuses (ShareConsumerConfig): the share group decides these */
    private static final List<String> SHARE_UNSUPPORTED = List.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
            ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, ConsumerConfig.GROUP_PROTOCOL_CONFIG,
            ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG);

    /** a factory of consumers reading {@code type} (a sealed contract type such as Command or StatusEvent) */
    public <V> ConsumerFactory<String, V> consumerFactory(String groupId, Class<V> type,
                                                        Map<String, Object> overrides) {
        return new DefaultKafkaConsumerFactory<>(consumerProperties(groupId, overrides), StringDeserializer::new,
                () -> new ErrorHandlingDeserializer<>(new MessageDeserializer<>(type)));
    }
}
