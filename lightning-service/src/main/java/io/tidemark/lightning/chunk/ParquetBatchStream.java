package io.tidemark.lightning.chunk;

import io.tidemark.lightning.parquet.LoadDataText;
import io.tidemark.lightning.parquet.ParquetRows;

import java.io.IOException;
import java.io.InputStream;

/**
 * The rows of one {@code LOAD DATA LOCAL} statement, read from the Parquet file while the driver reads this stream,
 * as {@link LoadDataText}: a file's rows are never all in memory, only about {@link #FILL_BYTES} of text at a time.
 * The stream ends after the row that takes it to {@code maxBytes} (one row at least), or at the end of the rows. A row
 * the file cannot give (corrupt, a value no column holds) ends the stream with an IOException, which the driver reports
 * as its own; the loader then throws {@link #failure} instead, as the file is at fault. One statement, one thread.
 */
final class ParquetBatchStream extends InputStream {
    /** how much text is made at a time: a few driver packets */
    static final int FILL_BYTES = 64 * 1024;

    private final ParquetRows rows;
    private final LoadDataText text;
    private final long maxBytes;
    private int pos;
    private long bytes;
    private long count;
    private boolean ended;
    private RuntimeException failure;

    ParquetBatchStream(ParquetRows rows, LoadDataText text, long maxBytes) {
        this.rows = rows;
        this.text = text;
        this.maxBytes = maxBytes;
        text.clear();
    }

    /** rows made into text so far: all that were sent once the driver read the stream to its end */
    long rows() {
        return count;
    }

    /** bytes of text made so far */
    long bytes() {
        return bytes;
    }

    /** the failure that ended the stream, if one did */
    RuntimeException failure() {
        return failure;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos == text.size() && !refill()) {
            return -1;
        }
        int n = Math.min(len, text.size() - pos);
        System.arraycopy(text.buffer(), pos, b, off, n);
        pos += n;
        return n;
    }

    private boolean refill() throws IOException {
        text.clear();
        pos = 0;
        if (ended) {
            return false;
        }
        try {
            while (text.size() < FILL_BYTES) {
                if (bytes + text.size() >= maxBytes || !rows.next(text)) {
                    ended = true;
                    break;
                }
                count++;
            }
        } catch (RuntimeException e) {
            failure = e;
            ended = true;
            text.clear();
            throw new IOException(e.getMessage(), e);
        }
        bytes += text.size();
        return text.size() > 0;
    }
}
