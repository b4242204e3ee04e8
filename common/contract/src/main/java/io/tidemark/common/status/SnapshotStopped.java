package io.tidemark.common.status;

import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;

import java.time.Instant;

/**
 * The snapshot of this epoch was stopped at the user's request and will not complete: nothing of it is imported.
 *
 * @param exportTask      the Aurora export task that was cancelled; null for a dump, or when none had been started
 * @param snapshotDeleted whether the cluster snapshot Tidemark took is gone (false when the spec keeps it, or for a
 *                        dump)
 */
public record SnapshotStopped(String eventId, MigrationId migrationId, WorkerId workerId, long epoch, Instant at,
                              String exportTask, boolean snapshotDeleted) implements StatusEvent {
    public static String idFor(MigrationId m, long epoch) {
        return m + "/snapshot/e" + epoch + "/stopped";
    }
}
