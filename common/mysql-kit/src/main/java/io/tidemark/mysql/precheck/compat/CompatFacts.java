package io.tidemark.mysql.precheck.compat;

import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.error.Side;
import io.tidemark.mysql.error.SqlErrors;
import io.tidemark.mysql.precheck.Fact;
import io.tidemark.mysql.precheck.source.SourceFacts.Tables;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What the TiDB-compatibility checks look at: what the selected schemas and tables use on the source, and which
 * collations and name folding the target has. Read with information_schema queries only (plus a bounded row-size probe
 * of small tables with large columns), each item on its own so one unreadable item does not hide the others. The
 * checks only look at these facts, so they are tested on recorded facts without a server. An immutable value.
 *
 * @param target            the target as {@code user@host:port}, for messages
 * @param selected          the base tables the migration's filter selects (the source facts' selection)
 * @param objects           triggers on selected tables; routines and events of the selected schemas; views the
 *                          filter matches
 * @param indexes           SPATIAL and FULLTEXT indexes of selected tables
 * @param columns           every column of the selected tables
 * @param tables            table-level facts of the selected tables (default collation, row estimates)
 * @param largestRows       for the small tables with large columns: the bytes of their largest row's large columns
 * @param sourceLowerCase   the source's lower_case_table_names
 * @param targetLowerCase   the target's lower_case_table_names
 * @param targetCollations  the target's information_schema.COLLATIONS names, lower case
 * @param targetCharsets    the target's information_schema.CHARACTER_SETS names, lower case
 */
