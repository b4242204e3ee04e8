package io.tidemark.coordinator.migration;

import io.tidemark.common.command.BinlogOperation;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.serde.MessageType;
import io.tidemark.common.shard.ShardDdl;
import io.tidemark.common.status.ChunkImported;
import io.tidemark.common.status.ImportPlanned;
import io.tidemark.common.status.ExportProgressed;
import io.tidemark.common.status.ReplicationProgressed;
import io.tidemark.common.status.SnapshotCompleted;
import io.tidemark.common.status.SnapshotStarted;
import io.tidemark.common.status.SnapshotStopped;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.status.MigrationProgressed;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.status.TableDumped;
import io.tidemark.common.table.TableRouter;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;

import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.Map;
import java.util.Objects;

/**
 * One migration as the coordinator keeps it durably: the value of its key on the compacted
 * {@code tidemark.migrations} topic (written with the message schema version), rebuilt into memory on start.
 * Immutable: every change is a new value, so "did this event change anything" is an {@code equals}.
 *
 * @param epochs the current attempt per stage; status events of an older one are stale
 * @param error    the last failure reported; for a retriable one the phase stays, for a fatal one it is
 *                 {@code failed} until the user retries
 * @param warnings what the prechecks warned of when the migration was accepted; they stay for its whole life
 * @param binlog   the binlog skip|replace operations asked for, and the one not yet passed (none in a value written
 *                 before the field existed)
 */
