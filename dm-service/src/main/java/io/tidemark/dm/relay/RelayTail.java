package io.tidemark.dm.relay;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;

/**
 * The relay's checkpoint is the last record of its own topic: what was relayed and where the source's stream goes on
 * after it can never disagree, so a restarted writer (or one on another dm-service instance) continues without a gap
 * and without relaying an event twice. Kafka's retention never deletes a partition's active segment, so the last
 * record outlives any retention.
 *
 * <p>The topic is written in transactions and read committed ({@link RelayWriter}): its log ends with transaction
 * markers, and may end with records of an aborted transaction, for which the consumer returns no record. The last
 * record is therefore looked for in a window before the end, widened until it holds one.
 */
final class RelayTail {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    /** the first window read back from the end: a commit marker, or a few, normally */
    private static final long FIRST_WINDOW = 16;

    private RelayTail() {
    }

    /**
     * @param consumer a consumer reading committed records only
     * @return the topic's last committed record, or null when the relay never committed one
     */
    static RelayPiece last(Consumer<String, byte[]> consumer, String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        // read committed: the end is the last stable offset, after which nothing may still be committed
        long end = consumer.endOffsets(List.of(partition), READ_TIMEOUT).get(partition);
        long begin = consumer.beginningOffsets(List.of(partition), READ_TIMEOUT).get(partition);
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        for (long window = FIRST_WINDOW; end > begin; window *= 4) {
            long from = Math.max(begin, end - window);
            consumer.seek(partition, from);
            RelayPiece last = null;
            while (consumer.position(partition) < end) {
                if (System.nanoTime() > deadline) {
                    throw new TidemarkException(ErrorCode.KAFKA_UNAVAILABLE, "nothing (reading the relay's"
                            + " checkpoint)", "the records of " + topic + " from offset " + from + " to " + end
                            + " were not read within " + READ_TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() < end) {
                        last = RelayPiece.of(r);
                    }
                }
            }
            if (last != null) {
                return last;
            }
            if (from == begin) {
                break;
            }
        }
        return null;
    }
}