public record CompatFacts(String target, List<TableRef> selected, Fact<SchemaObjects> objects, Fact<List<Index>> indexes,
                          Fact<List<Column>> columns, Fact<List<TableStats>> tables,
                          Fact<List<RowProbe>> largestRows, Fact<Integer> sourceLowerCase,
                          Fact<Integer> targetLowerCase, Fact<Set<String>> targetCollations,
                          Fact<Set<String>> targetCharsets) {

    /**
     * A table is probed for its largest row only when information_schema estimates at most this many rows and at
     * most {@link #PROBE_MAX_BYTES} of data: the probe reads every large value, so it must stay cheap.
     */
    public static final long PROBE_MAX_ROWS = 10_000;
    public static final long PROBE_MAX_BYTES = 256L << 20;
    /** column types whose single value may exceed TiDB's default entry size limit (6 MiB) */
    static final Set<String> LARGE_TYPES = Set.of("mediumblob", "mediumtext", "longblob", "longtext", "json");

    /** what Tidemark does not migrate, each as {@code schema.name} */
    public record SchemaObjects(List<String> triggers, List<String> routines, List<String> events,
                                List<TableRef> views) {
        public SchemaObjects {
            triggers = List.copyOf(triggers);
            routines = List.copyOf(routines);
            events = List.copyOf(events);
            views = List.copyOf(views);
        }
    }

    /** @param type SPATIAL or FULLTEXT */
    public record Index(TableRef table, String name, String type) {
    }

    /**
     * @param dataType  information_schema's DATA_TYPE, lower case ({@code geometry}, {@code longtext}, ...)
     * @param charset   null for a column without one (numbers, binary strings)
     * @param collation null for a column without one
     */
    public record Column(TableRef table, String name, String dataType, String charset, String collation) {
        boolean large() {
            return LARGE_TYPES.contains(dataType);
        }
    }

    /**
     * @param collation  the table's default collation; null when unknown
     * @param rows       information_schema's estimate
     * @param dataLength information_schema's DATA_LENGTH, bytes
     */
    public record TableStats(TableRef table, String collation, long rows, long avgRowLength, long dataLength) {
        boolean cheapToProbe() {
            return rows <= PROBE_MAX_ROWS && dataLength <= PROBE_MAX_BYTES;
        }
    }

    /** @param bytes the largest sum of the large columns' lengths in one row */
    public record RowProbe(TableRef table, long bytes) {
    }

    public CompatFacts {
        selected = List.copyOf(selected);
    }

    /** the facts when nothing could be read: every check then warns, naming {@code error} */
    public static CompatFacts unread(String target, TidemarkException error) {
        return new CompatFacts(target, List.of(), Fact.failed(error), Fact.failed(error), Fact.failed(error),
                Fact.failed(error), Fact.failed(error), Fact.failed(error), Fact.failed(error), Fact.failed(error),
                Fact.failed(error));
    }

    /**
     * Reads every item on open sessions the caller keeps using; only reads.
     *
     * @param tables the source's table selection ({@code SourceFacts.tables()}), already read with the filter
     */
    public static CompatFacts read(Connection source, String sourceWhere, Tables tables, Connection target,
                                   String targetWhere) {
        List<TableRef> selected = tables.selected();
        Set<TableRef> chosen = new HashSet<>(selected);
        List<String> schemas = List.copyOf(selected.stream().map(TableRef::schema)
                .collect(Collectors.toCollection(TreeSet::new)));
        Reader s = new Reader(source, Side.SOURCE, sourceWhere, schemas);
        Fact<SchemaObjects> objects = s.read("reading triggers, routines, events and views", () -> new SchemaObjects(
                s.names("SELECT TRIGGER_SCHEMA, TRIGGER_NAME, EVENT_OBJECT_SCHEMA, EVENT_OBJECT_TABLE"
                        + " FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA IN (%s)", chosen),
                s.names("SELECT ROUTINE_SCHEMA, ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES"
                        + " WHERE ROUTINE_SCHEMA IN (%s)", null),
                s.names("SELECT EVENT_SCHEMA, EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA IN (%s)",
                        null),
                s.views(tables)));
        Fact<List<Index>> indexes = s.read("reading the selected tables' indexes", () -> s.rows(
                "SELECT DISTINCT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, INDEX_TYPE FROM information_schema.STATISTICS"
                        + " WHERE TABLE_SCHEMA IN (%s) AND INDEX_TYPE IN ('SPATIAL', 'FULLTEXT')"
                        + " ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME",
                rs -> new Index(TableRef.of(rs.getString(1), rs.getString(2)), rs.getString(3),
                        rs.getString(4).toUpperCase(Locale.ROOT)), chosen));
        Fact<List<Column>> columns = s.read("reading the selected tables' columns", () -> s.rows(
                "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE, CHARACTER_SET_NAME, COLLATION_NAME"
                        + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN (%s)"
                        + " ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION",
                rs -> new Column(TableRef.of(rs.getString(1), rs.getString(2)), rs.getString(3),
                        rs.getString(4).toLowerCase(Locale.ROOT), rs.getString(5), rs.getString(6)), chosen));
        Fact<List<TableStats>> stats = s.read("reading the selected tables' collations and sizes", () -> s.rows(
                "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_COLLATION, TABLE_ROWS, AVG_ROW_LENGTH, DATA_LENGTH"
                        + " FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (%s) ORDER BY TABLE_SCHEMA, TABLE_NAME",
                rs -> new TableStats(TableRef.of(rs.getString(1), rs.getString(2)), rs.getString(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6)), chosen));
        Fact<List<RowProbe>> probes = columns.known() && stats.known()
                ? s.read("measuring the largest row of small tables with large columns",
                () -> s.probe(columns.value(), stats.value()))
                : Fact.failed(columns.known() ? stats.error() : columns.error());
        Fact<Integer> sourceLower = s.read("SELECT @@lower_case_table_names", () -> lowerCase(source));
        Reader t = new Reader(target, Side.TARGET, targetWhere, List.of());
        Fact<Integer> targetLower = t.read("SELECT @@lower_case_table_names", () -> lowerCase(target));
        Fact<Set<String>> collations = t.read("reading information_schema.COLLATIONS",
                () -> t.set("SELECT COLLATION_NAME FROM information_schema.COLLATIONS"));
        Fact<Set<String>> charsets = t.read("reading information_schema.CHARACTER_SETS",
                () -> t.set("SELECT CHARACTER_SET_NAME FROM information_schema.CHARACTER_SETS"));
        return new CompatFacts(targetWhere, selected, objects, indexes, columns, stats, probes, sourceLower, targetLower,
                collations, charsets);
    }

    private static int lowerCase(Connection session) throws SQLException {
        try (Statement st = session.createStatement();
             ResultSet rs = st.executeQuery("SELECT @@lower_case_table_names")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private interface SqlRead<T> {
        T get() throws SQLException;
    }

    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** one session's queries, each item's SQL error classified on its own */
    private record Reader(Connection session, Side side, String where, List<String> schemas) {
        <T> Fact<T> read(String what, SqlRead<T> read) {
            try {
                return Fact.of(read.get());
            } catch (SQLException e) {
                return Fact.failed(SqlErrors.classify(e, side, where, what));
            }
        }

        /** the rows of {@code sql} (its {@code %s} the schemas' placeholders) whose first two columns name a chosen table */
        <T> List<T> rows(String sql, RowMapper<T> mapper, Set<TableRef> chosen) throws SQLException {
            List<T> out = new ArrayList<>();
            if (schemas.isEmpty()) {
                return out;
            }
            String in = schemas.stream().map(x -> "?").collect(Collectors.joining(", "));
            try (PreparedStatement ps = session.prepareStatement(sql.formatted(in))) {
                for (int i = 0; i < schemas.size(); i++) {
                    ps.setString(i + 1, schemas.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (chosen == null || chosen.contains(TableRef.of(rs.getString(1), rs.getString(2)))) {
                            out.add(mapper.map(rs));
                        }
                    }
                }
            }
            return out;
        }

        /**
         * {@code schema.name} of each row; with {@code onTables}, only rows whose columns 3 and 4 name a chosen table
         * (a trigger's table); a third column (a routine's type) is added in parentheses.
         */
        List<String> names(String sql, Set<TableRef> onTables) throws SQLException {
            List<String> names = rows(sql, rs -> {
                String name = TableRef.of(rs.getString(1), rs.getString(2)).toString();
                if (onTables != null) {
                    return onTables.contains(TableRef.of(rs.getString(3), rs.getString(4)))
                            ? name + " (on " + TableRef.of(rs.getString(3), rs.getString(4)) + ")" : null;
                }
                return rs.getMetaData().getColumnCount() > 2
                        ? name + " (" + rs.getString(3).toLowerCase(Locale.ROOT) + ")" : name;
            }, null);
            names.removeIf(n -> n == null);
            Collections.sort(names);
            return names;
        }

        List<TableRef> views(Tables tables) throws SQLException {
            List<TableRef> views = rows("SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.VIEWS"
                            + " WHERE TABLE_SCHEMA IN (%s) ORDER BY TABLE_SCHEMA, TABLE_NAME",
                    rs -> TableRef.of(rs.getString(1), rs.getString(2)), null);
            views.removeIf(v -> !tables.filter().matches(v));
            return views;
        }

        Set<String> set(String sql) throws SQLException {
            Set<String> names = new TreeSet<>();
            try (Statement st = session.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    names.add(rs.getString(1).toLowerCase(Locale.ROOT));
                }
            }
            return names;
        }

        /** MAX of the large columns' summed lengths, on tables information_schema estimates small enough */
        List<RowProbe> probe(List<Column> columns, List<TableStats> stats) throws SQLException {
            List<RowProbe> probes = new ArrayList<>();
            for (TableStats t : stats) {
                List<Column> large = columns.stream().filter(c -> c.table().equals(t.table()) && c.large()).toList();
                if (large.isEmpty() || !t.cheapToProbe()) {
                    continue;
                }
                String sum = large.stream().map(c -> "COALESCE(LENGTH(" + TableRef.quote(c.name()) + "), 0)")
                        .collect(Collectors.joining(" + "));
                try (Statement st = session.createStatement();
                     ResultSet rs = st.executeQuery("SELECT MAX(" + sum + ") FROM " + t.table().quoted())) {
                    rs.next();
                    probes.add(new RowProbe(t.table(), rs.getLong(1)));
                }
            }
            return probes;
        }
    }
}
