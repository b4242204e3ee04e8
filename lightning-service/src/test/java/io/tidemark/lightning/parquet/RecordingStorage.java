package io.tidemark.lightning.parquet;

import io.tidemark.common.storage.Storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real storage (a local directory, an S3 bucket) seen through the requests made of it: every read of a range is
 * recorded with the bytes actually delivered, and reads can be made to break off after a number of bytes, as a
 * connection reset does. For tests of what a reader fetches and how it takes a storage failing under it.
 */
final class RecordingStorage implements Storage {
    /** one ranged read: what was asked for */
    record Range(String path, long offset, long length) {
    }

    private final Storage storage;
    private final List<Range> ranges = new CopyOnWriteArrayList<>();
    private final List<String> wholeReads = new CopyOnWriteArrayList<>();
    private final AtomicLong delivered = new AtomicLong();
    /** reads from this one on (counted from 0) break off; -1 for never */
    private final AtomicInteger breakFrom = new AtomicInteger(-1);
    private final AtomicInteger reads = new AtomicInteger();

    RecordingStorage(Storage storage) {
        this.storage = storage;
    }

    /** the ranged reads so far, in order */
    List<Range> ranges() {
        return List.copyOf(ranges);
    }

    /** the files read whole, from their first byte, through {@link #open(String)} */
    List<String> wholeReads() {
        return List.copyOf(wholeReads);
    }

    /** bytes handed to readers so far */
    long delivered() {
        return delivered.get();
    }

    /** every read from the {@code n}-th on (0 = the next one) breaks off after 10 bytes with an IOException */
    void breakReadsFrom(int n) {
        breakFrom.set(reads.get() + n);
    }

    void clear() {
        ranges.clear();
        wholeReads.clear();
        delivered.set(0);
    }

    @Override
    public URI root() {
        return storage.root();
    }

    @Override
    public OutputStream create(String path) throws IOException {
        return storage.create(path);
    }

    @Override
    public InputStream open(String path) throws IOException {
        wholeReads.add(path);
        return counted(storage.open(path));
    }

    @Override
    public InputStream open(String path, long offset, long length) throws IOException {
        ranges.add(new Range(path, offset, length));
        return counted(storage.open(path, offset, length));
    }

    private InputStream counted(InputStream in) {
        int n = reads.getAndIncrement();
        boolean breaks = breakFrom.get() >= 0 && n >= breakFrom.get();
        return new FilterInputStream(in) {
            private long passed;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (breaks && passed >= 10) {
                    throw new IOException("Connection reset");
                }
                int r = super.read(b, off, breaks ? (int) Math.min(len, 10 - passed) : len);
                if (r > 0) {
                    passed += r;
                    delivered.addAndGet(r);
                }
                return r;
            }
        };
    }

    @Override
    public boolean exists(String path) throws IOException {
        return storage.exists(path);
    }

    @Override
    public long size(String path) throws IOException {
        return storage.size(path);
    }

    @Override
    public List<String> list(String directory) throws IOException {
        return storage.list(directory);
    }

    @Override
    public List<String> directories(String directory) throws IOException {
        return storage.directories(directory);
    }

    @Override
    public SortedMap<String, Long> walk(String directory) throws IOException {
        return storage.walk(directory);
    }

    @Override
    public void delete(String path) throws IOException {
        storage.delete(path);
    }

    @Override
    public Storage resolve(String subdirectory) {
        return new RecordingStorage(storage.resolve(subdirectory));
    }
}
