package io.tidemark.coordinator.migration;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tidemark.common.table.TableRef;

/**
 * One planned import chunk, keyed by its chunk id in {@link Progress#chunks()}.
 *
 * @param valueSum the checksum of the values its file held, as its worker reported it; null where none was (left out
 *                 of the stored record then)
 * @param bytes    its size in the files as planned (compressed where the file is), for the import's progress in
 *                 bytes and percent; 0 in a record stored before the field existed
 */
public record ChunkProgress(TableRef table, boolean imported, long rows,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Long valueSum, long bytes) {
    public ChunkProgress(TableRef table, boolean imported, long rows) {
        this(table, imported, rows, null, 0);
    }

    static ChunkProgress planned(TableRef table, long bytes) {
        return new ChunkProgress(table, false, 0, null, bytes);
    }

    /**
     * The chunk imported: its rows and their checksum as the worker reported them; the worker's byte count stands in
     * for a size the plan did not give (a report that came before its plan).
     */
    ChunkProgress imported(long importedRows, Long sum, long reportedBytes) {
        return new ChunkProgress(table, true, importedRows, sum, bytes == 0 ? reportedBytes : bytes);
    }
}
