package io.tidemark.lightning.chunk;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.table.TableRef;
import io.tidemark.lightning.sql.ColumnList;
import io.tidemark.lightning.target.SessionText;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which target column each column of a data file goes into, by name as MySQL compares column names (ignoring case):
 * a file's rows are then written with an explicit column list, right whatever the target table's column order. A
 * file column the target table lacks stops the import, naming it; a generated target column is left out, since the
 * server computes it (an export carries its values too). Also gives the columns a SQL file's INSERT without a column
 * list fills ({@link #insertable}) when the dump holds no CREATE TABLE to read them from.
 *
 * @param fileColumns   the file's columns that are written, in the file's order
 * @param targetColumns the target's name for each, in the same order
 * @param generated     the file's columns left out because the target generates them
 */
record TargetColumns(List<String> fileColumns, List<String> targetColumns, List<String> generated) {
    TargetColumns {
        fileColumns = List.copyOf(fileColumns);
        targetColumns = List.copyOf(targetColumns);
        generated = List.copyOf(generated);
    }

    static TargetColumns match(Connection c, String target, TableRef table, String file, List<String> fileColumns)
            throws SQLException {
        Map<String, String> names = new HashMap<>();
        Map<String, Boolean> isGenerated = new HashMap<>();
        for (Column column : read(c, target, table, file)) {
            String key = column.name().toLowerCase(Locale.ROOT);
            names.put(key, column.name());
            isGenerated.put(key, column.generated());
        }
        List<String> from = new ArrayList<>();
        List<String> to = new ArrayList<>();
        List<String> generated = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String column : fileColumns) {
            String key = column.toLowerCase(Locale.ROOT);
            String name = names.get(key);
            if (name == null) {
                missing.add("`" + column + "`");
            } else if (isGenerated.get(key)) {
                generated.add(column);
            } else {
                from.add(column);
                to.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new TidemarkException(ErrorCode.TARGET_TABLE_MISMATCH, target, "table " + table
                    + " has no column " + String.join(", ", missing) + " that " + file + " holds values for");
        }
        return new TargetColumns(from, to, generated);
    }

    /**
     * The columns an INSERT without a column list fills on {@code table}: its columns in their order, without
     * generated and invisible ones, as the session sends their names.
     */
    static ColumnList insertable(Connection c, String target, TableRef table, String file) throws SQLException {
        return new ColumnList(read(c, target, table, file).stream().filter(col -> !col.generated() && !col.invisible())
                .map(col -> SessionText.utf8(col.name())).toList());
    }

    /** a column of the target table: generated ones the server computes, invisible ones a bare INSERT leaves out */
    private record Column(String name, boolean generated, boolean invisible) {
    }

    /** the table's columns in their order; a table that is not there stops the chunk, naming it */
    private static List<Column> read(Connection c, String target, TableRef table, String file) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SessionText.utf8("SELECT COLUMN_NAME, EXTRA"
                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
                + " ORDER BY ORDINAL_POSITION"))) {
            SessionText.bind(ps, 1, table.schema());
            SessionText.bind(ps, 2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // the session returns the catalog's bytes as they are: UTF-8
                    String name = new String(rs.getBytes(1), StandardCharsets.UTF_8);
                    byte[] extra = rs.getBytes(2);
                    String words = extra == null ? "" : new String(extra, StandardCharsets.UTF_8)
                            .toUpperCase(Locale.ROOT);
                    columns.add(new Column(name, words.contains("GENERATED"), words.contains("INVISIBLE")));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new TidemarkException(ErrorCode.TARGET_TABLE_MISSING, target, table, "the rows of " + file
                    + " go there, and it was not there when the chunk ran (dropped after the import was planned?)");
        }
        return columns;
    }

    /** {@code (`a`,`b`)} as the session sends it */
    String sql() {
        StringBuilder out = new StringBuilder("(");
        for (String name : targetColumns) {
            out.append(out.length() > 1 ? "," : "").append(TableRef.quote(name));
        }
        return SessionText.utf8(out.append(')').toString());
    }
}
