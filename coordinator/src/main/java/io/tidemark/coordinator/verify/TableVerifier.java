package io.tidemark.coordinator.verify;

import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.checksum.DigestColumn;
import io.tidemark.mysql.checksum.DigestColumns;
import io.tidemark.mysql.checksum.ValueChecksum;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares one table, source against target, chunk by chunk: the source's key cut into ranges ({@link KeySampler},
 * {@link ChunkPlan}), then per range the row count and value checksum ({@link ValueChecksum}) computed by each server
 * over the same columns. Chunks that differ are computed once more after {@link CatchUp#await()}, since a write
 * replicated while the two sides were read makes a chunk differ for a moment; only those that still differ are
 * reported. Not thread-safe: one per pair of sessions.
 */
final class TableVerifier {
    /** waits until the target has applied what the source held when the first comparison read it */
    @FunctionalInterface
    interface CatchUp {
        /** none: the sides were read at one point (under a read lock), so a difference is final */
        CatchUp NONE = () -> { };

        void await() throws SQLException;
    }

    private final Connection source;
    private final Connection target;
    private final int chunkRows;

    TableVerifier(Connection source, Connection target, int chunkRows) {
        if (chunkRows < 1) {
            throw new IllegalArgumentException("chunk rows must be at least 1, not " + chunkRows);
        }
        this.source = source;
        this.target = target;
        this.chunkRows = chunkRows;
    }

    /** @throws OnTarget what the target's session threw; any other SQLException is the source's */
    TableReport verify(TableRef from, TableRef to, CatchUp catchUp) throws SQLException {
        List<DigestColumn> columns = DigestColumns.of(source, from);
        if (columns.isEmpty()) {
            return TableReport.uncomparable(from, to, "the source has no table " + from.quoted());
        }
        List<DigestColumn> targetColumns;
        try {
            targetColumns = DigestColumns.of(target, to);
        } catch (SQLException e) {
            throw new OnTarget(e);
        }
        if (targetColumns.isEmpty()) {
            return TableReport.uncomparable(from, to, "the target has no table " + to.quoted());
        }
        Set<String> sourceNames = names(columns);
        Set<String> targetNames = names(targetColumns);
        if (!sourceNames.equals(targetNames)) {
            return TableReport.uncomparable(from, to, "the columns differ: " + sourceNames + " on the source, "
                    + targetNames + " on the target");
        }
        List<String> key = ChunkKey.of(source, from);
        List<KeyRange> ranges = key.isEmpty() ? ChunkPlan.of(key, List.of())
                : ChunkPlan.of(key, KeySampler.boundaries(source, from, key, chunkRows));
        List<KeyRange> differing = new ArrayList<>();
        for (KeyRange range : ranges) {
            if (compare(from, to, columns, range) != null) {
                differing.add(range);
            }
        }
        List<ChunkDifference> differences = new ArrayList<>();
        if (!differing.isEmpty()) {
            catchUp.await();
            for (KeyRange range : differing) {
                ChunkDifference d = compare(from, to, columns, range);
                if (d != null) {
                    differences.add(d);
                }
            }
        }
        return new TableReport(from, to, ranges.size(), differences, null);
    }

    /** the chunk's difference; null when both sides hold the same rows in it */
    private ChunkDifference compare(TableRef from, TableRef to, List<DigestColumn> columns, KeyRange range)
            throws SQLException {
        ValueChecksum.Digest s = ValueChecksum.of(source, from, columns, range.where(), range.parameters());
        ValueChecksum.Digest t;
        try {
            t = ValueChecksum.of(target, to, columns, range.where(), range.parameters());
        } catch (SQLException e) {
            throw new OnTarget(e);
        }
        if (s.equals(t)) {
            return null;
        }
        return new ChunkDifference(range.describe(), s.rows(), t.rows(), hex(s.sum()), hex(t.sum()));
    }

    private static String hex(long sum) {
        return String.format("%016x", sum);
    }

    private static Set<String> names(List<DigestColumn> columns) {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (DigestColumn c : columns) {
            names.add(c.name());
        }
        return names;
    }
}
