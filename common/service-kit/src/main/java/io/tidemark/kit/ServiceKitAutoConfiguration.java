package io.tidemark.kit;

import io.tidemark.common.id.WorkerId;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.mysql.tls.DatabaseTls;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.storage.LocationKeys;
import io.tidemark.common.topic.TopicCatalog;
import io.micrometer.core.instrument.MeterRegistry;
import io.tidemark.kit.kafka.KafkaClients;
import io.tidemark.kit.metrics.StatusMetrics;
import io.tidemark.kit.retry.RetryPolicy;
import io.tidemark.kit.status.StatusPublisher;
import io.tidemark.mysql.session.Timeouts;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.ProducerListener;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The wiring every Tidemark service shares, once: the secret key (for passwords and the keys sealed into storage
 * locations), this process's worker id, the topic catalog (and its creation), Kafka clients from
 * {@code spring.kafka.*}, and the one status publisher. A service adds only its own listeners. Also the timeouts of every database session ({@code tidemark.db.*}). The service's name is {@code spring.application.name}.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@EnableConfigurationProperties(TidemarkProperties.class)
public class ServiceKitAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SecretBox secretBox(TidemarkProperties properties) {
        return SecretBox.fromBase64Key(properties.secretKey());
    }

    /**
     * Storages.open in this service opens the keys the coordinator sealed into storage locations with this service's
     * secret key: one place for every service, none opens them by hand. Registered for as long as the context lives
     * (the standalone launcher runs several in one JVM, each registering its own).
     */
    @Bean
    LocationKeys.Registration sealedStorageKeys(SecretBox secretBox) {
        return LocationKeys.openWith(secretBox);
    }

    /** the same for the TLS client keys sealed into source and target endpoints ({@code tls.key}) */
    @Bean
    DatabaseTls.Registration sealedTlsKeys(SecretBox secretBox) {
        return DatabaseTls.openWith(secretBox);
    }

    @Bean
    @ConditionalOnMissingBean
    WorkerId workerId(Environment environment) {
        return WorkerId.forService(serviceName(environment));
    }

    /** the timeouts of every source and target session this service opens ({@code tidemark.db.*}) */
    @Bean
    @ConditionalOnMissingBean
    Timeouts databaseTimeouts(TidemarkProperties properties) {
        return properties.db().timeouts();
    }

    @Bean
    @ConditionalOnMissingBean
    TopicCatalog topicCatalog(TidemarkProperties properties) {
        return new TopicCatalog(properties.topicPrefix());
    }

    /** every topic of the catalog, so whichever service starts first creates them with the right policy */
    @Bean
    KafkaAdmin.NewTopics tidemarkTopics(TopicCatalog catalog, TidemarkProperties properties) {
        return new KafkaAdmin.NewTopics(catalog.specs().stream()
                .map(spec -> {
                    TopicBuilder b = TopicBuilder.name(spec.name())
                            .partitions(spec.partitions() > 0 ? spec.partitions() : properties.topics().partitions())
                            .replicas(properties.topics().replicationFactor());
                    if (spec.compacted()) {
                        b.config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
                    }
                    return b.build();
                })
                .toArray(NewTopic[]::new));
    }

    @Bean
    @ConditionalOnMissingBean
    KafkaClients kafkaClients(KafkaProperties kafka, Environment environment) {
        return new KafkaClients(kafka, serviceName(environment));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    StatusPublisher statusPublisher(KafkaClients clients, TopicCatalog catalog, TidemarkProperties properties,
                                    ObjectProvider<MeterRegistry> meters) {
        Duration attempt = properties.status().attemptTimeout();
        // one attempt is bounded by the attempt timeout, whether the producer waits for metadata or for an ack
        // (and the producer gives a send up within it too, so a re-send does not leave older copies in its buffer)
        KafkaTemplate<String, StatusEvent> template = new KafkaTemplate<>(clients.producerFactory("status", Map.of(
                ProducerConfig.MAX_BLOCK_MS_CONFIG, attempt.toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) attempt.toMillis(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) attempt.toMillis(),
                ProducerConfig.LINGER_MS_CONFIG, 0)));
        // the publisher logs each failed attempt once, with what it does next; the template's own ERROR per attempt
        // (with the event's payload) would only repeat it
        template.setProducerListener(new ProducerListener<>() {
        });
        RetryPolicy retry = RetryPolicy.untilStopped(Duration.ofMillis(100), properties.status().maxRetryBackoff());
        // every service's tidemark_* metrics are counted from what it reported (StatusMetrics), where metrics exist
        AtomicReference<StatusPublisher> self = new AtomicReference<>();
        MeterRegistry registry = meters.getIfAvailable();
        Consumer<StatusEvent> sent = registry == null ? event -> {
        } : new StatusMetrics(registry, () -> self.get() == null ? 0 : self.get().unsentSince());
        self.set(new StatusPublisher(template, catalog, retry, attempt, sent));
        return self.get();
    }

    /** the status producer made ready once the service is up: its topics exist by then (see the admin above) */
    @Bean
    ApplicationListener<ApplicationReadyEvent> statusPublisherWarmUp(StatusPublisher publisher) {
        return event -> Thread.ofVirtual().name("status-warm-up").start(publisher::warmUp);
    }

    static String serviceName(Environment environment) {
        return environment.getProperty("spring.application.name", "tidemark-service");
    }
}
