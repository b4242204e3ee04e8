package io.tidemark.coordinator.migration;

import io.tidemark.common.table.TableRef;

/** One table of the snapshot: listed when the snapshot started, dumped when its files are in storage. */
public record TableProgress(TableRef table, boolean dumped, long rowsDumped) {
    static TableProgress listed(TableRef table) {
        return new TableProgress(table, false, 0);
    }
}
