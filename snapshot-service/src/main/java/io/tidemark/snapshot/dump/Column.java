package io.tidemark.snapshot.dump;

import io.tidemark.common.table.TableRef;
import io.tidemark.snapshot.parquet.SourceColumn;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A column as the dump sees it.
 *
 * @param source    its name and type as information_schema describes them
 * @param generated a generated (virtual/stored) column: never dumped, the target computes it
 * @param invisible a MariaDB/MySQL INVISIBLE column: dumped, but only an explicit column list reaches it
 */
record Column(SourceColumn source, boolean generated, boolean invisible) {
    /** MySQL 8 marks DEFAULT CURRENT_TIMESTAMP columns DEFAULT_GENERATED: those hold data and are dumped */
    private static final Pattern GENERATED = Pattern.compile("\\b(VIRTUAL|STORED|PERSISTENT) GENERATED\\b");
    private static final Pattern INVISIBLE = Pattern.compile("\\bINVISIBLE\\b");

    static Column of(String name, String dataType, String extra) {
        return of(SourceColumn.of(name, dataType), extra);
    }

    private static Column of(SourceColumn source, String extra) {
        String e = extra == null ? "" : extra.toUpperCase(Locale.ROOT);
        return new Column(source, GENERATED.matcher(e).find(), INVISIBLE.matcher(e).find());
    }

    static List<Column> of(Connection connection, TableRef table) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT COLUMN_NAME, DATA_TYPE, EXTRA, COLUMN_TYPE, NUMERIC_PRECISION, NUMERIC_SCALE,"
                        + " CHARACTER_MAXIMUM_LENGTH, DATETIME_PRECISION FROM information_schema.COLUMNS"
                        + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(of(new SourceColumn(rs.getString(1), rs.getString(2), rs.getString(4),
                            rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8)), rs.getString(3)));
                }
            }
        }
        return columns;
    }

    String name() {
        return source.name();
    }

    ColumnKind kind() {
        return ColumnKind.of(source.dataType());
    }

    static List<Column> dumped(List<Column> all) {
        return all.stream().filter(c -> !c.generated()).toList();
    }

    /** whether {@code INSERT INTO t VALUES} without a column list would not line up with the dumped columns */
    static boolean needsColumnList(List<Column> all) {
        return all.stream().anyMatch(c -> c.generated() || c.invisible());
    }
}
