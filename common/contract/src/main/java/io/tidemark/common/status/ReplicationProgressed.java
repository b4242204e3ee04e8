package io.tidemark.common.status;

import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.position.BinlogPosition;

import java.time.Instant;

/**
 * Replication flushed its checkpoint at {@code position}.
 *
 * @param lagSeconds     seconds the target is behind the source (0 when caught up)
 * @param safeMode       whether statements are still applied idempotently (before the snapshot's end point)
 * @param rowsApplied    row changes applied since the task started on this worker
 * @param ownerEpoch     the checkpoint epoch this worker holds the task with
 */
public record ReplicationProgressed(String eventId, MigrationId migrationId, WorkerId workerId, long epoch,
                                    Instant at, BinlogPosition position, long lagSeconds, boolean safeMode,
                                    long rowsApplied, long ownerEpoch) implements StatusEvent {
    public static String idFor(MigrationId m, BinlogPosition position) {
        return m + "/replication/" + position.file() + ":" + position.pos();
    }
}