@MessageType("migration")
public record Migration(MigrationId id, MigrationSpec spec, Phase phase, Epochs epochs, Progress progress,
                        Failure error, List<Warning> warnings, Instant createdAt, Instant updatedAt,
                        BinlogOperations binlog) {
    public Migration {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(epochs, "epochs");
        progress = progress == null ? Progress.none() : progress;
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        binlog = binlog == null ? BinlogOperations.NONE : binlog;
    }

    /**
     * A new migration whose prechecks passed, with what they warned of. An import lists its target tables from the
     * start: they are known from its files, where a snapshot finds them only when it lists the source.
     */
    public static Migration accepted(MigrationId id, MigrationSpec spec, List<Warning> warnings, Instant now) {
        Progress progress = spec.imports() == null ? Progress.none()
                : Progress.none().withTables(spec.imports().targets(), table -> table);
        return new Migration(id, spec, new Phase.Pending(), Epochs.initial(), progress, null, warnings, now, now,
                BinlogOperations.NONE);
    }

    /**
     * The {@link WorkFailed#subject()} of the failure the coordinator records, and reports, when the prechecks of a
     * {@code checking} migration fail: distinct from a worker's own prechecks ({@code prechecks}), whose retry runs its
     * stage again, where this one's runs the checks again.
     */
    public static final String ACCEPT_PRECHECKS = "accept-prechecks";

    /**
     * A migration submitted asynchronously, recorded before its prechecks ran: phase {@code checking}, no warnings yet
     * ({@link #prechecksPassed} adds them).
     */
    public static Migration checking(MigrationId id, MigrationSpec spec, Instant now) {
        return accepted(id, spec, List.of(), now).moveTo(new Phase.Checking());
    }

    /** its prechecks passed: pending, with what they warned of; the failure of an earlier run of them is over */
    public Migration prechecksPassed(List<Warning> found) {
        if (!(phase instanceof Phase.Checking checking)) {
            throw illegal("pending (only a checking migration's prechecks pass)");
        }
        return new Migration(id, spec, checking.passed(), epochs, progress, null, found, createdAt, updatedAt, binlog);
    }

    /**
     * Its prechecks failed: failed, with {@code report} (the coordinator's own {@link WorkFailed}, subject
     * {@link #ACCEPT_PRECHECKS}, which names every failing item) as its error.
     */
    public Migration prechecksFailed(WorkFailed report) {
        if (!(phase instanceof Phase.Checking)) {
            throw illegal("failed (only a checking migration's prechecks fail)");
        }
        return fail(Failure.of(report));
    }

    /** whether its error is the failure of its asynchronous prechecks, whose retry runs them again */
    private boolean failedInPrechecks() {
        return error != null && ACCEPT_PRECHECKS.equals(error.subject());
    }

    /** a transition the orchestrator chose by matching on the phase, so it is legal by construction */
    public Migration moveTo(Phase next) {
        return new Migration(id, spec, next, epochs, progress, error, warnings, createdAt, updatedAt, binlog);
    }

    /**
     * Whether the migration may write its target tables without the user's word: from acceptance until it completes,
     * fails or is stopped. A failed or stopped one writes nothing until the user retries or resumes it, and a failure
     * may only be fixable with a new spec (a wrong password, a purged start position), so it does not keep others
     * from its tables; its retry or resume is refused while another migration holds them.
     */
    public boolean holdsTargetTables() {
        return switch (phase) {
            case Phase.Checking c -> true;
            case Phase.Pending p -> true;
            case Phase.Snapshotting s -> true;
            case Phase.Importing i -> true;
            case Phase.Replicating r -> true;
            case Phase.Completed c -> false;
            case Phase.Stopped s -> false;
            case Phase.Failed f -> false;
        };
    }

    /**
     * The user's stop: of replication (cut-over), replication desired stopped; of a snapshot under way, the snapshot
     * desired stopped (an Aurora export is cancelled), and nothing of it is imported ({@link #stoppedInSnapshot}) until
     * a resume takes a new snapshot.
     */
    public Migration stop() {
        if (phase instanceof Phase.Replicating replicating) {
            return moveTo(replicating.stop());
        }
        if (phase instanceof Phase.Snapshotting snapshotting) {
            return moveTo(snapshotting.stop());
        }
        throw illegal("stopped");
    }

    /** stopped before its snapshot completed: there is no import or replication to go back to, only a new snapshot */
    public boolean stoppedInSnapshot() {
        return phase instanceof Phase.Stopped && spec.mode().snapshots() && !progress.snapshotCompleted();
    }

    /**
     * The user's resume of a stopped replication; or of a stopped snapshot, which starts over as a new snapshot attempt
     * (DM's resume-task after a pause in Dump): a cancelled Aurora export cannot be continued, and AWS needs new names
     * for a new one, which the new epoch gives. What the stopped attempt reported goes with its epoch.
     */
    public Migration resume() {
        if (stoppedInSnapshot() && phase instanceof Phase.Stopped stopped) {
            return new Migration(id, spec, stopped.snapshotAgain(), epochs.next(Stage.SNAPSHOT), Progress.none(), null,
                    warnings, createdAt, updatedAt, binlog);
        }
        if (phase instanceof Phase.Stopped stopped) {
            return moveTo(stopped.resume());
        }
        throw illegal("replicating");
    }

    /**
     * The user's retry of a failed migration once the cause is fixed (DM's resume-task): the stage the fatal error
     * names runs again. The error stays on the migration, so the view still says what went wrong, until the retried
     * stage reports progress made after it ({@link #clearedBy}) or fails anew; while it stays, a redelivery of that
     * very failure is recognised and does not fail the retry ({@link #apply}).
     * <ul>
     * <li>snapshot: a new snapshot epoch, so the new request has a new message id and the snapshot service, whose
     *     completion marker is keyed by it, dumps afresh; what the old dump reported is dropped with its epoch and
     *     forgotten here, since tables, positions and any import plan derive from the dump. If the old dump had
     *     completed, an import of it may have been requested, so the import epoch moves on as well: the new dump's
     *     chunks must not be taken for the old dump's by their checkpoints.</li>
     * <li>import: the SAME import epoch (for mode import, the tables are counted again, as a failed count is what a
     *     retry after the import completed is for). Chunk ids are {@code ImportChunk.idFor(migration, epoch, file)} and the
     *     import workers checkpoint each chunk under its id in the target's {@code tidemark_meta.import_chunks};
     *     the same request re-planned yields the same ids, so chunks already in report ChunkImported again without
     *     loading anything and the failed chunk resumes after its last committed statement. A new epoch would mean
     *     new ids, no checkpoints, every chunk loaded again from the start, and duplicated rows in every table
     *     without a primary key. The chunks already recorded as imported stay recorded.</li>
     * <li>replication: a new replication epoch; the task record changes, so the replication service restarts the
     *     task, which resumes from its checkpoint on the target.</li>
     * </ul>
     */
    public Migration retry() {
        if (!(phase instanceof Phase.Failed failed) || error == null || !hasStage(error.stage())) {
            throw illegal("a retry (only a failed migration can be retried)");
        }
        if (failedInPrechecks()) {
            // nothing ran yet: the checks run again, the error shown until they pass or fail anew
            return moveTo(failed.recheck());
        }
        Stage stage = error.stage();
        Phase next = failed.retry(stage);
        return switch (stage) {
            case SNAPSHOT -> new Migration(id, spec, next, progress.snapshotCompleted()
                    ? epochs.next(Stage.SNAPSHOT).next(Stage.IMPORT) : epochs.next(Stage.SNAPSHOT),
                    Progress.none(), error, warnings, createdAt, updatedAt, binlog);
            case IMPORT -> new Migration(id, spec, next, epochs, progress.withoutCounts(), error, warnings, createdAt,
                    updatedAt, binlog);
            case REPLICATION -> new Migration(id, spec, next, epochs.next(Stage.REPLICATION), progress, error,
                    warnings, createdAt, updatedAt, binlog);
        };
    }

    /**
     * DM's {@code binlog skip|replace}: the retry of a replication stopped on a statement the target rejected, whose
     * task carries the operation until replication reports a position past it.
     */
    public Migration retry(BinlogOperation operation, Instant at) {
        Migration retried = retry();
        return new Migration(id, spec, retried.phase, retried.epochs, retried.progress, retried.error, warnings,
                createdAt, updatedAt, binlog.requested(operation, at));
    }

    /** whether the mode runs the stage at all: a failure naming another one cannot be retried here */
    private boolean hasStage(Stage stage) {
        return switch (stage) {
            case SNAPSHOT -> spec.mode().snapshots();
            case IMPORT -> spec.mode().imports();
            case REPLICATION -> spec.mode().replicates();
        };
    }

    /**
     * A fatal failure the coordinator itself met while running the stage (a message Kafka refused for its size), as a
     * worker's fatal report would fail it: the user's retry runs {@code stage} again.
     */
    public Migration fail(Stage stage, String subject, TidemarkException e, Instant at) {
        return fail(new Failure(e.error().code(), e.detail(), e.error().remedy(), stage, subject, e.retriable(), at));
    }

    /** as {@link #fail(Stage, String, TidemarkException, Instant)}, with the remedy of a retriable error given up on */
    public Migration fail(Stage stage, String subject, TidemarkException e, String remedy, Instant at) {
        return fail(new Failure(e.error().code(), e.detail(), remedy, stage, subject, false, at));
    }

    /**
     * A retriable failure the coordinator met while running the stage itself: shown while it lasts, the phase stays,
     * and progress made after it clears it.
     */
    public Migration retrying(Stage stage, String subject, TidemarkException e, Instant at) {
        return with(progress, new Failure(e.error().code(), e.detail(), e.error().remedy(), stage, subject, true, at));
    }

    /**
     * Whether its tables are to be counted on the target now — every chunk is imported and no count is known yet.
     * The phase stays importing until they are: an import of the migration's own dump (modes full and all) is verified
     * like one of files (mode import), and in mode all before replication writes anything.
     */
    public boolean awaitsCount() {
        return phase instanceof Phase.Importing && spec.checksum().counts() && progress.importCompleted()
                && !progress.counted();
    }

    /**
     * Each table's {@code COUNT(*)} on the target, taken once every chunk was imported: where a table holds another
     * number of rows than its files did, or the same number with other values (where the files' value checksum is
     * known), the migration fails with IMPORT_VERIFICATION_FAILED naming each such table and both numbers (with
     * checksum {@code optional}: a warning says so and it goes on); else the orchestrator completes it. The count is the import's progress: an import error
     * before it (one the count was retried after) is over.
     *
     * @param target how the target is named in the message, e.g. {@code root@10.0.1.5:4000}
     */
    public Migration counted(Map<TableRef, TargetCount> counts, String target, Instant at) {
        Migration m = new Migration(id, spec, phase, epochs, progress.withCounts(counts),
                error != null && error.stage() == Stage.IMPORT ? null : error, warnings,
                createdAt, updatedAt, binlog);
        List<String> mismatches = m.progress.countMismatches();
        if (mismatches.isEmpty()) {
            return m;
        }
        TidemarkException differs = new TidemarkException(ErrorCode.IMPORT_VERIFICATION_FAILED, target,
                String.join("; ", mismatches));
        if (spec.checksum() == ImportChecksum.OPTIONAL) { // Lightning's "optional": shown, and the migration goes on
            List<Warning> more = new java.util.ArrayList<>(warnings);
            more.add(new Warning("import checksum", differs.error().code() + " " + differs.detail(),
                    differs.error().remedy()));
            return new Migration(id, spec, phase, epochs, m.progress, m.error, more, createdAt, updatedAt, binlog);
        }
        return m.fail(Stage.IMPORT, "verification", differs, at);
    }

    Migration fail(Failure failure) {
        if (phase instanceof Phase.Failable failable) {
            return new Migration(id, spec, failable.fail(), epochs, progress, failure, warnings, createdAt, updatedAt, binlog);
        }
        throw illegal("failed");
    }

    public Migration touched(Instant now) {
        return new Migration(id, spec, phase, epochs, progress, error, warnings, createdAt, now, binlog);
    }

    /**
     * The migration as its record and its chunks' records say together: the chunks of its current snapshot epoch
     * (those of an earlier one went with it) laid over any its record held.
     */
    public Migration withChunksRead(Map<String, ChunkProgress> read) {
        return read.isEmpty() ? this : with(progress.withChunksRead(read), error);
    }

    private Migration with(Progress next, Failure nextError) {
        return new Migration(id, spec, phase, epochs, next, nextError, warnings, createdAt, updatedAt, binlog);
    }

    private TidemarkException illegal(String to) {
        return new TidemarkException(ErrorCode.ILLEGAL_TRANSITION, id, phase.code(), to);
    }

    /** the stage whose command a status event answers: its epoch is compared with that stage's */
    public static Stage stageOf(StatusEvent event) {
        return event.stage();
    }

    /** whether the event answers an older attempt of its stage than the current one */
    public boolean isStale(StatusEvent event) {
        return event.epoch() < epochs.of(stageOf(event));
    }

    /**
     * The migration with the event aggregated in. Idempotent: applying the same event again returns an equal value.
     * Phase changes other than a fatal failure are the orchestrator's, derived from the aggregated progress.
     */
    public Migration apply(StatusEvent event) {
        if (event instanceof WorkFailed f && ACCEPT_PRECHECKS.equals(f.subject())) {
            // the coordinator's own report of failed prechecks, recorded before it was published
            return this;
        }
        if (stoppedInSnapshot() && event.stage() == Stage.SNAPSHOT) {
            // the user stopped it: an export that completed meanwhile must not make it look importable
            return this;
        }
        Progress p = progress;
        UnaryOperator<TableProgress> routed = routing();
        Progress next = switch (event) {
            case SnapshotStarted e -> {
                p = p.withTables(e.tables(), routed);
                yield p.snapshotStart() == null ? p.withSnapshotStart(e.startPosition()) : p;
            }
            case TableDumped e -> p.withTable(e.table(), t -> routed.apply(t).dumped(e.rows()));
            // the user's stop already moved the phase; the service only confirms its export is cancelled
            case SnapshotStopped e -> p;
            case ExportProgressed e -> p.withExport(new ExportProgress(e.exportTask(), e.status(), e.percent(),
                    e.extractedGb()));
            case SnapshotCompleted e -> {
                p = p.withTables(e.tables(), table -> routed.apply(table).dumped(table.rowsDumped()))
                        .withTablePoints(e.tablePoints());
                if (p.snapshotStart() == null) {
                    p = p.withSnapshotStart(e.startPosition());
                }
                yield p.withSnapshotCompleted(e.endPosition());
            }
            // a paged plan comes in order on the migration's partition: its last part completes it
            case ImportPlanned e -> e.completesPlan() ? p.withPlan(e.chunks()).withImportPlanned()
                    : p.withPlan(e.chunks());
            case ChunkImported e -> p.withChunk(e.chunkId(), e.table(),
                    c -> c.imported(e.rows(), e.valueSum(), e.bytes()));
            case ReplicationProgressed e -> p.replication() != null && e.position().isBefore(p.replication())
                    ? p // a late redelivery must not move the position back
                    : p.withReplication(e.position(), e.lagSeconds(), e.safeMode(), e.rowsApplied(), e.at());
            case WorkFailed e -> p;
            // the coordinator's own summary of what it aggregated: never aggregated again (Coordinator skips it)
            case MigrationProgressed e -> p;
        };
        if (event instanceof WorkFailed failed) {
            Failure failure = Failure.of(failed);
            if (failed.retriable()) {
                return with(next, failure);
            }
            if (failure.equals(error)) {
                // the failure already acted on, delivered again (an import retry keeps its epoch): the retry stands
                return this;
            }
            return phase instanceof Phase.Failable ? with(next, error).fail(failure) : this;
        }
        Migration m = with(next, clearedBy(event));
        // the waiting shard DDLs are as last reported, even by progress that does not move (a re-sync goes back)
        return event instanceof ReplicationProgressed e
                ? m.withBinlog(binlog.reached(e.position()).waiting(e.shardDdls())) : m;
    }

    /**
     * shard-mode pessimistic: the coordinator's word on shard DDLs every shard of their table reached, which the
     * migration's replication task then carries (which it runs on the target, which it passes over)
     */
    public Migration withShardDdlsGo(List<ShardDdl.Go> go) {
        return withBinlog(binlog.go(go));
    }

    /**
     * A snapshot reports the source's table names; each is paired with the table the spec's routes send it to, which
     * its import writes and reports and its verification counts. Identity without routes.
     */
    private UnaryOperator<TableProgress> routing() {
        if (spec.routes().isEmpty()) {
            return t -> t;
        }
        TableRouter router = TableRouter.of(spec.routes());
        return t -> t.target() != null ? t : t.routedTo(router.route(t.table()));
    }

    private Migration withBinlog(BinlogOperations next) {
        return next.equals(binlog) ? this
                : new Migration(id, spec, phase, epochs, progress, error, warnings, createdAt, updatedAt, next);
    }

    /**
     * An error is over once its stage reports progress made after it: a retriable one at any time, a fatal one only
     * after the user's retry (while the phase is failed it stays, whatever arrives).
     */
    private Failure clearedBy(StatusEvent event) {
        if (error != null && (error.retriable() || !(phase instanceof Phase.Failed)) && error.stage() == stageOf(event)
                && event.at() != null && error.at() != null && event.at().isAfter(error.at())) {
            return null;
        }
        return error;
    }
}
