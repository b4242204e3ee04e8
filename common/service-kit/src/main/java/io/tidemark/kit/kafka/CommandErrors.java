package io.tidemark.kit.kafka;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.kit.retry.RetryPolicy;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.FixedBackOff;

import java.time.Duration;
import java.util.Optional;

/**
 * The one error handler of a worker's spring-kafka command container. A command of a newer message version than
 * this service reads ({@link ErrorCode#MESSAGE_VERSION_TOO_NEW}) is never skipped: it stays uncommitted and is read
 * again with a backoff until a rolling upgrade reaches this service, so the commands behind it on its partition wait
 * too (their order is the migration's). It is logged once per attempt series, with its type, both versions and the
 * fix. A malformed record is logged and committed past at once; any other failure (a bug in the listener) is retried
 * by {@code otherFailures}, then logged and committed past, so neither blocks the partition.
 */
public final class CommandErrors {
    private static final Logger LOGGER = LoggerFactory.getLogger(CommandErrors.class);
    /**
     * How a command of a newer version is read again: the poll loop keeps running between attempts, so a pause far
     * below any max.poll.interval.ms. Plain consumers (no container) pace their rereads with it too.
     */
    public static final RetryPolicy UNTIL_UPGRADED_POLICY =
            RetryPolicy.untilStopped(Duration.ofSeconds(1), Duration.ofSeconds(30));
    private static final BackOff UNTIL_UPGRADED = UNTIL_UPGRADED_POLICY.asSpringBackOff();
    private static final BackOff SKIP = new FixedBackOff(0L, 0L);

    private CommandErrors() {
    }

    /** the handler for a container of {@code service}'s commands; {@code otherFailures} for anything but a version */
    public static DefaultErrorHandler handler(String service, BackOff otherFailures) {
        DefaultErrorHandler errors = new DefaultErrorHandler((record, e) -> skipped(service, record, e));
        // a record that is unreadable for another cause (malformed) never becomes readable: skipped at once
        errors.setBackOffFunction((record, e) -> tooNew(e).isPresent() ? UNTIL_UPGRADED
                : e instanceof DeserializationException ? SKIP : otherFailures);
        // Spring skips an undeserializable record at once by default; a newer version must be kept instead
        errors.removeClassification(DeserializationException.class);
        errors.setCommitRecovered(true);
        errors.setRetryListeners((record, e, attempt) -> {
            // attempt 1 starts a series (a new record, or the same one after a restart or rebalance): one line each
            if (attempt == 1) {
                tooNew(e).ifPresent(known -> logKept(service, record, known));
            }
        });
        return errors;
    }

    /**
     * For a plain consumer (no container): the version refusal of a record its consumer factory could not read
     * (an {@code ErrorHandlingDeserializer} hands it over as a null value with the error in a header), if that is why.
     */
    public static Optional<TidemarkException> tooNew(ConsumerRecord<?, ?> record) {
        if (record.value() != null) {
            return Optional.empty();
        }
        DeserializationException unreadable = SerializationUtils.getExceptionFromHeader(record,
                SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, new LogAccessor(CommandErrors.class));
        return unreadable == null ? Optional.empty() : tooNew(unreadable);
    }

    /**
     * The bytes of a record its consumer factory could not read, as they were on the topic (the {@code
     * ErrorHandlingDeserializer} keeps them with the error): a queue that must hand a record of a newer version on
     * rather than drop it publishes them again unchanged.
     */
    public static Optional<byte[]> unreadBytes(ConsumerRecord<?, ?> record) {
        if (record.value() != null) {
            return Optional.empty();
        }
        DeserializationException unreadable = SerializationUtils.getExceptionFromHeader(record,
                SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, new LogAccessor(CommandErrors.class));
        return unreadable == null ? Optional.empty() : Optional.ofNullable(unreadable.getData());
    }

    /** the one line of an attempt series on a record of a newer version: what, where, both versions and the fix */
    public static void logKept(String service, ConsumerRecord<?, ?> record, TidemarkException tooNew) {
        LOGGER.error("{}: command {}-{}@{} (key {}) not taken, kept uncommitted and read again until this service is"
                        + " upgraded; the commands behind it wait: {}", service, record.topic(), record.partition(),
                record.offset(), record.key(), tooNew.getMessage());
    }

    /** the version refusal in {@code e}'s cause chain, if that is what failed */
    static Optional<TidemarkException> tooNew(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TidemarkException known && known.error() == ErrorCode.MESSAGE_VERSION_TOO_NEW) {
                return Optional.of(known);
            }
        }
        return Optional.empty();
    }

    private static void skipped(String service, ConsumerRecord<?, ?> record, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TidemarkException known) {
                LOGGER.error("{}: skipped command {}-{}@{} (key {}): {}", service, record.topic(), record.partition(),
                        record.offset(), record.key(), known.getMessage());
                return;
            }
        }
        LOGGER.error("{}: skipped command {}-{}@{} (key {})", service, record.topic(), record.partition(),
                record.offset(), record.key(), e);
    }
}
