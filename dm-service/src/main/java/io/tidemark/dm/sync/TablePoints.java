package io.tidemark.dm.sync;

import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.position.TablePoint;
import io.tidemark.common.table.TableRef;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The table points still ahead of the global point (DM's table checkpoints): where each table's dump was taken. A
 * point is a transaction boundary, so a transaction lies wholly before or wholly after it, and comparing the start of
 * any of its events with the point says which: before it, the table's dump already holds the change, which is
 * skipped — row changes and DDL alike; at or after it, the change is applied, exactly once. Once the global point
 * reaches a table's point, nothing before it can come again and the point is forgotten.
 * Not thread-safe: one per sync session.
 */
final class TablePoints {
    private final Map<TableRef, BinlogPosition> points = new LinkedHashMap<>();
    /** every table given a point, also once it is forgotten: from its point on it is exact */
    private final Set<TableRef> pointed = new HashSet<>();

    TablePoints(Collection<TablePoint> points) {
        for (TablePoint p : points) {
            this.points.merge(p.table(), p.position(), (a, b) -> a.isBefore(b) ? b : a);
            pointed.add(p.table());
        }
    }

    static TablePoints none() {
        return new TablePoints(List.of());
    }

    /** true when the table's dump already holds a change of a transaction that includes {@code eventStart} */
    boolean inDump(TableRef table, BinlogPosition eventStart) {
        BinlogPosition point = points.get(table);
        return point != null && eventStart.isBefore(point);
    }

    Optional<BinlogPosition> of(TableRef table) {
        return Optional.ofNullable(points.get(table));
    }

    /** the table had a point in this session: each of its changes from there on is applied once */
    boolean exact(TableRef table) {
        return pointed.contains(table);
    }

    /** the tables of {@code schema} whose dump was taken after {@code eventStart} */
    List<TableRef> dumpedAfter(String schema, BinlogPosition eventStart) {
        List<TableRef> out = new ArrayList<>();
        points.forEach((t, p) -> {
            if (t.schema().equals(schema) && eventStart.isBefore(p)) {
                out.add(t);
            }
        });
        return out;
    }

    /** the points the global point {@code global} has reached: they no longer matter */
    List<TablePoint> passedBy(BinlogPosition global) {
        List<TablePoint> out = new ArrayList<>();
        points.forEach((t, p) -> {
            if (!global.isBefore(p)) {
                out.add(new TablePoint(t, p));
            }
        });
        return out;
    }

    void forget(Collection<TablePoint> passed) {
        passed.forEach(p -> points.remove(p.table(), p.position()));
    }

    List<TablePoint> all() {
        return points.entrySet().stream().map(e -> new TablePoint(e.getKey(), e.getValue())).toList();
    }

    boolean isEmpty() {
        return points.isEmpty();
    }

    @Override
    public String toString() {
        return points.toString();
    }
}
