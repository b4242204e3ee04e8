package io.tidemark.lightning.parquet;

import java.time.LocalDate;

/**
 * SQL literals as an import session carries them ({@code io.tidemark.lightning.target.SessionText}): one char per
 * byte. Strings are written the way mysqldump escapes them, which any sql_mode without NO_BACKSLASH_ESCAPES reads
 * back byte for byte; the Parquet loader sets its session's sql_mode itself.
 */
final class SqlLiterals {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SqlLiterals() {
    }

    /**
     * Text the file declares as UTF-8: introduced as {@code _utf8mb4} so the server converts it into the column's
     * character set (a latin1 column gets 'é', not two bytes of mojibake). Bytes that are not UTF-8 after all go in as
     * {@code _binary}, unchanged, rather than being replaced by the server.
     */
    static void text(byte[] bytes, int offset, int length, StringBuilder sql) {
        sql.append(isUtf8(bytes, offset, length) ? "_utf8mb4'" : "_binary'");
        escaped(bytes, offset, length, sql);
        sql.append('\'');
    }

    /** bytes that go into the column as they are: BLOB, BINARY, a CHAR the export wrote without an encoding, BIT */
    static void bytes(byte[] bytes, int offset, int length, StringBuilder sql) {
        sql.append("_binary'");
        escaped(bytes, offset, length, sql);
        sql.append('\'');
    }

    /**
     * A MySQL date and time as text, {@code YYYY-MM-DD HH:MM:SS[.f…]} (up to six fraction digits), written as the
     * string literal that stores it unchanged, zero dates included ({@code 0000-00-00 00:00:00},
     * {@code 2024-00-10 …}); false, appending nothing, when the bytes are not that.
     */
    static boolean temporal(byte[] bytes, int offset, int length, StringBuilder sql) {
        if (!isTemporal(bytes, offset, length)) {
            return false;
        }
        sql.append('\'');
        for (int i = offset, end = offset + length; i < end; i++) {
            sql.append((char) bytes[i]);
        }
        sql.append('\'');
        return true;
    }

    private static boolean isTemporal(byte[] b, int offset, int length) {
        if (length < 19 || length == 20 || length > 26) {
            return false;
        }
        String shape = "dddd-dd-dd dd:dd:dd";
        for (int i = 0; i < length; i++) {
            char expected = i < shape.length() ? shape.charAt(i) : i == shape.length() ? '.' : 'd';
            byte c = b[offset + i];
            if (expected == 'd' ? c < '0' || c > '9' : c != expected) {
                return false;
            }
        }
        return true;
    }

    /** an ASCII string literal, e.g. a formatted date */
    static void ascii(String value, StringBuilder sql) {
        sql.append('\'').append(value).append('\'');
    }

    private static void escaped(byte[] bytes, int offset, int length, StringBuilder sql) {
        sql.ensureCapacity(sql.length() + length + 2);
        for (int i = offset, end = offset + length; i < end; i++) {
            int b = bytes[i] & 0xff;
            switch (b) {
                case 0 -> sql.append("\\0");
                case '\n' -> sql.append("\\n");
                case '\r' -> sql.append("\\r");
                case 0x1a -> sql.append("\\Z");
                case '\'' -> sql.append("\\'");
                case '\\' -> sql.append("\\\\");
                default -> sql.append((char) b);
            }
        }
    }

    /** well-formed UTF-8 as utf8mb4 takes it: no overlong forms, no surrogates, nothing above U+10FFFF */
    static boolean isUtf8(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int b = bytes[i] & 0xff;
            if (b < 0x80) {
                i++;
                continue;
            }
            int continuations;
            int lowSecond = 0x80;
            int highSecond = 0xbf;
            if (b >= 0xc2 && b <= 0xdf) {
                continuations = 1;
            } else if (b >= 0xe0 && b <= 0xef) {
                continuations = 2;
                if (b == 0xe0) {
                    lowSecond = 0xa0; // overlong: below U+0800
                } else if (b == 0xed) {
                    highSecond = 0x9f; // surrogates U+D800..U+DFFF
                }
            } else if (b >= 0xf0 && b <= 0xf4) {
                continuations = 3;
                if (b == 0xf0) {
                    lowSecond = 0x90; // overlong: below U+10000
                } else if (b == 0xf4) {
                    highSecond = 0x8f; // above U+10FFFF
                }
            } else {
                return false;
            }
            if (i + continuations >= end) {
                return false;
            }
            int second = bytes[i + 1] & 0xff;
            if (second < lowSecond || second > highSecond) {
                return false;
            }
            for (int k = 2; k <= continuations; k++) {
                int c = bytes[i + k] & 0xff;
                if (c < 0x80 || c > 0xbf) {
                    return false;
                }
            }
            i += continuations + 1;
        }
        return true;
    }

    /** {@code YYYY-MM-DD} of a proleptic Gregorian day counted from 1970-01-01 */
    static String date(long epochDay) {
        StringBuilder out = new StringBuilder(10);
        appendDate(epochDay, out);
        return out.toString();
    }

    /** {@code YYYY-MM-DD HH:MM:SS.ffffff} of microseconds from 1970-01-01T00:00 UTC, read as a UTC wall clock */
    static String dateTime(long epochMicros) {
        long day = Math.floorDiv(epochMicros, 86_400_000_000L);
        long micros = Math.floorMod(epochMicros, 86_400_000_000L);
        StringBuilder out = new StringBuilder(26);
        appendDate(day, out);
        out.append(' ');
        appendTime(micros, out);
        return out.toString();
    }

    /** {@code HH:MM:SS.ffffff} of microseconds after midnight */
    static String time(long micros) {
        StringBuilder out = new StringBuilder(15);
        appendTime(micros, out);
        return out.toString();
    }

    private static void appendDate(long epochDay, StringBuilder out) {
        LocalDate d = LocalDate.ofEpochDay(epochDay);
        int year = d.getYear();
        if (year < 0) {
            // MySQL has no year before 0: the server refuses the value and names the column
            out.append('-');
            year = -year;
        }
        pad(year, 4, out);
        out.append('-');
        pad(d.getMonthValue(), 2, out);
        out.append('-');
        pad(d.getDayOfMonth(), 2, out);
    }

    private static void appendTime(long micros, StringBuilder out) {
        long seconds = micros / 1_000_000;
        pad(seconds / 3600, 2, out);
        out.append(':');
        pad(seconds / 60 % 60, 2, out);
        out.append(':');
        pad(seconds % 60, 2, out);
        out.append('.');
        pad(micros % 1_000_000, 6, out);
    }

    private static void pad(long value, int width, StringBuilder out) {
        String s = Long.toString(value);
        for (int i = s.length(); i < width; i++) {
            out.append('0');
        }
        out.append(s);
    }

    /** a fixed-width hex rendering, for UUIDs */
    static void hex(byte[] bytes, int from, int to, StringBuilder out) {
        for (int i = from; i < to; i++) {
            out.append(HEX[(bytes[i] >> 4) & 0xf]).append(HEX[bytes[i] & 0xf]);
        }
    }

    /** how the writers open a UTF-8 text literal and a binary one: what the readers of those literals look for */
    static final String UTF8_OPEN = "_utf8mb4'";
    static final String BINARY_OPEN = "_binary'";

    /** whether the literal at {@code sql[from, …)} opens with {@code prefix} */
    static boolean startsWith(CharSequence sql, int from, String prefix) {
        if (sql.length() - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (sql.charAt(from + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
