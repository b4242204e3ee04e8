package io.tidemark.coordinator.orchestration;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.coordinator.leadership.HaProperties;
import io.tidemark.kit.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import io.tidemark.kit.retry.RetryPolicy;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.AcknowledgingMessageListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.FixedBackOff;

import java.time.Duration;
import java.util.Map;

/**
 * Consumes the status topic in the coordinator's group. An event's offset is committed only after the change it
 * caused is saved (at the end of its poll's records), so a crash in between redelivers it, and aggregation makes the
 * redelivery a no-op. The container
 * is started by {@link Startup} once the state is rebuilt, never before.
 */
@Configuration(proxyBeanMethods = false)
class StatusConsumer {
    private static final Logger LOGGER = LoggerFactory.getLogger(StatusConsumer.class);
    private static final BackOff UNTIL_SAVED =
            RetryPolicy.untilStopped(Duration.ofMillis(500), Duration.ofSeconds(30)).asSpringBackOff();
    private static final BackOff SKIP = new FixedBackOff(0, 0);

    @Bean
    ConcurrentMessageListenerContainer<String, StatusEvent> statusContainer(
            KafkaClients clients, TopicCatalog topics, Coordinator coordinator, HaProperties ha) {
        // an unreadable record becomes a DeserializationException for the error handler: a malformed one is logged
        // and skipped, one of a newer version than this coordinator reads is kept and read again (backOffFor)
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
        var errors = new DefaultErrorHandler((record, e) -> skipped(record, e));
        errors.setBackOffFunction((record, e) -> backOffFor(e));
        // Spring skips an undeserializable record at once by default; here the catalog decides, as for any failure
        errors.removeClassification(DeserializationException.class);
        errors.setRetryListeners((record, e, attempt) -> retrying(record, e, attempt));
        listener.setCommonErrorHandler(errors);
        return listener;
    }

    /** what was skipped and why: the catalog's message, or for anything else (a bug) the stack too */
    private static void skipped(ConsumerRecord<?, ?> record, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TidemarkException known) {
                LOGGER.error("skipped status record {}-{}@{}: {}", record.topic(), record.partition(),
                        record.offset(), known.getMessage());
                return;
            }
        }
        LOGGER.error("skipped status record {}-{}@{}", record.topic(), record.partition(), record.offset(), e);
    }

    /** a retried record, visibly: a newer message version blocks its partition until this coordinator is upgraded */
    private static void retrying(ConsumerRecord<?, ?> record, Exception e, int attempt) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TidemarkException known && known.retriable()) {
                LOGGER.error("status record {}-{}@{} not applied yet, attempt {}, kept to read again: {}",
                        record.topic(), record.partition(), record.offset(), attempt, known.getMessage());
                return;
            }
        }
    }

    /**
     * An event whose outcome could not be saved (Kafka unavailable: a retriable catalog error) is retried until it
     * can be, never acknowledged unsaved: skipping it could leave a migration waiting forever for a chunk it never
     * recorded. An event of a newer version than this coordinator reads is retried the same way: it is kept, not
     * lost, until a rolling upgrade reaches the coordinator. An event that cannot be applied (a fatal catalog error, a bug) is logged and skipped so it does not
     * block the partition. The kit's retry policy decides which is which.
     */
    static BackOff backOffFor(Exception e) {
        return RetryPolicy.retriable(e) || fenced(e) ? UNTIL_SAVED : SKIP;
    }

    /**
     * A coordinator that lost its role must not acknowledge an event it could not apply: it is kept until the
     * container stops (the coordinator steps down at once), and the active coordinator applies it.
     */
    private static boolean fenced(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TidemarkException known && known.error() == ErrorCode.COORDINATOR_FENCED) {
                return true;
            }
        }
        return false;
    }
}
