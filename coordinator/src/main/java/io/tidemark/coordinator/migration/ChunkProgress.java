package io.tidemark.coordinator.migration;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tidemark.common.table.TableRef;

/**
 * One planned import chunk, keyed by its chunk id in {@link Progress#chunks()}.
 *
 * @param valueSum the checksum of the values its file held, as its worker reported it; null where none was (left out
 *                 of the stored record then)
 */
public record ChunkProgress(TableRef table, boolean imported, long rows,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Long valueSum) {
    public ChunkProgress(TableRef table, boolean imported, long rows) {
        this(table, imported, rows, null);
    }

    static ChunkProgress planned(TableRef table) {
        return new ChunkProgress(table, false, 0, null);
    }
}
