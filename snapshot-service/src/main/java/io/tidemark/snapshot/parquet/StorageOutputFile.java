package io.tidemark.snapshot.parquet;

import io.tidemark.common.storage.Storage;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A file of a {@link Storage} as parquet-java writes it: a stream written front to back (row groups as they fill, the
 * footer last), so a part file goes to S3 as a multipart upload of bounded parts and appears, like any file of the
 * storage, only once it is closed whole. One file, written by one thread.
 */
final class StorageOutputFile implements OutputFile {
    private static final int BUFFER = 256 * 1024;

    private final Storage storage;
    private final String path;
    private Counting stream;

    StorageOutputFile(Storage storage, String path) {
        this.storage = storage;
        this.path = path;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) throws IOException {
        stream = new Counting(new BufferedOutputStream(storage.create(path), BUFFER));
        return stream;
    }

    /** the bytes written to the file so far */
    long written() {
        return stream == null ? 0 : stream.getPos();
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
        return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
        return false;
    }

    @Override
    public long defaultBlockSize() {
        return 0;
    }

    @Override
    public String getPath() {
        return storage.root() + path;
    }

    private static final class Counting extends PositionOutputStream {
        private final OutputStream out;
        private long position;

        Counting(OutputStream out) {
            this.out = out;
        }

        @Override
        public long getPos() {
            return position;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            position++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            position += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
