package io.tidemark.common.status;

import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.table.TableRef;

import java.time.Instant;
import java.util.List;

/** The import planner created the schemas and queued these chunks: the import is done when each is imported. */
public record ImportPlanned(String eventId, MigrationId migrationId, WorkerId workerId, long epoch, Instant at,
                            List<PlannedChunk> chunks) implements StatusEvent {
    public ImportPlanned {
        chunks = List.copyOf(chunks);
    }

    public record PlannedChunk(String chunkId, TableRef table, long sizeBytes) {
    }

    public static String idFor(MigrationId m, long epoch) {
        return m + "/import/e" + epoch + "/planned";
    }
}
