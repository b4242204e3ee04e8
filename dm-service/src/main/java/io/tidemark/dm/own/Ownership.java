package io.tidemark.dm.own;

import io.tidemark.kit.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Partition assignment of a compacted desired-state topic is ownership of its keys: one worker of the group runs each
 * key's work (a replication task, a source's relay). The poll loop runs on its own thread and never does the work: on
 * assignment it rereads the assigned partitions from the beginning (latest record per key wins), then hands each
 * key's desired state to the {@link Owner}; on revocation or loss it stops those keys' work before the partitions
 * move on. Committed offsets carry no meaning and are never written. Cooperative assignment moves only the partitions
 * that change owner, so a rebalance does not restart every key's work. An unreadable record is logged and skipped; a
 * record without a value is a tombstone (the key was deleted).
 *
 * @param <W> what the topic's values are read as
 * @param <V> the desired state of one key: the values of any other type are skipped
 */
public class Ownership<W, V extends W> implements SmartLifecycle {
    private static final Logger LOGGER = LoggerFactory.getLogger(Ownership.class);

    private final ConsumerFactory<String, W> consumers;
    private final String topic;
    private final Class<V> type;
    private final Owner<V> owner;
    private final String threadName;
    private final DesiredStates<V> desired = new DesiredStates<>();
    private volatile boolean running;
    private volatile Consumer<String, W> consumer;
    private Thread thread;

    /**
     * @param group the consumer group whose members share the keys
     * @param wire  the type the topic's values are read as
     */
    protected Ownership(KafkaClients clients, String group, String topic, Class<W> wire, Class<V> type,
                        Owner<V> owner, String threadName) {
        this.consumers = clients.consumerFactory(group, wire, Map.of(
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName()));
        this.topic = topic;
        this.type = type;
        this.owner = owner;
        this.threadName = threadName;
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = new Thread(this::loop, threadName);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        Consumer<String, W> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void loop() {
        try (Consumer<String, W> c = consumers.createConsumer()) {
            consumer = c;
            c.subscribe(List.of(topic), new Rebalance(c));
            while (running) {
                ConsumerRecords<String, W> records = c.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, W> r : records) {
                    accept(r);
                }
                Set<String> due = desired.due(tp -> c.position(tp));
                for (String key : due) {
                    owner.reconcile(key, desired.desired(key));
                }
                owner.tick();
            }
        } catch (WakeupException e) {
            // stop() woke the poll
        } catch (RuntimeException e) {
            LOGGER.error("ownership loop of {} ended", topic, e);
        } finally {
            owner.stopAll();
            consumer = null;
        }
    }

    private void accept(ConsumerRecord<String, W> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        switch (OwnedRecord.of(r, type)) {
            case OwnedRecord.Desired<V> d -> desired.record(tp, r.key(), d.value());
            case OwnedRecord.Deleted<V> d -> desired.record(tp, r.key(), null);
            case OwnedRecord.Skipped<V> s -> LOGGER.error("skipping the record of {} at {}@{}: {}", r.key(), tp,
                    r.offset(), s.why());
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        private final Consumer<String, W> c;

        Rebalance(Consumer<String, W> c) {
            this.c = c;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            c.seekToBeginning(partitions);
            desired.assigned(c.endOffsets(partitions));
            LOGGER.info("assigned {}", partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            LOGGER.info("revoked {}: stopping their work", partitions);
            owner.stop(desired.revoked(partitions));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            LOGGER.warn("lost {}: stopping their work", partitions);
            owner.stop(desired.revoked(partitions));
        }
    }
}
