package io.tidemark.lightning.parquet;

import io.tidemark.mysql.checksum.RowDigest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Adds a value to a {@link RowDigest} from the SQL literal a {@link ValueWriters} writer just wrote, so the digest is
 * of exactly what the target receives rather than of a second decoding of the file that could drift from it. Reads
 * the literal forms {@link SqlLiterals} and the writers produce (the session view, one char per byte):
 * {@code _utf8mb4'…'} (UTF-8 text, converted by the server into the column's charset), {@code _binary'…'} (bytes
 * stored as they are), {@code '…'} (ASCII: dates, times, UUIDs) and bare numbers. Reuses one buffer for unescaping;
 * one per reader, not thread-safe.
 */
final class LiteralDigest {
    private static final String UTF8 = SqlLiterals.UTF8_OPEN;
    private static final String BINARY = SqlLiterals.BINARY_OPEN;

    private byte[] buffer = new byte[256];

    /** adds the literal at {@code sql[from, to)} as the value of the digest's column {@code column} */
    void add(RowDigest digest, int column, CharSequence sql, int from, int to) {
        if (SqlLiterals.startsWith(sql, from, UTF8)) {
            int n = unescape(sql, from + UTF8.length(), to - 1);
            digest.text(column, new String(buffer, 0, n, StandardCharsets.UTF_8));
        } else if (SqlLiterals.startsWith(sql, from, BINARY)) {
            int n = unescape(sql, from + BINARY.length(), to - 1);
            // the digest may keep the array until the row ends: a copy, not the reused buffer
            digest.bytes(column, Arrays.copyOf(buffer, n));
        } else if (sql.charAt(from) == '\'') {
            // ASCII written unescaped: a date, a time, a UUID
            digest.text(column, sql.subSequence(from + 1, to - 1).toString());
        } else {
            number(digest, column, sql, from, to);
        }
    }

    /**
     * A bare number: an integer that fits a long is given as a number (a YEAR column reads the number 0 as 0000, not
     * as the text "0" would be), anything else (an unsigned above 2^63, a decimal, a double) as its text.
     */
    private static void number(RowDigest digest, int column, CharSequence sql, int from, int to) {
        int i = from;
        boolean negative = i < to && sql.charAt(i) == '-';
        if (negative) {
            i++;
        }
        boolean integer = i < to && to - i <= 18;
        long value = 0;
        for (int k = i; integer && k < to; k++) {
            char ch = sql.charAt(k);
            if (ch < '0' || ch > '9') {
                integer = false;
            } else {
                value = value * 10 + (ch - '0');
            }
        }
        if (integer) {
            digest.number(column, negative ? -value : value);
        } else {
            digest.text(column, sql.subSequence(from, to).toString());
        }
    }

    /** the bytes of an escaped string body {@code sql[from, to)} into the buffer, as the server reads them back */
    private int unescape(CharSequence sql, int from, int to) {
        if (buffer.length < to - from) {
            buffer = new byte[Math.max(to - from, buffer.length * 2)];
        }
        int n = 0;
        for (int i = from; i < to; i++) {
            char ch = sql.charAt(i);
            if (ch == '\\' && i + 1 < to) {
                ch = switch (sql.charAt(++i)) {
                    case '0' -> 0;
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 'Z' -> 0x1a;
                    default -> sql.charAt(i); // \' and \\
                };
            }
            buffer[n++] = (byte) ch;
        }
        return n;
    }
}
