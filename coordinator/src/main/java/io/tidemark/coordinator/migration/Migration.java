package io.tidemark.coordinator.migration;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.status.ChunkImported;
import io.tidemark.common.status.ImportPlanned;
import io.tidemark.common.status.ReplicationProgressed;
import io.tidemark.common.status.SnapshotCompleted;
import io.tidemark.common.status.SnapshotStarted;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.status.TableDumped;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;

import java.time.Instant;
import java.util.Objects;

/**
 * One migration as the coordinator keeps it durably: the value of its key on the compacted
 * {@code tidemark.migrations} topic (written with the message schema version), rebuilt into memory on start.
 * Immutable: every change is a new value, so "did this event change anything" is an {@code equals}.
 *
 * @param epochs the current attempt per stage; status events of an older one are stale
 * @param error  the last failure reported; for a retriable one the phase stays, for a fatal one it is {@code failed}
 */
public record Migration(MigrationId id, MigrationSpec spec, Phase phase, Epochs epochs, Progress progress,
                        Failure error, Instant createdAt, Instant updatedAt) {
    public Migration {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(epochs, "epochs");
        progress = progress == null ? Progress.none() : progress;
    }

    public static Migration accepted(MigrationId id, MigrationSpec spec, Instant now) {
        return new Migration(id, spec, new Phase.Pending(), Epochs.initial(), Progress.none(), null, now, now);
    }

    /** a transition the orchestrator chose by matching on the phase, so it is legal by construction */
    public Migration moveTo(Phase next) {
        return new Migration(id, spec, next, epochs, progress, error, createdAt, updatedAt);
    }

    /** the user's stop (cut-over): replication desired stopped */
    public Migration stop() {
        if (phase instanceof Phase.Replicating replicating) {
            return moveTo(replicating.stop());
        }
        throw illegal("stopped");
    }

    /** the user's resume of a stopped replication */
    public Migration resume() {
        if (phase instanceof Phase.Stopped stopped) {
            return moveTo(stopped.resume());
        }
        throw illegal("replicating");
    }

    Migration fail(Failure failure) {
        if (phase instanceof Phase.Failable failable) {
            return new Migration(id, spec, failable.fail(), epochs, progress, failure, createdAt, updatedAt);
        }
        throw illegal("failed");
    }

    public Migration touched(Instant now) {
        return new Migration(id, spec, phase, epochs, progress, error, createdAt, now);
    }

    private Migration with(Progress next, Failure nextError) {
        return new Migration(id, spec, phase, epochs, next, nextError, createdAt, updatedAt);
    }

    private TidemarkException illegal(String to) {
        return new TidemarkException(ErrorCode.ILLEGAL_TRANSITION, id, phase.code(), to);
    }

    /** the stage whose command a status event answers: its epoch is compared with that stage's */
    public static Stage stageOf(StatusEvent event) {
        return switch (event) {
            case SnapshotStarted e -> Stage.SNAPSHOT;
            case TableDumped e -> Stage.SNAPSHOT;
            case SnapshotCompleted e -> Stage.SNAPSHOT;
            case ImportPlanned e -> Stage.IMPORT;
            case ChunkImported e -> Stage.IMPORT;
            case ReplicationProgressed e -> Stage.REPLICATION;
            case WorkFailed e -> e.stage();
        };
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
        Progress p = progress;
        Progress next = switch (event) {
            case SnapshotStarted e -> {
                for (TableRef t : e.tables()) {
                    p = p.withTable(t, table -> table);
                }
                yield p.snapshotStart() == null ? p.withSnapshotStart(e.startPosition()) : p;
            }
            case TableDumped e -> p.withTable(e.table(), t -> new TableProgress(e.table(), true, e.rows()));
            case SnapshotCompleted e -> {
                for (TableRef t : e.tables()) {
                    p = p.withTable(t, table -> new TableProgress(t, true, table.rowsDumped()));
                }
                if (p.snapshotStart() == null) {
                    p = p.withSnapshotStart(e.startPosition());
                }
                yield p.withSnapshotCompleted(e.endPosition());
            }
            case ImportPlanned e -> {
                for (ImportPlanned.PlannedChunk c : e.chunks()) {
                    p = p.withTable(c.table(), table -> table).withChunk(c.chunkId(), c.table(), chunk -> chunk);
                }
                yield p.withImportPlanned();
            }
            case ChunkImported e -> p.withChunk(e.chunkId(), e.table(), c -> new ChunkProgress(e.table(), true, e.rows()));
            case ReplicationProgressed e -> p.replication() != null && e.position().isBefore(p.replication())
                    ? p // a late redelivery must not move the position back
                    : p.withReplication(e.position(), e.lagSeconds(), e.safeMode());
            case WorkFailed e -> p;
        };
        if (event instanceof WorkFailed failed) {
            Failure failure = Failure.of(failed);
            if (failed.retriable()) {
                return with(next, failure);
            }
            return phase instanceof Phase.Failable ? with(next, error).fail(failure) : this;
        }
        return with(next, clearedBy(event));
    }

    /** a retriable error is over once its stage reports progress made after it */
    private Failure clearedBy(StatusEvent event) {
        if (error != null && error.retriable() && error.stage() == stageOf(event)
                && event.at() != null && error.at() != null && event.at().isAfter(error.at())) {
            return null;
        }
        return error;
    }
}
