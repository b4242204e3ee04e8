package io.tidemark.lightning.sql;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * The rows of an {@code INSERT|REPLACE INTO t [(columns)] VALUES (…),(…)} statement read from its text, value by value,
 * as the server reads the literals a dump writes (Dumpling, mysqldump, Tidemark's own dump): {@code NULL},
 * {@code TRUE}/{@code FALSE}, numbers ({@code -1.5e3}), {@code '…'} and {@code "…"} strings with MySQL's backslash
 * escapes and doubled quotes, the introducers {@code _binary} and {@code _utf8}/{@code _utf8mb3}/{@code _utf8mb4}, hex ({@code 0x41},
 * {@code x'41'}) and bit values ({@code b'101'}, {@code 0b101}).
 * <p>
 * Anything else (an expression, a function call, {@code DEFAULT}, {@code N'…'}, a comment amid the values,
 * {@code ON DUPLICATE KEY UPDATE}) is not read: {@link #read} then says so, and a caller that digests the values gives
 * up rather than guess what the server made of it. The backslash escapes assume an sql_mode without
 * {@code NO_BACKSLASH_ESCAPES}, the import sessions' one.
 */
public final class InsertValues {
    private final String sql;
    private final ColumnList columns;
    private final int valuesFrom;
    private int pos;

    private InsertValues(String sql, ColumnList columns, int valuesFrom) {
        this.sql = sql;
        this.columns = columns;
        this.valuesFrom = valuesFrom;
    }

    /** receives each row's values in order */
    @FunctionalInterface
    public interface Rows {
        void row(List<SqlValue> values);
    }

    /**
     * The statement's head: the columns it names and where its tuples start; empty when it is not an INSERT or REPLACE
     * of {@code VALUES} (an {@code INSERT ... SELECT}, {@code INSERT ... SET}).
     *
     * @param sql the statement in the session view ({@link io.tidemark.lightning.target.SessionText}), one char per byte
     */
    public static Optional<InsertValues> of(String sql) {
        Matcher head = SqlStatement.ROWS_INTO.matcher(sql);
        if (!head.lookingAt()) {
            return Optional.empty();
        }
        InsertValues reader = new InsertValues(sql, ColumnList.NONE, head.end());
        reader.pos = head.end();
        ColumnList named = ColumnList.NONE;
        if (reader.peek() == '(') {
            named = reader.columnList();
            if (named == null) {
                return Optional.empty();
            }
        }
        reader.space();
        int keyword = reader.pos;
        while (reader.pos < sql.length() && Character.isLetter(sql.charAt(reader.pos))) {
            reader.pos++;
        }
        String word = sql.substring(keyword, reader.pos).toUpperCase(Locale.ROOT);
        if (!word.equals("VALUES") && !word.equals("VALUE")) {
            return Optional.empty();
        }
        return Optional.of(new InsertValues(sql, named, reader.pos));
    }

    /** the columns the statement names; {@link ColumnList#NONE} when it names none */
    public ColumnList columns() {
        return columns;
    }

    /**
     * Reads every tuple into {@code rows}, in order.
     *
     * @return false at the first thing that is not a literal, a tuple's punctuation or the statement's end; the rows
     *         before it were given, the one it is in was not
     */
    public boolean read(Rows rows) {
        pos = valuesFrom;
        List<SqlValue> row = new ArrayList<>();
        while (true) {
            space();
            if (peek() != '(') {
                return false;
            }
            pos++;
            row.clear();
            while (true) {
                space();
                SqlValue v = literal();
                if (v == null) {
                    return false;
                }
                row.add(v);
                space();
                int ch = peek();
                pos++;
                if (ch == ')') {
                    break;
                }
                if (ch != ',') {
                    return false;
                }
            }
            rows.row(List.copyOf(row));
            space();
            if (pos >= sql.length()) {
                return true;
            }
            if (peek() != ',') {
                return false; // ON DUPLICATE KEY UPDATE, a row alias, a trailing comment
            }
            pos++;
        }
    }

    private SqlValue literal() {
        int ch = peek();
        if (ch == '\'' || ch == '"') {
            // "…" is a string too unless sql_mode has ANSI_QUOTES, under which the statement would not run at all
            byte[] s = string();
            return s == null ? null : new SqlValue.Text(s, SqlValue.Introducer.NONE);
        }
        if (ch == '-' || ch == '.' || (ch >= '0' && ch <= '9')) {
            if (startsWithIgnoreCase("0x")) {
                pos += 2;
                return hexDigits(false);
            }
            if (startsWithIgnoreCase("0b")) {
                pos += 2;
                return bitDigits(false);
            }
            return number();
        }
        if (ch == '_') {
            return introduced();
        }
        if ((ch == 'x' || ch == 'X') && at(pos + 1) == '\'') {
            pos += 2;
            return hexDigits(true);
        }
        if ((ch == 'b' || ch == 'B') && at(pos + 1) == '\'') {
            pos += 2;
            return bitDigits(true);
        }
        String word = word();
        return switch (word.toUpperCase(Locale.ROOT)) {
            case "NULL" -> new SqlValue.Null();
            case "TRUE" -> new SqlValue.Bool(true);
            case "FALSE" -> new SqlValue.Bool(false);
            default -> null; // DEFAULT, a function, a column name, N'…'
        };
    }

    /** {@code _charset'…'} or {@code _binary 0x…}; only binary and the utf8 family are read */
    private SqlValue introduced() {
        pos++;
        String charset = word().toLowerCase(Locale.ROOT);
        SqlValue.Introducer introducer = switch (charset) {
            case "binary" -> SqlValue.Introducer.BINARY;
            case "utf8", "utf8mb3", "utf8mb4" -> SqlValue.Introducer.UTF8;
            default -> null;
        };
        if (introducer == null) {
            return null;
        }
        space();
        if (peek() == '\'' || peek() == '"') {
            byte[] s = string();
            return s == null ? null : new SqlValue.Text(s, introducer);
        }
        if (introducer != SqlValue.Introducer.BINARY) {
            return null; // _utf8mb4 0x…: text given as bytes, which the server may reject or convert
        }
        SqlValue v = literal();
        return v instanceof SqlValue.Hex || v instanceof SqlValue.Bits ? v : null;
    }

    /** the body of the string whose quote (' or ") is at pos, as the server unescapes it; null when it does not end */
    private byte[] string() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        char quote = sql.charAt(pos++);
        while (pos < sql.length()) {
            char ch = sql.charAt(pos++);
            if (ch == '\\') {
                if (pos >= sql.length()) {
                    return null;
                }
                char e = sql.charAt(pos++);
                switch (e) {
                    case '0' -> out.write(0);
                    case 'b' -> out.write('\b');
                    case 'n' -> out.write('\n');
                    case 'r' -> out.write('\r');
                    case 't' -> out.write('\t');
                    case 'Z' -> out.write(0x1a);
                    case '%', '_' -> {
                        // kept with their backslash outside a LIKE pattern
                        out.write('\\');
                        out.write(e);
                    }
                    default -> out.write(e); // \' \" \\ and any other char: itself
                }
            } else if (ch == quote) {
                if (peek() == quote) {
                    pos++;
                    out.write(quote);
                } else {
                    return out.toByteArray();
                }
            } else {
                out.write(ch);
            }
        }
        return null;
    }

    private SqlValue number() {
        int from = pos;
        if (peek() == '-') {
            pos++;
        }
        int digits = digits();
        if (peek() == '.') {
            pos++;
            digits += digits();
        }
        if (digits == 0) {
            return null; // '-' before something else: an expression
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (digits() == 0) {
                return null;
            }
        }
        if (isWordChar(peek())) {
            return null; // 1abc, 12e: not a number the server reads as one
        }
        return new SqlValue.Number(sql.substring(from, pos));
    }

    private SqlValue hexDigits(boolean quoted) {
        int from = pos;
        while (hex(peek()) >= 0) {
            pos++;
        }
        int n = pos - from;
        if (quoted ? peek() != '\'' || n % 2 != 0 : n == 0 || isWordChar(peek())) {
            return null;
        }
        byte[] bytes = new byte[(n + 1) / 2];
        for (int i = 0; i < n; i++) {
            int nibble = hex(sql.charAt(pos - 1 - i));
            bytes[bytes.length - 1 - i / 2] |= (byte) (i % 2 == 0 ? nibble : nibble << 4);
        }
        if (quoted) {
            pos++;
        }
        return new SqlValue.Hex(bytes);
    }

    private SqlValue bitDigits(boolean quoted) {
        int from = pos;
        while (peek() == '0' || peek() == '1') {
            pos++;
        }
        int n = pos - from;
        if (quoted ? peek() != '\'' : n == 0 || isWordChar(peek())) {
            return null;
        }
        byte[] bytes = new byte[(n + 7) / 8];
        if (n > 0) {
            byte[] value = new BigInteger(sql.substring(from, pos), 2).toByteArray();
            int copy = Math.min(value.length, bytes.length);
            System.arraycopy(value, value.length - copy, bytes, bytes.length - copy, copy);
        }
        if (quoted) {
            pos++;
        }
        return new SqlValue.Bits(bytes);
    }

    /** {@code (a, `b`)}: the names in the session view; null when it is not a plain list of names */
    private ColumnList columnList() {
        pos++;
        List<String> names = new ArrayList<>();
        while (true) {
            space();
            String name;
            if (peek() == '`') {
                StringBuilder quoted = new StringBuilder();
                pos++;
                while (true) {
                    if (pos >= sql.length()) {
                        return null;
                    }
                    char ch = sql.charAt(pos++);
                    if (ch == '`') {
                        if (peek() != '`') {
                            break;
                        }
                        pos++;
                    }
                    quoted.append(ch);
                }
                name = quoted.toString();
            } else {
                name = word();
                if (name.isEmpty()) {
                    return null;
                }
            }
            names.add(name);
            space();
            int ch = peek();
            pos++;
            if (ch == ')') {
                return new ColumnList(names);
            }
            if (ch != ',') {
                return null;
            }
        }
    }

    private int digits() {
        int from = pos;
        while (peek() >= '0' && peek() <= '9') {
            pos++;
        }
        return pos - from;
    }

    /** letters, digits, '_', '$' and the bytes of a multi-byte name */
    private String word() {
        int from = pos;
        while (isWordChar(peek())) {
            pos++;
        }
        return sql.substring(from, pos);
    }

    private static boolean isWordChar(int ch) {
        return ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_' || ch == '$'
                || ch >= 0x80 && ch <= 0xff;
    }

    private static int hex(int ch) {
        return ch < 0 ? -1 : Character.digit(ch, 16);
    }

    private void space() {
        while (pos < sql.length()) {
            char ch = sql.charAt(pos);
            if (ch != ' ' && ch != '\n' && ch != '\r' && ch != '\t' && ch != '\f') {
                return;
            }
            pos++;
        }
    }

    private boolean startsWithIgnoreCase(String prefix) {
        return sql.regionMatches(true, pos, prefix, 0, prefix.length());
    }

    private int peek() {
        return at(pos);
    }

    private int at(int i) {
        return i < sql.length() ? sql.charAt(i) : -1;
    }
}
