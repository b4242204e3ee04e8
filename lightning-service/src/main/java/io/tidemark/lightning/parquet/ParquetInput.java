package io.tidemark.lightning.parquet;

import io.tidemark.common.storage.Storage;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

import java.io.IOException;

/**
 * A file of a {@link Storage} as parquet-java reads it: an {@link InputFile}, whose streams seek (the footer is read
 * first, at the end, then the column chunks of each row group wanted). Every read goes to the storage as a ranged read
 * of the bytes it needs ({@link Storage#open(String, long, long)}: a ranged GET on S3, a seek on local disk), so a
 * remote file is neither downloaded whole nor copied to disk, and the columns and row groups a reader passes over are
 * never fetched. See {@link RangedStream} for the read-ahead.
 * <p>
 * Immutable and thread-safe; each stream it opens is not.
 */
final class ParquetInput implements InputFile {
    /**
     * Bytes fetched at least per read: small reads (the footer's length, then the footer; a small column chunk) come
     * from one request. It also holds the file's tail, where the footer is, for files whose footer is that small.
     */
    static final int READ_AHEAD = 64 * 1024;

    private final Storage storage;
    private final String path;
    private final long length;
    private final int readAhead;

    ParquetInput(Storage storage, String path, long length, int readAhead) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length + " of " + path);
        }
        if (readAhead < 1) {
            throw new IllegalArgumentException("read-ahead must be positive, was " + readAhead);
        }
        this.storage = storage;
        this.path = path;
        this.length = length;
        this.readAhead = readAhead;
    }

    /** the file at {@code path}, its length asked of the storage once */
    static ParquetInput open(Storage storage, String path) throws IOException {
        return new ParquetInput(storage, path, storage.size(path), READ_AHEAD);
    }

    /** the file's length when it was opened; reads never go past it */
    @Override
    public long getLength() {
        return length;
    }

    @Override
    public SeekableInputStream newStream() {
        return new RangedStream(storage, path, length, readAhead);
    }

    @Override
    public String toString() {
        return storage.root() + path;
    }
}
