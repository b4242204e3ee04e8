package io.tidemark.kit.status;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.kit.retry.RetryPolicy;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The one way a Tidemark service reports observed state on the status topic, keyed by migration id. Its rule: <b>a
 * status event is never dropped</b>. {@link #publish} returns only once Kafka has acknowledged the event, trying
 * again with the kit's jittered backoff for as long as Kafka cannot take it (broker down, leader moving, topic not
 * yet created); the work the event reports is acknowledged (offset committed, chunk marked done) only after, so a
 * crash in between re-sends the event instead of losing it. Events carry deterministic ids, so the coordinator
 * ignores the copy a re-send may produce.
 *
 * <p>{@link #publishLatest} is for progress of long-running work (replication lag, rows so far) where only the
 * newest value matters: it never blocks the work, and a background sender keeps trying the newest event of each
 * migration and kind until Kafka takes it or a newer one replaces it.
 *
 * <p>Thread-safe: any number of worker threads may publish at once; events one thread publishes arrive in order.
 */
public final class StatusPublisher implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(StatusPublisher.class);

    private final KafkaTemplate<String, StatusEvent> template;
    private final TopicCatalog topics;
    private final RetryPolicy retry;
    private final Duration attemptTimeout;
    private final Map<String, StatusEvent> latest = new LinkedHashMap<>();
    private final AtomicLong unsentSince = new AtomicLong();
    private final Thread latestSender;
    private final Consumer<StatusEvent> sent;
    private volatile boolean closed;

    public StatusPublisher(KafkaTemplate<String, StatusEvent> template, TopicCatalog topics, RetryPolicy retry,
                           Duration attemptTimeout) {
        this(template, topics, retry, attemptTimeout, event -> {
        });
    }

    /** @param sent told of every event once Kafka has acknowledged it (the service's metrics count there) */
    public StatusPublisher(KafkaTemplate<String, StatusEvent> template, TopicCatalog topics, RetryPolicy retry,
                           Duration attemptTimeout, Consumer<StatusEvent> sent) {
        this.sent = sent;
        this.template = template;
        this.topics = topics;
        this.retry = retry;
        this.attemptTimeout = attemptTimeout;
        this.latestSender = Thread.ofPlatform().daemon().name("status-latest-sender").start(this::sendLatest);
    }

    /**
     * Sends {@code event} and returns once Kafka has it, however long Kafka is away. Each failed attempt is logged
     * with its cause and the pause that follows. An event Kafka refuses as larger than it takes in one message (no
     * retry can change that) is replaced by a {@link WorkFailed} of its migration, stage and epoch with
     * {@code TM-50005}, which says so and what to do: the migration fails visibly instead of waiting forever.
     *
     * @throws InterruptedException the calling thread was interrupted (its service stops): the event may not have
     *                              been sent, so the caller must leave the work it reports unacknowledged
     */
    public void publish(StatusEvent event) throws InterruptedException {
        RetryPolicy.Backoff backoff = retry.start();
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("stopped before status event " + event.eventId() + " was sent");
            }
            try {
                template.send(topics.status(), event.migrationId().value(), event)
                        .get(attemptTimeout.toMillis(), TimeUnit.MILLISECONDS);
                if (backoff.attempts() > 0) {
                    LOGGER.info("status event {} sent after {} failed attempts", event.eventId(), backoff.attempts());
                }
                unsentSince.set(0);
                sent.accept(event);
                return;
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                if (tooLarge(e) && !(event instanceof WorkFailed)) {
                    event = tooLargeFailure(event, e);
                    continue;
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("stopped while status event " + event.eventId() + " was sent");
                }
                unsentSince.compareAndSet(0, System.currentTimeMillis());
                Duration pause = backoff.next();
                LOGGER.warn("status event {} of migration {} not yet taken by Kafka (attempt {}): {}; trying again in {}"
                                + " ms — it is never dropped", event.eventId(), event.migrationId(), backoff.attempts(),
                        cause(e), pause.toMillis());
                Thread.sleep(pause.toMillis());
            }
        }
    }

    /**
     * Queues {@code event} as the newest progress of its migration and kind and returns at once; an older queued one
     * of the same migration and kind is replaced. Sent in the background, retried until taken.
     */
    public void publishLatest(StatusEvent event) {
        synchronized (latest) {
            String key = event.migrationId().value() + "/" + event.getClass().getSimpleName();
            latest.remove(key);
            latest.put(key, event);
            latest.notifyAll();
        }
    }

    /** since when (epoch millis) Kafka has refused status events, 0 while it takes them: for health and metrics */
    public long unsentSince() {
        return unsentSince.get();
    }

    private void sendLatest() {
        while (!closed) {
            StatusEvent next;
            synchronized (latest) {
                while (latest.isEmpty() && !closed) {
                    try {
                        latest.wait(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                var first = latest.entrySet().iterator().next();
                next = first.getValue();
                latest.remove(first.getKey());
            }
            try {
                publish(next);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Creates the producer and reads the status topic's metadata now: otherwise the first event of the first migration
     * paid for both (hundreds of ms on a busy machine). Only once the service's admin created the topics (a producer's
     * metadata request has the broker create a missing topic, with one partition). Kafka not there yet changes
     * nothing: the first event then waits, as it would have.
     */
    public void warmUp() {
        try {
            template.partitionsFor(topics.status());
        } catch (RuntimeException e) {
            LOGGER.debug("status topic metadata not read ahead: {}", e.toString());
        }
    }

    /** the queued progress is flushed for a moment, then the sender stops */
    @Override
    public void close() {
        long deadline = System.currentTimeMillis() + attemptTimeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            synchronized (latest) {
                if (latest.isEmpty()) {
                    break;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        closed = true;
        latestSender.interrupt();
    }

    private static boolean tooLarge(Exception e) {
        return refusal(e) != null;
    }

    private static RecordTooLargeException refusal(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RecordTooLargeException r) {
                return r;
            }
        }
        return null;
    }

    private static WorkFailed tooLargeFailure(StatusEvent event, Exception e) {
        String type = event.getClass().getSimpleName();
        LOGGER.error("status event {} of migration {} is larger than Kafka takes: it is reported as a failure of its"
                + " {} stage instead", event.eventId(), event.migrationId(), event.stage().code());
        return WorkFailed.of(event.migrationId(), event.workerId(), event.epoch(), event.stage(), "status",
                new TidemarkException(ErrorCode.KAFKA_MESSAGE_TOO_LARGE, "the " + type + " report of "
                        + event.migrationId(), size(refusal(e).getMessage()), refusal(e).getMessage()));
    }

    /** "1500000 bytes" from the producer's refusal, which names the serialised size */
    private static String size(String refusal) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) bytes").matcher(String.valueOf(refusal));
        return m.find() ? m.group(1) + " bytes" : "too large";
    }

    private static String cause(Exception e) {
        Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return t instanceof TimeoutException ? "no acknowledgement within the attempt timeout" : t.getMessage();
    }
}
