package io.tidemark.common.status;

import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.table.TableRef;

import java.time.Instant;
import java.util.List;

/** The snapshot recorded the source's binlog position and chose its tables; the dump is under way. */
public record SnapshotStarted(String eventId, MigrationId migrationId, WorkerId workerId, long epoch, Instant at,
                              BinlogPosition startPosition, List<TableRef> tables) implements StatusEvent {
    public SnapshotStarted {
        tables = List.copyOf(tables);
    }

    public static String idFor(MigrationId m, long epoch) {
        return m + "/snapshot/e" + epoch + "/started";
    }
}
