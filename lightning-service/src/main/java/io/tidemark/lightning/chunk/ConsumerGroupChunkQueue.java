package io.tidemark.lightning.chunk;

import io.tidemark.common.command.Command;
import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.kit.kafka.CommandErrors;
import io.tidemark.kit.retry.RetryPolicy;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@link ChunkQueue} over a classic consumer group on the import chunks topic. While a chunk is held, every
 * assigned partition is paused and {@link #keepAlive} keeps polling, so {@code max.poll.interval.ms} never expires
 * however long the chunk runs; the chunk's offset is committed only when it is finished. If a rebalance hands the
 * partition to another member meanwhile, that member may run the chunk too: the checkpoint row on the target fences
 * one of them out. A chunk of a newer message version than this service reads is never skipped: its partition is
 * held at it (paused, not committed past) and read again with a backoff until this service is upgraded.
 */
final class ConsumerGroupChunkQueue implements ChunkQueue {
    private static final Logger LOGGER = LoggerFactory.getLogger(ConsumerGroupChunkQueue.class);

    private final Consumer<String, Command> consumer;
    private ConsumerRecord<String, Command> held;
    /** per partition, the record of a newer version it waits at */
    private final Map<TopicPartition, Newer> newer = new HashMap<>();

    ConsumerGroupChunkQueue(Consumer<String, Command> consumer, String topic) {
        this.consumer = consumer;
        consumer.subscribe(List.of(topic));
    }

    @Override
    public Optional<Delivery> take(Duration wait) {
        if (held != null) {
            throw new IllegalStateException("a chunk is already held: complete or release it first");
        }
        resumeDue();
        ConsumerRecords<String, Command> records = consumer.poll(wait);
        Map<TopicPartition, Long> rewind = new HashMap<>();
        ImportChunk taken = null;
        for (ConsumerRecord<String, Command> record : records) {
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            if (taken != null || rewind.containsKey(tp)) {
                rewind.putIfAbsent(tp, record.offset());
            } else if (record.value() instanceof ImportChunk chunk) {
                newer.remove(tp);
                held = record;
                taken = chunk;
            } else if (CommandErrors.tooNew(record).orElse(null) instanceof TidemarkException tooNew) {
                hold(tp, record, tooNew);
                rewind.put(tp, record.offset());
            } else {
                newer.remove(tp);
                LOGGER.warn("skipping a record that is no import chunk at {}@{} (key {}): unreadable or misrouted",
                        tp, record.offset(), record.key());
                commit(tp, record.offset() + 1);
            }
        }
        rewind.forEach(consumer::seek);
        if (taken != null) {
            consumer.pause(consumer.assignment());
        }
        return Optional.ofNullable(taken).map(chunk -> new Delivery(chunk, OptionalInt.empty()));
    }

    private void hold(TopicPartition tp, ConsumerRecord<String, Command> record, TidemarkException tooNew) {
        Newer n = newer.get(tp);
        if (n == null || n.offset != record.offset()) {
            n = new Newer(record.offset(), CommandErrors.UNTIL_UPGRADED_POLICY.start());
            newer.put(tp, n);
            CommandErrors.logKept("lightning-worker", record, tooNew);
        }
        n.resumeAt = System.nanoTime() + n.backoff.next().toNanos();
        consumer.pause(List.of(tp));
    }

    /** resumes the partitions whose reread of a newer version is due; forgets those no longer assigned */
    private void resumeDue() {
        newer.keySet().retainAll(consumer.assignment());
        long now = System.nanoTime();
        List<TopicPartition> due = newer.entrySet().stream()
                .filter(e -> now - e.getValue().resumeAt >= 0 && consumer.paused().contains(e.getKey()))
                .map(Map.Entry::getKey).toList();
        if (!due.isEmpty()) {
            consumer.resume(due);
        }
    }

    /** what a finished or released chunk resumes: all but the partitions waiting at a newer version */
    private Set<TopicPartition> resumable() {
        Set<TopicPartition> paused = new HashSet<>(consumer.paused());
        paused.removeAll(newer.keySet());
        return paused;
    }

    /** a partition waiting at a record of a newer version; {@code backoff} paces its rereads */
    private static final class Newer {
        final long offset;
        final RetryPolicy.Backoff backoff;
        long resumeAt;

        Newer(long offset, RetryPolicy.Backoff backoff) {
            this.offset = offset;
            this.backoff = backoff;
        }
    }

    @Override
    public void keepAlive(Duration wait) {
        // a rebalance may have assigned partitions that are not paused yet: pause whatever is assigned now
        consumer.pause(consumer.assignment());
        ConsumerRecords<String, Command> records = consumer.poll(wait);
        Map<TopicPartition, Long> rewind = new HashMap<>();
        for (ConsumerRecord<String, Command> record : records) {
            rewind.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.offset());
        }
        rewind.forEach(consumer::seek);
    }

    @Override
    public void complete() {
        ConsumerRecord<String, Command> record = requireHeld();
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        commit(tp, record.offset() + 1);
        if (consumer.assignment().contains(tp)) {
            // a rejoin while the chunk ran (a broker restart) set the position back to the old committed offset
            consumer.seek(tp, record.offset() + 1);
        }
        consumer.resume(resumable());
    }

    /** a consumer group has no per-record outcome: a chunk failed for good is committed past like a finished one */
    @Override
    public void reject() {
        complete();
    }

    @Override
    public void release() {
        ConsumerRecord<String, Command> record = requireHeld();
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        if (consumer.assignment().contains(tp)) {
            consumer.seek(tp, record.offset());
        }
        consumer.resume(resumable());
    }

    @Override
    public void close() {
        consumer.close();
    }

    private ConsumerRecord<String, Command> requireHeld() {
        ConsumerRecord<String, Command> record = held;
        if (record == null) {
            throw new IllegalStateException("no chunk is held");
        }
        held = null;
        return record;
    }

    private void commit(TopicPartition tp, long next) {
        if (!consumer.assignment().contains(tp)) {
            LOGGER.info("{} moved to another worker before offset {} was committed; its checkpoint makes the rerun a no-op",
                    tp, next);
            return;
        }
        try {
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(next)));
        } catch (KafkaException e) {
            LOGGER.warn("cannot commit {}@{} ({}); the chunk may be delivered again and is then found done", tp, next,
                    e.toString());
        }
    }
}
