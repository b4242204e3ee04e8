package io.tidemark.coordinator.kafka;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.coordinator.CoordinatorProperties;
import io.tidemark.common.serde.MessageSerializer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How the coordinator writes to Kafka, its commands and its migrations' state alike: one message at a time, waiting
 * until Kafka has it (at most the send timeout), its failures named by the catalog, whether the template throws them
 * at once or fails its future. A message too large for Kafka is {@link MessageTooLarge} (fatal, saying how large it
 * is and which limit it broke); Kafka not answering is {@link ErrorCode#KAFKA_UNAVAILABLE} (retriable: the cluster may
 * come back). Thread-safe.
 *
 * <p>With coordinator high availability ({@link #transactional}) every write is made in a Kafka transaction of the
 * {@link ActiveProducer}, which only the active coordinator holds: {@link #atomically} makes a change's commands and
 * its state one transaction, and a write of a coordinator that lost its role fails with
 * {@link ErrorCode#COORDINATOR_FENCED} and is never retried. A single coordinator writes each message on its own, as
 * it always did.
 */
@Component
public class SyncSender {
    /** Kafka's default max.request.size */
    private static final long DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;
    /** what a record batch of one record adds to its key and value, at most (61 bytes of batch header, varints) */
    private static final long RECORD_FRAMING = 100;

    /** the header naming the coordinator instance that wrote a record, under high availability */
    public static final String INSTANCE_HEADER = "tidemark-coordinator";

    private final KafkaTemplate<String, Object> kafka;
    private final Duration timeout;
    private final long maxRequestSize;

    /* high availability: set once before the first write, then the producer comes and goes with the role */
    private volatile boolean transactional;
    private volatile String instance = "this coordinator";
    private volatile Consumer<TidemarkException> onLost = e -> {
    };
    private volatile ActiveProducer active;
    /** one transaction at a time: the producer has one */
    private final ReentrantLock transactions = new ReentrantLock();
    private final ThreadLocal<Transaction> current = new ThreadLocal<>();

    /** the open transaction of a thread: what it wrote (for errors) and what to do in memory once it is committed */
    private record Transaction(ActiveProducer producer, List<String> writes, List<Runnable> afterCommit) {
    }

    SyncSender(KafkaTemplate<String, Object> kafka, CoordinatorProperties properties) {
        this.kafka = kafka;
        this.timeout = properties.sendTimeout();
        this.maxRequestSize = Long.parseLong(String.valueOf(kafka.getProducerFactory().getConfigurationProperties()
                .getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, DEFAULT_MAX_REQUEST_SIZE)));
    }

    /** one message to write: {@code what} names it in errors, e.g. "the state of migration orders-1" */
    public record Write(String topic, String key, Object message, String what) {
    }

    /**
     * @param what the message as errors name it, e.g. "the state of migration orders-1"
     * @throws MessageTooLarge   when Kafka refuses the message for its size
     * @throws TidemarkException KAFKA_UNAVAILABLE when Kafka did not take it in time; INTERNAL when interrupted
     */
    public void send(String topic, String key, Object message, String what) {
        sendAll(List.of(new Write(topic, key, message, what)));
    }

    /**
     * Writes every message, in order, and returns once Kafka has them all: they go out together and are waited for
     * together, so many small records cost about one round trip. In a transaction they are part of it; otherwise a
     * failure leaves the ones before it written (each is a whole record: a reader sees each or not).
     *
     * @throws MessageTooLarge   when Kafka refuses a message for its size
     * @throws TidemarkException KAFKA_UNAVAILABLE when Kafka did not take them in time; INTERNAL when interrupted
     */
    public void sendAll(List<Write> writes) {
        if (writes.isEmpty()) {
            return;
        }
        if (transactional) {
            atomically(() -> {
                Transaction t = current.get();
                List<Future<?>> sent = new ArrayList<>(writes.size());
                for (Write w : writes) {
                    t.writes().add(w.what());
                    sent.add(startInTransaction(t, w));
                }
                for (int i = 0; i < writes.size(); i++) {
                    awaitInTransaction(sent.get(i), writes.get(i));
                }
                return null;
            });
            return;
        }
        List<Future<?>> sent = new ArrayList<>(writes.size());
        for (Write w : writes) {
            try {
                sent.add(kafka.send(w.topic(), w.key(), w.message()));
            } catch (KafkaException e) {
                throw thrownAtOnce(w, e);
            }
        }
        for (int i = 0; i < writes.size(); i++) {
            Write w = writes.get(i);
            try {
                sent.get(i).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw interrupted(w, e);
            } catch (ExecutionException | TimeoutException e) {
                throw failed(w.topic(), w.key(), w.message(), w.what(), e);
            } catch (KafkaException e) {
                throw thrownAtOnce(w, e);
            }
        }
    }

    /**
     * The template throws what failed at once (a record over max.request.size, no metadata within max.block.ms)
     * instead of failing the future; anything else thrown so is not Kafka's availability.
     */
    private RuntimeException thrownAtOnce(Write w, KafkaException e) {
        if (cause(e, RecordTooLargeException.class) == null && cause(e, RetriableException.class) == null) {
            return e;
        }
        return failed(w.topic(), w.key(), w.message(), w.what(), e);
    }

    /**
     * Switches to transactional writes, before the first write: coordinator high availability.
     *
     * @param instance names this coordinator in errors and in the {@link #INSTANCE_HEADER} of what it writes
     * @param onLost   told, once per producer, when the producer was fenced or broke past aborting its transaction;
     *                 it must step this coordinator down, and must not block
     */
    public void transactional(String instance, Consumer<TidemarkException> onLost) {
        this.instance = instance;
        this.onLost = onLost;
        this.transactional = true;
    }

    /** whether writes are transactional (coordinator high availability) */
    public boolean transactional() {
        return transactional;
    }

    /**
     * Opens the active coordinator's producer, fencing every producer of {@code transactionalId} before it (their open
     * transactions are aborted). Called by the coordinator that was just elected, before it reads its state.
     */
    public void activate(String transactionalId) {
        transactions.lock();
        try {
            deactivate();
            active = ActiveProducer.open(kafka.getProducerFactory().getConfigurationProperties(), transactionalId,
                    timeout, new MessageSerializer<>());
        } finally {
            transactions.unlock();
        }
    }

    /** closes the producer: this coordinator writes nothing more until it is activated again */
    public void deactivate() {
        ActiveProducer p = active;
        active = null;
        if (p != null) {
            p.close();
        }
    }

    /**
     * Runs {@code work} as one transaction: every {@link #send} in it is committed together or not at all, and what it
     * registered with {@link #afterCommit} runs once it is committed. Nested calls join the outer transaction. Without
     * transactions (a single coordinator) it just runs {@code work}.
     *
     * @throws TidemarkException COORDINATOR_FENCED when this coordinator is not (or no longer) the active one
     */
    public <T> T atomically(Supplier<T> work) {
        if (!transactional || current.get() != null) {
            return work.get();
        }
        transactions.lock();
        try {
            ActiveProducer p = active;
            if (p == null) {
                throw new TidemarkException(ErrorCode.COORDINATOR_FENCED, instance, "a write",
                        "it is not the active coordinator now");
            }
            Transaction t = new Transaction(p, new ArrayList<>(), new ArrayList<>());
            current.set(t);
            try {
                p.producer().beginTransaction();
                T result = work.get();
                p.producer().commitTransaction();
                t.afterCommit().forEach(Runnable::run);
                return result;
            } catch (RuntimeException e) {
                throw failedTransaction(t, e);
            } finally {
                current.remove();
            }
        } finally {
            transactions.unlock();
        }
    }

    /** runs {@code change} once the transaction the thread is in is committed; at once when there is none */
    public void afterCommit(Runnable change) {
        Transaction t = current.get();
        if (t == null) {
            change.run();
        } else {
            t.afterCommit().add(change);
        }
    }

    private Future<?> startInTransaction(Transaction t, Write w) {
        ProducerRecord<String, Object> record = new ProducerRecord<>(w.topic(), null, w.key(), w.message(),
                List.of(new RecordHeader(INSTANCE_HEADER, instance.getBytes(StandardCharsets.UTF_8))));
        try {
            return t.producer().producer().send(record);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw inTransaction(w, e);
        }
    }

    private void awaitInTransaction(Future<?> sent, Write w) {
        try {
            sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(w, e);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw inTransaction(w, e);
        }
    }

    private static TidemarkException interrupted(Write w, InterruptedException e) {
        return new TidemarkException(ErrorCode.INTERNAL, e,
                "interrupted while writing " + w.what() + " to " + w.topic());
    }

    private RuntimeException inTransaction(Write w, Exception e) {
        if (ActiveProducer.fenced(e)) {
            return fencedError(w.what(), e);
        }
        return failed(w.topic(), w.key(), w.message(), w.what(), e);
    }

    /**
     * The transaction is aborted, and what failed is thrown as it was (a message too large stays one). A fenced
     * producer, or one that cannot even abort, is closed and reported lost: this coordinator steps down and never
     * writes with it again.
     */
    private RuntimeException failedTransaction(Transaction t, RuntimeException e) {
        String what = t.writes().isEmpty() ? "a transaction" : String.join(" and ", t.writes());
        if (ActiveProducer.fenced(e)) {
            return lost(t.producer(), e instanceof TidemarkException te && te.error() == ErrorCode.COORDINATOR_FENCED
                    ? te : fencedError(what, e));
        }
        try {
            t.producer().producer().abortTransaction();
        } catch (RuntimeException abortFailed) {
            e.addSuppressed(abortFailed);
            TidemarkException error = ActiveProducer.fenced(abortFailed) ? fencedError(what, abortFailed)
                    : new TidemarkException(ErrorCode.KAFKA_UNAVAILABLE, e, what, "the transaction could not be"
                    + " committed or aborted (" + abortFailed + "); the coordinator steps down and is elected anew");
            return lost(t.producer(), error);
        }
        if (e instanceof TidemarkException) {
            return e;
        }
        return e instanceof org.apache.kafka.common.KafkaException
                ? new TidemarkException(ErrorCode.KAFKA_UNAVAILABLE, e, what, String.valueOf(e)) : e;
    }

    private TidemarkException lost(ActiveProducer p, TidemarkException error) {
        if (active == p) {
            deactivate();
            onLost.accept(error);
        }
        return error;
    }

    private TidemarkException fencedError(String what, Throwable e) {
        return new TidemarkException(ErrorCode.COORDINATOR_FENCED, e, instance, what,
                "another coordinator took over (" + rootMessage(e) + ")");
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
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
        return (message == null ? 0 : MessageCodec.write(message).length)
                + (key == null ? 0 : key.getBytes(StandardCharsets.UTF_8).length);
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
