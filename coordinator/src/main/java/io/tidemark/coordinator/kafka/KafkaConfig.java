package io.tidemark.coordinator.kafka;

import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.serde.MessageSerializer;
import io.tidemark.common.topic.TopicSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

import java.util.HashMap;
import java.util.Map;

/** The producer every write of this service goes through, the topic declarations, and the secret key. */
@Configuration(proxyBeanMethods = false)
class KafkaConfig {

    @Bean
    SecretBox secretBox(@Value("${tidemark.secret-key:}") String key) {
        return SecretBox.fromBase64Key(key);
    }

    /** all topics of the catalog, so whichever service starts first creates them with the right policy */
    @Bean
    KafkaAdmin.NewTopics tidemarkTopics(TopicsProperties topics) {
        return new KafkaAdmin.NewTopics(TopicSpec.all().stream()
                .map(spec -> {
                    NewTopic topic = new NewTopic(spec.name(), topics.partitions(), topics.replicationFactor());
                    return spec.compacted()
                            ? topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))
                            : topic;
                })
                .toArray(NewTopic[]::new));
    }

    /** idempotent, acks=all: a write the coordinator waited for is on every in-sync replica, exactly once */
    @Bean
    ProducerFactory<String, Object> tidemarkProducerFactory(
            KafkaProperties kafka) {
        // spring.kafka.* (security.protocol, SASL for MSK, timeouts) first; what this client needs on top
        Map<String, Object> props = new HashMap<>(kafka.buildProducerProperties());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "tidemark-coordinator");
        return new DefaultKafkaProducerFactory<>(props, new StringSerializer(), new MessageSerializer<>());
    }

    @Bean
    KafkaTemplate<String, Object> tidemarkKafkaTemplate(ProducerFactory<String, Object> producerFactory) {
        return new KafkaTemplate<>(producerFactory);
    }
}
