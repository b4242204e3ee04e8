package io.tidemark.common.status;

import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.shard.ShardDdl;

import java.time.Instant;
import java.util.List;

/**
 * Replication flushed its checkpoint at {@code position}.
 *
 * @param lagSeconds     seconds the target is behind the source (0 when caught up)
 * @param safeMode       whether statements are still applied idempotently (before the snapshot's end point)
 * @param rowsApplied    row changes applied since the task started on this worker
 * @param ownerEpoch     the checkpoint epoch this worker holds the task with
 * @param shardDdls      shard-mode pessimistic: the shards' DDLs on merged tables that the task reached and waits at
 *                       (their shards' later changes held back); empty when none (and in an event before the field)
 */
public record ReplicationProgressed(String eventId, MigrationId migrationId, WorkerId workerId, long epoch,
                                    Instant at, BinlogPosition position, long lagSeconds, boolean safeMode,
                                    long rowsApplied, long ownerEpoch, List<ShardDdl> shardDdls)
        implements StatusEvent {
    public ReplicationProgressed {
        shardDdls = shardDdls == null ? List.of() : List.copyOf(shardDdls);
    }

    /** progress of a task no shard DDL holds back */
    public ReplicationProgressed(String eventId, MigrationId migrationId, WorkerId workerId, long epoch, Instant at,
                                BinlogPosition position, long lagSeconds, boolean safeMode, long rowsApplied,
                                long ownerEpoch) {
        this(eventId, migrationId, workerId, epoch, at, position, lagSeconds, safeMode, rowsApplied, ownerEpoch,
                List.of());
    }

    public static String idFor(MigrationId m, BinlogPosition position) {
        return m + "/replication/" + position.file() + ":" + position.pos();
    }
}
