package io.tidemark.coordinator.migration;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.table.TableRef;

/**
 * One table of the snapshot: listed when the snapshot started, dumped when its files are in storage.
 *
 * @param snapshotPoint the table's own snapshot position (DM's table point): its dump holds exactly what was committed
 *                      before it. Null until the snapshot completes, and where the source could give none; left out
 *                      of the stored record then, as a migration of many tables is one Kafka message
 */
public record TableProgress(TableRef table, boolean dumped, long rowsDumped,
                            @JsonInclude(JsonInclude.Include.NON_NULL) BinlogPosition snapshotPoint) {
    static TableProgress listed(TableRef table) {
        return new TableProgress(table, false, 0, null);
    }

    TableProgress dumped(long rows) {
        return new TableProgress(table, true, rows, snapshotPoint);
    }

    TableProgress at(BinlogPosition point) {
        return new TableProgress(table, dumped, rowsDumped, point);
    }
}
