package io.tidemark.coordinator.migration;

import io.tidemark.common.table.TableRef;

/** One planned import chunk, keyed by its chunk id in {@link Progress#chunks()}. */
public record ChunkProgress(TableRef table, boolean imported, long rows) {
    static ChunkProgress planned(TableRef table) {
        return new ChunkProgress(table, false, 0);
    }
}
