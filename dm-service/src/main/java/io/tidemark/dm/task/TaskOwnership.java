package io.tidemark.dm.task;

import io.tidemark.common.command.Command;
import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.topic.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Partition assignment of the compacted task topic is task ownership. The poll loop runs on its own thread and never
 * does replication work: on assignment it rereads the assigned partitions from the beginning (latest record per key
 * wins), then hands each key's desired state to the {@link TaskSupervisor}; on revocation or loss it stops those
 * tasks (each flushes its checkpoint). Committed offsets carry no meaning and are never written.
 * An unreadable record is logged and skipped.
 */
@Component
class TaskOwnership implements SmartLifecycle {
    private static final Logger LOGGER = LoggerFactory.getLogger(TaskOwnership.class);

    private final ConsumerFactory<String, Command> consumers;
    private final TaskSupervisor supervisor;
    private final DesiredTasks desired = new DesiredTasks();
    private volatile boolean running;
    private volatile Consumer<String, Command> consumer;
    private Thread thread;

    TaskOwnership(ConsumerFactory<String, Command> consumers, TaskSupervisor supervisor) {
        this.consumers = consumers;
        this.supervisor = supervisor;
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = new Thread(this::loop, "dm-task-ownership");
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        Consumer<String, Command> c = consumer;
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
        try (Consumer<String, Command> c = consumers.createConsumer(Topics.GROUP_REPLICATION, null)) {
            consumer = c;
            c.subscribe(List.of(Topics.REPLICATION_TASKS), new Rebalance(c));
            while (running) {
                ConsumerRecords<String, Command> records;
                try {
                    records = c.poll(Duration.ofMillis(500));
                } catch (RecordDeserializationException e) {
                    LOGGER.error("skipping unreadable record {} at offset {}: {}", e.topicPartition(), e.offset(),
                            e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
                    c.seek(e.topicPartition(), e.offset() + 1);
                    continue;
                }
                for (ConsumerRecord<String, Command> r : records) {
                    accept(r);
                }
                Set<String> due = desired.due(tp -> c.position(tp));
                for (String key : due) {
                    supervisor.reconcile(key, desired.desired(key));
                }
            }
        } catch (WakeupException e) {
            // stop() woke the poll
        } catch (RuntimeException e) {
            LOGGER.error("task ownership loop ended", e);
        } finally {
            supervisor.stopAll();
            consumer = null;
        }
    }

    private void accept(ConsumerRecord<String, Command> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        if (r.key() == null) {
            LOGGER.warn("skipping a record without key at {}@{}", tp, r.offset());
            return;
        }
        switch (r.value()) {
            case null -> desired.record(tp, r.key(), null);
            case ReplicationTask t -> desired.record(tp, r.key(), t);
            default -> LOGGER.warn("skipping {} at {}@{}: not a replication task", r.value().getClass().getSimpleName(),
                    tp, r.offset());
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        private final Consumer<String, Command> c;

        Rebalance(Consumer<String, Command> c) {
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
            LOGGER.info("revoked {}: stopping their tasks", partitions);
            supervisor.stop(desired.revoked(partitions));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            LOGGER.warn("lost {}: stopping their tasks", partitions);
            supervisor.stop(desired.revoked(partitions));
        }
    }
}
