package io.tidemark.lightning.chunk;

import io.tidemark.mysql.checksum.DigestColumn;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The value digest of a Dumpling CSV file's rows, read from the very bytes {@code LOAD DATA} reads as the driver
 * streams them, parsed the way the loader's statement tells the server to ({@code FIELDS TERMINATED BY ','
 * OPTIONALLY ENCLOSED BY '"' ESCAPED BY '\\' LINES TERMINATED BY '\n' IGNORE 1 LINES}, {@code CHARACTER SET
 * binary}): a field's bytes go into its column unchanged, {@code \N} and an unquoted {@code NULL} are NULL, the
 * escapes {@code \0 \b \n \r \t \Z} are their bytes and any other escaped byte is itself, {@code ""} inside quotes is
 * one quote. Anything whose reading is not certain (a quote inside quotes followed by another byte, {@code \N} amid
 * other bytes, a row with a field too many or too few, a BIT column, whose text LOAD DATA stores as bytes) gives up:
 * the chunk then reports no sum rather than a wrong one.
 */
final class CsvDigest {
    private final ChunkDigest digest;
    private byte[] field = new byte[256];
    private int length;
    private int column;
    private boolean header;
    private boolean headerQuoted;
    private boolean atFieldStart = true;
    private boolean enclosed;
    private boolean escaped;
    private boolean quoteSeen;
    private boolean wasEnclosed;
    private boolean escapedN;
    private boolean exact;

    CsvDigest(ChunkDigest digest) {
        this(digest, true);
    }

    /** @param header whether the bytes start with the header line (a byte range after a file's first does not) */
    CsvDigest(ChunkDigest digest, boolean header) {
        this.digest = digest;
        this.header = header;
        this.exact = true;
        for (DigestColumn c : digest.digest().columns()) {
            if (c.kind() == DigestColumn.Kind.BIT) {
                exact = false;
            }
        }
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
            // the first line, which LOAD DATA skips; quoted as the header reader reads it
            if (b == '"') {
                headerQuoted = !headerQuoted;
            } else if (b == '\n' && !headerQuoted) {
                header = false;
            }
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
            return;
        }
        if (quoteSeen) {
            quoteSeen = false;
            if (b == '"') {
                append('"');
                return;
            }
            enclosed = false; // the closing quote: a terminator must follow
            if (b != ',' && b != '\n') {
                exact = false;
                return;
            }
        }
        if (atFieldStart) {
            atFieldStart = false;
            if (b == '"') {
                enclosed = true;
                wasEnclosed = true;
                return;
            }
        }
        if (b == '\\') {
            escaped = true;
        } else if (enclosed && b == '"') {
            quoteSeen = true;
        } else if (!enclosed && b == ',') {
            endField();
        } else if (!enclosed && b == '\n') {
            endField();
            endRow();
        } else {
            append(b);
        }
    }

    private void end() {
        if (!exact || header) {
            return;
        }
        if (quoteSeen) {
            quoteSeen = false;
            enclosed = false;
        }
        if (escaped || enclosed) {
            exact = false; // the file ends inside a field
            return;
        }
        if (!atFieldStart || column > 0) {
            endField();
            endRow();
        }
    }

    private void append(int b) {
        if (escapedN) {
            exact = false; // \N amid other bytes
        }
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
        boolean isNull = (escapedN && length == 0 && !wasEnclosed) || (!wasEnclosed && length == 4
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
