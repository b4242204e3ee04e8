package io.tidemark.lightning;

import io.tidemark.common.command.Command;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.serde.MessageDeserializer;
import io.tidemark.common.serde.MessageSerializer;
import io.tidemark.common.topic.TopicSpec;
import io.tidemark.lightning.status.StatusPublisher;
import io.tidemark.lightning.target.TargetSessions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

import java.util.HashMap;
import java.util.Map;

/** The beans both roles (planner and worker) share: Kafka clients, the topic catalog, secrets, target sessions. */
@Configuration(proxyBeanMethods = false)
class ServiceConfiguration {
    static final String SERVICE_NAME = "lightning-service";

    @Bean
    SecretBox secretBox(SharedProperties shared) {
        return SecretBox.fromBase64Key(shared.secretKey());
    }

    @Bean
    WorkerId workerId() {
        return WorkerId.forService(SERVICE_NAME);
    }

    @Bean
    TargetSessions targetSessions(SecretBox secretBox) {
        return new TargetSessions(secretBox);
    }

    @Bean
    KafkaAdmin.NewTopics tidemarkTopics(SharedProperties shared) {
        return new KafkaAdmin.NewTopics(TopicSpec.all().stream()
                .map(spec -> {
                    TopicBuilder b = TopicBuilder.name(spec.name())
                            .partitions(shared.topics().partitions())
                            .replicas(shared.topics().replicationFactor());
                    return (spec.compacted() ? b.config(TopicConfig.CLEANUP_POLICY_CONFIG,
                            TopicConfig.CLEANUP_POLICY_COMPACT) : b).build();
                })
                .toArray(org.apache.kafka.clients.admin.NewTopic[]::new));
    }

    @Bean
    ProducerFactory<String, Object> producerFactory(KafkaProperties kafka) {
        // spring.kafka.* (security.protocol, SASL for MSK, timeouts) first; what this client needs on top
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.putAll(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.CLIENT_ID_CONFIG, SERVICE_NAME + "-producer"));
        return new DefaultKafkaProducerFactory<>(config,
                StringSerializer::new, MessageSerializer::new);
    }

    @Bean
    KafkaTemplate<String, Object> kafkaTemplate(ProducerFactory<String, Object> producerFactory) {
        return new KafkaTemplate<>(producerFactory);
    }

    @Bean
    StatusPublisher statusPublisher(KafkaTemplate<String, Object> kafkaTemplate, WorkerId workerId) {
        return new StatusPublisher(kafkaTemplate, workerId);
    }

    /**
     * Commands on both topics this service reads. An unreadable value (malformed JSON, another schema version)
     * arrives as null with the error in a header instead of failing the poll, so it is logged and skipped.
     */
    @Bean
    ConsumerFactory<String, Command> commandConsumerFactory(
            KafkaProperties kafka) {
        // spring.kafka.* (security.protocol, SASL for MSK, timeouts) first; what this client needs on top
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.putAll(Map.of(
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        return new DefaultKafkaConsumerFactory<>(config,
                StringDeserializer::new,
                () -> new ErrorHandlingDeserializer<>(new MessageDeserializer<>(Command.class)));
    }
}
