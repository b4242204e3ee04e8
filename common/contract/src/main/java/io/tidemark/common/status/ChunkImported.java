package io.tidemark.common.status;

import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.table.TableRef;

import java.time.Instant;

/** One chunk is in the target, durably (its checkpoint says done). */
public record ChunkImported(String eventId, MigrationId migrationId, WorkerId workerId, long epoch, Instant at,
                            String chunkId, TableRef table, long rows, long bytes) implements StatusEvent {
    public static String idFor(String chunkId) {
        return chunkId + "/imported";
    }
}
