package io.tidemark.coordinator;

import io.tidemark.kit.kafka.KafkaClients;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

import java.util.Map;

/**
 * The coordinator: the users' front door (REST) and the orchestrator (DM's dm-master + dmctl). It keeps every
 * migration's durable state on the compacted migrations topic, publishes commands to the workers and aggregates
 * their status events. Kafka clients, topic names and the secret key come from the service kit.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CoordinatorApplication {

    /** the builder the standalone launcher and the tests start this service with; add properties to it */
    public static SpringApplicationBuilder app() {
        return new SpringApplicationBuilder(CoordinatorApplication.class).properties("spring.config.name=coordinator");
    }

    public static void main(String[] args) {
        app().run(args);
    }

    /**
     * The one producer of the coordinator's commands and of its migrations' state. A send is waited for, under the
     * lock every change holds, so even waiting for metadata while Kafka is away is bounded by the send timeout.
     */
    @Bean
    ProducerFactory<String, Object> commandProducerFactory(KafkaClients clients, CoordinatorProperties properties) {
        // linger 0: every send is waited for alone (SyncSender), so the client's default linger (5 ms since Kafka 4.0)
        // only delayed each by that much, under the lock every change holds — a second of it per 200 changes
        ProducerFactory<String, Object> factory = clients.producerFactory("commands",
                Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, properties.sendTimeout().toMillis(),
                        ProducerConfig.LINGER_MS_CONFIG, 0));
        long kafkaLimit = Long.parseLong(String.valueOf(factory.getConfigurationProperties()
                .getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024)));
        if (properties.maxSpecBytes().toBytes() * 2 > kafkaLimit) {
            throw new IllegalArgumentException("tidemark.coordinator.max-spec-bytes is " + properties.maxSpecBytes()
                    + " but Kafka messages may hold only " + kafkaLimit + " bytes (max.request.size), and a migration"
                    + " is stored as one message with its spec and its progress; keep it at most half of that");
        }
        return factory;
    }

    @Bean
    KafkaTemplate<String, Object> commandTemplate(ProducerFactory<String, Object> commandProducerFactory) {
        return new KafkaTemplate<>(commandProducerFactory);
    }
}
