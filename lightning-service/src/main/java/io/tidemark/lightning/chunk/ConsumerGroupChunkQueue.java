package io.tidemark.lightning.chunk;

import io.tidemark.common.command.Command;
import io.tidemark.common.command.ImportChunk;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link ChunkQueue} over a classic consumer group on the import chunks topic. While a chunk is held, every
 * assigned partition is paused and {@link #keepAlive} keeps polling, so {@code max.poll.interval.ms} never expires
 * however long the chunk runs; the chunk's offset is committed only when it is finished. If a rebalance hands the
 * partition to another member meanwhile, that member may run the chunk too: the checkpoint row on the target fences
 * one of them out.
 */
final class ConsumerGroupChunkQueue implements ChunkQueue {
    private static final Logger LOGGER = LoggerFactory.getLogger(ConsumerGroupChunkQueue.class);

    private final Consumer<String, Command> consumer;
    private ConsumerRecord<String, Command> held;

    ConsumerGroupChunkQueue(Consumer<String, Command> consumer, String topic) {
        this.consumer = consumer;
        consumer.subscribe(List.of(topic));
    }

    @Override
    public Optional<ImportChunk> take(Duration wait) {
        if (held != null) {
            throw new IllegalStateException("a chunk is already held: complete or release it first");
        }
        ConsumerRecords<String, Command> records = consumer.poll(wait);
        Map<TopicPartition, Long> rewind = new HashMap<>();
        ImportChunk taken = null;
        for (ConsumerRecord<String, Command> record : records) {
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            if (taken != null || rewind.containsKey(tp)) {
                rewind.putIfAbsent(tp, record.offset());
            } else if (record.value() instanceof ImportChunk chunk) {
                held = record;
                taken = chunk;
            } else {
                LOGGER.warn("skipping a record that is no import chunk at {}@{} (key {}): unreadable or misrouted",
                        tp, record.offset(), record.key());
                commit(tp, record.offset() + 1);
            }
        }
        rewind.forEach(consumer::seek);
        if (taken != null) {
            consumer.pause(consumer.assignment());
        }
        return Optional.ofNullable(taken);
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
        consumer.resume(consumer.paused());
    }

    @Override
    public void release() {
        ConsumerRecord<String, Command> record = requireHeld();
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        if (consumer.assignment().contains(tp)) {
            consumer.seek(tp, record.offset());
        }
        consumer.resume(consumer.paused());
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
