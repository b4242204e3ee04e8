package io.tidemark.common.status;

import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.migration.Mode;
import io.tidemark.common.migration.Stage;

import java.time.Instant;
import java.util.List;

/**
 * The coordinator's summary of one migration, for outside monitoring: what its workers' events add up to. Published
 * by the coordinator on every phase change and at most every {@code tidemark.coordinator.progress-interval} while
 * something moves, never per worker event. The coordinator skips its own summaries when it aggregates the topic.
 *
 * @param stage         the stage the phase runs (or ran last): {@code epoch} is that stage's
 * @param phase         the migration's phase code ({@code checking} — submitted asynchronously, its prechecks
 *                      running —, {@code pending}, {@code snapshotting}, {@code importing}, {@code replicating},
 *                      {@code completed}, {@code stopped}, {@code failed})
 * @param tables        each table's progress, in table order
 * @param tablesOmitted the tables left out of {@code tables} (its last ones) so the summary stays well within one
 *                      Kafka message; 0 but for a migration of thousands of tables
 * @param rowsPerSecond rows per second: replication's rate while replicating, else rows dumped and imported per
 *                      second since the previous summary; null until measured
 * @param etaSeconds    seconds until the import is in, from its bytes per second; null when unknown (before the plan,
 *                      before a rate, outside the import)
 * @param lagSeconds    replication lag; null outside replication
 * @param errorCode     the catalog code of the migration's error; null when none
 */
public record MigrationProgressed(String eventId, MigrationId migrationId, WorkerId workerId, long epoch, Instant at,
                                  Stage stage, String phase, Mode mode, List<Table> tables, int tablesOmitted,
                                  Double rowsPerSecond,
                                  Long etaSeconds, Long lagSeconds, String errorCode) implements StatusEvent {
    public MigrationProgressed {
        tables = tables == null ? List.of() : List.copyOf(tables);
    }

    /**
     * @param table         the table as the migration's view names it ({@code shop.orders})
     * @param bytesImported the planned size of its chunks imported so far
     * @param bytesTotal    the planned size of all its chunks (0 before the import is planned)
     * @param percent       bytesImported of bytesTotal, 0 to 100; null before the import is planned
     */
    public record Table(String table, long rowsDumped, long rowsImported, long bytesImported, long bytesTotal,
                        Double percent) {
    }

    /** deterministic per migration and moment: the same summary re-sent keeps its id */
    public static String idFor(MigrationId m, Instant at) {
        return m + "/progressed/" + at.toEpochMilli();
    }
}
