package io.tidemark.snapshot.work;

import io.tidemark.common.command.Command;
import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.command.ImportRequest;
import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.id.MigrationId;
import io.tidemark.snapshot.dump.SourceSessions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.AcknowledgingMessageListener;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.Acknowledgment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Takes snapshot commands off the poll loop and runs up to {@code slots} dumps at once, each on a thread of its own,
 * so a slow or stuck source holds only its own slot, never another migration's dump.
 *
 * <p>Offsets. A partition has at most one request in flight: the listener pauses the partition when it hands the
 * request to a dump thread, and resumes it only after the outcome is on the status topic and the offset is
 * acknowledged — so an offset is never committed past a request that is not done, and commands of one migration
 * (one key, one partition) run in order. When every slot is busy the whole consumer is paused. Paused, the consumer
 * keeps polling (and stays in the group) without fetching, so a dump of hours never holds the poll loop past
 * max.poll.interval.ms. With max.poll.records=1 no fetched record waits behind a pause.
 *
 * <p>Ownership. A dump is owned through its partition. When a rebalance revokes the partition (an instance joins or
 * leaves, the service stops), {@link #revocationFence()} cancels the dump — interrupts its thread and cuts its
 * source sessions, its prechecks' included — and waits until it has stopped before the callback returns; the group
 * coordinator hands the partition on only after that, so two instances never write one dump directory at once. The
 * cancelled request stays unacknowledged; its next owner finds no completion marker and dumps afresh, or finds one
 * and reports it.
 *
 * <p>Threading: {@link #onMessage} and the fence run on the consumer thread; a dump thread acknowledges and resumes
 * from its own thread (spring-kafka hands both to the consumer thread). The bookkeeping is guarded by this object.
 */
final class SnapshotCommandListener implements AcknowledgingMessageListener<String, Command>, AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(SnapshotCommandListener.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** how long a revoked dump may take to notice its cancellation before the rebalance goes on without it */
    static final Duration REVOKE_WAIT = Duration.ofSeconds(60);

    private final SnapshotWorker worker;
    private final int slots;
    private final Map<TopicPartition, Dump> running = new HashMap<>();
    /** per migration, the latest snapshot epoch the user stopped, as {@link SnapshotStopWatch} saw it */
    private final Map<MigrationId, Long> stops = new HashMap<>();
    private MessageListenerContainer container;
    private boolean closed;

    SnapshotCommandListener(SnapshotWorker worker, int slots) {
        this.worker = worker;
        this.slots = slots;
    }

    synchronized void bind(MessageListenerContainer container) {
        this.container = container;
    }

    @Override
    public void onMessage(ConsumerRecord<String, Command> record, Acknowledgment ack) {
        switch (record.value()) {
            case null -> skip(record, "an empty record (tombstone)", ack);
            case SnapshotRequest request -> start(request, new TopicPartition(record.topic(), record.partition()), ack);
            case ImportRequest other -> skip(record, "an import request", ack);
            case ImportChunk other -> skip(record, "an import chunk", ack);
            case ReplicationTask other -> skip(record, "a replication task", ack);
        }
    }

    private synchronized void start(SnapshotRequest request, TopicPartition partition, Acknowledgment ack) {
        if (closed) {
            LOGGER.warn("service is stopping; snapshot {} left uncommitted, it is redelivered", request.messageId());
            return;
        }
        Dump dump = new Dump(request, partition, ack);
        // a stop seen before its request was fetched again (a restart, a rebalance) holds for it all the same
        dump.stopRequested = stops.getOrDefault(request.migrationId(), -1L) >= request.epoch();
        running.put(partition, dump);
        container.pausePartition(partition);
        if (running.size() >= slots) {
            LOGGER.info("all {} dump slots are busy: fetching no further snapshot command until one is free", slots);
            container.pause();
        }
        dump.thread.start();
    }

    /**
     * The user stopped snapshot {@code epoch} of {@code migration}: a dump of it running here is told to stop (an
     * Aurora export is cancelled, the outcome reported as stopped, the request acknowledged), and one fetched later
     * starts told. Called by {@link SnapshotStopWatch}, which reads the stop ahead of this listener: here the stop
     * waits in its paused partition behind the request it stops.
     */
    synchronized void stopRequested(MigrationId migration, long epoch) {
        stops.merge(migration, epoch, Math::max);
        for (Dump dump : running.values()) {
            if (dump.request.migrationId().equals(migration) && dump.request.epoch() <= epoch
                    && !dump.request.stopRequested()) {
                LOGGER.info("snapshot {}: the user stopped it", dump.request.messageId());
                dump.stopRequested = true;
            }
        }
    }

    /** cancels the dumps of partitions leaving this instance, and waits for them to stop */
    ConsumerAwareRebalanceListener revocationFence() {
        return new ConsumerAwareRebalanceListener() {
            @Override
            public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> consumer, Collection<TopicPartition> revoked) {
                stop(revoked, "its partition is revoked (it moves to another instance, or this one stops)");
            }

            @Override
            public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> lost) {
                stop(lost, "its partition was lost");
            }
        };
    }

    /** stops every dump still running when the service closes (the container's revocation normally did already) */
    @Override
    public void close() {
        List<TopicPartition> all;
        synchronized (this) {
            closed = true;
            all = List.copyOf(running.keySet());
        }
        stop(all, "the service stops");
    }

    void stop(Collection<TopicPartition> partitions, String why) {
        List<Dump> stopping = new ArrayList<>();
        synchronized (this) {
            for (TopicPartition partition : partitions) {
                Dump dump = running.remove(partition);
                if (dump != null) {
                    LOGGER.warn("cancelling snapshot {} on {}: {}; it stays uncommitted and is redelivered",
                            dump.request.messageId(), partition, why);
                    // the partition is no longer this dump's: it must neither commit nor resume it when it ends
                    dump.revoked = true;
                    stopping.add(dump);
                }
                // not paused when it comes back: its uncommitted request is fetched again
                resumePartition(partition);
            }
            resumeIfSlotFree();
        }
        long deadline = System.nanoTime() + REVOKE_WAIT.toNanos();
        for (Dump dump : stopping) {
            dump.cancel();
        }
        for (Dump dump : stopping) {
            try {
                if (!dump.stopped.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    // its source sessions are cut and a login is bounded by tidemark.db.connect-timeout: what
                    // holds it is on this side (a storage write, a connect-timeout above this wait)
                    LOGGER.error("snapshot {} did not stop within {} of its cancellation; its partition moves on"
                            + " regardless", dump.request.messageId(), REVOKE_WAIT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * The dump ended: once its outcome is reported, acknowledge the request and take the next command of its
     * partition. Unreported, the partition stays paused, so no later command's offset is committed past this one;
     * the next rebalance or restart redelivers it.
     */
    private synchronized void finished(Dump dump, boolean reported) {
        if (dump.revoked) {
            return;
        }
        running.remove(dump.partition, dump);
        if (reported) {
            dump.ack.acknowledge();
            resumePartition(dump.partition);
        } else {
            LOGGER.error("snapshot {} ended without reporting its outcome: {} stays paused until a rebalance or"
                    + " restart redelivers it", dump.request.messageId(), dump.partition);
        }
        resumeIfSlotFree();
    }

    /* only when paused: each resume wakes the consumer, even inside a rebalance */

    private void resumePartition(TopicPartition partition) {
        if (container.isPartitionPauseRequested(partition)) {
            container.resumePartition(partition);
        }
    }

    private void resumeIfSlotFree() {
        if (running.size() < slots && container.isPauseRequested()) {
            container.resume();
        }
    }

    private static void skip(ConsumerRecord<String, Command> record, String what, Acknowledgment ack) {
        LOGGER.warn("skipping {} on {} at {}-{} (key {}): the snapshot service acts on snapshot requests only",
                what, record.topic(), record.partition(), record.offset(), record.key());
        ack.acknowledge();
    }

    /** one request in flight on its own thread; {@code revoked} is guarded by the listener */
    private final class Dump implements Runnable {
        final SnapshotRequest request;
        final TopicPartition partition;
        final Acknowledgment ack;
        final SourceSessions sessions = new SourceSessions();
        final CountDownLatch stopped = new CountDownLatch(1);
        final Thread thread;
        boolean revoked;
        /** read by the dump thread at each step it can stop at */
        volatile boolean stopRequested;

        Dump(SnapshotRequest request, TopicPartition partition, Acknowledgment ack) {
            this.request = request;
            this.partition = partition;
            this.ack = ack;
            // a daemon: a dump stuck on a source that never answers must not keep the JVM alive past shutdown
            this.thread = Thread.ofPlatform().daemon().name("snapshot-dump-" + THREADS.incrementAndGet())
                    .unstarted(this);
        }

        @Override
        public void run() {
            boolean reported = false;
            LOGGER.info("snapshot {} starts on {}", request.messageId(), partition);
            try {
                worker.handle(request, sessions, () -> stopRequested);
                reported = true;
            } catch (InterruptedException e) {
                LOGGER.warn("snapshot {} stopped before its outcome was reported; left uncommitted, it is redelivered",
                        request.messageId());
            } catch (RuntimeException e) {
                LOGGER.error("snapshot {} failed without an outcome", request.messageId(), e);
            } finally {
                finished(this, reported);
                // every thread and source session of this dump has ended: nothing of it writes any more
                LOGGER.info("snapshot {} on {} ended ({})", request.messageId(), partition,
                        reported ? "reported" : "not reported");
                stopped.countDown();
            }
        }

        void cancel() {
            thread.interrupt();
            sessions.cancel();
        }
    }
}
