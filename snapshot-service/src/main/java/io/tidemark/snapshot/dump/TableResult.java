package io.tidemark.snapshot.dump;

import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.position.TablePoint;
import io.tidemark.common.table.TableRef;

import java.util.List;

/**
 * One table's data is in storage: {@code rows} rows, {@code bytes} bytes in {@code files} (none when empty).
 *
 * @param point where in the binlog the table's snapshot was taken (see {@link SnapshotPoint}); null when the source
 *              could not say, or in a completion marker written before points were recorded
 */
public record TableResult(TableRef table, long rows, long bytes, List<String> files, BinlogPosition point) {
    public TableResult {
        files = List.copyOf(files);
    }

    /** the points of those tables that have one, in the results' order */
    public static List<TablePoint> points(List<TableResult> results) {
        return results.stream().filter(r -> r.point() != null).map(r -> new TablePoint(r.table(), r.point())).toList();
    }
}
