package io.tidemark.snapshot.work;

import io.tidemark.common.command.Command;
import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.command.ImportRequest;
import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.command.SnapshotRequest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.AcknowledgingMessageListener;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.Acknowledgment;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Takes snapshot commands off the poll loop. A dump runs for minutes to hours, far past max.poll.interval.ms, so it
 * runs on the dump executor while the container is paused: the consumer keeps polling (and stays in the group)
 * without fetching. The offset is committed only once the outcome is reported, so a crash mid-dump redelivers the
 * request and it is dumped afresh. Threading: {@link #onMessage} runs on the consumer thread; the ack and resume
 * happen on the dump thread, which spring-kafka hands back to the consumer thread (max.poll.records=1, so no other
 * record of the same poll is waiting).
 */
final class SnapshotCommandListener implements AcknowledgingMessageListener<String, Command> {
    private static final Logger LOGGER = LoggerFactory.getLogger(SnapshotCommandListener.class);

    private final SnapshotWorker worker;
    private final Executor dumpExecutor;
    private volatile MessageListenerContainer container;

    SnapshotCommandListener(SnapshotWorker worker, Executor dumpExecutor) {
        this.worker = worker;
        this.dumpExecutor = dumpExecutor;
    }

    void bind(MessageListenerContainer container) {
        this.container = container;
    }

    @Override
    public void onMessage(ConsumerRecord<String, Command> record, Acknowledgment ack) {
        switch (record.value()) {
            case null -> skip(record, "an empty record (tombstone)", ack);
            case SnapshotRequest request -> runInBackground(request, ack);
            case ImportRequest other -> skip(record, "an import request", ack);
            case ImportChunk other -> skip(record, "an import chunk", ack);
            case ReplicationTask other -> skip(record, "a replication task", ack);
        }
    }

    private void runInBackground(SnapshotRequest request, Acknowledgment ack) {
        container.pause();
        try {
            dumpExecutor.execute(() -> {
                try {
                    worker.handle(request);
                    ack.acknowledge();
                } catch (InterruptedException e) {
                    LOGGER.warn("snapshot {} stopped by shutdown; left uncommitted, it is redelivered",
                            request.messageId());
                } finally {
                    container.resume();
                }
            });
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
