package io.tidemark.coordinator.migration;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.table.TableRef;

/**
 * One table of the migration: listed when the snapshot started (or, for an import, when it was accepted), dumped when
 * its files are in storage.
 *
 * @param snapshotPoint the table's own snapshot position (DM's table point): its dump holds exactly what was committed
 *                      before it. Null until the snapshot completes, and where the source could give none; left out
 *                      of the stored record then, as a migration of many tables is one Kafka message
 * @param rowsInTarget  mode import: the table's {@code COUNT(*)} on the target once every chunk is imported, compared
 *                      with the rows its chunks imported; null until counted (and left out of the stored record)
 * @param valueSumInTarget mode import: the table's value checksum on the target, compared with the sum of its chunks'
 *                      where every chunk reported one; null otherwise (left out of the stored record)
 * @param kvChecksum    mode import on a TiDB target: its {@code ADMIN CHECKSUM TABLE} after the import, to compare with
 *                      the same table's later on TiDB (never with files); null elsewhere
 */
public record TableProgress(TableRef table, boolean dumped, long rowsDumped,
                            @JsonInclude(JsonInclude.Include.NON_NULL) BinlogPosition snapshotPoint,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Long rowsInTarget,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Long valueSumInTarget,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String kvChecksum) {
    public TableProgress(TableRef table, boolean dumped, long rowsDumped, BinlogPosition snapshotPoint) {
        this(table, dumped, rowsDumped, snapshotPoint, null, null, null);
    }

    static TableProgress listed(TableRef table) {
        return new TableProgress(table, false, 0, null, null, null, null);
    }

    TableProgress dumped(long rows) {
        return new TableProgress(table, true, rows, snapshotPoint, rowsInTarget, valueSumInTarget, kvChecksum);
    }

    TableProgress at(BinlogPosition point) {
        return new TableProgress(table, dumped, rowsDumped, point, rowsInTarget, valueSumInTarget, kvChecksum);
    }

    TableProgress counted(TargetCount count) {
        return count == null ? new TableProgress(table, dumped, rowsDumped, snapshotPoint, null, null, null)
                : new TableProgress(table, dumped, rowsDumped, snapshotPoint, count.rows(), count.valueSum(),
                count.kvChecksum());
    }
}
