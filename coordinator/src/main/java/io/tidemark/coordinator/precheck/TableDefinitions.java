package io.tidemark.coordinator.precheck;

import io.tidemark.common.table.TableFilter;
import io.tidemark.common.table.TableRef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads table definitions from {@code information_schema}, one schema at a time (three queries per schema, not per
 * table), with read-only statements. The same on a source and on a target, MySQL, MariaDB and TiDB alike.
 */
final class TableDefinitions {
    private static final String COLUMNS = "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT,"
            + " EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION";
    private static final String KEYS = "SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS"
            + " WHERE TABLE_SCHEMA = ? AND NON_UNIQUE = 0 ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX";
    private static final String ENGINES = "SELECT TABLE_NAME, ENGINE FROM information_schema.TABLES"
            + " WHERE TABLE_SCHEMA = ?";

    private TableDefinitions() {
    }

    /** the base tables of the server that {@code filter} selects (system schemas never are) */
    static List<TableRef> selected(Connection session, TableFilter filter) throws SQLException {
        List<TableRef> tables = new ArrayList<>();
        try (Statement st = session.createStatement(); ResultSet rs = st.executeQuery("SELECT TABLE_SCHEMA,"
                + " TABLE_NAME FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE'")) {
            while (rs.next()) {
                TableRef t = TableRef.of(rs.getString(1), rs.getString(2));
                if (filter.matches(t)) {
                    tables.add(t);
                }
            }
        }
        return tables;
    }

    /** the definitions of {@code tables}, by {@link TableDefinition#key()} */
    static Map<String, TableDefinition> read(Connection session, Collection<TableRef> tables) throws SQLException {
        Map<String, Set<String>> bySchema = new TreeMap<>();
        for (TableRef t : tables) {
            bySchema.computeIfAbsent(t.schema(), s -> new TreeSet<>()).add(t.table());
        }
        Map<String, TableDefinition> out = new LinkedHashMap<>();
        for (Map.Entry<String, Set<String>> schema : bySchema.entrySet()) {
            Map<String, String> autoIncrement = new TreeMap<>();
            Map<String, List<TableDefinition.Column>> columns = columns(session, schema.getKey(), schema.getValue(),
                    autoIncrement);
            Map<String, Map<String, List<String>>> keys = uniqueKeys(session, schema.getKey(), schema.getValue());
            Map<String, String> engines = engines(session, schema.getKey(), schema.getValue());
            for (String table : schema.getValue()) {
                Map<String, List<String>> tableKeys = keys.getOrDefault(table, Map.of());
                List<String> primary = tableKeys.getOrDefault("PRIMARY", List.of());
                List<List<String>> unique = tableKeys.entrySet().stream()
                        .filter(k -> !k.getKey().equals("PRIMARY")).map(Map.Entry::getValue).toList();
                String counter = autoIncrement.get(table);
                TableDefinition d = new TableDefinition(TableRef.of(schema.getKey(), table),
                        columns.getOrDefault(table, List.of()), primary, unique, engines.get(table), null,
                        primary.size() == 1 && primary.getFirst().equalsIgnoreCase(counter) ? counter : null, null);
                out.put(d.key(), d);
            }
        }
        return out;
    }

    /** each of {@code tables}, with whether it holds a row ({@code SELECT 1 ... LIMIT 1}: one index read) */
    static Map<String, TableDefinition> withRows(Connection session, Map<String, TableDefinition> tables)
            throws SQLException {
        Map<String, TableDefinition> out = new LinkedHashMap<>();
        for (TableDefinition d : tables.values()) {
            try (Statement st = session.createStatement();
                 ResultSet rs = st.executeQuery("SELECT 1 FROM " + d.table().quoted() + " LIMIT 1")) {
                out.put(d.key(), d.withRows(rs.next()));
            }
        }
        return out;
    }

    /** @param autoIncrement filled with each table's auto-increment column */
    /**
     * each of {@code tables} with the range its auto-increment primary key holds ({@code MIN}/{@code MAX}: two reads
     * of the key's ends), where it has one
     */
    static Map<String, TableDefinition> withKeyRanges(Connection session, Collection<TableDefinition> tables)
            throws SQLException {
        Map<String, TableDefinition> out = new LinkedHashMap<>();
        for (TableDefinition d : tables) {
            if (d.autoIncrementKey() == null) {
                out.put(d.key(), d);
                continue;
            }
            String key = TableRef.quote(d.autoIncrementKey());
            try (Statement st = session.createStatement(); ResultSet rs = st.executeQuery("SELECT MIN(" + key
                    + "), MAX(" + key + ") FROM " + d.table().quoted())) {
                rs.next();
                long min = rs.getLong(1);
                out.put(d.key(), rs.wasNull() ? d : d.withKeyRange(new TableDefinition.KeyRange(min, rs.getLong(2))));
            }
        }
        return out;
    }

    private static Map<String, List<TableDefinition.Column>> columns(Connection session, String schema,
                                                                    Set<String> tables,
                                                                    Map<String, String> autoIncrement)
            throws SQLException {
        Map<String, List<TableDefinition.Column>> out = new TreeMap<>();
        try (PreparedStatement ps = session.prepareStatement(COLUMNS)) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString(1);
                    if (!tables.contains(table)) {
                        continue;
                    }
                    String extra = String.valueOf(rs.getString(6)).toLowerCase(Locale.ROOT);
                    boolean nullable = "YES".equalsIgnoreCase(rs.getString(4));
                    if (extra.contains("auto_increment")) {
                        autoIncrement.put(table, rs.getString(2));
                    }
                    boolean fills = rs.getString(5) != null || nullable || extra.contains("auto_increment")
                            || extra.contains("generated") || extra.contains("virtual") || extra.contains("stored")
                            || extra.contains("persistent");
                    out.computeIfAbsent(table, t -> new ArrayList<>()).add(new TableDefinition.Column(
                            rs.getString(2), rs.getString(3), nullable, fills));
                }
            }
        }
        return out;
    }

    /** table → unique index name → its columns in key order */
    private static Map<String, Map<String, List<String>>> uniqueKeys(Connection session, String schema,
                                                                     Set<String> tables) throws SQLException {
        Map<String, Map<String, List<String>>> out = new TreeMap<>();
        try (PreparedStatement ps = session.prepareStatement(KEYS)) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (tables.contains(rs.getString(1))) {
                        out.computeIfAbsent(rs.getString(1), t -> new TreeMap<>())
                                .computeIfAbsent(rs.getString(2), k -> new ArrayList<>())
                                .add(rs.getString(3) == null ? "(an expression)" : rs.getString(3));
                    }
                }
            }
        }
        return out;
    }

    /** table → its engine ({@code ENGINE} is null for a view, and may be for a table the account cannot open) */
    private static Map<String, String> engines(Connection session, String schema, Set<String> tables)
            throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (PreparedStatement ps = session.prepareStatement(ENGINES)) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (tables.contains(rs.getString(1)) && rs.getString(2) != null) {
                        out.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        return out;
    }

    /** {@code (id, name)}: a key or a column list as messages show it */
    static String list(List<String> columns) {
        return columns.stream().map(c -> "`" + c + "`").collect(Collectors.joining(", ", "(", ")"));
    }
}
