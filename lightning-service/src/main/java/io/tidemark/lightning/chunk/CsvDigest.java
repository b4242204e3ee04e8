package io.tidemark.lightning.chunk;

import io.tidemark.common.command.CsvFormat;
import io.tidemark.mysql.checksum.DigestColumn;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The value digest of a CSV file's rows, read from the very bytes {@code LOAD DATA} reads as the driver streams them,
 * parsed the way the loader's statement tells the server to for the file's {@link CsvFormat} (Dumpling's by default:
 * {@code FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"' ESCAPED BY '\\' LINES TERMINATED BY '\n' IGNORE 1
 * LINES}, {@code CHARACTER SET binary}): a field's bytes go into its column unchanged; {@code \N} (with backslash
 * escapes) and an unquoted {@code NULL} (with a delimiter) are NULL; the escapes {@code \0 \b \n \r \t \Z} are their
 * bytes and any other escaped byte is itself; a doubled delimiter inside quotes is one. A separator or terminator of
 * several bytes ends a field where its last byte arrives, unless an escape or a quote supplied any of its bytes.
 * Anything whose reading is not certain (a closing quote followed by neither separator nor terminator, {@code \N} amid
 * other bytes, a row with a field too many or too few, a BIT column, whose text LOAD DATA stores as bytes) gives up:
 * the chunk then reports no sum rather than a wrong one.
 */
final class CsvDigest {
    private final ChunkDigest digest;
    private final byte[] separator;
    private final byte[] terminator;
    /** the delimiter byte, or -1 when fields are not quoted */
    private final int quote;
    private final boolean backslashEscape;
    private byte[] field = new byte[256];
    private int length;
    /** bytes of the field up to here came from an escape or a quote: no separator or terminator may end in them */
    private int settled;
    private int column;
    private boolean header;
    private boolean headerQuoted;
    private byte[] headerTail;
    private boolean atFieldStart = true;
    private boolean enclosed;
    private boolean escaped;
    private boolean quoteSeen;
    private boolean wasEnclosed;
    private boolean escapedN;
    /** the bytes after a closing quote, which must make a separator or a terminator; null when none is pending */
    private byte[] afterQuote;
    private int afterLength;
    private boolean exact;

    CsvDigest(ChunkDigest digest) {
        this(digest, true, CsvFormat.dumpling());
    }

    /** @param header whether the bytes start with the header line (a byte range after a file's first does not) */
    CsvDigest(ChunkDigest digest, boolean header) {
        this(digest, header, CsvFormat.dumpling());
    }

    /**
     * @param header whether the bytes start with a header line: the format has one and the bytes are the file's first
     */
    CsvDigest(ChunkDigest digest, boolean header, CsvFormat format) {
        this.digest = digest;
        this.header = header;
        this.separator = bytes(format.separator());
        this.terminator = bytes(format.lineEnd());
        this.quote = format.delimiter().isEmpty() ? -1 : bytes(format.delimiter())[0] & 0xff;
        this.backslashEscape = format.backslashEscape();
        this.headerTail = new byte[terminator.length];
        this.exact = format.unloadable().isEmpty() && bytes(format.delimiter()).length <= 1;
        for (DigestColumn c : digest.digest().columns()) {
            if (c.kind() == DigestColumn.Kind.BIT) {
                exact = false;
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** the stream LOAD DATA reads, feeding each byte it takes to the digest */
    InputStream tee(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b < 0) {
                    end();
                } else {
                    accept(b);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0) {
                    end();
                }
                for (int i = 0; i < n; i++) {
                    accept(b[off + i] & 0xff);
                }
                return n;
            }
        };
    }

    /** the sum of the rows read, when every row was read for certain and they number {@code rows}; else null */
    Long sum(long rows) {
        return exact && digest.digest().rows() == rows ? digest.sum() : null;
    }

