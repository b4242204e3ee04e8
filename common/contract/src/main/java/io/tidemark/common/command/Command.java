package io.tidemark.common.command;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.tidemark.common.id.MigrationId;

/**
 * Desired state: what the coordinator wants done. Every command has a deterministic {@link #messageId()} derived
 * from migration, stage, epoch (and table/chunk), so a redelivered command is recognised and changes nothing.
 * The epoch is the coordinator's attempt number for the stage; status events echo it and older ones are dropped.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = SnapshotRequest.class, name = "snapshot-request"),
        @JsonSubTypes.Type(value = ImportRequest.class, name = "import-request"),
        @JsonSubTypes.Type(value = ImportChunk.class, name = "import-chunk"),
        @JsonSubTypes.Type(value = ReplicationTask.class, name = "replication-task"),
})
public sealed interface Command permits SnapshotRequest, ImportRequest, ImportChunk, ReplicationTask {
    String messageId();

    MigrationId migrationId();

    long epoch();
}
