package io.tidemark.snapshot.dump;

import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.column.UniqueKeys;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a table is dumped in key ranges, and which: a table estimated above {@code chunkRows} rows
 * ({@code information_schema.TABLES}) with a primary key, or else a unique key whose columns are all NOT NULL (a NULL
 * key would fall in no range), is cut by {@link KeyRanges}; every other table is dumped whole.
 *
 * @param key    the key's columns, in its order; empty for a table dumped whole
 * @param ranges one range (the whole table) or several
 */
record ChunkPlan(TableRef table, List<String> key, List<KeyRanges.Range> ranges) {
    /** key column types whose text form the server reads back as the same value: boundaries keep their order */
    private static final Set<String> TEXT_EXACT = Set.of("tinyint", "smallint", "mediumint", "int", "integer",
            "bigint", "decimal", "char", "varchar", "date", "datetime", "timestamp", "year");
    private static final Set<String> INTEGER = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint");
    private static final Set<String> BYTES = Set.of("binary", "varbinary");

    ChunkPlan {
        key = List.copyOf(key);
        ranges = List.copyOf(ranges);
    }

    static ChunkPlan whole(TableRef table) {
        return new ChunkPlan(table, List.of(), KeyRanges.whole());
    }

    boolean chunked() {
        return ranges.size() > 1;
    }

    /** one column of a unique index ({@link UniqueKeys}) */
    record IndexColumn(String index, String column, String dataType, boolean nullable, boolean prefix) {
    }

    /**
     * The key a table is cut by: PRIMARY if there is one, else the first unique index (by name) whose columns are all
     * NOT NULL and whole (not a prefix); empty when there is none.
     *
     * @param columns the columns of the table's unique indexes, each index's in its order
     */
    static Optional<List<IndexColumn>> chooseKey(List<IndexColumn> columns) {
        Map<String, List<IndexColumn>> indexes = new LinkedHashMap<>();
        for (IndexColumn c : columns) {
            indexes.computeIfAbsent(c.index(), k -> new ArrayList<>()).add(c);
        }
        List<String> names = new ArrayList<>(indexes.keySet());
        names.sort((a, b) -> "PRIMARY".equals(a) ? -1 : "PRIMARY".equals(b) ? 1 : a.compareTo(b));
        for (String name : names) {
            List<IndexColumn> key = indexes.get(name);
            boolean usable = key.stream().allMatch(c -> !c.nullable() && !c.prefix()
                    && (TEXT_EXACT.contains(type(c)) || BYTES.contains(type(c))));
            if (usable) {
                return Optional.of(List.copyOf(key));
            }
        }
        return Optional.empty();
    }

    private static String type(IndexColumn c) {
        return c.dataType().toLowerCase(Locale.ROOT);
    }

    /**
     * Plans one table on {@code c}, a session of its own (default character set, time zone +00:00 as the dump's).
     * Dense integer keys are cut evenly between their MIN and MAX; other keys (sparse integer ones too, where even
     * steps would put most rows in one range) at every {@code chunkRows}-th key, walked from one boundary to the next
     * on the key's index.
     */
    static ChunkPlan of(Connection c, TableRef table, long chunkRows) throws SQLException {
        long estimate = estimatedRows(c, table);
        if (KeyRanges.count(estimate, chunkRows) <= 1) {
            return whole(table);
        }
        Optional<List<IndexColumn>> chosen = chooseKey(uniqueKeyColumns(c, table));
        if (chosen.isEmpty()) {
            return whole(table);
        }
        List<IndexColumn> key = chosen.get();
        List<String> names = key.stream().map(IndexColumn::column).toList();
        if (key.size() == 1 && INTEGER.contains(type(key.getFirst()))) {
            Optional<long[]> bounds = minMax(c, table, names.getFirst());
            if (bounds.isPresent() && KeyRanges.dense(bounds.get()[0], bounds.get()[1], estimate)) {
                return new ChunkPlan(table, names,
                        KeyRanges.integer(bounds.get()[0], bounds.get()[1], estimate, chunkRows));
            }
        }
        return new ChunkPlan(table, names, KeyRanges.fromBoundaries(sampled(c, table, key, chunkRows)));
    }

    private static long estimatedRows(Connection c, TableRef table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static List<IndexColumn> uniqueKeyColumns(Connection c, TableRef table) throws SQLException {
        return UniqueKeys.of(c, table).stream()
                .map(k -> new IndexColumn(k.index(), k.column(), k.dataType(), k.nullable(), k.prefix())).toList();
    }

    /** MIN and MAX of an integer key; empty for an empty table or one beyond a long (an unsigned BIGINT) */
    private static Optional<long[]> minMax(Connection c, TableRef table, String column) throws SQLException {
        String q = TableRef.quote(column);
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT MIN(" + q + "), MAX(" + q + ") FROM " + table.quoted())) {
            if (!rs.next() || rs.getString(1) == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(new long[]{Long.parseLong(rs.getString(1)), Long.parseLong(rs.getString(2))});
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * Every {@code chunkRows}-th key in key order, each found from the one before ({@code key >= previous ORDER BY
     * key LIMIT 1 OFFSET chunkRows}): one walk over the key's index in all, and boundaries ascending as the server
     * compares them, because each is read back in a form ({@link #TEXT_EXACT} as text, binary as bytes) that
     * compares as the stored value did.
     */
    private static List<List<Object>> sampled(Connection c, TableRef table, List<IndexColumn> key, long chunkRows)
            throws SQLException {
        List<String> names = key.stream().map(IndexColumn::column).toList();
        String columns = String.join(",", names.stream().map(TableRef::quote).toList());
        List<List<Object>> boundaries = new ArrayList<>();
        List<Object> previous = List.of();
        while (boundaries.size() < KeyRanges.MAX_RANGES - 1) {
            KeyRanges.Range after = new KeyRanges.Range(0, previous, List.of());
            String sql = "SELECT " + columns + " FROM " + table.quoted() + " WHERE " + after.condition(names)
                    + " ORDER BY " + columns + " LIMIT 1 OFFSET " + chunkRows;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, after.parameters());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        break;
                    }
                    List<Object> boundary = new ArrayList<>();
                    for (int i = 0; i < key.size(); i++) {
                        boundary.add(BYTES.contains(type(key.get(i))) ? rs.getBytes(i + 1) : rs.getString(i + 1));
                    }
                    boundaries.add(boundary);
                    previous = boundary;
                }
            }
        }
        return boundaries;
    }

    /** binds a range's values: text as strings, binary keys as bytes */
    static void bind(PreparedStatement ps, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            switch (v) {
                case byte[] bytes -> ps.setBytes(i + 1, bytes);
                case Long l -> ps.setLong(i + 1, l);
                default -> ps.setString(i + 1, v.toString());
            }
        }
    }
}
