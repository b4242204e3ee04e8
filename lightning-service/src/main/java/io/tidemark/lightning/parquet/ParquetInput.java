package io.tidemark.lightning.parquet;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.storage.Storage;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Parquet file of a {@link Storage} as parquet-java reads it: an {@link InputFile}, which must seek (the footer is
 * read first, at the end, then the row groups from the start).
 * <p>
 * The storage SPI reads a file only as one stream from its first byte, without ranges. An InputFile over such a
 * stream would have to open the file again and read past everything before each seek, downloading a remote file twice
 * or more; so a file of a remote storage (S3) is copied once, sequentially, to a temporary local file that parquet-java
 * seeks in freely, and deleted on close. A file of a local storage ({@code file:} root) is read in place. When the SPI
 * gains ranged reads, a remote file can be read in place too, with no local copy.
 */
final class ParquetInput implements Closeable {
    private static final Logger LOGGER = LoggerFactory.getLogger(ParquetInput.class);

    private final InputFile file;
    private final Path copy;

    private ParquetInput(InputFile file, Path copy) {
        this.file = file;
        this.copy = copy;
    }

    /** @param spillDir where a remote file is copied to; it needs room for the largest file a worker reads */
    static ParquetInput open(Storage storage, String path, Path spillDir) {
        URI root = storage.root();
        if ("file".equalsIgnoreCase(root.getScheme())) {
            return new ParquetInput(new LocalInputFile(localPath(root, path)), null);
        }
        Path copy = null;
        try {
            Files.createDirectories(spillDir);
            copy = Files.createTempFile(spillDir, "tidemark-", ".parquet");
            long expected = storage.size(path);
            long copied;
            try (InputStream in = storage.open(path); OutputStream out = Files.newOutputStream(copy)) {
                copied = in.transferTo(out);
            }
            if (copied != expected) {
                throw new IOException("read " + copied + " of its " + expected + " bytes");
            }
            LOGGER.debug("copied {} ({} bytes) to {} for reading", path, copied, copy);
            return new ParquetInput(new LocalInputFile(copy), copy);
        } catch (IOException e) {
            deleteQuietly(copy);
            throw new TidemarkException(ErrorCode.STORAGE_IO, e, root, "cannot copy " + path + " to " + spillDir
                    + " for reading: " + e.getMessage());
        } catch (RuntimeException e) {
            deleteQuietly(copy);
            throw e;
        }
    }

    InputFile file() {
        return file;
    }

    @Override
    public void close() {
        deleteQuietly(copy);
    }

    private static Path localPath(URI root, String path) {
        Path base = Path.of(root).toAbsolutePath().normalize();
        Path p = base.resolve(path).normalize();
        if (!p.startsWith(base)) {
            throw new IllegalArgumentException("path " + path + " leaves the storage root " + root);
        }
        return p;
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOGGER.warn("cannot delete the temporary copy {}: {}", p, e.toString());
        }
    }
}
