package io.tidemark.coordinator.orchestration;

import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.serde.MessageDeserializer;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.AcknowledgingMessageListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

import java.util.HashMap;
import java.util.Map;

/**
 * Consumes {@link Topics#STATUS} in the coordinator's group. An event's offset is committed only after the change
 * it caused is saved, so a crash in between redelivers it, and aggregation makes the redelivery a no-op. The
 * container is started by {@link Startup} once the state is rebuilt, never before.
 */
@Configuration(proxyBeanMethods = false)
class StatusConsumer {
    private static final Logger LOGGER = LoggerFactory.getLogger(StatusConsumer.class);

    @Bean
    ConcurrentMessageListenerContainer<String, StatusEvent> statusContainer(
            KafkaProperties kafka, Coordinator coordinator) {
        // spring.kafka.* (security.protocol, SASL for MSK, timeouts) first; what this client needs on top
        Map<String, Object> props = new HashMap<>(kafka.buildConsumerProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, Topics.GROUP_COORDINATOR);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // an unreadable record becomes a DeserializationException the error handler logs and skips, no retry loop
        var factory = new DefaultKafkaConsumerFactory<>(props, new StringDeserializer(),
                new ErrorHandlingDeserializer<>(new MessageDeserializer<>(StatusEvent.class)));

        ContainerProperties container = new ContainerProperties(Topics.STATUS);
        container.setAckMode(ContainerProperties.AckMode.MANUAL_IMMEDIATE);
        container.setMessageListener((AcknowledgingMessageListener<String, StatusEvent>) (record, ack) -> {
            if (record.value() != null) {
                coordinator.onStatus(record.value());
            }
            if (ack != null) {
                ack.acknowledge();
            }
        });
        var listener = new ConcurrentMessageListenerContainer<>(factory, container);
        listener.setAutoStartup(false);
        listener.setBeanName("tidemark-coordinator-status");
        var errors = new DefaultErrorHandler((record, e) -> LOGGER.error("skipped status record {}-{}@{}: {}",
                record.topic(), record.partition(), record.offset(), e.getMessage()));
        errors.setBackOffFunction((record, e) -> backOffFor(e));
        listener.setCommonErrorHandler(errors);
        return listener;
    }

    /**
     * An event whose outcome could not be saved (Kafka unavailable) is retried until it can be, never acknowledged
     * unsaved: skipping it could leave a migration waiting forever for a chunk it never recorded. An event that
     * cannot be applied (a fatal catalog error, a bug) is logged and skipped so it does not block the partition.
     */
    static BackOff backOffFor(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TidemarkException te) {
                return te.retriable() ? UNTIL_SAVED : new FixedBackOff(0, 0);
            }
        }
        return new FixedBackOff(0, 0);
    }

    private static final ExponentialBackOff UNTIL_SAVED = untilSaved();

    private static ExponentialBackOff untilSaved() {
        ExponentialBackOff b = new ExponentialBackOff(500, 2.0);
        b.setMaxInterval(30_000);
        return b;
    }
}
