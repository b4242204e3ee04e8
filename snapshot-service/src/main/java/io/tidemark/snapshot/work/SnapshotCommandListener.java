package io.tidemark.snapshot.work;

import io.tidemark.common.command.Command;
import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.command.ImportRequest;
import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.command.SnapshotRequest;
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
import java.util.Collection;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Takes snapshot commands off the poll loop. A dump runs for minutes to hours, far past max.poll.interval.ms, so it
 * runs on the dump executor while the container is paused: the consumer keeps polling (and stays in the group)
 * without fetching. The offset is committed only once the outcome is reported, so a crash mid-dump redelivers the
 * request and it is dumped afresh. Threading: {@link #onMessage} runs on the consumer thread; the ack and resume
 * happen on the dump thread, which spring-kafka hands back to the consumer thread (max.poll.records=1, so no other
 * record of the same poll is waiting).
 *
 * <p>A dump is owned through its partition. When a rebalance revokes that partition (an instance joins or leaves),
 * {@link #revocationFence()} cancels the dump and waits for it to stop before the callback returns; the group
 * coordinator hands the partition to its next owner only after that, so two instances never write one dump
 * directory at once. The cancelled dump is left uncommitted and its next owner dumps afresh.
 */
final class SnapshotCommandListener implements AcknowledgingMessageListener<String, Command> {
    private static final Logger LOGGER = LoggerFactory.getLogger(SnapshotCommandListener.class);

    /** how long a revoked dump may take to notice its cancellation before the rebalance goes on without it */
    static final Duration REVOKE_WAIT = Duration.ofSeconds(60);

    private final SnapshotWorker worker;
    private final ExecutorService dumpExecutor;
    private volatile MessageListenerContainer container;
    private volatile RunningDump running;

    /** the dump in progress and the partition it belongs to */
    private record RunningDump(TopicPartition partition, String messageId, Future<?> future) {
    }

    SnapshotCommandListener(SnapshotWorker worker, ExecutorService dumpExecutor) {
        this.worker = worker;
        this.dumpExecutor = dumpExecutor;
    }

    void bind(MessageListenerContainer container) {
        this.container = container;
    }

    /** cancels the running dump when its partition is revoked, and waits for it to stop */
    ConsumerAwareRebalanceListener revocationFence() {
        return new ConsumerAwareRebalanceListener() {
            @Override
            public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> consumer, Collection<TopicPartition> revoked) {
                cancelIfRevoked(revoked);
            }

            @Override
            public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> lost) {
                cancelIfRevoked(lost);
            }
        };
    }

    void cancelIfRevoked(Collection<TopicPartition> revoked) {
        RunningDump dump = running;
        if (dump == null || !revoked.contains(dump.partition())) {
            return;
        }
        LOGGER.warn("partition {} moves to another instance: cancelling snapshot {} so only one instance dumps it",
                dump.partition(), dump.messageId());
        dump.future().cancel(true);
        try {
            dump.future().get(REVOKE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (CancellationException | ExecutionException e) {
            // cancelled or failed: either way it no longer runs once the worker thread has left it (awaited below)
        } catch (TimeoutException e) {
            LOGGER.error("snapshot {} did not stop within {} after its partition was revoked", dump.messageId(),
                    REVOKE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        awaitStopped(dump);
    }

    /** Future#cancel returns at once; the dump thread leaves only when it sees the interrupt */
    private void awaitStopped(RunningDump dump) {
        long deadline = System.nanoTime() + REVOKE_WAIT.toNanos();
        while (running == dump && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void onMessage(ConsumerRecord<String, Command> record, Acknowledgment ack) {
        switch (record.value()) {
            case null -> skip(record, "an empty record (tombstone)", ack);
            case SnapshotRequest request -> runInBackground(request, new TopicPartition(record.topic(),
                    record.partition()), ack);
            case ImportRequest other -> skip(record, "an import request", ack);
            case ImportChunk other -> skip(record, "an import chunk", ack);
            case ReplicationTask other -> skip(record, "a replication task", ack);
        }
    }

    private void runInBackground(SnapshotRequest request, TopicPartition partition, Acknowledgment ack) {
        container.pause();
        try {
            CompletableFuture<RunningDump> self = new CompletableFuture<>();
            Future<?> future = dumpExecutor.submit(() -> {
                RunningDump me = self.join();
                try {
                    worker.handle(request);
                    if (!Thread.currentThread().isInterrupted()) {
                        ack.acknowledge();
                    }
                } catch (InterruptedException | CancellationException e) {
                    LOGGER.warn("snapshot {} stopped (shutdown or partition revoked); left uncommitted, it is"
                            + " redelivered", request.messageId());
                } finally {
                    if (running == me) {
                        running = null;
                    }
                    container.resume();
                }
            });
            RunningDump dump = new RunningDump(partition, request.messageId(), future);
            running = dump;
            self.complete(dump);
        } catch (RejectedExecutionException e) {
            LOGGER.warn("service is stopping; snapshot {} left uncommitted, it is redelivered", request.messageId());
            container.resume();
        }
    }

    private static void skip(ConsumerRecord<String, Command> record, String what, Acknowledgment ack) {
        LOGGER.warn("skipping {} on {} at {}-{} (key {}): the snapshot service acts on snapshot requests only",
                what, record.topic(), record.partition(), record.offset(), record.key());
        ack.acknowledge();
    }
}
