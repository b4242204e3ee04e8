package io.tidemark.lightning.parquet;

import io.tidemark.common.command.CsvFormat;

import java.util.Arrays;
import java.util.List;

/**
 * Rows of a Parquet file as {@code LOAD DATA} reads them in {@link #FORMAT} under {@code CHARACTER SET binary}: fields
 * separated by TAB, rows ended by a line feed, backslash escapes, {@code \N} for NULL, no quoting. Each field is
 * transcoded from the very SQL literal the INSERT path writes ({@link ValueWriters}), so both paths send the same
 * values and {@link LiteralDigest} digests the same text whichever is used:
 * <ul>
 * <li>{@code _utf8mb4'…'} and {@code _binary'…'}: the literal's bytes, unescaped, then escaped for LOAD DATA (only
 *     backslash, TAB, line feed and NUL need it); binary values go in byte for byte. A text column whose target
 *     column is not utf8mb4 is converted by the statement ({@code SET col = CONVERT(@v USING utf8mb4)}), as the
 *     {@code _utf8mb4} introducer makes the server convert it</li>
 * <li>{@code '…'} (dates, times, UUIDs, ASCII with nothing to escape): the text between the quotes</li>
 * <li>bare numbers: as they are, except 0 into a YEAR column, written {@code 0000}: LOAD DATA reads text, and the text
 *     "0" is the year 2000 where the number 0 is 0000</li>
 * </ul>
 * A batch of rows is held in one growing buffer, which the loader streams to the driver and {@link #clear clears}.
 * Not thread-safe.
 */
public final class LoadDataText {
    /** the format of the text; {@code CsvLoad} writes its {@code FIELDS … LINES …} clause */
    public static final CsvFormat FORMAT = new CsvFormat("\t", "", "\n", false, List.of("\\N"), true);
    private static final String UTF8 = SqlLiterals.UTF8_OPEN;
    private static final String BINARY = SqlLiterals.BINARY_OPEN;

    private final boolean[] yearColumns;
    private byte[] buffer = new byte[64 * 1024];
    private int size;
    private int fieldsInRow;

    /** @param yearColumns for each projected column of the rows, whether its target column is a YEAR */
    public LoadDataText(boolean[] yearColumns) {
        this.yearColumns = yearColumns.clone();
    }

    /** the bytes written since the last {@link #clear} */
    public int size() {
        return size;
    }

    /** the buffer holding {@link #size} bytes; valid until the next write */
    public byte[] buffer() {
        return buffer;
    }

    public void clear() {
        size = 0;
        fieldsInRow = 0;
    }

    /** a NULL field */
    void nul() {
        separate();
        put('\\');
        put('N');
    }

    /** the field of projected column {@code column}, from the literal at {@code sql[from, to)} */
    void field(int column, CharSequence sql, int from, int to) {
        separate();
        if (SqlLiterals.startsWith(sql, from, UTF8)) {
            unescaped(sql, from + UTF8.length(), to - 1);
        } else if (SqlLiterals.startsWith(sql, from, BINARY)) {
            unescaped(sql, from + BINARY.length(), to - 1);
        } else if (sql.charAt(from) == '\'') {
            // ASCII written unescaped (dates, times, UUIDs): nothing in it LOAD DATA reads specially
            for (int i = from + 1; i < to - 1; i++) {
                put(sql.charAt(i));
            }
        } else if (yearColumns[column] && to - from == 1 && sql.charAt(from) == '0') {
            put('0');
            put('0');
            put('0');
            put('0');
        } else {
            for (int i = from; i < to; i++) {
                put(sql.charAt(i));
            }
        }
    }

    /** ends the row */
    void endRow() {
        put('\n');
        fieldsInRow = 0;
    }

    private void separate() {
        if (fieldsInRow++ > 0) {
            put('\t');
        }
    }

    /**
     * A SQL string body (escaped as {@link SqlLiterals} writes it, one char per byte) as a LOAD DATA field: the
     * bytes the server would read from the literal, with the four that LOAD DATA reads specially escaped.
     */
    private void unescaped(CharSequence sql, int from, int to) {
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
            switch (ch) {
                case '\\' -> {
                    put('\\');
                    put('\\');
                }
                case '\t' -> {
                    put('\\');
                    put('t');
                }
                case '\n' -> {
                    put('\\');
                    put('n');
                }
                case 0 -> {
                    put('\\');
                    put('0');
                }
                default -> put(ch);
            }
        }
    }

    private void put(char ch) {
        if (size == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        buffer[size++] = (byte) ch;
    }
}
