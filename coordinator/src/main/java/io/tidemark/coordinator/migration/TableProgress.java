package io.tidemark.coordinator.migration;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.table.TableRef;

/**
 * One table of the migration: listed when the snapshot started (or, for an import, when it was accepted), dumped when
 * its files are in storage.
 *
 * @param table         the table as the snapshot names it (the source's name); for an import, the target table
 * @param snapshotPoint the table's own snapshot position (DM's table point): its dump holds exactly what was committed
 *                      before it. Null until the snapshot completes, and where the source could give none; left out
 *                      of the stored record then, as a migration of many tables is one Kafka message
 * @param rowsInTarget  the {@code COUNT(*)} of its {@link #targetTable()} on the target once every chunk is imported,
 *                      compared with the rows the chunks of that table imported; null until counted (and left out of
 *                      the stored record)
 * @param valueSumInTarget the value checksum of its target table, compared with the sum of its chunks' where every
 *                      chunk reported one; null otherwise (left out of the stored record)
 * @param kvChecksum    mode import on a TiDB target: its {@code ADMIN CHECKSUM TABLE} after the import, to compare with
 *                      the same table's later on TiDB (never with files); null elsewhere
 * @param target        where a route sends the table's rows, the name its import chunks report and the table counted;
 *                      null when it keeps its name (and left out of the stored record)
 */
public record TableProgress(TableRef table, boolean dumped, long rowsDumped,
                            @JsonInclude(JsonInclude.Include.NON_NULL) BinlogPosition snapshotPoint,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Long rowsInTarget,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Long valueSumInTarget,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String kvChecksum,
                            @JsonInclude(JsonInclude.Include.NON_NULL) TableRef target) {
    public TableProgress {
        target = table != null && table.equals(target) ? null : target;
    }

    public TableProgress(TableRef table, boolean dumped, long rowsDumped, BinlogPosition snapshotPoint) {
        this(table, dumped, rowsDumped, snapshotPoint, null, null, null, null);
    }

    public TableProgress(TableRef table, boolean dumped, long rowsDumped, BinlogPosition snapshotPoint,
                         Long rowsInTarget, Long valueSumInTarget, String kvChecksum) {
        this(table, dumped, rowsDumped, snapshotPoint, rowsInTarget, valueSumInTarget, kvChecksum, null);
    }

    static TableProgress listed(TableRef table) {
        return new TableProgress(table, false, 0, null, null, null, null, null);
    }

    /** the table its rows are imported into and counted in: {@link #target()}, else its own name */
    @JsonIgnore
    public TableRef targetTable() {
        return target == null ? table : target;
    }

    TableProgress dumped(long rows) {
        return new TableProgress(table, true, rows, snapshotPoint, rowsInTarget, valueSumInTarget, kvChecksum, target);
    }

    TableProgress at(BinlogPosition point) {
        return new TableProgress(table, dumped, rowsDumped, point, rowsInTarget, valueSumInTarget, kvChecksum, target);
    }

    TableProgress routedTo(TableRef to) {
        return new TableProgress(table, dumped, rowsDumped, snapshotPoint, rowsInTarget, valueSumInTarget, kvChecksum,
                to);
    }

    TableProgress counted(TargetCount count) {
        return count == null ? new TableProgress(table, dumped, rowsDumped, snapshotPoint, null, null, null, target)
                : new TableProgress(table, dumped, rowsDumped, snapshotPoint, count.rows(), count.valueSum(),
                count.kvChecksum(), target);
    }
}
