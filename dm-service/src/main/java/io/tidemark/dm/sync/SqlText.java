package io.tidemark.dm.sync;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A row statement's text with its values written in as literals, the way Connector/J's client-side prepared statements
 * send them anyway (text protocol), but written once: the driver's batch rewriting encoded and escaped every string
 * twice (once to size the batch, once to send it) and allocated its bindings per row, which profiling showed as half
 * of the applier's CPU. An INSERT or REPLACE of one row's VALUES joins its rows into one multi-row statement, and a
 * DELETE by a one-column key its keys into one {@code IN} list (the key is unique and NOT NULL, so the list deletes
 * exactly the rows the single statements would; the server finds them in one statement instead of one each). The
 * session's sql_mode ({@link TargetSession}) has no NO_BACKSLASH_ESCAPES, so strings escape with backslashes; the
 * session's character set is utf8mb4, so any Java string goes through as it is. Immutable, thread-safe.
 */
final class SqlText {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** the text between the placeholders: one more than there are values */
    private final String[] fragments;
    /** for INSERT/REPLACE … VALUES (?, …): the text before the first row's "(", for DELETE … = ?: up to "IN (" */
    private final String rowsHead;
    /** a DELETE by one key column: its rows are bare values in an IN list */
    private final boolean inList;

    private SqlText(String[] fragments, String rowsHead, boolean inList) {
        this.fragments = fragments;
        this.rowsHead = rowsHead;
        this.inList = inList;
    }

    /** @param sql a statement of {@link RowStatements}: '?' placeholders, identifiers in backquotes */
    static SqlText of(String sql) {
        List<String> parts = new ArrayList<>();
        int from = 0;
        boolean quoted = false;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '`') {
                quoted = !quoted; // a doubled backquote inside a name flips twice
            } else if (c == '?' && !quoted) {
                parts.add(sql.substring(from, i));
                from = i + 1;
            }
        }
        parts.add(sql.substring(from));
        String[] fragments = parts.toArray(String[]::new);
        // RowStatements' DELETE by a real key: "DELETE FROM t WHERE `k` = ?"; by every column it has <=> and LIMIT 1
        if (sql.startsWith("DELETE FROM ") && fragments.length == 2 && fragments[1].isEmpty()
                && fragments[0].endsWith(" = ") && fragments[0].indexOf(" AND ") < 0) {
            return new SqlText(fragments, fragments[0].substring(0, fragments[0].length() - 2) + "IN (", true);
        }
        return new SqlText(fragments, rowsHead(sql, fragments), false);
    }

    private static String rowsHead(String sql, String[] fragments) {
        if (!(sql.startsWith("INSERT INTO ") || sql.startsWith("REPLACE INTO ")) || fragments.length < 2
                || !fragments[0].endsWith(" VALUES (") || !fragments[fragments.length - 1].equals(")")) {
            return null;
        }
        for (int i = 1; i < fragments.length - 1; i++) {
            if (!fragments[i].equals(", ")) {
                return null;
            }
        }
        return fragments[0].substring(0, fragments[0].length() - 1);
    }

    /** whether rows of this statement can be joined into one statement: {@link #rowsHead}, rows by ",", {@link #rowsTail} */
    boolean multiRow() {
        return rowsHead != null;
    }

    /** "INSERT INTO t (a, b) VALUES " or "DELETE FROM t WHERE `k` IN (" for a multi-row statement */
    String rowsHead() {
        return rowsHead;
    }

    /** what closes a multi-row statement */
    String rowsTail() {
        return inList ? ")" : "";
    }

    /** one row's "(v1, v2)" of a multi-row statement, or its key value in an IN list */
    void appendRow(StringBuilder out, List<Object> params) {
        if (inList) {
            literal(out, params.getFirst());
            return;
        }
        out.append('(');
        for (int i = 0; i < params.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            literal(out, params.get(i));
        }
        out.append(')');
    }

    /** the whole statement with its values in place */
    void appendWhole(StringBuilder out, List<Object> params) {
        if (params.size() != fragments.length - 1) {
            throw new IllegalArgumentException(params.size() + " values for " + (fragments.length - 1)
                    + " placeholders");
        }
        out.append(fragments[0]);
        for (int i = 0; i < params.size(); i++) {
            literal(out, params.get(i));
            out.append(fragments[i + 1]);
        }
    }

    /** a value of {@link ValueConverter#convert} as a SQL literal that reads back as exactly that value */
    static void literal(StringBuilder out, Object v) {
        switch (v) {
            case null -> out.append("NULL");
            case Long l -> out.append(l.longValue());
            case Integer i -> out.append(i.intValue());
            case BigInteger b -> out.append(b);
            case BigDecimal d -> out.append(d.toPlainString());
            case Double d -> {
                if (!Double.isFinite(d)) {
                    throw new IllegalArgumentException("no SQL literal for the double " + d);
                }
                // the shortest text that parses back to this very double, as Connector/J's setDouble sends it
                out.append(d.doubleValue());
            }
            case String s -> string(out, s);
            case byte[] b -> {
                // a binary string: converts into any column byte for byte, as the driver's _binary'…' did
                out.append("X'");
                for (byte x : b) {
                    out.append(HEX[(x >> 4) & 0xF]).append(HEX[x & 0xF]);
                }
                out.append('\'');
            }
            default -> throw new IllegalArgumentException("no SQL literal for a " + v.getClass().getName());
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('\'');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\0' -> out.append("\\0");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '"' -> out.append("\\\"");
                case '\032' -> out.append("\\Z");
                default -> out.append(c);
            }
        }
        out.append('\'');
    }
}
