package io.tidemark.lightning.chunk;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.table.TableRef;
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
 * server computes it (an export carries its values too).
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
        try (PreparedStatement ps = c.prepareStatement(SessionText.utf8("SELECT COLUMN_NAME, EXTRA"
                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"))) {
            SessionText.bind(ps, 1, table.schema());
            SessionText.bind(ps, 2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // the session returns the catalog's bytes as they are: UTF-8
                    String name = new String(rs.getBytes(1), StandardCharsets.UTF_8);
                    byte[] extra = rs.getBytes(2);
                    String key = name.toLowerCase(Locale.ROOT);
                    names.put(key, name);
                    isGenerated.put(key, extra != null && new String(extra, StandardCharsets.UTF_8)
                            .toUpperCase(Locale.ROOT).contains("GENERATED"));
                }
            }
        }
        if (names.isEmpty()) {
            throw new TidemarkException(ErrorCode.TARGET_STATEMENT_FAILED, table + " (file " + file + ")", "table "
                    + table + " does not exist on target " + target + "; create it from the schema dump (Dumpling"
                    + " --no-data, as the seed's step 1 does) before importing its data");
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

    /** {@code (`a`,`b`)} as the session sends it */
    String sql() {
        StringBuilder out = new StringBuilder("(");
        for (String name : targetColumns) {
            out.append(out.length() > 1 ? "," : "").append(TableRef.quote(name));
        }
        return SessionText.utf8(out.append(')').toString());
    }
}
