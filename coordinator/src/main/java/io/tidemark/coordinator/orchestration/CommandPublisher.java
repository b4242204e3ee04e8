package io.tidemark.coordinator.orchestration;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Publishes commands synchronously, so a phase is saved only after its command is in Kafka. */
final class CommandPublisher {
    private static final Logger LOGGER = LoggerFactory.getLogger(CommandPublisher.class);

    private final KafkaTemplate<String, Object> kafka;
    private final Duration timeout;

    CommandPublisher(KafkaTemplate<String, Object> kafka, Duration timeout) {
        this.kafka = kafka;
        this.timeout = timeout;
    }

    void publish(List<Outgoing> commands) {
        for (Outgoing out : commands) {
            try {
                kafka.send(out.topic(), out.key(), out.command()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TidemarkException(ErrorCode.INTERNAL, e, "interrupted publishing " + out.command().messageId());
            } catch (ExecutionException | TimeoutException e) {
                throw new TidemarkException(ErrorCode.KAFKA_UNAVAILABLE, e, out.command().messageId() + " to "
                        + out.topic(), String.valueOf(e.getCause() == null ? e : e.getCause()));
            }
            LOGGER.info("published {} {} to {}", out.command().getClass().getSimpleName(), out.command().messageId(),
                    out.topic());
        }
    }
}
