package io.tidemark.common.status;

import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.table.TableRef;

import java.time.Instant;
import java.util.List;

/**
 * The dump is complete at {@code location}. Every table's data reflects the source at some point between
 * {@code startPosition} and {@code endPosition}: replication replays from the start in safe mode until past the end.
 */
public record SnapshotCompleted(String eventId, MigrationId migrationId, WorkerId workerId, long epoch, Instant at,
                                String location, BinlogPosition startPosition, BinlogPosition endPosition,
                                List<TableRef> tables) implements StatusEvent {
    public SnapshotCompleted {
        tables = List.copyOf(tables);
    }

    public static String idFor(MigrationId m, long epoch) {
        return m + "/snapshot/e" + epoch + "/completed";
    }
}
