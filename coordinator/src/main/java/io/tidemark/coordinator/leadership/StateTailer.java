package io.tidemark.coordinator.leadership;

import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.coordinator.store.MigrationStore;
import io.tidemark.coordinator.store.TailedTopic;
import io.tidemark.kit.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A standby's view of the active coordinator's writes: tails the migrations and their chunks' topics (committed
 * records only) into the {@link MigrationStore} and the other state's topics into theirs ({@link ActiveState}: DM
 * sources, tasks and relays), so reads on a standby are at most a poll behind, and the leader topic, to know where
 * the active coordinator is. Runs on its own thread between {@link #start} and {@link #stop}, always from the
 * beginning: the topics are compacted, so replaying them converges on what the active coordinator holds.
 */
final class StateTailer {
    private static final Logger LOGGER = LoggerFactory.getLogger(StateTailer.class);

    private final KafkaClients clients;
    /** by topic: the migrations', their chunks' and the other state's, each applying what it reads */
    private final Map<String, TailedTopic> tailed = new HashMap<>();
    private final String leaderTopic;
    private final Duration timeout;
    private final Consumer<CoordinatorLeader> onLeader;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running;
    private Thread thread;

    StateTailer(KafkaClients clients, MigrationStore store, List<ActiveState> others, String leaderTopic,
                Duration timeout, Consumer<CoordinatorLeader> onLeader) {
        this.clients = clients;
        store.tailedTopics().forEach(t -> tailed.put(t.topic(), t));
        others.forEach(t -> tailed.put(t.topic(), t));
        this.leaderTopic = leaderTopic;
        this.timeout = timeout;
        this.onLeader = onLeader;
    }

    synchronized void start() {
        if (thread != null) {
            return;
        }
        Map<String, Object> props = new HashMap<>(clients.consumerProperties("no-group",
                Map.of(ConsumerConfig.CLIENT_ID_CONFIG, "coordinator-standby-tailer")));
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer = c;
        running = true;
        thread = Thread.ofPlatform().name("coordinator-standby-tailer").daemon().start(() -> run(c));
    }

    synchronized void stop() {
        if (thread == null) {
            return;
        }
        running = false;
        consumer.wakeup();
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    private void run(KafkaConsumer<String, byte[]> c) {
        try (c) {
            List<TopicPartition> partitions = new ArrayList<>();
            List<String> topics = new ArrayList<>(tailed.keySet());
            topics.add(leaderTopic);
            for (String topic : topics) {
                c.partitionsFor(topic, timeout).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            // the leader topic holds every takeover until it is compacted: only the last one read up to its end is the
            // active coordinator, an earlier one named while catching up would send clients to a dead instance
            List<TopicPartition> leaderPartitions = partitions.stream().filter(p -> p.topic().equals(leaderTopic))
                    .toList();
            Map<TopicPartition, Long> leaderEnd = c.endOffsets(leaderPartitions, timeout);
            LOGGER.info("standby: reading the active coordinator's writes on {}", String.join(", ", topics));
            CoordinatorLeader latest = null;
            while (running) {
                for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(200))) {
                    CoordinatorLeader read = apply(record);
                    latest = read == null ? latest : read;
                }
                if (latest != null && leaderPartitions.stream()
                        .allMatch(tp -> c.position(tp, timeout) >= leaderEnd.get(tp))) {
                    onLeader.accept(latest);
                    latest = null;
                }
            }
        } catch (WakeupException e) {
            LOGGER.debug("standby tailer stopped");
        } catch (RuntimeException e) {
            // reads of a standby go stale, but its election goes on: it still takes over, rebuilding its state then
            LOGGER.error("standby: stopped reading the active coordinator's writes: {}", e.toString());
        }
    }

    /** a state record goes into its store at once; a leader record is returned, to be told once caught up */
    private CoordinatorLeader apply(ConsumerRecord<String, byte[]> record) {
        try {
            if (record.topic().equals(leaderTopic)) {
                return record.value() == null ? null : MessageCodec.read(record.value(), CoordinatorLeader.class);
            }
            TailedTopic state = tailed.get(record.topic());
            if (state != null) {
                state.applyRead(record.key(), record.value());
            }
        } catch (TidemarkException e) {
            LOGGER.error("standby: cannot read {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        }
        return null;
    }
}
