package io.tidemark.coordinator.migration;

/**
 * One table's import figures as users see them, the one place they are computed from the aggregated chunks: the
 * migration's view (API, dashboard) and its {@code migration-progressed} summary on the status topic both show
 * these, so the two never disagree.
 *
 * @param progress      the table as aggregated (its dump, snapshot point and counts)
 * @param chunksDone    its chunks imported
 * @param chunksTotal   its chunks planned (0 before the plan)
 * @param rowsImported  the rows of its imported chunks
 * @param bytesImported the planned size of its imported chunks
 * @param bytesTotal    the planned size of all its chunks
 * @param importPlanned whether the migration's import is planned (before, the chunk figures are all 0)
 */
public record TableFigures(TableProgress progress, int chunksDone, int chunksTotal, long rowsImported,
                           long bytesImported, long bytesTotal, boolean importPlanned) {

    /** every chunk of it is in, once the import is planned */
    public boolean allIn() {
        return importPlanned && chunksDone == chunksTotal;
    }

    /**
     * bytesImported of bytesTotal, 0 to 100, as query-status shows an import's progress; 100 for a planned table of
     * no bytes; null before the import is planned
     */
    public Double percent() {
        if (!importPlanned) {
            return null;
        }
        return bytesTotal == 0 ? 100.0 : bytesImported * 100.0 / bytesTotal;
    }
}
