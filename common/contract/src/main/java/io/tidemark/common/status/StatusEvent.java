package io.tidemark.common.status;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.id.WorkerId;

import java.time.Instant;

/**
 * Observed state: what a worker did, on the public {@code tidemark.status} topic, keyed by migration id. Stamped
 * with the worker and the epoch of the command it answers; the coordinator drops events of an older epoch.
 * Every event has a deterministic {@link #eventId()}, so aggregating a redelivered event changes nothing.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = SnapshotStarted.class, name = "snapshot-started"),
        @JsonSubTypes.Type(value = TableDumped.class, name = "table-dumped"),
        @JsonSubTypes.Type(value = SnapshotCompleted.class, name = "snapshot-completed"),
        @JsonSubTypes.Type(value = SnapshotStopped.class, name = "snapshot-stopped"),
        @JsonSubTypes.Type(value = ExportProgressed.class, name = "export-progressed"),
        @JsonSubTypes.Type(value = ImportPlanned.class, name = "import-planned"),
        @JsonSubTypes.Type(value = ChunkImported.class, name = "chunk-imported"),
        @JsonSubTypes.Type(value = ReplicationProgressed.class, name = "replication-progressed"),
        @JsonSubTypes.Type(value = WorkFailed.class, name = "work-failed"),
        @JsonSubTypes.Type(value = MigrationProgressed.class, name = "migration-progressed"),
})
public sealed interface StatusEvent
        permits SnapshotStarted, TableDumped, SnapshotCompleted, SnapshotStopped, ExportProgressed, ImportPlanned,
        ChunkImported, ReplicationProgressed, WorkFailed, MigrationProgressed {
    String eventId();

    MigrationId migrationId();

    WorkerId workerId();

    long epoch();

    Instant at();

    /** the stage of the migration the event reports on */
    default Stage stage() {
        return switch (this) {
            case SnapshotStarted e -> Stage.SNAPSHOT;
            case TableDumped e -> Stage.SNAPSHOT;
            case SnapshotCompleted e -> Stage.SNAPSHOT;
            case SnapshotStopped e -> Stage.SNAPSHOT;
            case ExportProgressed e -> Stage.SNAPSHOT;
            case ImportPlanned e -> Stage.IMPORT;
            case ChunkImported e -> Stage.IMPORT;
            case ReplicationProgressed e -> Stage.REPLICATION;
            case WorkFailed e -> e.stage();
            case MigrationProgressed e -> e.stage();
        };
    }
}
