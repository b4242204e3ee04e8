package io.tidemark.common.status;

import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.position.TablePoint;
import io.tidemark.common.table.TableRef;

import java.time.Instant;
import java.util.List;

/**
 * The dump is complete at {@code location}. Every table's data reflects the source at some point between
 * {@code startPosition} and {@code endPosition}: replication replays from the start in safe mode until past the end.
 *
 * @param tablePoints each table's exact snapshot point where the source could give one (empty where it could not:
 *                    then only the start/end bracket is known)
 */
public record SnapshotCompleted(String eventId, MigrationId migrationId, WorkerId workerId, long epoch, Instant at,
                                String location, BinlogPosition startPosition, BinlogPosition endPosition,
                                List<TableRef> tables, List<TablePoint> tablePoints) implements StatusEvent {
    public SnapshotCompleted {
        tables = List.copyOf(tables);
        tablePoints = tablePoints == null ? List.of() : List.copyOf(tablePoints);
    }

    /** a dump without per-table points */
    public SnapshotCompleted(String eventId, MigrationId migrationId, WorkerId workerId, long epoch, Instant at,
                             String location, BinlogPosition startPosition, BinlogPosition endPosition,
                             List<TableRef> tables) {
        this(eventId, migrationId, workerId, epoch, at, location, startPosition, endPosition, tables, List.of());
    }

    public static String idFor(MigrationId m, long epoch) {
        return m + "/snapshot/e" + epoch + "/completed";
    }
}
