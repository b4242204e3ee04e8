package io.tidemark.snapshot.dump;

import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.position.TablePoint;
import io.tidemark.common.table.TableRef;

import java.util.List;

/**
 * A complete dump: every table's data reflects the source at some point between {@code start} and {@code end}, the
 * very point {@link TableResult#point()} where it has one.
 */
public record DumpResult(BinlogPosition start, BinlogPosition end, List<TableRef> tables, List<TableResult> results) {
    public DumpResult {
        tables = List.copyOf(tables);
        results = List.copyOf(results);
    }

    public List<TablePoint> tablePoints() {
        return TableResult.points(results);
    }
}