    private void accept(int b) {
        if (!exact) {
            return;
        }
        if (header) {
            skipHeader(b);
            return;
        }
        if (escaped) {
            escaped = false;
            switch (b) {
                case '0' -> append(0);
                case 'b' -> append('\b');
                case 'n' -> append('\n');
                case 'r' -> append('\r');
                case 't' -> append('\t');
                case 'Z' -> append(0x1a);
                case 'N' -> escapedN = true;
                default -> append(b);
            }
            settled = length;
            return;
        }
        if (quoteSeen) {
            quoteSeen = false;
            if (b == quote) {
                append(quote);
                settled = length;
                return;
            }
            enclosed = false; // the closing quote: a separator or terminator must follow
            afterQuote = new byte[Math.max(separator.length, terminator.length)];
            afterLength = 0;
        }
        if (afterQuote != null) {
            afterQuote[afterLength++] = (byte) b;
            boolean sep = endsWith(afterQuote, afterLength, separator) && afterLength == separator.length;
            boolean term = endsWith(afterQuote, afterLength, terminator) && afterLength == terminator.length;
            if (sep || term) {
                afterQuote = null;
                endField();
                if (term && !sep) {
                    endRow();
                }
            } else if (!startsWith(separator, afterQuote, afterLength)
                    && !startsWith(terminator, afterQuote, afterLength)) {
                exact = false;
            }
            return;
        }
        if (atFieldStart) {
            atFieldStart = false;
            if (b == quote) {
                enclosed = true;
                wasEnclosed = true;
                return;
            }
        }
        if (backslashEscape && b == '\\') {
            escaped = true;
        } else if (enclosed && b == quote) {
            quoteSeen = true;
        } else if (enclosed) {
            append(b);
            settled = length;
        } else {
            append(b);
            if (length - settled >= separator.length && endsWith(field, length, separator)) {
                length -= separator.length;
                endField();
            } else if (length - settled >= terminator.length && endsWith(field, length, terminator)) {
                length -= terminator.length;
                endField();
                endRow();
            }
        }
    }

    /** the first line, which LOAD DATA skips: it ends at the first terminator outside quotes */
    private void skipHeader(int b) {
        if (b == quote) {
            headerQuoted = !headerQuoted;
        }
        System.arraycopy(headerTail, 1, headerTail, 0, headerTail.length - 1);
        headerTail[headerTail.length - 1] = (byte) b;
        if (!headerQuoted && Arrays.equals(headerTail, terminator)) {
            header = false;
        }
    }

    private static boolean endsWith(byte[] bytes, int length, byte[] suffix) {
        if (length < suffix.length) {
            return false;
        }
        return Arrays.equals(bytes, length - suffix.length, length, suffix, 0, suffix.length);
    }

    private static boolean startsWith(byte[] token, byte[] bytes, int length) {
        return length <= token.length && Arrays.equals(token, 0, length, bytes, 0, length);
    }

    private void end() {
        if (!exact || header) {
            return;
        }
        if (quoteSeen) {
            quoteSeen = false;
            enclosed = false;
        }
        if (escaped || enclosed || (afterQuote != null && afterLength > 0)) {
            exact = false; // the file ends inside a field, or inside what follows a quote
            return;
        }
        if (!atFieldStart || column > 0 || afterQuote != null) {
            afterQuote = null;
            endField();
            endRow();
        }
    }

    /** a {@code \N} amid other bytes is found when its field ends: the bytes of a terminator come after it */
    private void append(int b) {
        if (length == field.length) {
            field = Arrays.copyOf(field, field.length * 2);
        }
        field[length++] = (byte) b;
    }

    private void endField() {
        if (!exact) {
            return;
        }
        int[] columns = digest.columns();
        if (column >= columns.length) {
            exact = false;
            return;
        }
        boolean isNull = (escapedN && length == 0 && !wasEnclosed) || (!wasEnclosed && quote >= 0 && length == 4
                && field[0] == 'N' && field[1] == 'U' && field[2] == 'L' && field[3] == 'L');
        if (escapedN && !isNull) {
            exact = false;
            return;
        }
        if (isNull) {
            digest.digest().nul(columns[column]);
        } else {
            digest.digest().bytes(columns[column], Arrays.copyOf(field, length));
        }
        column++;
        length = 0;
        settled = 0;
        atFieldStart = true;
        wasEnclosed = false;
        escapedN = false;
    }

    private void endRow() {
        if (!exact) {
            return;
        }
        if (column != digest.columns().length) {
            exact = false;
            return;
        }
        digest.digest().endRow();
        column = 0;
    }
}
