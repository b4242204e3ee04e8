package io.tidemark.dm.own;

import io.tidemark.common.error.TidemarkException;
import io.tidemark.kit.kafka.CommandErrors;
import io.tidemark.kit.kafka.KafkaClients;
import io.tidemark.kit.retry.RetryPolicy;
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
import java.util.HashMap;
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
 * record without a value is a tombstone (the key was deleted). A record of a newer message version than this
 * service reads is never skipped: its partition goes back to it and pauses, and is read again with a backoff until
 * this service is upgraded, so the records behind it wait and its key keeps the desired state it had.
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
    /** per partition, the record of a newer version it waits at; the poll thread's only */
    private final Map<TopicPartition, Held> held = new HashMap<>();

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
                resumeDue(c);
                ConsumerRecords<String, W> records = c.poll(Duration.ofMillis(500));
                for (TopicPartition tp : records.partitions()) {
                    for (ConsumerRecord<String, W> r : records.records(tp)) {
                        if (!accept(c, tp, r)) {
                            break;
                        }
                    }
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

    /** false when {@code r} is of a newer version: its partition is held at it and the rest of the batch dropped */
    private boolean accept(Consumer<String, W> c, TopicPartition tp, ConsumerRecord<String, W> r) {
        TidemarkException tooNew = CommandErrors.tooNew(r).orElse(null);
        if (tooNew != null) {
            hold(c, tp, r, tooNew);
            return false;
        }
        held.remove(tp);
        switch (OwnedRecord.of(r, type)) {
            case OwnedRecord.Desired<V> d -> desired.record(tp, r.key(), d.value());
            case OwnedRecord.Deleted<V> d -> desired.record(tp, r.key(), null);
            case OwnedRecord.Skipped<V> s -> LOGGER.error("skipping the record of {} at {}@{}: {}", r.key(), tp,
                    r.offset(), s.why());
        }
        return true;
    }

    private void hold(Consumer<String, W> c, TopicPartition tp, ConsumerRecord<String, W> r, TidemarkException e) {
        Held h = held.get(tp);
        if (h == null || h.offset != r.offset()) {
            h = new Held(r.offset(), CommandErrors.UNTIL_UPGRADED_POLICY.start());
            held.put(tp, h);
            CommandErrors.logKept(threadName, r, e);
        }
        h.resumeAt = System.nanoTime() + h.backoff.next().toNanos();
        c.seek(tp, r.offset());
        c.pause(List.of(tp));
    }

    private void resumeDue(Consumer<String, W> c) {
        long now = System.nanoTime();
        List<TopicPartition> due = held.entrySet().stream()
                .filter(e -> now - e.getValue().resumeAt >= 0 && c.paused().contains(e.getKey()))
                .map(Map.Entry::getKey).toList();
        if (!due.isEmpty()) {
            c.resume(due);
        }
    }

    /** a partition waiting at a record of a newer version; {@code backoff} paces its rereads */
    private static final class Held {
        final long offset;
        final RetryPolicy.Backoff backoff;
        long resumeAt;

        Held(long offset, RetryPolicy.Backoff backoff) {
            this.offset = offset;
            this.backoff = backoff;
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
            // reread from the beginning: a record of a newer version is met again there
            held.keySet().removeAll(partitions);
            c.resume(partitions);
            c.seekToBeginning(partitions);
            desired.assigned(c.endOffsets(partitions));
            LOGGER.info("assigned {}", partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            held.keySet().removeAll(partitions);
            LOGGER.info("revoked {}: stopping their work", partitions);
            owner.stop(desired.revoked(partitions));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            held.keySet().removeAll(partitions);
            LOGGER.warn("lost {}: stopping their work", partitions);
            owner.stop(desired.revoked(partitions));
        }
    }
}
