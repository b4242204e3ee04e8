package io.tidemark.coordinator.kafka;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.coordinator.CoordinatorProperties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How the coordinator writes to Kafka, its commands and its migrations' state alike: one message at a time, waiting
 * until Kafka has it (at most the send timeout), its failures named by the catalog, whether the template throws them
 * at once or fails its future. A message too large for Kafka is {@link MessageTooLarge} (fatal, saying how large it
 * is and which limit it broke); Kafka not answering is {@link ErrorCode#KAFKA_UNAVAILABLE} (retriable: the cluster may
 * come back). Thread-safe.
 */
@Component
public class SyncSender {
    /** Kafka's default max.request.size */
    private static final long DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;
    /** what a record batch of one record adds to its key and value, at most (61 bytes of batch header, varints) */
    private static final long RECORD_FRAMING = 100;

    private final KafkaTemplate<String, Object> kafka;
    private final Duration timeout;
    private final long maxRequestSize;

    SyncSender(KafkaTemplate<String, Object> kafka, CoordinatorProperties properties) {
        this.kafka = kafka;
        this.timeout = properties.sendTimeout();
        this.maxRequestSize = Long.parseLong(String.valueOf(kafka.getProducerFactory().getConfigurationProperties()
                .getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, DEFAULT_MAX_REQUEST_SIZE)));
    }

    /**
     * @param what the message as errors name it, e.g. "the state of migration orders-1"
     * @throws MessageTooLarge   when Kafka refuses the message for its size
     * @throws TidemarkException KAFKA_UNAVAILABLE when Kafka did not take it in time; INTERNAL when interrupted
     */
    public void send(String topic, String key, Object message, String what) {
        try {
            kafka.send(topic, key, message).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TidemarkException(ErrorCode.INTERNAL, e, "interrupted while writing " + what + " to " + topic);
        } catch (ExecutionException | TimeoutException e) {
            throw failed(topic, key, message, what, e);
        } catch (KafkaException e) {
            // the template throws what failed at once (a record over max.request.size, no metadata within
            // max.block.ms) instead of failing the future; anything else thrown so is not Kafka's availability
            if (cause(e, RecordTooLargeException.class) == null && cause(e, RetriableException.class) == null) {
                throw e;
            }
            throw failed(topic, key, message, what, e);
        }
    }

    private RuntimeException failed(String topic, String key, Object message, String what, Exception e) {
        RecordTooLargeException tooLarge = cause(e, RecordTooLargeException.class);
        if (tooLarge != null) {
            return tooLarge(topic, key, message, what, tooLarge);
        }
        return new TidemarkException(ErrorCode.KAFKA_UNAVAILABLE, e, what + " to " + topic,
                String.valueOf(e.getCause() == null ? e : e.getCause()));
    }

    /**
     * Refuses, without sending it, a message the producer would refuse for its size: for a state that must not be
     * found too large only after the commands of its change went out.
     *
     * @throws MessageTooLarge when {@code message} is larger than the producer's max.request.size
     */
    public void requireFits(String topic, String key, Object message, String what) {
        long bytes = bytes(key, message);
        if (bytes + RECORD_FRAMING > maxRequestSize) {
            throw new MessageTooLarge(message, what + " (topic " + topic + ")", size(bytes), producerLimit(), null);
        }
    }

    MessageTooLarge tooLarge(String topic, String key, Object message, String what, RecordTooLargeException e) {
        long bytes = bytes(key, message);
        boolean producer = bytes + RECORD_FRAMING > maxRequestSize
                || String.valueOf(e.getMessage()).contains("max.request.size");
        String limit = producer ? producerLimit() : "the broker refused it, so topic " + topic + " takes less (its"
                + " max.message.bytes, or else the broker's message.max.bytes, 1 MiB by default)";
        return new MessageTooLarge(message, what + " (topic " + topic + ")", size(bytes), limit, e);
    }

    private String producerLimit() {
        return "max.request.size of the coordinator's producer is " + size(maxRequestSize);
    }

    /** the size as Kafka measures it, near enough: the serialized value and key, without the record's framing */
    private static long bytes(String key, Object message) {
        return MessageCodec.write(message).length + (key == null ? 0 : key.getBytes(StandardCharsets.UTF_8).length);
    }

    /** {@code 1,363,245 bytes (1.3 MiB)} */
    static String size(long bytes) {
        String exact = String.format(Locale.ROOT, "%,d bytes", bytes);
        if (bytes >= 1024 * 1024) {
            return exact + String.format(Locale.ROOT, " (%.1f MiB)", bytes / (1024.0 * 1024));
        }
        return bytes >= 1024 ? exact + String.format(Locale.ROOT, " (%.1f KiB)", bytes / 1024.0) : exact;
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
