package io.tidemark.common.status;

import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.table.TableRef;

import java.time.Instant;

/**
 * One chunk is in the target, durably (its checkpoint says done).
 *
 * @param rows     the rows the chunk's file (or range of it) held
 * @param valueSum the sum (modulo 2^64) of the value digests of those rows as read from the file
 *                 ({@code io.tidemark.mysql.checksum.RowDigest}), compared after the import with the same computed on
 *                 the target; null where the chunk's format or a value's stored form left it unknown (the table is
 *                 then verified by its row count only) and in an event from before the field existed
 */
public record ChunkImported(String eventId, MigrationId migrationId, WorkerId workerId, long epoch, Instant at,
                            String chunkId, TableRef table, long rows, long bytes, Long valueSum)
        implements StatusEvent {
    /** a chunk whose values were not digested */
    public ChunkImported(String eventId, MigrationId migrationId, WorkerId workerId, long epoch, Instant at,
                         String chunkId, TableRef table, long rows, long bytes) {
        this(eventId, migrationId, workerId, epoch, at, chunkId, table, rows, bytes, null);
    }

    public static String idFor(String chunkId) {
        return chunkId + "/imported";
    }
}
