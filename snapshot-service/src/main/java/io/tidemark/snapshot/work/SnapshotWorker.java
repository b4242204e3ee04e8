package io.tidemark.snapshot.work;

import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.position.TablePoint;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.status.SnapshotCompleted;
import io.tidemark.common.status.SnapshotStopped;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.storage.Storage;
import io.tidemark.common.storage.Storages;
import io.tidemark.common.table.TableFilter;
import io.tidemark.common.table.TableRef;
import io.tidemark.kit.retry.RetriesExhausted;
import io.tidemark.kit.retry.RetryPolicy;
import io.tidemark.kit.status.StatusPublisher;
import io.tidemark.mysql.precheck.source.SourceFacts;
import io.tidemark.mysql.session.Timeouts;
import io.tidemark.snapshot.SnapshotProperties;
import io.tidemark.snapshot.aurora.AuroraRestoreSnapshot;
import io.tidemark.snapshot.aurora.AuroraSnapshot;
import io.tidemark.snapshot.dump.CompletionMarker;
import io.tidemark.snapshot.dump.DumpListener;
import io.tidemark.snapshot.dump.DumpOptions;
import io.tidemark.snapshot.dump.DumpResult;
import io.tidemark.snapshot.dump.DumpPrechecks;
import io.tidemark.snapshot.dump.Dump;
import io.tidemark.snapshot.dump.OutputFormat;
import io.tidemark.snapshot.dump.Source;
import io.tidemark.snapshot.dump.SourceSessions;
import io.tidemark.snapshot.dump.TableResult;
import io.tidemark.snapshot.parquet.ExportLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Carries out one {@link SnapshotRequest} to the end and reports it: SnapshotStarted, TableDumped per table, then
 * SnapshotCompleted or WorkFailed. Idempotent: a request whose dump is already complete (its marker names the
 * request) is answered from the marker. A retriable failure is retried under the kit's {@link RetryPolicy}; the
 * failure is reported once, when it is final. Thread-safe and stateless: each request runs on its own dump thread.
 */
final class SnapshotWorker {
    private static final Logger LOGGER = LoggerFactory.getLogger(SnapshotWorker.class);
    static final String SUBJECT = "snapshot";

    private final SecretBox secrets;
    private final StatusPublisher status;
    private final SnapshotProperties properties;
    private final RetryPolicy retry;
    private final WorkerId workerId;
    private final Timeouts timeouts;
    private final AuroraSnapshot aurora;
    private final AuroraRestoreSnapshot restores;

    SnapshotWorker(SecretBox secrets, StatusPublisher status, SnapshotProperties properties, WorkerId workerId,
                   Timeouts timeouts, AuroraSnapshot aurora, AuroraRestoreSnapshot restores) {
        this.secrets = secrets;
        this.status = status;
        this.properties = properties;
        this.retry = properties.retryPolicy();
        this.workerId = workerId;
        this.timeouts = timeouts;
        this.aurora = aurora;
        this.restores = restores;
    }

    /**
     * Returns once the outcome is on the status topic: only then may the request be acknowledged.
     *
     * @param sessions the dump's source sessions, which whoever stops the request cuts
     * @param stop     whether the user has stopped this snapshot since it started (an Aurora export is then cancelled)
     * @throws InterruptedException the request was stopped (shutdown, partition revoked) before its outcome was
     *                              reported: it must stay unacknowledged, and its redelivery reports it
     */
    void handle(SnapshotRequest request, SourceSessions sessions, BooleanSupplier stop) throws InterruptedException {
        MDC.put("migrationId", request.migrationId().value());
        try (DumpReports reports = new DumpReports(status, request, workerId)) {
            LOGGER.info("snapshot request {} to {}", request.messageId(), Storages.redact(request.location()));
            StatusEvent outcome = request.stopRequested() ? stopped(request)
                    : outcome(request, stop, sessions, reports);
            if (sessions.cancelled()) {
                // its partition went elsewhere while it ended: the new owner reports, not this one
                throw new InterruptedException("snapshot " + request.messageId() + " was cancelled");
            }
            reports.finish(outcome);
        } finally {
            MDC.remove("migrationId");
        }
    }

