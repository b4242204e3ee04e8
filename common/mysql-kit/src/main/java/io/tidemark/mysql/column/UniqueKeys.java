package io.tidemark.mysql.column;

import io.tidemark.common.table.TableRef;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The columns of a table's unique indexes (its primary key included), read with {@code SHOW INDEX} and
 * {@code SHOW COLUMNS} of that one table. Not from {@code information_schema.STATISTICS} joined with {@code COLUMNS}:
 * MariaDB 10.11 crashed (signal 11) on that join while other sessions held the table under {@code LOCK TABLES}, in
 * the chunked dump's and the verify's ITs alike.
 */
public final class UniqueKeys {
    private UniqueKeys() {
    }

    /**
     * One column of a unique index.
     *
     * @param dataType the column's type without its length or attributes ({@code int}, {@code varchar}), lower case
     * @param prefix   whether the index holds only a prefix of the column (a key on {@code name(10)})
     */
    public record KeyColumn(String index, String column, String dataType, boolean nullable, boolean prefix) {
    }

    /** every unique index's columns, ordered by index name, then position in the index */
    public static List<KeyColumn> of(Connection session, TableRef table) throws SQLException {
        Map<String, String> types = new HashMap<>();
        Map<String, Boolean> nullable = new HashMap<>();
        try (Statement st = session.createStatement();
             ResultSet rs = st.executeQuery("SHOW COLUMNS FROM " + table.quoted())) {
            while (rs.next()) {
                String name = rs.getString("Field");
                types.put(name, baseType(rs.getString("Type")));
                nullable.put(name, "YES".equalsIgnoreCase(rs.getString("Null")));
            }
        }
        record Row(String index, int seq, KeyColumn column) {
        }
        List<Row> rows = new ArrayList<>();
        try (Statement st = session.createStatement();
             ResultSet rs = st.executeQuery("SHOW INDEX FROM " + table.quoted())) {
            while (rs.next()) {
                if (rs.getInt("Non_unique") != 0) {
                    continue;
                }
                String index = rs.getString("Key_name");
                String column = rs.getString("Column_name");
                rows.add(new Row(index, rs.getInt("Seq_in_index"), new KeyColumn(index, column,
                        types.getOrDefault(column, ""), nullable.getOrDefault(column, true),
                        rs.getObject("Sub_part") != null)));
            }
        }
        rows.sort(Comparator.comparing(Row::index).thenComparingInt(Row::seq));
        return rows.stream().map(Row::column).toList();
    }

    /** {@code int(11) unsigned} → {@code int}, {@code varchar(40)} → {@code varchar} */
    static String baseType(String type) {
        String t = type.toLowerCase(Locale.ROOT).strip();
        int cut = t.length();
        for (char stop : new char[]{'(', ' '}) {
            int i = t.indexOf(stop);
            if (i >= 0) {
                cut = Math.min(cut, i);
            }
        }
        return t.substring(0, cut);
    }
}
