package io.tidemark.dm;

import io.tidemark.common.command.Command;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.serde.MessageDeserializer;
import io.tidemark.common.serde.MessageSerializer;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.topic.TopicSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

import java.util.HashMap;
import java.util.Map;

/** Kafka clients of this service, built in code with the contract's serializers, and the topic catalog. */
@Configuration(proxyBeanMethods = false)
class KafkaWiring {
    static final String SERVICE = "dm-service";

    @Bean
    SecretBox secretBox(SharedProperties shared) {
        return SecretBox.fromBase64Key(shared.secretKey());
    }

    @Bean
    WorkerId workerId() {
        return WorkerId.forService(SERVICE);
    }

    /** whichever service starts first creates the catalog */
    @Bean
    KafkaAdmin.NewTopics tidemarkTopics(SharedProperties shared) {
        return new KafkaAdmin.NewTopics(TopicSpec.all().stream().map(spec -> {
            TopicBuilder b = TopicBuilder.name(spec.name())
                    .partitions(shared.topics().partitions())
                    .replicas(shared.topics().replicationFactor());
            if (spec.compacted()) {
                b.config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            }
            return b.build();
        }).toArray(org.apache.kafka.clients.admin.NewTopic[]::new));
    }

    @Bean
    ProducerFactory<String, StatusEvent> statusProducerFactory(
            KafkaProperties kafka) {
        // spring.kafka.* (security.protocol, SASL for MSK, timeouts) first; what this client needs on top
        Map<String, Object> p = new HashMap<>(kafka.buildProducerProperties());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, SERVICE + "-status");
        return new DefaultKafkaProducerFactory<>(p, new StringSerializer(), new MessageSerializer<>());
    }

    @Bean
    KafkaTemplate<String, StatusEvent> statusTemplate(ProducerFactory<String, StatusEvent> factory) {
        return new KafkaTemplate<>(factory);
    }

    /**
     * Task ownership reads the compacted desired-state topic from the beginning on every assignment, so committed
     * offsets carry no meaning: auto-commit is off. Cooperative assignment moves only the partitions that change
     * owner, so a rebalance does not restart every replicator.
     */
    @Bean
    ConsumerFactory<String, Command> taskConsumerFactory(KafkaProperties kafka) {
        // spring.kafka.* (security.protocol, SASL for MSK, timeouts) first; what this client needs on top
        Map<String, Object> p = new HashMap<>(kafka.buildConsumerProperties());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        return new DefaultKafkaConsumerFactory<>(p, new StringDeserializer(), new MessageDeserializer<>(Command.class));
    }
}
