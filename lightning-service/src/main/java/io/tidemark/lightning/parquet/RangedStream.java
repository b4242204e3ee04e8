package io.tidemark.lightning.parquet;

import io.tidemark.common.storage.Storage;
import org.apache.parquet.io.SeekableInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.Objects;

/**
 * A seekable stream over one file of a {@link Storage}, read by ranges: a seek costs nothing, and each read asks the
 * storage for exactly the bytes it needs from where the stream stands — or, for a read smaller than the read-ahead
 * buffer, for a buffer's worth, so the small reads that follow come from memory. A read within the buffer's last
 * bytes of the file buffers the whole tail instead: a Parquet footer's length and then the footer itself are read
 * backwards from the end, and come from one request. Each range is read to its end, so an S3 connection goes back to
 * the pool rather than being cut.
 * <p>
 * parquet-java asks for a row group's column chunks in reads of up to 8 MB (its maximum allocation), each of which is
 * one ranged request here; the columns and row groups it does not ask for are never fetched.
 * <p>
 * Failures: a file shorter than its length said (truncated or replaced while read) ends a read with
 * {@link EOFException}; a file gone with {@link NoSuchFileException}; any other failure of the storage's stream as a
 * {@link ParquetErrors.StorageReadFailed}, so it is not taken for a damaged file; the storage's own
 * {@link io.tidemark.common.error.TidemarkException}s (access denied, no such bucket) pass unchanged. Not thread-safe.
 */
final class RangedStream extends SeekableInputStream {
    private static final Logger LOGGER = LoggerFactory.getLogger(RangedStream.class);

    private final Storage storage;
    private final String path;
    private final long length;
    private final byte[] buffer;
    /** the buffer holds the bytes [bufferStart, bufferStart + buffered) of the file */
    private long bufferStart;
    private int buffered;
    private long position;
    private long requests;
    private long fetched;
    private boolean closed;

    RangedStream(Storage storage, String path, long length, int readAhead) {
        this.storage = storage;
        this.path = path;
        this.length = length;
        this.buffer = new byte[(int) Math.min(readAhead, Math.max(length, 1))];
    }

    @Override
    public long getPos() {
        return position;
    }

    @Override
    public void seek(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0 || newPosition > length) {
            throw new EOFException("cannot seek to byte " + newPosition + " of " + path + ", which has " + length);
        }
        position = newPosition;
    }

    @Override
    public long skip(long n) throws IOException {
        ensureOpen();
        long skipped = Math.max(0, Math.min(n, length - position));
        position += skipped;
        return skipped;
    }

    @Override
    public int available() {
        return inBuffer(position) ? (int) (bufferStart + buffered - position) : 0;
    }

    @Override
    public int read() throws IOException {
        ensureOpen();
        if (position >= length) {
            return -1;
        }
        if (!inBuffer(position)) {
            fill();
        }
        return buffer[(int) (position++ - bufferStart)] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        if (len == 0) {
            return 0;
        }
        if (position >= length) {
            return -1;
        }
        int wanted = (int) Math.min(len, length - position);
        if (!inBuffer(position)) {
            if (wanted >= buffer.length) {
                fetch(position, b, off, wanted);
                position += wanted;
                return wanted;
            }
            fill();
        }
        int n = (int) Math.min(wanted, bufferStart + buffered - position);
        System.arraycopy(buffer, (int) (position - bufferStart), b, off, n);
        position += n;
        return n;
    }

    @Override
    public void readFully(byte[] bytes) throws IOException {
        readFully(bytes, 0, bytes.length);
    }

    @Override
    public void readFully(byte[] bytes, int start, int len) throws IOException {
        Objects.checkFromIndexSize(start, len, bytes.length);
        int done = 0;
        while (done < len) {
            int n = read(bytes, start + done, len - done);
            if (n < 0) {
                throw new EOFException(path + " has " + length + " bytes; " + (len - done) + " more were asked for"
                        + " at byte " + position);
            }
            done += n;
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (dst.hasArray()) {
            int n = read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
            if (n > 0) {
                dst.position(dst.position() + n);
            }
            return n;
        }
        // a direct buffer: through a heap array, at most a buffer's worth at a time
        byte[] chunk = new byte[Math.min(dst.remaining(), Math.max(buffer.length, 64 * 1024))];
        int n = read(chunk, 0, chunk.length);
        if (n > 0) {
            dst.put(chunk, 0, n);
        }
        return n;
    }

    @Override
    public void readFully(ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            if (read(dst) < 0) {
                throw new EOFException(path + " has " + length + " bytes; " + dst.remaining() + " more were asked"
                        + " for at byte " + position);
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LOGGER.debug("read {} bytes of {} ({} bytes) in {} requests", fetched, path, length, requests);
        }
    }

    private boolean inBuffer(long at) {
        return at >= bufferStart && at < bufferStart + buffered;
    }

    /** fills the buffer with the bytes from the position on, or with the file's tail when the position is in it */
    private void fill() throws IOException {
        long start = length - position < buffer.length ? Math.max(0, length - buffer.length) : position;
        int n = (int) Math.min(buffer.length, length - start);
        buffered = 0;
        fetch(start, buffer, 0, n);
        bufferStart = start;
        buffered = n;
    }

    /** the {@code n} bytes of the file from {@code offset} on, in one ranged read */
    private void fetch(long offset, byte[] dst, int off, int n) throws IOException {
        requests++;
        int got;
        try (InputStream in = storage.open(path, offset, n)) {
            got = in.readNBytes(dst, off, n);
        } catch (EOFException | NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            throw new ParquetErrors.StorageReadFailed(path, offset, e);
        }
        fetched += got;
        if (got < n) {
            throw new EOFException(path + " ends at byte " + (offset + got) + ", before the " + length + " bytes it"
                    + " had when it was opened: it was truncated or replaced while it was read");
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("stream of " + path + " is closed");
        }
    }
}
