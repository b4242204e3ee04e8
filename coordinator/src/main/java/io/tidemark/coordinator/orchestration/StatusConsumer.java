package io.tidemark.coordinator.orchestration;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.coordinator.leadership.HaProperties;
import io.tidemark.kit.kafka.CommandErrors;
import io.tidemark.kit.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.AcknowledgingMessageListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.util.backoff.BackOff;

import java.util.Map;
import java.util.function.Function;

/**
 * Consumes the status topic in the coordinator's group. An event's offset is committed only after the change it
 * caused is saved (at the end of its poll's records), so a crash in between redelivers it, and aggregation makes the
 * redelivery a no-op. The container
 * is started by {@link Startup} once the state is rebuilt, never before.
 */
@Configuration(proxyBeanMethods = false)
class StatusConsumer {
    /**
     * An event whose outcome could not be saved (Kafka unavailable: a retriable catalog error) is retried until it
     * can be, never acknowledged unsaved: skipping it could leave a migration waiting forever for a chunk it never
     * recorded. A coordinator that lost its role ({@link ErrorCode#COORDINATOR_FENCED}) must not acknowledge an event
     * it could not apply either: it is kept until the container stops (the coordinator steps down at once), and the
     * active coordinator applies it. An event that cannot be applied (a fatal catalog error, a bug) is logged and
     * skipped so it does not block the partition; one of a newer version than this coordinator reads is kept until a
     * rolling upgrade reaches it, a malformed one skipped (the kit's handler decides both).
     */
    static final Function<Exception, BackOff> RETRIES = CommandErrors.untilApplied(ErrorCode.COORDINATOR_FENCED);

    @Bean
    ConcurrentMessageListenerContainer<String, StatusEvent> statusContainer(
            KafkaClients clients, TopicCatalog topics, Coordinator coordinator, HaProperties ha) {
        // an unreadable record becomes a DeserializationException for the error handler: a malformed one is logged
        // and skipped, one of a newer version than this coordinator reads is kept and read again (the kit's CommandErrors)
        // under high availability, the status partitions of an active coordinator that died go to the next one as
        // fast as its election does
        Map<String, Object> overrides = ha.enabled() ? Map.of(
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) ha.sessionTimeout().toMillis(),
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) ha.sessionTimeout().dividedBy(3).toMillis())
                : Map.of();
        var factory = clients.consumerFactory(topics.coordinatorGroup(), StatusEvent.class, overrides);
        ContainerProperties container = new ContainerProperties(topics.status());
        // acknowledged after the change is saved, committed once per poll: a commit round trip per event only
        // slowed the aggregation of busy migrations; a crash redelivers the uncommitted ones, which change nothing
        container.setAckMode(ContainerProperties.AckMode.MANUAL);
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
        listener.setCommonErrorHandler(CommandErrors.handler("coordinator", "status event", RETRIES));
        return listener;
    }
}
