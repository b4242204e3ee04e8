package io.tidemark.snapshot.work;

import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.status.ExportProgressed;
import io.tidemark.common.status.SnapshotStarted;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.status.TableDumped;
import io.tidemark.common.table.TableRef;
import io.tidemark.kit.status.StatusPublisher;
import io.tidemark.snapshot.aurora.ExportListener;
import io.tidemark.snapshot.dump.TableResult;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The status events of one snapshot request, sent in the order they happen from a sender thread of their own, each
 * through the kit's publisher (never dropped). The dump goes on while Kafka is away — a broker restart does not hold
 * the source sessions of every table — and the outcome is reported only after every progress event before it.
 * {@link #finish} returns once Kafka has the outcome: only then may the request be acknowledged.
 */
final class DumpReports implements ExportListener, AutoCloseable {
    private final StatusPublisher status;
    private final SnapshotRequest request;
    private final WorkerId workerId;
    private final ExecutorService sender;

    DumpReports(StatusPublisher status, SnapshotRequest request, WorkerId workerId) {
        this.status = status;
        this.request = request;
        this.workerId = workerId;
        this.sender = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
                .name("snapshot-status-" + request.migrationId()).factory());
    }

    @Override
    public void started(BinlogPosition start, List<TableRef> tables) {
        send(new SnapshotStarted(SnapshotStarted.idFor(request.migrationId(), request.epoch()),
                request.migrationId(), workerId, request.epoch(), Instant.now(), start, tables));
    }

    @Override
    public void tableDumped(TableResult t) {
        send(new TableDumped(TableDumped.idFor(request.migrationId(), request.epoch(), t.table()),
                request.migrationId(), workerId, request.epoch(), Instant.now(), t.table(), t.rows(), t.bytes(),
                t.files()));
    }

    @Override
    public void exportProgressed(String exportTask, String status, int percent, long extractedGb) {
        send(new ExportProgressed(ExportProgressed.idFor(request.migrationId(), request.epoch(), exportTask, status,
                percent, extractedGb), request.migrationId(), workerId, request.epoch(), Instant.now(), exportTask,
                status, percent, extractedGb));
    }

    /**
     * Sends the request's outcome after every event before it and returns once Kafka has it, however long Kafka is
     * away.
     *
     * @throws InterruptedException the request was stopped first (shutdown, partition revoked): the outcome may not
     *                              be on the topic, so the request must stay unacknowledged
     */
    void finish(StatusEvent outcome) throws InterruptedException {
        try {
            send(outcome).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InterruptedException stopped) {
                throw stopped;
            }
            throw new IllegalStateException("sending " + outcome.eventId() + " failed", e.getCause());
        }
    }

    private Future<Void> send(StatusEvent event) {
        return sender.submit(() -> {
            status.publish(event);
            return null;
        });
    }

    /** stops sending: what Kafka has not taken yet is sent again when the request is redelivered */
    @Override
    public void close() {
        sender.shutdownNow();
    }
}
