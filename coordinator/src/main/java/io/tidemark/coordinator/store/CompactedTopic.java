package io.tidemark.coordinator.store;

import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.kit.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a compacted state topic of the coordinator whole, once, at start-up: the last value of each key wins and a
 * tombstone forgets the key. The one reader of the coordinator's durable state (migrations, DM sources and tasks).
 */
public final class CompactedTopic {
    private static final Logger LOGGER = LoggerFactory.getLogger(CompactedTopic.class);

    private CompactedTopic() {
    }

    /**
     * Reads from the beginning up to the end offsets taken at the start. A record this build cannot read stops the
     * start-up loudly: skipping it would silently forget what it holds.
     *
     * @param clientId names the reader in the broker's logs
     */
    public static <T> Map<String, T> readAll(KafkaClients clients, String topic, Duration timeout, Class<T> type,
                                             String clientId) {
        // the kit's consumer settings without a group: the reader assigns the partitions and seeks by itself
        Map<String, Object> props = new HashMap<>(clients.consumerProperties("no-group",
                Map.of(ConsumerConfig.CLIENT_ID_CONFIG, clientId)));
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Map<String, T> loaded = new LinkedHashMap<>();
        int records = 0;
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    records++;
                    if (record.value() == null) {
                        loaded.remove(record.key());
                        continue;
                    }
                    try {
                        loaded.put(record.key(), MessageCodec.read(record.value(), type));
                    } catch (TidemarkException e) {
                        LOGGER.error("cannot read {} {} at {}-{}@{}: {}", type.getSimpleName(), record.key(), topic,
                                record.partition(), record.offset(), e.getMessage());
                        throw e;
                    }
                }
            }
        }
        LOGGER.info("rebuilt {} {} values from {} records of {}", loaded.size(), type.getSimpleName(), records, topic);
        return loaded;
    }
}
