package io.tidemark.coordinator.migration;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.position.TablePoint;
import io.tidemark.common.status.ImportPlanned;
import io.tidemark.common.table.TableRef;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * What the workers reported, aggregated. Tables and chunks are maps keyed by table name and chunk id, so applying a
 * redelivered event writes the same entry again and changes nothing.
 *
 * <p>Size: the whole migration but its chunks is one message on the compacted migrations topic, so it must stay below
 * Kafka's message limit (1 MiB unless raised; a migration that outgrows it fails with KAFKA_MESSAGE_TOO_LARGE). Each
 * chunk is a record of its own ({@code StoredChunk}, about 230 bytes: its id names the migration and the dump file),
 * so an import of any number of chunks adds nothing to it. Measured ({@code MigrationTest}), with table names like
 * {@code shop.orders_00042}: a table costs about 100 bytes, its snapshot point about 60 more (a MariaDB GTID adds some
 * 25, a MySQL or Aurora GTID set about 60 per server UUID in it). 10,000 tables with a point make about 1.6 MB (1.0 MB
 * without points, 2.2 MB with one-UUID GTID sets): the default limit holds about 6,400 such tables (10,000 without
 * points, 4,700 with GTID sets).
 *
 * @param tables            key {@link #key}: the quoted name, so {@code `x.y`.`z`} and {@code `x`.`y.z`} stay two tables
 *                          (a record stored under the older {@code schema.table} keys is re-keyed on read); with each
 *                          table's snapshot point once the snapshot has completed. A snapshot's tables are keyed by
 *                          their source names (what the dump and the table points name), each paired with the
 *                          target table a route sends it to ({@link TableProgress#target()}); an import's by their
 *                          target names
 * @param chunks            key chunk id, from the import plan; each names its target table, as the import writes it.
 *                          Read from a record but never written into one: each chunk is a record of its own
 *                          ({@code StoredChunk}), so the migration's record does not grow with its import
 * @param snapshotStart     the binlog position recorded before the dump: replication starts here
 * @param snapshotEnd       the position after the dump: safe mode ends past it
 * @param replication       the position replication last flushed its checkpoint at
 * @param rate              row changes replication applies per second; null before its first report (and in a record
 *                          stored before the field existed)
 * @param export            engine aurora-export: how far AWS's export is, as last reported; null before the first report
 *                          and for other engines
 */
public record Progress(SortedMap<String, TableProgress> tables,
                       @JsonProperty(access = JsonProperty.Access.WRITE_ONLY) SortedMap<String, ChunkProgress> chunks,
                       BinlogPosition snapshotStart, BinlogPosition snapshotEnd, boolean snapshotCompleted,
                       boolean importPlanned, BinlogPosition replication, Long lagSeconds, Boolean safeMode,
                       ReplicationRate rate, ExportProgress export) {
    public Progress {
        TreeMap<String, TableProgress> byKey = new TreeMap<>();
        if (tables != null) {
            tables.values().forEach(t -> byKey.put(key(t.table()), t));
        }
        tables = Collections.unmodifiableSortedMap(byKey);
        chunks = Collections.unmodifiableSortedMap(new TreeMap<>(chunks == null ? Collections.emptySortedMap() : chunks));
    }

    /** the map key of a table: its quoted name, which no two tables share (a dot may be part of a name) */
    public static String key(TableRef table) {
        return table.quoted();
    }

    static Progress none() {
        return new Progress(null, null, null, null, false, false, null, null, null, null, null);
    }

    /** each table's snapshot point that the snapshot reported, in table order: what replication skips up to */
    public List<TablePoint> tablePoints() {
        return tables.values().stream().filter(t -> t.snapshotPoint() != null)
                .map(t -> new TablePoint(t.table(), t.snapshotPoint())).toList();
    }

    /** every chunk of the plan is in the target (an empty plan is complete at once) */
    public boolean importCompleted() {
        return importPlanned && chunks.values().stream().allMatch(ChunkProgress::imported);
    }

    /**
     * the rows the imported chunks of the target table hold: what its files held once every chunk is in (the files
     * of every source table routed to it)
     */
    public long rowsInFiles(TableRef table) {
        return chunks.values().stream().filter(c -> c.imported() && c.table().equals(table))
                .mapToLong(ChunkProgress::rows).sum();
    }

    /**
     * the checksum of the values the target table's imported chunks held, where every one of them reported it; null
     * where one did not (its table is then verified by its row count only)
     */
    public Long valueSumInFiles(TableRef table) {
        long sum = 0;
        for (ChunkProgress c : chunks.values()) {
            if (c.imported() && c.table().equals(table)) {
                if (c.valueSum() == null) {
                    return null;
                }
                sum += c.valueSum();
            }
        }
        return sum;
    }

    /**
     * each table's import figures, in table order: a table's chunks are those of its target table (every source table
     * routed to one target shows the target's chunks)
     */
    public List<TableFigures> tableFigures() {
        Map<String, long[]> byTarget = new java.util.HashMap<>(); // done, total, rows, bytes done, bytes total
        for (ChunkProgress c : chunks.values()) {
            long[] f = byTarget.computeIfAbsent(key(c.table()), k -> new long[5]);
            f[1]++;
            f[4] += c.bytes();
            if (c.imported()) {
                f[0]++;
                f[2] += c.rows();
                f[3] += c.bytes();
            }
        }
        return tables.values().stream().map(t -> {
            long[] f = byTarget.getOrDefault(key(t.targetTable()), new long[5]);
            return new TableFigures(t, (int) f[0], (int) f[1], f[2], f[3], f[4], importPlanned);
        }).toList();
    }

    /** every table was counted on the target after its import */
    public boolean counted() {
        // an import of no table (a snapshot whose filter selected none) has nothing to count
        return tables.values().stream().allMatch(t -> t.rowsInTarget() != null);
    }

    /**
     * the tables whose count on the target differs from the rows their files held, with both numbers, and those whose
     * values differ from their files' though the counts agree, with both checksums and the table's chunks
     */
    public List<String> countMismatches() {
        List<String> mismatches = new java.util.ArrayList<>();
        for (Map.Entry<TableRef, List<TableProgress>> e : byTarget().entrySet()) {
            TableRef target = e.getKey();
            TableProgress t = e.getValue().getFirst(); // every table routed to one target holds the same count
            if (t.rowsInTarget() == null) {
                continue;
            }
            long files = rowsInFiles(target);
            Long sum = valueSumInFiles(target);
            String name = target + routedFrom(target, e.getValue());
            if (t.rowsInTarget() != files) {
                mismatches.add(name + ": " + files + " rows in the files, " + t.rowsInTarget() + " in the target");
            } else if (sum != null && t.valueSumInTarget() != null && !sum.equals(t.valueSumInTarget())) {
                List<String> chunkIds = chunks.entrySet().stream().filter(c -> c.getValue().table().equals(target))
                        .map(Map.Entry::getKey).toList();
                mismatches.add(name + ": " + files + " rows in the files and in the target, but their values"
                        + " differ (value checksum of the files " + Long.toHexString(sum) + ", of the target "
                        + Long.toHexString(t.valueSumInTarget()) + "; chunks " + String.join(", ", chunkIds) + ")");
            }
        }
        return mismatches;
    }

    /** the tables by the target table their rows go to, in target order: what is counted, once per target */
    public SortedMap<TableRef, List<TableProgress>> byTarget() {
        TreeMap<TableRef, List<TableProgress>> out = new TreeMap<>();
        tables.values().forEach(t -> out.computeIfAbsent(t.targetTable(), k -> new java.util.ArrayList<>()).add(t));
        return out;
    }

    /** " (from `s`.`t`)" where routes renamed what a target table holds; empty where it keeps its name */
    private static String routedFrom(TableRef target, List<TableProgress> sources) {
        List<String> renamed = sources.stream().map(TableProgress::table).filter(s -> !s.equals(target))
                .map(TableRef::toString).toList();
        return renamed.isEmpty() ? "" : " (from " + String.join(", ", renamed) + ")";
    }

    /**
     * each target table's count on the target, given to every table routed to it; a table whose target is not in
     * {@code counts} is left as it is
     */
    Progress withCounts(Map<TableRef, TargetCount> counts) {
        List<TableRef> counted = tables.values().stream().filter(t -> counts.containsKey(t.targetTable()))
                .map(TableProgress::table).toList();
        return withTables(counted, t -> t.counted(counts.get(t.targetTable())));
    }

    /** the counts forgotten, so that the tables are counted again */
    Progress withoutCounts() {
        return withTables(tables.values().stream().map(TableProgress::table).toList(), t -> t.counted(null));
    }

    /**
     * Each of {@code tables} changed, listed first where it is not yet. The map is copied once for all of them: an
     * event of a snapshot of 10,000 tables is applied in milliseconds, not in the seconds a copy per table takes.
     */
    Progress withTables(Collection<TableRef> changed, UnaryOperator<TableProgress> change) {
        TreeMap<String, TableProgress> next = new TreeMap<>(tables);
        for (TableRef table : changed) {
            next.put(key(table), change.apply(next.getOrDefault(key(table), TableProgress.listed(table))));
        }
        return new Progress(next, chunks, snapshotStart, snapshotEnd, snapshotCompleted, importPlanned, replication,
                lagSeconds, safeMode, rate, export);
    }

    Progress withTable(TableRef table, UnaryOperator<TableProgress> change) {
        return withTables(List.of(table), change);
    }

    /** each table's own snapshot point, as the completed snapshot reported them */
    Progress withTablePoints(Collection<TablePoint> points) {
        TreeMap<String, TableProgress> next = new TreeMap<>(tables);
        for (TablePoint point : points) {
            String key = key(point.table());
            next.put(key, next.getOrDefault(key, TableProgress.listed(point.table())).at(point.position()));
        }
        return new Progress(next, chunks, snapshotStart, snapshotEnd, snapshotCompleted, importPlanned, replication,
                lagSeconds, safeMode, rate, export);
    }

    /**
     * the chunks of an import plan, and their target tables listed where no table is imported into them yet (a
     * routed table is known by its source name); one copy of each map
     */
    Progress withPlan(Collection<ImportPlanned.PlannedChunk> planned) {
        TreeMap<String, ChunkProgress> next = new TreeMap<>(chunks);
        for (ImportPlanned.PlannedChunk c : planned) {
            next.putIfAbsent(c.chunkId(), ChunkProgress.planned(c.table(), c.sizeBytes()));
        }
        java.util.Set<TableRef> known = new java.util.HashSet<>();
        tables.values().forEach(t -> known.add(t.targetTable()));
        return new Progress(tables, next, snapshotStart, snapshotEnd, snapshotCompleted, importPlanned, replication,
                lagSeconds, safeMode, rate, export).withTables(planned.stream().map(ImportPlanned.PlannedChunk::table)
                .filter(t -> !known.contains(t)).toList(), table -> table);
    }

    /** the chunks read from their own records laid over those the migration's record held (a version 1 record) */
    Progress withChunksRead(Map<String, ChunkProgress> read) {
        if (read.isEmpty()) {
            return this;
        }
        TreeMap<String, ChunkProgress> next = new TreeMap<>(chunks);
        next.putAll(read);
        return new Progress(tables, next, snapshotStart, snapshotEnd, snapshotCompleted, importPlanned, replication,
                lagSeconds, safeMode, rate, export);
    }

    Progress withChunk(String chunkId, TableRef table, UnaryOperator<ChunkProgress> change) {
        TreeMap<String, ChunkProgress> next = new TreeMap<>(chunks);
        next.put(chunkId, change.apply(next.getOrDefault(chunkId, ChunkProgress.planned(table, 0))));
        return new Progress(tables, next, snapshotStart, snapshotEnd, snapshotCompleted, importPlanned, replication,
                lagSeconds, safeMode, rate, export);
    }

    Progress withSnapshotStart(BinlogPosition start) {
        return new Progress(tables, chunks, start, snapshotEnd, snapshotCompleted, importPlanned, replication,
                lagSeconds, safeMode, rate, export);
    }

    Progress withSnapshotCompleted(BinlogPosition end) {
        return new Progress(tables, chunks, snapshotStart, end, true, importPlanned, replication, lagSeconds, safeMode,
                rate, export);
    }

    Progress withImportPlanned() {
        return new Progress(tables, chunks, snapshotStart, snapshotEnd, snapshotCompleted, true, replication,
                lagSeconds, safeMode, rate, export);
    }

    /**
     * AWS's export progress as reported; a late redelivery of an earlier value of the same export does not move it
     * back (AWS's percent and extracted size only grow)
     */
    Progress withExport(ExportProgress next) {
        if (export != null && export.exportTask().equals(next.exportTask()) && next.isBefore(export)) {
            return this;
        }
        return new Progress(tables, chunks, snapshotStart, snapshotEnd, snapshotCompleted, importPlanned, replication,
                lagSeconds, safeMode, rate, next);
    }

    /** where replication is, and its rate from the worker's running count of rows applied */
    Progress withReplication(BinlogPosition position, long lag, boolean safe, long rowsApplied, Instant at) {
        return new Progress(tables, chunks, snapshotStart, snapshotEnd, snapshotCompleted, importPlanned, position,
                lag, safe, rate == null ? ReplicationRate.start(rowsApplied, at) : rate.next(rowsApplied, at), export);
    }
}
