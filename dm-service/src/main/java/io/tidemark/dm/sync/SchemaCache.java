package io.tidemark.dm.sync;

import io.tidemark.common.table.TableRef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Table definitions read from the TARGET's information_schema: the statements a row change becomes are built by the
 * table it lands in. The target tracks the source schema because DDL is replayed in binlog order before later row
 * events, so its column order is the row image's — without needing binlog_row_metadata=FULL (Aurora's default is
 * MINIMAL). How a cell is read is the source's business ({@link SourceTypes}). Invalidated on every applied DDL.
 * Not thread-safe: one per replicator.
 */
final class SchemaCache {
    private final Map<TableRef, TableSchema> cache = new HashMap<>();

    /** @return empty when the target has no such table */
    Optional<TableSchema> get(Connection c, TableRef table) throws SQLException {
        TableSchema s = cache.get(table);
        if (s == null) {
            s = load(c, table);
            if (s == null) {
                return Optional.empty();
            }
            cache.put(table, s);
        }
        return Optional.of(s);
    }

    void invalidateAll() {
        cache.clear();
    }

    static TableSchema load(Connection c, TableRef table) throws SQLException {
        List<Column> columns = columns(c, table);
        if (columns.isEmpty()) {
            return null;
        }
        Map<String, List<String>> uniqueKeys = new LinkedHashMap<>();
        boolean prefixed = false;
        try (PreparedStatement ps = c.prepareStatement("SELECT INDEX_NAME, COLUMN_NAME, SUB_PART FROM"
                + " information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0"
                + " ORDER BY INDEX_NAME, SEQ_IN_INDEX")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    uniqueKeys.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                    rs.getLong(3);
                    prefixed |= !rs.wasNull();
                }
            }
        }
        TableSchema chosen = choose(table, columns, uniqueKeys);
        if (prefixed && chosen.keyKind() != TableSchema.KeyKind.ALL_COLUMNS) {
            // a unique index on a column prefix makes two different values clash; the whole values cannot tell which,
            // so parallel apply keeps the table's changes in order on one session (no unique values to route by)
            return new TableSchema(table, chosen.columns(), chosen.key(), chosen.keyKind(), List.of());
        }
        return chosen;
    }

    /** a table's columns in ordinal order as a server's information_schema shows them; empty when it shows none */
    static List<Column> columns(Connection c, TableRef table) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_SET_NAME,"
                + " IS_NULLABLE, EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
                + " ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String extra = rs.getString(6) == null ? "" : rs.getString(6).toUpperCase(Locale.ROOT);
                    columns.add(new Column(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            "YES".equalsIgnoreCase(rs.getString(5)),
                            extra.contains("GENERATED") || extra.contains("PERSISTENT")));
                }
            }
        }
        return columns;
    }

    /** the primary key, else the first unique key whose columns are all NOT NULL, else every written column */
    static TableSchema choose(TableRef table, List<Column> columns, Map<String, List<String>> uniqueKeys) {
        List<List<Integer>> uniques = new ArrayList<>();
        List<String> primary = uniqueKeys.get("PRIMARY");
        if (primary != null) {
            uniques.add(ordinals(columns, primary));
        }
        uniqueKeys.forEach((name, key) -> {
            if (!name.equals("PRIMARY")) {
                uniques.add(ordinals(columns, key));
            }
        });
        if (primary != null) {
            return new TableSchema(table, columns, uniques.getFirst(), TableSchema.KeyKind.PRIMARY, uniques);
        }
        for (List<Integer> ords : uniques) {
            if (ords.stream().noneMatch(i -> columns.get(i).nullable() || columns.get(i).generated())) {
                return new TableSchema(table, columns, ords, TableSchema.KeyKind.UNIQUE_NOT_NULL, uniques);
            }
        }
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (!columns.get(i).generated()) {
                all.add(i);
            }
        }
        return new TableSchema(table, columns, all, TableSchema.KeyKind.ALL_COLUMNS);
    }

    private static List<Integer> ordinals(List<Column> columns, List<String> names) {
        List<Integer> out = new ArrayList<>();
        for (String n : names) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).name().equalsIgnoreCase(n)) {
                    out.add(i);
                    break;
                }
            }
        }
        return out;
    }
}
