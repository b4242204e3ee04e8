package io.tidemark.snapshot.dump;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.StringJoiner;

import io.tidemark.common.table.TableRef;

/**
 * How a keyed table is cut into key ranges for {@link ChunkedTableDump}: pure arithmetic on the key's bounds or sampled
 * boundaries, no session. The first range has no lower bound and the last no upper one, and each boundary is the upper
 * bound (exclusive) of one range and the lower bound (inclusive) of the next: whatever the boundaries are, every row
 * whose key columns are all NOT NULL lies in exactly one range, rows written after the boundaries were chosen included.
 * That is why a boundary need not be exact (an estimate, a value lost in conversion): it only balances the ranges.
 */
final class KeyRanges {
    /** at most this many ranges per table: a range's files are numbered in a block of {@link #FILES_PER_RANGE} */
    static final int MAX_RANGES = 9_999;
    /** file numbers a range owns: range r writes files r × this, r × this + 1, ... */
    static final int FILES_PER_RANGE = 100_000;

    private KeyRanges() {
    }

    /**
     * One range of the key: rows with {@code lower <= key < upper}, compared column by column in the key's order.
     *
     * @param lower the inclusive lower bound's values, empty for none
     * @param upper the exclusive upper bound's values, empty for none
     */
    record Range(int index, List<Object> lower, List<Object> upper) {
        Range {
            lower = Collections.unmodifiableList(new ArrayList<>(lower));
            upper = Collections.unmodifiableList(new ArrayList<>(upper));
        }

        /** the range's WHERE condition over {@code columns}, with a {@code ?} per value of {@link #parameters} */
        String condition(List<String> columns) {
            List<String> parts = new ArrayList<>();
            if (!lower.isEmpty()) {
                parts.add(compare(columns, ">=", lower.size()));
            }
            if (!upper.isEmpty()) {
                parts.add(compare(columns, "<", upper.size()));
            }
            return parts.isEmpty() ? "1=1" : String.join(" AND ", parts);
        }

        /** the values the condition's placeholders take, in order */
        List<Object> parameters() {
            List<Object> values = new ArrayList<>();
            if (!lower.isEmpty()) {
                values.addAll(expanded(lower));
            }
            if (!upper.isEmpty()) {
                values.addAll(expanded(upper));
            }
            return values;
        }

        /** the first data file number of this range */
        int firstFile() {
            return index * FILES_PER_RANGE;
        }
    }

    /** how many ranges a table of about {@code estimatedRows} gets, at most {@code chunkRows} each; 1 means whole */
    static int count(long estimatedRows, long chunkRows) {
        if (chunkRows < 1 || estimatedRows <= chunkRows) {
            return 1;
        }
        long n = (estimatedRows + chunkRows - 1) / chunkRows;
        return (int) Math.min(n, MAX_RANGES);
    }

    /**
     * An integer key from {@code min} to {@code max} (as mydumper cuts one): equal steps of the key's span, one per
     * {@code chunkRows} estimated rows. Fewer ranges where the span is narrower than their count.
     */
    static List<Range> integer(long min, long max, long estimatedRows, long chunkRows) {
        int n = count(estimatedRows, chunkRows);
        if (n <= 1 || max <= min) {
            return whole();
        }
        // the span may exceed a long (min near Long.MIN_VALUE): step in exact arithmetic
        java.math.BigInteger span = java.math.BigInteger.valueOf(max).subtract(java.math.BigInteger.valueOf(min));
        java.math.BigInteger parts = java.math.BigInteger.valueOf(n);
        List<List<Object>> boundaries = new ArrayList<>();
        long previous = min;
        for (int i = 1; i < n; i++) {
            long b = java.math.BigInteger.valueOf(min)
                    .add(span.multiply(java.math.BigInteger.valueOf(i)).divide(parts)).longValueExact();
            if (b > previous) {
                boundaries.add(List.of(b));
                previous = b;
            }
        }
        return fromBoundaries(boundaries);
    }

    /**
     * Whether an integer key's values fill at least half its span (an AUTO_INCREMENT id with few gaps): then equal
     * steps of the span hold about equal rows. A few outliers (a row at id -1 or 10^9) make it sparse.
     */
    static boolean dense(long min, long max, long estimatedRows) {
        double span = (double) max - (double) min + 1;
        return estimatedRows >= span / 2;
    }

    /** ranges between sampled boundaries (each one key's values, ascending); none gives the whole table */
    static List<Range> fromBoundaries(List<List<Object>> boundaries) {
        List<Range> ranges = new ArrayList<>();
        List<Object> lower = List.of();
        for (List<Object> b : boundaries) {
            ranges.add(new Range(ranges.size(), lower, b));
            lower = b;
        }
        ranges.add(new Range(ranges.size(), lower, List.of()));
        return ranges;
    }

    static List<Range> whole() {
        return List.of(new Range(0, List.of(), List.of()));
    }

    /**
     * {@code (c1,...,cn) op (v1,...,vn)} spelled out lexicographically, e.g. {@code c1 > ? OR (c1 = ? AND c2 >= ?)}:
     * every server's range optimiser reads that form on the key's index, not all of them a row constructor.
     */
    static String compare(List<String> columns, String op, int width) {
        String strict = op.startsWith(">") ? ">" : "<";
        StringJoiner or = new StringJoiner(" OR ", "(", ")");
        for (int i = 0; i < width; i++) {
            StringJoiner and = new StringJoiner(" AND ", "(", ")");
            for (int j = 0; j < i; j++) {
                and.add(TableRef.quote(columns.get(j)) + " = ?");
            }
            and.add(TableRef.quote(columns.get(i)) + " " + (i == width - 1 ? op : strict) + " ?");
            or.add(and.toString());
        }
        return or.toString();
    }

    /** the values {@link #compare} binds: for the i-th disjunct the first i values, then the i-th */
    private static List<Object> expanded(List<Object> bound) {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < bound.size(); i++) {
            values.addAll(bound.subList(0, i + 1));
        }
        return values;
    }
}
