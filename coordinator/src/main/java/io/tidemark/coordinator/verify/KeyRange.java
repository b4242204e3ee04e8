package io.tidemark.coordinator.verify;

import io.tidemark.common.table.TableRef;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One chunk of a table: the rows whose key lies after {@code lower} (exclusive) and up to {@code upper} (inclusive),
 * compared in the key columns' order as the server orders them. Both bounds come from the source's key values, so the
 * same range selects the same rows on the source and on the target whatever either holds.
 *
 * @param key   the key columns, in index order; empty for a table without a usable key (one chunk: the whole table)
 * @param lower the key values the range starts after; null = from the first row
 * @param upper the key values the range ends at; null = to the last row
 */
public record KeyRange(List<String> key, List<Object> lower, List<Object> upper) {
    public KeyRange {
        key = List.copyOf(key);
        lower = lower == null ? null : List.copyOf(lower);
        upper = upper == null ? null : List.copyOf(upper);
        if ((lower != null && lower.size() != key.size()) || (upper != null && upper.size() != key.size())) {
            throw new IllegalArgumentException("a bound of " + key + " needs " + key.size() + " values");
        }
    }

    /** the whole table as one chunk */
    public static KeyRange whole(List<String> key) {
        return new KeyRange(key, null, null);
    }

    /** the SQL condition selecting the range's rows, with {@code ?} for {@link #parameters()}; null = every row */
    public String where() {
        List<String> parts = new ArrayList<>(2);
        if (lower != null) {
            parts.add(bound(">"));
        }
        if (upper != null) {
            parts.add(bound("<"));
        }
        return parts.isEmpty() ? null : String.join(" AND ", parts);
    }

    /** the values {@link #where()}'s placeholders take, in order */
    public List<Object> parameters() {
        List<Object> out = new ArrayList<>();
        if (lower != null) {
            expand(lower, out);
        }
        if (upper != null) {
            expand(upper, out);
        }
        return out;
    }

    /**
     * {@code (a > ? OR (a = ? AND b > ?))} for a lower bound on (a, b); the upper bound alike with {@code <} and a
     * last {@code <=}. Spelled out rather than as a row comparison {@code (a, b) > (?, ?)} so that every server of the
     * family uses the key's index for it (sync-diff-inspector does the same).
     */
    private String bound(String strict) {
        List<String> terms = new ArrayList<>(key.size());
        for (int i = 0; i < key.size(); i++) {
            StringBuilder term = new StringBuilder();
            for (int j = 0; j < i; j++) {
                term.append(TableRef.quote(key.get(j))).append(" = ? AND ");
            }
            boolean last = i == key.size() - 1;
            String op = last && strict.equals("<") ? "<=" : strict;
            term.append(TableRef.quote(key.get(i))).append(' ').append(op).append(" ?");
            terms.add(i == 0 && key.size() == 1 ? term.toString() : "(" + term + ")");
        }
        return terms.size() == 1 ? terms.get(0) : "(" + String.join(" OR ", terms) + ")";
    }

    /** the parameters of {@link #bound}: the first value, the first two, … — one group per term */
    private static void expand(List<Object> values, List<Object> out) {
        for (int i = 0; i < values.size(); i++) {
            out.addAll(values.subList(0, i + 1));
        }
    }

    /** the range as a user reads it: {@code id (100, 200]}, {@code (a, b) ((1, 'x'), +∞)}, {@code whole table} */
    public String describe() {
        if (key.isEmpty()) {
            return "whole table (no primary or not-null unique key)";
        }
        String columns = key.size() == 1 ? key.get(0) : "(" + String.join(", ", key) + ")";
        return columns + " (" + (lower == null ? "-∞" : values(lower)) + ", " + (upper == null ? "+∞)"
                : values(upper) + "]");
    }

    private static String values(List<Object> values) {
        List<String> out = new ArrayList<>(values.size());
        for (Object v : values) {
            out.add(literal(v));
        }
        return values.size() == 1 ? out.get(0) : "(" + String.join(", ", out) + ")";
    }

    private static String literal(Object v) {
        if (v instanceof byte[] bytes) {
            return "0x" + HexFormat.of().formatHex(bytes);
        }
        if (v instanceof Number) {
            return v.toString();
        }
        return "'" + String.valueOf(v).replace("'", "''") + "'";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyRange r && key.equals(r.key) && same(lower, r.lower) && same(upper, r.upper);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, describe());
    }

    /** byte[] key values compare by content */
    private static boolean same(List<Object> a, List<Object> b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Arrays.deepEquals(a.toArray(), b.toArray());
    }

    @Override
    public String toString() {
        return describe();
    }
}