    /**
     * The user's stop, as its own request (after the snapshot it stops, in its partition): an Aurora export still
     * running is cancelled and its snapshot deleted; a dump has nothing left running by then.
     */
    private StatusEvent stopped(SnapshotRequest request) throws InterruptedException {
        AuroraSnapshot.Stopped s = request.auroraExport() != null ? aurora.stop(request)
                : request.auroraRestore() != null ? new AuroraSnapshot.Stopped(null,
                restores.stop(request).snapshotDeleted())
                : new AuroraSnapshot.Stopped(null, false);
        return stoppedEvent(request, s);
    }

    private SnapshotStopped stoppedEvent(SnapshotRequest r, AuroraSnapshot.Stopped s) {
        LOGGER.info("snapshot {} stopped by the user (export {}, snapshot {})", r.messageId(),
                s.exportTask() == null ? "none" : s.exportTask() + " cancelled", s.snapshotDeleted() ? "deleted" : "kept");
        return new SnapshotStopped(SnapshotStopped.idFor(r.migrationId(), r.epoch()), r.migrationId(), workerId,
                r.epoch(), Instant.now(), s.exportTask(), s.snapshotDeleted());
    }

    private StatusEvent outcome(SnapshotRequest request, BooleanSupplier stop, SourceSessions sessions,
                                DumpReports reports) throws InterruptedException {
        try {
            return retry.run("snapshot " + request.messageId(), n -> attempt(request, stop, sessions, reports), pause -> {
                if (sessions.cancelled()) {
                    throw new InterruptedException("snapshot " + request.messageId() + " was cancelled");
                }
                Thread.sleep(pause.toMillis());
            });
        } catch (RetriesExhausted e) {
            // the detail only: the catalog message's remedy promises the retry that just ended
            LOGGER.error("snapshot failed after {} attempts, giving up: {} {}", e.attempts(), e.last().error().code(),
                    e.last().detail());
            return WorkFailed.afterGivingUp(request.migrationId(), workerId, request.epoch(), Stage.SNAPSHOT, SUBJECT,
                    e.last(), e.attempts());
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted() || e instanceof CancellationException) {
                throw new InterruptedException("snapshot " + request.messageId() + " stopped");
            }
            TidemarkException failure = catalogError(e);
            if (failure.error() == ErrorCode.INTERNAL) {
                LOGGER.error("snapshot failed", e);
            } else {
                LOGGER.error("snapshot failed: {}", failure.getMessage());
            }
            // not retriable, or the policy would have retried it
            return WorkFailed.of(request.migrationId(), workerId, request.epoch(), Stage.SNAPSHOT, SUBJECT, failure);
        }
    }

    /** one attempt: answered from the completion marker, or dumped afresh */
    private StatusEvent attempt(SnapshotRequest request, BooleanSupplier stop, SourceSessions sessions,
                                DumpReports reports) {
        Storage storage = Storages.open(request.location());
        Optional<CompletionMarker> done = CompletionMarker.read(storage);
        if (done.isPresent() && done.get().messageId().equals(request.messageId())) {
            CompletionMarker m = done.get();
            LOGGER.info("dump for {} is already complete at {}: reporting it again", request.messageId(),
                    storage.root());
            // every report, not only the outcome: one Kafka did not take before the redelivery is not lost
            reports.started(m.startPosition(), m.tables());
            m.results().forEach(reports::tableDumped);
            return completed(request, m.startPosition(), m.endPosition(), m.tables(), TableResult.points(m.results()));
        }
        Source source = new Source(request.source(), secrets.open(request.source().password()), timeouts);
        if (request.auroraExport() != null) {
            return exported(request, stop, source, sessions, storage, reports);
        }
        if (request.auroraRestore() != null) {
            return restored(request, stop, source, sessions, storage, reports);
        }
        SourceFacts checked = DumpPrechecks.run(source, sessions, TableFilter.parse(request.filter()));
        DumpResult result;
        try {
            result = new Dump(source, sessions, storage, options(request)).run(checked, reports);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("snapshot " + request.messageId() + " stopped");
        }
        // written last: its presence is what makes the dump complete
        new CompletionMarker(request.messageId(), request.migrationId(), request.epoch(), result.start(),
                result.end(), result.tables(), result.results(), Instant.now()).write(storage);
        return completed(request, result.start(), result.end(), result.tables(), result.tablePoints());
    }

    /** engine aurora-export: AWS takes the snapshot and exports it below the location, where the import reads it */
    private StatusEvent exported(SnapshotRequest request, BooleanSupplier stop, Source source,
                                 SourceSessions sessions, Storage storage, DumpReports reports) {
        AuroraSnapshot.Result result;
        try {
            switch (aurora.run(request, source, sessions, storage, reports, stop)) {
                case AuroraSnapshot.Result r -> result = r;
                // no completion marker: nothing of a cancelled export may ever be imported
                case AuroraSnapshot.Stopped s -> {
                    return stoppedEvent(request, s);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // the AWS task goes on: the redelivered request re-attaches to it by name
            throw new CancellationException("snapshot " + request.messageId() + " stopped");
        }
        new CompletionMarker(request.messageId(), request.migrationId(), request.epoch(), result.start(),
                result.end(), result.tables(), List.of(), Instant.now()).write(storage);
        return completed(request, result.start(), result.end(), result.tables(), List.of());
    }

    /**
     * Engine aurora-restore: Tidemark's dump of a cluster AWS restored from a snapshot; production is not read. The
     * restored data holds production's binlog up to the restore's crash-recovery position, exactly, so that position
     * is the snapshot's start and end (replication from production starts there, its safe-mode window empty) and no
     * table has a point of its own: the restored instance's binlog names other files than production's.
     */
    private StatusEvent restored(SnapshotRequest request, BooleanSupplier stop, Source production,
                                 SourceSessions sessions, Storage storage, DumpReports reports) {
        AuroraRestoreSnapshot.Result result;
        try {
            switch (restores.run(request, production, (restored, position) -> {
                SourceFacts checked = DumpPrechecks.run(restored, sessions, TableFilter.parse(request.filter()));
                return new Dump(restored, sessions, storage, options(request)).run(checked, new DumpListener() {
                    @Override
                    public void started(BinlogPosition restoredsOwn, List<TableRef> tables) {
                        reports.started(position, tables);
                    }

                    @Override
                    public void tableDumped(TableResult table) {
                        reports.tableDumped(table);
                    }
                });
            }, stop)) {
                case AuroraRestoreSnapshot.Result r -> result = r;
                case AuroraRestoreSnapshot.Stopped s -> {
                    return stoppedEvent(request, new AuroraSnapshot.Stopped(null, s.snapshotDeleted()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // the restore goes on in AWS (or was deleted): the redelivered request re-attaches to it by name
            throw new CancellationException("snapshot " + request.messageId() + " stopped");
        }
        BinlogPosition at = result.position();
        List<TableResult> pointless = result.dump().results().stream()
                .map(t -> new TableResult(t.table(), t.rows(), t.bytes(), t.files(), null)).toList();
        new CompletionMarker(request.messageId(), request.migrationId(), request.epoch(), at, at,
                result.dump().tables(), pointless, Instant.now()).write(storage);
        return completed(request, at, at, result.dump().tables(), List.of());
    }

    private DumpOptions options(SnapshotRequest request) {
        return new DumpOptions(request.threads(), request.fileSizeBytes(), properties.statementSizeBytes(),
                format(request), properties.chunkRows());
    }

    /** a Parquet dump is an export named by its migration: {@code <location>/<migration id>/<db>/...} */
    private OutputFormat format(SnapshotRequest request) {
        return switch (request.format()) {
            case SQL -> OutputFormat.sql();
            case PARQUET -> new OutputFormat.Parquet(new ExportLayout(request.migrationId().value()),
                    properties.parquet());
        };
    }

    private SnapshotCompleted completed(SnapshotRequest r, BinlogPosition start, BinlogPosition end,
                                        List<TableRef> tables, List<TablePoint> points) {
        return new SnapshotCompleted(SnapshotCompleted.idFor(r.migrationId(), r.epoch()), r.migrationId(), workerId,
                r.epoch(), Instant.now(), r.location(), start, end, tables, points);
    }

    private static TidemarkException catalogError(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TidemarkException te) {
                return te;
            }
        }
        return new TidemarkException(ErrorCode.INTERNAL, failure, failure.toString());
    }
}
