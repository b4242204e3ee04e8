package io.tidemark.dm.relay;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a relay topic back as whole binlog events in the source's order, from a Kafka offset: pieces put together,
 * unfinished and repeated events dropped ({@link PieceAssembler}). Not thread-safe: one task's thread.
 */
public final class RelayReader implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final PieceAssembler assembler = new PieceAssembler();
    private final String topic;

    /**
     * A reader must never create a relay topic: the broker would give it its default retention, which the relay
     * never leaves to the broker, and the topic's absence is what says that the relay was never started. It reads
     * committed records only: what a fenced or failed writer left uncommitted was never relayed ({@link RelayWriter}).
     */
    static Map<String, Object> readerConfig(Map<String, Object> consumerConfig) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return config;
    }

    /** the topic exists (a relay was started for the source at some point) */
    public boolean topicExists(Duration timeout) {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
        return partitions != null && !partitions.isEmpty();
    }

    /** @param consumerConfig the service's consumer settings; the reader assigns itself the one partition */
    public RelayReader(String topic, long fromOffset, Map<String, Object> consumerConfig) {
        consumer = new KafkaConsumer<>(readerConfig(consumerConfig), new StringDeserializer(),
                new ByteArrayDeserializer());
        this.topic = topic;
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seek(partition, fromOffset);
    }

    /**
     * @return the events completed by what arrived within {@code timeout}, possibly none
     * @throws io.tidemark.common.error.TidemarkException RELAY_RECORD_UNREADABLE for a record of another writer
     */
    public List<RelayedEvent> poll(Duration timeout) {
        List<RelayedEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            RelayedEvent event = assembler.add(RelayPiece.of(record), record.offset());
            if (event != null) {
                events.add(event);
            }
        }
        return events;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
