package io.tidemark.coordinator.migration;

import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.table.TableRef;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * What the workers reported, aggregated. Tables and chunks are maps keyed by table name and chunk id, so applying a
 * redelivered event writes the same entry again and changes nothing.
 *
 * @param tables            key {@code schema.table}
 * @param chunks            key chunk id, from the import plan
 * @param snapshotStart     the binlog position recorded before the dump: replication starts here
 * @param snapshotEnd       the position after the dump: safe mode ends past it
 * @param replication       the position replication last flushed its checkpoint at
 */
public record Progress(SortedMap<String, TableProgress> tables, SortedMap<String, ChunkProgress> chunks,
                       BinlogPosition snapshotStart, BinlogPosition snapshotEnd, boolean snapshotCompleted,
                       boolean importPlanned, BinlogPosition replication, Long lagSeconds, Boolean safeMode) {
    public Progress {
        tables = Collections.unmodifiableSortedMap(new TreeMap<>(tables == null ? Collections.emptySortedMap() : tables));
        chunks = Collections.unmodifiableSortedMap(new TreeMap<>(chunks == null ? Collections.emptySortedMap() : chunks));
    }

    static Progress none() {
        return new Progress(null, null, null, null, false, false, null, null, null);
    }

    /** every chunk of the plan is in the target (an empty plan is complete at once) */
    public boolean importCompleted() {
        return importPlanned && chunks.values().stream().allMatch(ChunkProgress::imported);
    }

    Progress withTable(TableRef table, UnaryOperator<TableProgress> change) {
        TreeMap<String, TableProgress> next = new TreeMap<>(tables);
        next.put(table.toString(), change.apply(next.getOrDefault(table.toString(), TableProgress.listed(table))));
        return new Progress(next, chunks, snapshotStart, snapshotEnd, snapshotCompleted, importPlanned, replication,
                lagSeconds, safeMode);
    }

    Progress withChunk(String chunkId, TableRef table, UnaryOperator<ChunkProgress> change) {
        TreeMap<String, ChunkProgress> next = new TreeMap<>(chunks);
        next.put(chunkId, change.apply(next.getOrDefault(chunkId, ChunkProgress.planned(table))));
        return new Progress(tables, next, snapshotStart, snapshotEnd, snapshotCompleted, importPlanned, replication,
                lagSeconds, safeMode);
    }

    Progress withSnapshotStart(BinlogPosition start) {
        return new Progress(tables, chunks, start, snapshotEnd, snapshotCompleted, importPlanned, replication,
                lagSeconds, safeMode);
    }

    Progress withSnapshotCompleted(BinlogPosition end) {
        return new Progress(tables, chunks, snapshotStart, end, true, importPlanned, replication, lagSeconds, safeMode);
    }

    Progress withImportPlanned() {
        return new Progress(tables, chunks, snapshotStart, snapshotEnd, snapshotCompleted, true, replication,
                lagSeconds, safeMode);
    }

    Progress withReplication(BinlogPosition position, long lag, boolean safe) {
        return new Progress(tables, chunks, snapshotStart, snapshotEnd, snapshotCompleted, importPlanned, position,
                lag, safe);
    }
}
