package io.tidemark.storage.s3;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The bytes [{@code start}, {@code end}) of one object. A long read outlives many things — a connection reset, a read
 * timeout, a load balancer closing an idle socket — and the SDK's retries cover only the request, not the body: so
 * when the body breaks, this stream asks again from the byte it stopped at, for the same version of the object
 * (If-Match its ETag), up to {@link #RECONNECTS} times in a row without progress. Skipping far ahead asks from there
 * instead of reading what lies between. Not thread-safe, like any InputStream.
 */
final class S3InputStream extends InputStream {
    private static final Logger LOGGER = LoggerFactory.getLogger(S3InputStream.class);
    static final int RECONNECTS = 3;
    /** closing a body with more left than this aborts its connection rather than reading the rest to reuse it */
    private static final long DRAIN_LIMIT = 64 << 10;
    /** a skip this far is a new ranged request rather than reading past the bytes */
    private static final long SEEK_THRESHOLD = 1 << 20;

    private final S3Storage storage;
    private final String key;
    private final long end;
    private final String eTag;
    private long position;
    private ResponseInputStream<GetObjectResponse> body;
    private int failuresInARow;
    private boolean closed;

    private S3InputStream(S3Storage storage, String key, long position, long end, String eTag,
                          ResponseInputStream<GetObjectResponse> body) {
        this.storage = storage;
        this.key = key;
        this.position = position;
        this.end = end;
        this.eTag = eTag;
        this.body = body;
    }

    /**
     * Asks for the bytes at once, so a missing object fails here as it does on local disk.
     *
     * @param end exclusive; {@link Long#MAX_VALUE} for the end of the object
     */
    static InputStream open(S3Storage storage, String key, long start, long end) throws IOException {
        ResponseInputStream<GetObjectResponse> body = storage.get(key, start, end, null);
        if (body == null) {
            return InputStream.nullInputStream();
        }
        GetObjectResponse response = body.response();
        long actualEnd = response.contentLength() == null ? end : start + response.contentLength();
        return new S3InputStream(storage, key, start, Math.min(end, actualEnd), response.eTag(), body);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        if (len == 0) {
            return 0;
        }
        if (position >= end) {
            return -1;
        }
        while (true) {
            try {
                if (body == null) {
                    body = storage.get(key, position, end, eTag);
                    if (body == null) {
                        throw new EOFException("the object ended at byte " + position + ", before byte " + end);
                    }
                }
                int n = body.read(b, off, (int) Math.min(len, end - position));
                if (n < 0) {
                    throw new EOFException("the response ended at byte " + position + " of " + end);
                }
                position += n;
                failuresInARow = 0;
                return n;
            } catch (IOException e) {
                drop();
                if (++failuresInARow > RECONNECTS) {
                    throw new IOException(storage.uriOf(key) + ": reading broke off at byte " + position + " "
                            + RECONNECTS + " times in a row (" + e + ")", e);
                }
                LOGGER.info("reading {} broke off at byte {} ({}): asking again from there", storage.uriOf(key),
                        position, e.toString());
            }
        }
    }

    @Override
    public long skip(long n) throws IOException {
        ensureOpen();
        if (n <= 0 || position >= end) {
            return 0;
        }
        long target = Math.min(end, position + n);
        if (target - position >= SEEK_THRESHOLD) {
            drop();
            long skipped = target - position;
            position = target;
            return skipped;
        }
        return super.skip(n);
    }

    @Override
    public int available() throws IOException {
        ensureOpen();
        return body == null ? 0 : (int) Math.min(body.available(), end - position);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            drop();
        }
    }

    /** lets go of the current body: read to its end when little is left (the connection is reused), else aborted */
    private void drop() {
        if (body == null) {
            return;
        }
        ResponseInputStream<GetObjectResponse> b = body;
        body = null;
        try {
            if (end - position > DRAIN_LIMIT) {
                b.abort();
            }
            b.close();
        } catch (IOException | RuntimeException e) {
            LOGGER.debug("closing a response body of {} failed: {}", storage.uriOf(key), e.toString());
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException(storage.uriOf(key) + ": stream closed");
        }
    }
}
