package io.tidemark.snapshot.dump;

/**
 * Writes a column value, as the server sent it in text form, as a SQL literal that loads back to the same value.
 * Strings are escaped byte by byte as mysql_real_escape_string does; that is safe for UTF-8 (the escaped bytes never
 * occur inside a multi-byte sequence) and for any charset under {@code SET NAMES binary}, which data files use.
 */
final class SqlLiteral {
    private static final byte[] NULL = {'N', 'U', 'L', 'L'};
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private SqlLiteral() {
    }

    /** @param raw the value's bytes from the text protocol, null for SQL NULL */
    static void append(ByteBuf out, ColumnKind kind, byte[] raw) {
        if (raw == null) {
            out.append(NULL);
            return;
        }
        switch (kind) {
            case NUMBER -> out.append(raw);
            case BIT -> appendBits(out, raw);
            case BYTES -> appendHex(out, raw);
            case TEXT -> appendQuoted(out, raw);
        }
    }

    static void appendQuoted(ByteBuf out, byte[] raw) {
        out.append((byte) '\'');
        for (byte b : raw) {
            switch (b) {
                case 0 -> escape(out, '0');
                case '\n' -> escape(out, 'n');
                case '\r' -> escape(out, 'r');
                case '\\' -> escape(out, '\\');
                case '\'' -> escape(out, '\'');
                case '"' -> escape(out, '"');
                case 0x1a -> escape(out, 'Z');
                default -> out.append(b);
            }
        }
        out.append((byte) '\'');
    }

    private static void escape(ByteBuf out, char c) {
        out.append((byte) '\\');
        out.append((byte) c);
    }

    /** 0x-hex; an empty value has no hex form ({@code 0x} alone is a syntax error), so it is '' */
    static void appendHex(ByteBuf out, byte[] raw) {
        if (raw.length == 0) {
            out.append((byte) '\'');
            out.append((byte) '\'');
            return;
        }
        out.append((byte) '0');
        out.append((byte) 'x');
        for (byte b : raw) {
            out.append(HEX[(b >> 4) & 0xf]);
            out.append(HEX[b & 0xf]);
        }
    }

    /** b'1011': a bit-value literal, unambiguous in any context (a hex literal in a string context is not) */
    static void appendBits(ByteBuf out, byte[] raw) {
        out.append((byte) 'b');
        out.append((byte) '\'');
        boolean leading = true;
        for (byte b : raw) {
            for (int bit = 7; bit >= 0; bit--) {
                boolean one = ((b >> bit) & 1) == 1;
                if (one) {
                    leading = false;
                }
                if (!leading) {
                    out.append((byte) (one ? '1' : '0'));
                }
            }
        }
        if (leading) {
            out.append((byte) '0');
        }
        out.append((byte) '\'');
    }
}
