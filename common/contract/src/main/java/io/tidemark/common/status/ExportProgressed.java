package io.tidemark.common.status;

import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;

import java.time.Instant;

/**
 * An Aurora snapshot export (engine aurora-export) moved on, as AWS's {@code DescribeExportTasks} reports it: sent
 * while the export runs, only when one of its values changed, so a monitor sees how far a many-hour export is.
 *
 * @param exportTask  the export task identifier
 * @param status      AWS's status: {@code STARTING}, {@code IN_PROGRESS}, {@code COMPLETE}, …
 * @param percent     AWS's {@code PercentProgress}, 0–100
 * @param extractedGb AWS's {@code TotalExtractedDataInGB}
 */
public record ExportProgressed(String eventId, MigrationId migrationId, WorkerId workerId, long epoch, Instant at,
                               String exportTask, String status, int percent, long extractedGb)
        implements StatusEvent {
    /** one id per value reported: a redelivery is the same event, a new value a new one */
    public static String idFor(MigrationId m, long epoch, String exportTask, String status, int percent,
                               long extractedGb) {
        return m + "/snapshot/e" + epoch + "/export/" + exportTask + "/" + status + "/" + percent + "/" + extractedGb;
    }
}
