package io.tidemark.snapshot.work;

import io.tidemark.common.command.Command;
import io.tidemark.common.command.SnapshotRequest;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Sees the user's stop of a snapshot while the snapshot runs. The stop is an ordinary snapshot command (the request,
 * desired {@code stopped}) in the migration's partition, behind the request it stops; the command listener keeps
 * that partition paused while the request runs, so it would fetch the stop only once the snapshot ended by itself.
 * This reader follows every partition of the command topic on its own, as a plain assigned consumer that never joins
 * the group or commits, and hands each stop to the listener.
 *
 * <p>It starts at the group's committed offsets: every command after them is one the group has not finished, so a
 * stop sent while this instance was down still reaches the request redelivered to it. One thread of its own.
 */
final class SnapshotStopWatch implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(SnapshotStopWatch.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration LOOK_FOR_PARTITIONS = Duration.ofSeconds(5);

    private final Supplier<Consumer<String, Command>> consumers;
    private final String topic;
    private final SnapshotCommandListener listener;
    private final Thread thread;
    private volatile Consumer<String, Command> consumer;
    private volatile boolean closed;

    SnapshotStopWatch(Supplier<Consumer<String, Command>> consumers, String topic, SnapshotCommandListener listener) {
        this.consumers = consumers;
        this.topic = topic;
        this.listener = listener;
        this.thread = Thread.ofPlatform().daemon().name("snapshot-stop-watch").unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    private void run() {
        try (Consumer<String, Command> c = consumers.get()) {
            consumer = c;
            if (closed) {
                return;
            }
            long nextLook = 0;
            while (!closed) {
                if (System.nanoTime() - nextLook >= 0) {
                    // the topic may be created after this service starts, and partitions may be added to it
                    follow(c);
                    nextLook = System.nanoTime() + LOOK_FOR_PARTITIONS.toNanos();
                }
                if (c.assignment().isEmpty()) {
                    Thread.sleep(POLL.toMillis());
                    continue;
                }
                for (ConsumerRecord<String, Command> r : c.poll(POLL)) {
                    if (r.value() instanceof SnapshotRequest request && request.stopRequested()) {
                        listener.stopRequested(request.migrationId(), request.epoch());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (WakeupException e) {
            if (!closed) {
                LOGGER.error("the stop watch of {} was woken up while running; stops reach a snapshot only when it"
                        + " ends", topic, e);
            }
        } catch (RuntimeException e) {
            // the stop command still waits in its partition: the listener takes it once the snapshot ends
            LOGGER.error("the stop watch of {} ended; a stop now takes effect only once its snapshot ends", topic, e);
        }
    }

    /** adds the topic's partitions not followed yet, each from the group's committed offset */
    private void follow(Consumer<String, Command> c) {
        Set<TopicPartition> followed = c.assignment();
        List<TopicPartition> added = c.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).filter(p -> !followed.contains(p)).toList();
        if (added.isEmpty()) {
            return;
        }
        Set<TopicPartition> all = new HashSet<>(followed);
        all.addAll(added);
        c.assign(all);
        Map<TopicPartition, OffsetAndMetadata> committed = c.committed(Set.copyOf(added));
        for (TopicPartition p : added) {
            OffsetAndMetadata at = committed.get(p);
            if (at == null) {
                c.seekToBeginning(List.of(p));
            } else {
                c.seek(p, at.offset());
            }
        }
        LOGGER.info("watching {} partition(s) of {} for stopped snapshots", all.size(), topic);
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        Consumer<String, Command> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        thread.join(POLL.multipliedBy(4).toMillis());
    }
}
