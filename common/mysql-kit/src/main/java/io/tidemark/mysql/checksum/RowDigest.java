package io.tidemark.mysql.checksum;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The value checksum of rows read from files, as {@link ValueChecksum} computes it on the server: per row the CRC-32 of
 * {@code CONCAT_WS(0x1f, each checked column's text, each column's ISNULL)}, summed over the rows modulo 2^64. Give one
 * row's values with {@link #text}, {@link #bytes} or {@link #nul} for each column (in any order), then {@link #endRow}.
 * <p>
 * A value whose stored form cannot be known for sure ({@link Canonical}) makes the digest {@linkplain #complete()
 * incomplete}: a table with such a value is verified by its row count only. Not thread-safe: one per chunk.
 */
public final class RowDigest {
    private static final byte SEPARATOR = 0x1f;

    private final List<DigestColumn> columns;
    private final byte[][] values;
    private final boolean[] given;
    private final CRC32 crc = new CRC32();
    private final ByteArrayOutputStream row = new ByteArrayOutputStream(256);
    private long rows;
    private long sum;
    private boolean complete = true;

    public RowDigest(List<DigestColumn> columns) {
        this.columns = List.copyOf(columns);
        this.values = new byte[columns.size()][];
        this.given = new boolean[columns.size()];
    }

    /** continues a digest whose earlier rows a checkpoint recorded */
    public RowDigest(List<DigestColumn> columns, long rows, long sum, boolean complete) {
        this(columns);
        this.rows = rows;
        this.sum = sum;
        this.complete = complete;
    }

    public List<DigestColumn> columns() {
        return columns;
    }

    /** a value as text: digits, a date and time, a string */
    public void text(int column, String value) {
        set(column, Canonical.text(columns.get(column), value));
    }

    /**
     * a value given as a number rather than text (a Parquet INT32/INT64): the same as its digits, except in a YEAR
     * column, where the number 0 is 0000 and 1–99 are 2001–2069 and 1970–1999
     */
    public void number(int column, long value) {
        if (columns.get(column).kind() == DigestColumn.Kind.YEAR && value >= 0 && value < 100) {
            long year = value == 0 ? 0 : value < 70 ? 2000 + value : 1900 + value;
            text(column, String.format("%04d", year));
        } else {
            text(column, Long.toString(value));
        }
    }

    /** a value as raw bytes: a binary string, a BIT's bytes, or text in the column's character set */
    public void bytes(int column, byte[] value) {
        set(column, Canonical.bytes(columns.get(column), value));
    }

    public void nul(int column) {
        values[column] = null;
        given[column] = true;
    }

    private void set(int column, byte[] canonical) {
        if (canonical == null && columns.get(column).kind() != DigestColumn.Kind.UNCHECKED) {
            complete = false;
        }
        values[column] = canonical == null ? new byte[0] : canonical;
        given[column] = true;
    }

    /** adds the row whose values were given; a column not given counts as NULL */
    public void endRow() {
        row.reset();
        boolean first = true;
        for (int i = 0; i < values.length; i++) {
            if (given[i] && values[i] != null && columns.get(i).kind() != DigestColumn.Kind.UNCHECKED) {
                if (!first) {
                    row.write(SEPARATOR);
                }
                row.writeBytes(values[i]);
                first = false;
            }
        }
        for (int i = 0; i < values.length; i++) {
            if (!first) {
                row.write(SEPARATOR);
            }
            row.write(given[i] && values[i] != null ? '0' : '1');
            first = false;
            values[i] = null;
            given[i] = false;
        }
        crc.reset();
        crc.update(row.toByteArray());
        sum += crc.getValue();
        rows++;
    }

    public long rows() {
        return rows;
    }

    /** the sum of the rows' CRC-32s, modulo 2^64 */
    public long sum() {
        return sum;
    }

    /** false once a value's stored form could not be known: the sum is then not to be compared */
    public boolean complete() {
        return complete;
    }
}
