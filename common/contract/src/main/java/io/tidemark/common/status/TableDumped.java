package io.tidemark.common.status;

import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.table.TableRef;

import java.time.Instant;
import java.util.List;

/** One table's schema and data are in storage: {@code rows} rows in {@code files}. */
public record TableDumped(String eventId, MigrationId migrationId, WorkerId workerId, long epoch, Instant at,
                          TableRef table, long rows, long bytes, List<String> files) implements StatusEvent {
    public TableDumped {
        files = List.copyOf(files);
    }

    public static String idFor(MigrationId m, long epoch, TableRef table) {
        return m + "/snapshot/e" + epoch + "/table/" + table;
    }
}
