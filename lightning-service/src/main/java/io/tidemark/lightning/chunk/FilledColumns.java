package io.tidemark.lightning.chunk;

import io.tidemark.common.table.ExtractedColumn;
import io.tidemark.lightning.sql.ColumnList;
import io.tidemark.lightning.sql.Parentheses;
import io.tidemark.lightning.target.SessionText;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The columns a chunk's route fills (DM's extract-table, extract-schema, extract-source), written beside the file's
 * own: added to a SQL INSERT's column list and to each of its value tuples, or set by LOAD DATA's {@code SET}. The
 * file's values are sent as they are; only the filled columns' literals are added. Statements are in the session view
 * ({@link SessionText}). Immutable.
 */
record FilledColumns(List<ExtractedColumn> columns) {
    FilledColumns {
        columns = List.copyOf(columns);
    }

    /** the filled columns' names, as the target names them */
    List<String> names() {
        return columns.stream().map(ExtractedColumn::column).toList();
    }

    boolean isEmpty() {
        return columns.isEmpty();
    }

    /** the target's columns less the filled ones: what a file without a header or column list holds */
    ColumnList withoutFilled(ColumnList target) {
        Set<String> filled = columns.stream().map(c -> SessionText.utf8(c.column()).toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        return new ColumnList(target.names().stream().filter(n -> !filled.contains(n.toLowerCase(Locale.ROOT)))
                .toList());
    }

    /** LOAD DATA's clause setting every filled column; empty when there are none */
    String loadDataSet() {
        if (columns.isEmpty()) {
            return "";
        }
        return " SET " + columns.stream().map(c -> SessionText.utf8(c.quotedColumn() + " = " + c.literal()))
                .collect(Collectors.joining(", "));
    }

    /**
     * An INSERT as the chunk writes it ({@code head} then a column list, then VALUES and its tuples) with the filled
     * columns added to the list and their values to every tuple.
     *
     * @param head the statement's head, up to where its column list starts
     * @throws IllegalArgumentException when the statement has no column list or its VALUES cannot be followed
     */
    String intoInsert(String sql, int head) {
        if (columns.isEmpty()) {
            return sql;
        }
        String names = columns.stream().map(c -> ", " + SessionText.utf8(c.quotedColumn()))
                .collect(Collectors.joining());
        String values = columns.stream().map(c -> ", " + SessionText.utf8(c.literal())).collect(Collectors.joining());
        int open = skipSpace(sql, head);
        if (open >= sql.length() || sql.charAt(open) != '(') {
            throw new IllegalArgumentException("the INSERT names no columns");
        }
        int close = closing(sql, open);
        StringBuilder out = new StringBuilder(sql.length() + 64).append(sql, 0, close).append(names);
        int i = close;
        // every top-level tuple after VALUES gets the values before its closing parenthesis
        int from = i;
        while (true) {
            int tuple = nextTuple(sql, i + 1);
            if (tuple < 0) {
                break;
            }
            int end = closing(sql, tuple);
            out.append(sql, from, end).append(values);
            from = end;
            i = end;
        }
        return out.append(sql, from, sql.length()).toString();
    }

    private static int skipSpace(String sql, int i) {
        while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        return i;
    }

    /** the next '(' outside quotes from {@code i}, or -1; between tuples stand only VALUES, commas and space */
    private static int nextTuple(String sql, int i) {
        for (; i < sql.length(); i++) {
            char ch = sql.charAt(i);
            if (ch == '(') {
                return i;
            }
            if (ch == '\'' || ch == '"' || ch == '`') {
                return -1; // ON DUPLICATE KEY UPDATE ... or anything else after the values: not a tuple
            }
        }
        return -1;
    }

    /** the parenthesis closing the one at {@code open}, quotes and backslash escapes skipped */
    private static int closing(String sql, int open) {
        int close = Parentheses.closing(sql, open);
        if (close < 0) {
            throw new IllegalArgumentException("a parenthesis opened at " + open + " is never closed");
        }
        return close;
    }
}
