package io.tidemark.coordinator.migration;

import java.util.List;

/**
 * How far AWS's snapshot export of a migration (engine aurora-export) is, as {@code DescribeExportTasks} last reported
 * it: many hours for a large cluster, so the view shows it while the snapshot phase lasts.
 *
 * @param exportTask  the export task identifier
 * @param status      AWS's status ({@code STARTING}, {@code IN_PROGRESS}, {@code COMPLETE}, …)
 * @param percent     AWS's {@code PercentProgress}
 * @param extractedGb AWS's {@code TotalExtractedDataInGB}
 */
public record ExportProgress(String exportTask, String status, int percent, long extractedGb) {
    /** AWS's statuses in the order an export goes through them; an unknown one sorts last */
    private static final List<String> ORDER = List.of("STARTING", "IN_PROGRESS", "CANCELING", "COMPLETE", "FAILED",
            "CANCELED");

    /** whether this report came before {@code other} of the same export: nothing of it is further on */
    boolean isBefore(ExportProgress other) {
        return rank(status) <= rank(other.status) && percent <= other.percent && extractedGb <= other.extractedGb
                && !equals(other);
    }

    private static int rank(String status) {
        int i = ORDER.indexOf(status);
        return i < 0 ? ORDER.size() : i;
    }
}
