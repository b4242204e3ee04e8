package io.tidemark.lightning.chunk;

import io.tidemark.common.command.Command;
import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.kit.kafka.CommandErrors;
import io.tidemark.kit.kafka.ShareGroups;
import io.tidemark.kit.retry.RetryPolicy;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@link ChunkQueue} over a KIP-932 share group on the import chunks topic: the broker hands each chunk to one member
 * at a time, whatever the partition count, so any number of workers share the queue. The member acquires one record
 * per poll ({@code share.acquire.mode=record_limit}, {@code max.poll.records=1}): the chunks behind it stay available
 * to the other members instead of waiting in this one's buffer. Each chunk is acknowledged explicitly, once its outcome
 * is on the status topic: ACCEPT (imported), REJECT (failed for good, reported), RELEASE (not finished: the next free
 * member takes it, resuming from its checkpoint).
 * <p>
 * While a chunk is imported the member does not poll ({@link #keepAlive}): the chunk stays locked for the group's
 * {@code share.record.lock.duration.ms}, which the service sets long at start-up. Should a chunk outlast it, the
 * broker hands it to another member too: its checkpoint row fences one of the two out, and the first still reports it.
 * <p>
 * The broker counts deliveries and drops (archives) a record released {@code group.share.delivery.count.limit} times
 * (default 5). A chunk must never be dropped, or its import never ends: from delivery {@code maxDeliveries} on, a
 * release publishes the chunk again at the end of the queue (a new record, counted from 1) and accepts the old one.
 * The new record carries the deliveries before it in the header {@value #DELIVERIES_BEFORE}, so the count a worker
 * sees and reports ({@code TM-40021}) keeps growing across records: each failed delivery stays its own event.
 */
final class ShareChunkQueue implements ChunkQueue {
    private static final Logger LOGGER = LoggerFactory.getLogger(ShareChunkQueue.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    /** well within the acquisition lock (15 s at least) and a stop's patience */
    private static final Duration MAX_NEWER_PAUSE = Duration.ofSeconds(5);
    /** record header: how often the chunk was delivered as the records before this one (decimal text) */
    static final String DELIVERIES_BEFORE = "tidemark.deliveries-before";

    private final ShareConsumer<String, Command> consumer;
    /** raw bytes: a chunk goes back as it was written, one of a newer version included */
    private final Producer<String, byte[]> requeue;
    private final String topic;
    private final int maxDeliveries;
    private ConsumerRecord<String, Command> held;
    /** the pauses between rereads of chunks of a newer version, while no readable chunk comes between */
    private RetryPolicy.Backoff newer;

    ShareChunkQueue(ShareConsumer<String, Command> consumer, Producer<String, byte[]> requeue, String topic,
                    int maxDeliveries) {
        this.consumer = consumer;
        this.requeue = requeue;
        this.topic = topic;
        this.maxDeliveries = maxDeliveries;
        consumer.subscribe(List.of(topic));
    }

    @Override
    public Optional<Delivery> take(Duration wait) {
        if (held != null) {
            throw new IllegalStateException("a chunk is already held: complete, reject or release it first");
        }
        ConsumerRecords<String, Command> records = consumer.poll(wait);
        for (ConsumerRecord<String, Command> record : records) {
            if (held != null) {
                // more than max.poll.records (a broker ignoring record_limit): the rest go back for other members
                consumer.acknowledge(record, AcknowledgeType.RELEASE);
            } else if (record.value() instanceof ImportChunk) {
                held = record;
            } else if (CommandErrors.tooNew(record).orElse(null) instanceof TidemarkException tooNew) {
                keepUnread(record, tooNew);
            } else {
                LOGGER.warn("rejecting a record that is no import chunk at {}-{}@{} (key {}): unreadable or misrouted",
                        record.topic(), record.partition(), record.offset(), record.key());
                consumer.acknowledge(record, AcknowledgeType.REJECT);
            }
        }
        if (held == null) {
            if (records.isEmpty()) {
                newer = null;
            } else {
                consumer.commitAsync();
            }
            return Optional.empty();
        }
        newer = null;
        ConsumerRecord<String, Command> record = held;
        OptionalInt count = record.deliveryCount()
                .map(c -> OptionalInt.of(deliveriesBefore(record) + c)).orElse(OptionalInt.empty());
        return Optional.of(new Delivery((ImportChunk) record.value(), count));
    }

    /**
     * A chunk of a newer message version than this service reads (a rolling upgrade reached the planner first) is
     * never acknowledged unread: held for a growing pause (so the members do not pass it around hot), then released
     * for another, maybe upgraded, member — or, from delivery {@code maxDeliveries} on, published again unchanged at
     * the end of the queue, so the broker's delivery limit never drops it. Logged once per series.
     */
    private void keepUnread(ConsumerRecord<String, Command> record, TidemarkException tooNew) {
        if (newer == null) {
            newer = CommandErrors.UNTIL_UPGRADED_POLICY.start();
            CommandErrors.logKept("lightning-worker", record, tooNew);
        }
        Duration pause = newer.next();
        try {
            Thread.sleep(Math.min(pause.toMillis(), MAX_NEWER_PAUSE.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int count = record.deliveryCount().map(Short::intValue).orElse(0);
        boolean requeued = count >= maxDeliveries && CommandErrors.unreadBytes(record)
                .map(bytes -> requeued(record, bytes, count)).orElse(false);
        consumer.acknowledge(record, requeued ? AcknowledgeType.ACCEPT : AcknowledgeType.RELEASE);
    }

    /**
     * Only waits: the member's heartbeats run on the client's own thread, and a poll here would acquire the chunks
     * behind this one for a worker that is busy (Kafka 4.2's share consumer fetches on every poll, a renewal's
     * included), raising their delivery counts until the broker drops them. The held chunk's lock is the group's
     * long {@code share.record.lock.duration.ms} instead ({@link ShareGroups#configure}).
     */
    @Override
    public void keepAlive(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void complete() {
        settle(AcknowledgeType.ACCEPT);
    }

    @Override
    public void reject() {
        settle(AcknowledgeType.REJECT);
    }

    @Override
    public void release() {
        ConsumerRecord<String, Command> record = held;
        int count = record == null ? 0 : record.deliveryCount().map(Short::intValue).orElse(0);
        if (record != null && count >= maxDeliveries
                && requeued(record, MessageCodec.write(record.value()), count)) {
            settle(AcknowledgeType.ACCEPT);
        } else {
            settle(AcknowledgeType.RELEASE);
        }
    }

    /** the chunk published again at the end of the queue, so the broker's delivery limit never drops it */
    private boolean requeued(ConsumerRecord<String, Command> record, byte[] value, int count) {
        String key = record.key();
        int total = deliveriesBefore(record) + count;
        try {
            ProducerRecord<String, byte[]> again = new ProducerRecord<>(topic, key, value);
            again.headers().add(DELIVERIES_BEFORE, Integer.toString(total).getBytes(StandardCharsets.US_ASCII));
            requeue.send(again).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            LOGGER.warn("chunk {} was delivered {} times: put back at the end of the queue as a new record", key, total);
            return true;
        } catch (ExecutionException | java.util.concurrent.TimeoutException | KafkaException e) {
            LOGGER.warn("cannot put chunk {} back at the end of the queue ({}); released instead", key, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** the deliveries of the records this one was put back for; 0 for a chunk as the planner published it */
    static int deliveriesBefore(ConsumerRecord<?, ?> record) {
        Header header = record.headers().lastHeader(DELIVERIES_BEFORE);
        if (header == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(new String(header.value(), StandardCharsets.US_ASCII)));
        } catch (NumberFormatException e) {
            return 0; // not written by this class: counted from this record on
        }
    }

    private void settle(AcknowledgeType type) {
        if (held == null) {
            throw new IllegalStateException("no chunk is held");
        }
        ConsumerRecord<String, Command> record = held;
        held = null;
        try {
            consumer.acknowledge(record, type);
            consumer.commitSync().forEach((partition, error) -> error.ifPresent(e -> LOGGER.warn(
                    "the broker did not take {} of {}@{} ({}); the chunk may be delivered again and is then found"
                            + " done", type, partition, record.offset(), e.toString())));
        } catch (KafkaException | IllegalStateException e) {
            LOGGER.warn("cannot acknowledge {}-{}@{} as {} ({}); the chunk may be delivered again and is then found"
                    + " done", record.topic(), record.partition(), record.offset(), type, e.toString());
        }
    }

    @Override
    public void close() {
        consumer.close();
        requeue.close();
    }
}
