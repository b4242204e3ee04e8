import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark helper (bench/many-migrations.sh), run as a single-file program with the standalone jar's kafka-clients on
 * the class path: every record of the given topics, from the beginning to their current end, as one line each —
 * "epochMillis topic key type phase" — where epochMillis is the record's CreateTime, stamped by the producer when it
 * sent the record: when a command or status event was published. type and phase are read from the JSON value ("-"
 * where it has none). Usage: java -cp … TopicTimes.java bootstrap topic…
 */
public class TopicTimes {
    private static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern PHASE = Pattern.compile("\"phase\"\\s*:\\s*\"([^\"]+)\"");

    public static void main(String[] args) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0],
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new java.util.ArrayList<>();
            for (int i = 1; i < args.length; i++) {
                consumer.partitionsFor(args[i]).forEach(p -> partitions.add(new TopicPartition(p.topic(),
                        p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            StringBuilder out = new StringBuilder();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    String value = r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8);
                    out.append(r.timestamp()).append(' ').append(r.topic()).append(' ').append(r.key()).append(' ')
                            .append(find(TYPE, value)).append(' ').append(find(PHASE, value)).append('\n');
                }
            }
            System.out.print(out);
        }
    }

    private static String find(Pattern p, String value) {
        Matcher m = p.matcher(value);
        return m.find() ? m.group(1) : "-";
    }
}
