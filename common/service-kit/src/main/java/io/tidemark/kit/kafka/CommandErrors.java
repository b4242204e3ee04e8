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
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The one error handler of a worker's spring-kafka command container. A command of a newer message version than
 * this service reads ({@link ErrorCode#MESSAGE_VERSION_TOO_NEW}) is never skipped: it stays uncommitted and is read
 * again with a backoff until a rolling upgrade reaches this service, so the commands behind it on its partition wait
 * too (their order is the migration's). It is logged once per attempt series, with its type, both versions and the
 * fix. A malformed record is logged and committed past at once; any other failure (a bug in the listener) is retried
 * by {@code otherFailures}, then logged and committed past, so neither blocks the partition. The coordinator's status
 * container uses it too, keeping what it could not save ({@link #untilApplied}).
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
    /** no retry: the record is logged and committed past at once */
    public static final BackOff SKIP = new FixedBackOff(0L, 0L);
    private static final BackOff UNTIL_APPLIED =
            RetryPolicy.untilStopped(Duration.ofMillis(500), Duration.ofSeconds(30)).asSpringBackOff();

    private CommandErrors() {
    }

    /** the handler for a container of {@code service}'s commands; {@code otherFailures} for anything but a version */
    public static DefaultErrorHandler handler(String service, BackOff otherFailures) {
        return handler(service, "command", e -> otherFailures);
    }

    /**
     * The same handler for a container whose records are {@code what} (e.g. "status event") and whose service decides
     * per failure how anything but a version or a malformed record is retried ({@code otherFailures}: a service that
     * must never commit past an unapplied record keeps it with {@link #untilApplied}, another skips it with {@link
     * #SKIP}). Each attempt on a kept catalog error is logged, so a record blocking its partition is visible.
     */
    public static DefaultErrorHandler handler(String service, String what, Function<Exception, BackOff> otherFailures) {
        DefaultErrorHandler errors = new DefaultErrorHandler((record, e) -> skipped(service, what, record, e));
        errors.setBackOffFunction((record, e) -> backOff(e, otherFailures));
        // Spring skips an undeserializable record at once by default; a newer version must be kept instead
        errors.removeClassification(DeserializationException.class);
        errors.setCommitRecovered(true);
        errors.setRetryListeners((record, e, attempt) -> {
            Optional<TidemarkException> newer = tooNew(e);
            if (newer.isPresent()) {
                // attempt 1 starts a series (a new record, or the same one after a restart or rebalance): one line each
                if (attempt == 1) {
                    logKept(service, what, record, newer.get());
                }
            } else if (otherFailures.apply(e) == UNTIL_APPLIED) {
                // only a record kept without end: one retried a few times and then skipped says so when skipped
                caught(e).ifPresent(known -> LOGGER.error("{}: {} {}-{}@{} (key {}) not applied yet, attempt {},"
                        + " kept to read again: {}", service, what, record.topic(), record.partition(),
                        record.offset(), record.key(), attempt, known.getMessage()));
            }
        });
        return errors;
    }

    /**
     * How the handler retries {@code e}: a newer version until upgraded, a record that is unreadable for another cause
     * (malformed, it never becomes readable) not at all, anything else as {@code otherFailures} says.
     */
    public static BackOff backOff(Exception e, Function<Exception, BackOff> otherFailures) {
        return tooNew(e).isPresent() ? UNTIL_UPGRADED
                : e instanceof DeserializationException ? SKIP : otherFailures.apply(e);
    }

    /**
     * For a service that must not commit past a record it could not apply: a failure whose catalog error is retriable
     * (the kit's {@link RetryPolicy#retriable}) or one of {@code alsoKept} is retried from 0.5 s up to every 30 s until
     * it succeeds or the container stops; anything else (a fatal catalog error, a bug) is skipped at once so it does
     * not block the partition.
     */
    public static Function<Exception, BackOff> untilApplied(ErrorCode... alsoKept) {
        return e -> RetryPolicy.retriable(e) || Stream.of(alsoKept).anyMatch(code -> find(e, code).isPresent())
                ? UNTIL_APPLIED : SKIP;
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
        logKept(service, "command", record, tooNew);
    }

    private static void logKept(String service, String what, ConsumerRecord<?, ?> record, TidemarkException tooNew) {
        LOGGER.error("{}: {} {}-{}@{} (key {}) not taken, kept uncommitted and read again until this service is"
                        + " upgraded; the {}s behind it wait: {}", service, what, record.topic(), record.partition(),
                record.offset(), record.key(), what, tooNew.getMessage());
    }

    /** the version refusal in {@code e}'s cause chain, if that is what failed */
    static Optional<TidemarkException> tooNew(Throwable e) {
        return find(e, ErrorCode.MESSAGE_VERSION_TOO_NEW);
    }

    /** the catalog error of code {@code code} in {@code e}'s cause chain, if there is one */
    public static Optional<TidemarkException> find(Throwable e, ErrorCode code) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TidemarkException known && known.error() == code) {
                return Optional.of(known);
            }
        }
        return Optional.empty();
    }

    /** the first catalog error in {@code e}'s cause chain */
    private static Optional<TidemarkException> caught(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TidemarkException known) {
                return Optional.of(known);
            }
        }
        return Optional.empty();
    }

    /** what was skipped and why: the catalog's message, or for anything else (a bug) the stack too */
    private static void skipped(String service, String what, ConsumerRecord<?, ?> record, Exception e) {
        caught(e).ifPresentOrElse(
                known -> LOGGER.error("{}: skipped {} {}-{}@{} (key {}): {}", service, what, record.topic(),
                        record.partition(), record.offset(), record.key(), known.getMessage()),
                () -> LOGGER.error("{}: skipped {} {}-{}@{} (key {})", service, what, record.topic(),
                        record.partition(), record.offset(), record.key(), e));
    }
}
