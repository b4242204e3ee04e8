package io.tidemark.dm.task;

import io.tidemark.common.command.Command;
import io.tidemark.common.topic.TopicCatalog;
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
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Partition assignment of the compacted task topic is task ownership. The poll loop runs on its own thread and never
 * does replication work: on assignment it rereads the assigned partitions from the beginning (latest record per key
 * wins), then hands each key's desired state to the {@link TaskSupervisor}; on revocation or loss it stops those
 * tasks (each flushes its checkpoint). Committed offsets carry no meaning and are never written. Cooperative
 * assignment moves only the partitions that change owner, so a rebalance does not restart every replicator.
 * An unreadable record is logged and skipped; a record without a value is a tombstone (the task was deleted).
 */
@Component
class TaskOwnership implements SmartLifecycle {
    private static final Logger LOGGER = LoggerFactory.getLogger(TaskOwnership.class);

    private final ConsumerFactory<String, Command> consumers;
    private final TopicCatalog topics;
    private final TaskSupervisor supervisor;
    private final DesiredTasks desired = new DesiredTasks();
    private volatile boolean running;
    private volatile Consumer<String, Command> consumer;
    private Thread thread;

    TaskOwnership(KafkaClients clients, TopicCatalog topics, TaskSupervisor supervisor) {
        this.consumers = clients.consumerFactory(topics.replicationGroup(), Command.class, Map.of(
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName()));
        this.topics = topics;
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
        try (Consumer<String, Command> c = consumers.createConsumer()) {
            consumer = c;
            c.subscribe(List.of(topics.replicationTasks()), new Rebalance(c));
            while (running) {
                ConsumerRecords<String, Command> records = c.poll(Duration.ofMillis(500));
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
        switch (TaskRecord.of(r)) {
            case TaskRecord.Desired d -> desired.record(tp, r.key(), d.task());
            case TaskRecord.Deleted d -> desired.record(tp, r.key(), null);
            case TaskRecord.Skipped s -> LOGGER.error("skipping the record of {} at {}@{}: {}", r.key(), tp,
                    r.offset(), s.why());
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
