package io.tidemark.snapshot.work;

import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.topic.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends status events to {@code tidemark.status}, keyed by migration id, and waits for the broker's ack so events
 * of one migration arrive in order and before the command's offset is committed. Thread-safe.
 */
final class StatusPublisher {
    private static final Logger LOGGER = LoggerFactory.getLogger(StatusPublisher.class);

    private final KafkaTemplate<String, StatusEvent> template;

    StatusPublisher(KafkaTemplate<String, StatusEvent> template) {
        this.template = template;
    }

    void publish(StatusEvent event) {
        try {
            template.send(Topics.STATUS, event.migrationId().value(), event).get(60, TimeUnit.SECONDS);
            LOGGER.debug("published {}", event.eventId());
        } catch (ExecutionException | TimeoutException e) {
            // events carry deterministic ids: a redelivered command re-emits them, so losing one here is recoverable
            LOGGER.error("could not publish status event {}: {}", event.eventId(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
