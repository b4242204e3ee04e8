package io.tidemark.snapshot.aurora;

import io.tidemark.snapshot.dump.DumpListener;

/**
 * Progress of an Aurora snapshot export as it happens: the dump's events (the position and the tables chosen), and
 * AWS's own progress of the export, which can run for hours. Called from the snapshot's thread; return quickly.
 */
public interface ExportListener extends DumpListener {
    /**
     * AWS's {@code DescribeExportTasks} answered values that differ from the ones reported before (called only then)
     *
     * @param percent     {@code PercentProgress}
     * @param extractedGb {@code TotalExtractedDataInGB}
     */
    void exportProgressed(String exportTask, String status, int percent, long extractedGb);
}
