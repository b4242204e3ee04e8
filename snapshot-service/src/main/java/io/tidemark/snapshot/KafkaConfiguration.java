package io.tidemark.snapshot;

import io.tidemark.common.id.WorkerId;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.serde.MessageSerializer;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.topic.TopicSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

import java.util.HashMap;
import java.util.Map;

/** The beans every part of the service shares: the secret box, the worker id, the status producer, the topics. */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {
    static final String SERVICE = "snapshot-service";

    @Bean
    SecretBox secretBox(TidemarkProperties properties) {
        return SecretBox.fromBase64Key(properties.secretKey());
    }

    @Bean
    WorkerId workerId() {
        return WorkerId.forService(SERVICE);
    }

    @Bean
    ProducerFactory<String, StatusEvent> statusProducerFactory(
            KafkaProperties kafka) {
        // spring.kafka.* (security.protocol, SASL for MSK, timeouts) first; what this client needs on top
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.putAll(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.CLIENT_ID_CONFIG, SERVICE + "-status"));
        return new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new MessageSerializer<>());
    }

    @Bean
    KafkaTemplate<String, StatusEvent> statusTemplate(ProducerFactory<String, StatusEvent> statusProducerFactory) {
        return new KafkaTemplate<>(statusProducerFactory);
    }

    /** every topic of the catalog: whichever service starts first creates them */
    @Bean
    KafkaAdmin.NewTopics tidemarkTopics(TidemarkProperties properties) {
        NewTopic[] topics = TopicSpec.all().stream()
                .map(spec -> {
                    TopicBuilder builder = TopicBuilder.name(spec.name())
                            .partitions(properties.topics().partitions())
                            .replicas(properties.topics().replicationFactor());
                    if (spec.compacted()) {
                        builder.config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
                    }
                    return builder.build();
                })
                .toArray(NewTopic[]::new);
        return new KafkaAdmin.NewTopics(topics);
    }
}
