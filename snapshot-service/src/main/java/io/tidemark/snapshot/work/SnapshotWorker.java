package io.tidemark.snapshot.work;

import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.status.SnapshotCompleted;
import io.tidemark.common.status.SnapshotStarted;
import io.tidemark.common.status.TableDumped;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.storage.Storage;
import io.tidemark.common.storage.Storages;
import io.tidemark.common.table.TableFilter;
import io.tidemark.common.table.TableRef;
import io.tidemark.snapshot.SnapshotProperties;
import io.tidemark.snapshot.dump.CompletionMarker;
import io.tidemark.snapshot.dump.DumpListener;
import io.tidemark.snapshot.dump.DumpOptions;
import io.tidemark.snapshot.dump.DumpResult;
import io.tidemark.snapshot.dump.SqlDump;
import io.tidemark.snapshot.dump.TableResult;
import io.tidemark.snapshot.source.CheckResult;
import io.tidemark.snapshot.source.PrecheckReport;
import io.tidemark.snapshot.source.Prechecks;
import io.tidemark.snapshot.source.SourceConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Carries out one {@link SnapshotRequest} to the end and reports it: SnapshotStarted, TableDumped per table, then
 * SnapshotCompleted or WorkFailed. Idempotent: a request whose dump is already complete (its marker names the
 * request) is answered from the marker. A retriable failure is retried here with a doubling pause; the failure is
 * reported once, when it is final. Runs on the service's dump thread, one request at a time.
 */
final class SnapshotWorker {
    private static final Logger LOGGER = LoggerFactory.getLogger(SnapshotWorker.class);
    static final String SUBJECT = "snapshot";

    private final SecretBox secrets;
    private final StatusPublisher status;
    private final SnapshotProperties properties;
    private final WorkerId workerId;

    SnapshotWorker(SecretBox secrets, StatusPublisher status, SnapshotProperties properties, WorkerId workerId) {
        this.secrets = secrets;
        this.status = status;
        this.properties = properties;
        this.workerId = workerId;
    }

    /** returns once the outcome is reported; InterruptedException when the service stops mid-dump (not reported) */
    void handle(SnapshotRequest request) throws InterruptedException {
        MDC.put("migrationId", request.migrationId().value());
        try {
            LOGGER.info("snapshot request {} to {}", request.messageId(), request.location());
            Duration pause = properties.retryBackoff();
            for (int attempt = 1; ; attempt++) {
                try {
                    attempt(request);
                    return;
                } catch (TidemarkException e) {
                    if (Thread.currentThread().isInterrupted()) {
                        // cancelled (shutdown, partition revoked): what failed is the cancellation, not the source
                        throw new InterruptedException("snapshot " + request.messageId() + " interrupted");
                    }
                    if (e.retriable() && attempt < properties.maxAttempts()) {
                        LOGGER.warn("snapshot attempt {}/{} failed, trying again in {}: {}", attempt,
                                properties.maxAttempts(), pause, e.getMessage());
                        Thread.sleep(pause.toMillis());
                        pause = pause.multipliedBy(2);
                        continue;
                    }
                    LOGGER.error("snapshot failed after {} attempt(s): {}", attempt, e.getMessage());
                    status.publish(finalFailure(request, e));
                    return;
                } catch (RuntimeException e) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedException("snapshot " + request.messageId() + " interrupted");
                    }
                    LOGGER.error("snapshot failed", e);
                    status.publish(finalFailure(request, new TidemarkException(ErrorCode.INTERNAL, e, e.toString())));
                    return;
                }
            }
        } finally {
            MDC.remove("migrationId");
        }
    }

    private void attempt(SnapshotRequest request) throws InterruptedException {
        Storage storage = Storages.open(request.location());
        Optional<CompletionMarker> done = CompletionMarker.read(storage);
        if (done.isPresent() && done.get().messageId().equals(request.messageId())) {
            CompletionMarker m = done.get();
            LOGGER.info("dump for {} is already complete at {}: reporting it again", request.messageId(),
                    request.location());
            status.publish(completed(request, m.startPosition(), m.endPosition(), m.tables()));
            return;
        }
        SourceConnector connector = new SourceConnector(request.source(), secrets);
        PrecheckReport report = Prechecks.run(connector, TableFilter.parse(request.filter()));
        for (CheckResult result : report.results()) {
            LOGGER.info("precheck {}", result);
        }
        if (report.failure().isPresent()) {
            throw report.failure().get();
        }
        if (!report.skipped().isEmpty()) {
            LOGGER.info("not dumped (views and sequences hold no rows of their own): {}", report.skipped());
        }
        DumpOptions options = new DumpOptions(request.threads(), request.fileSizeBytes(),
                properties.statementSizeBytes());
        DumpResult result = new SqlDump(connector, storage, options).run(report, new Reporter(request));
        // written last: its presence is what makes the dump complete
        new CompletionMarker(request.messageId(), request.migrationId(), request.epoch(), result.start(),
                result.end(), result.tables(), Instant.now()).write(storage);
        status.publish(completed(request, result.start(), result.end(), result.tables()));
    }

    private SnapshotCompleted completed(SnapshotRequest r, BinlogPosition start, BinlogPosition end,
                                        List<TableRef> tables) {
        return new SnapshotCompleted(SnapshotCompleted.idFor(r.migrationId(), r.epoch()), r.migrationId(), workerId,
                r.epoch(), Instant.now(), r.location(), start, end, tables);
    }

    /** the worker gave up: even a retriable error is final now, the coordinator decides what comes next */
    private WorkFailed finalFailure(SnapshotRequest r, TidemarkException e) {
        WorkFailed f = WorkFailed.of(r.migrationId(), workerId, r.epoch(), Stage.SNAPSHOT, SUBJECT, e);
        return new WorkFailed(f.eventId(), f.migrationId(), f.workerId(), f.epoch(), f.at(), f.stage(), f.subject(),
                f.code(), f.message(), f.remedy(), false);
    }

    /** turns dump progress into status events of the request */
    private final class Reporter implements DumpListener {
        private final SnapshotRequest r;

        Reporter(SnapshotRequest r) {
            this.r = r;
        }

        @Override
        public void started(BinlogPosition start, List<TableRef> tables) {
            status.publish(new SnapshotStarted(SnapshotStarted.idFor(r.migrationId(), r.epoch()), r.migrationId(),
                    workerId, r.epoch(), Instant.now(), start, tables));
        }

        @Override
        public void tableDumped(TableResult t) {
            status.publish(new TableDumped(TableDumped.idFor(r.migrationId(), r.epoch(), t.table()), r.migrationId(),
                    workerId, r.epoch(), Instant.now(), t.table(), t.rows(), t.bytes(), t.files()));
        }
    }
}
