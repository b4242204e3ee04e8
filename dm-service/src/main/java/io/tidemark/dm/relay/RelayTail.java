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
 */
final class RelayTail {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private RelayTail() {
    }

    /** @return the topic's last record, or null when the relay never wrote one */
    static RelayPiece last(Consumer<String, byte[]> consumer, String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        long end = consumer.endOffsets(List.of(partition), READ_TIMEOUT).get(partition);
        long begin = consumer.beginningOffsets(List.of(partition), READ_TIMEOUT).get(partition);
        if (end <= begin) {
            return null;
        }
        consumer.seek(partition, end - 1);
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        RelayPiece last = null;
        while (consumer.position(partition) < end) {
            if (System.nanoTime() > deadline) {
                throw new TidemarkException(ErrorCode.KAFKA_UNAVAILABLE, "nothing (reading the relay's checkpoint)",
                        "the last record of " + topic + " (offset " + (end - 1) + ") was not read within "
                                + READ_TIMEOUT.toSeconds() + " s");
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                last = RelayPiece.of(r);
            }
        }
        return last;
    }
}
