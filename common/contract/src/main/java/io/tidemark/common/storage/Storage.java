package io.tidemark.common.storage;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where dumps live: a tree of named files under a root (a local directory, an S3 prefix). Paths are relative,
 * '/'-separated. A file written through {@link #create} becomes visible only when its stream closes without error,
 * so a reader never sees half a file. Names starting with '.' are hidden: listings leave them out (a local
 * directory keeps its unfinished files under such names). Implementations are thread-safe.
 *
 * <p>Failures: a file that is not there is a {@link java.nio.file.NoSuchFileException}; an I/O failure that may pass
 * is an {@link IOException}; a fault the user has to fix (a bucket that does not exist, access denied, bad
 * credentials) is an {@link io.tidemark.common.error.TidemarkException} with its catalog code, naming the location.
 */
public interface Storage {
    /** the root as a URI, e.g. {@code file:///data/dumps/m1/} or {@code s3://bucket/prefix/}; holds no credentials */
    URI root();

    /** a stream that publishes the file at {@code path} atomically on close, replacing an earlier one */
    OutputStream create(String path) throws IOException;

    InputStream open(String path) throws IOException;

    /**
     * At most {@code length} bytes of the file at {@code path} from byte {@code offset} on: fewer when the file ends
     * first, none when {@code offset} is at or past its end. Stores that can read a range without reading what comes
     * before it (S3's ranged GET, a local file's seek) override this.
     */
    default InputStream open(String path, long offset, long length) throws IOException {
        Ranges.check(offset, length);
        InputStream in = open(path);
        try {
            in.skipNBytes(offset);
        } catch (EOFException pastTheEnd) {
            in.close();
            return InputStream.nullInputStream();
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
        return new BoundedInputStream(in, length);
    }

    boolean exists(String path) throws IOException;

    long size(String path) throws IOException;

    /** the files directly under {@code directory} ("" for the root), sorted by name */
    List<String> list(String directory) throws IOException;

    /**
     * The directories directly under {@code directory} ("" for the root), sorted by name, as paths from the root
     * like {@link #list}'s. On S3 a directory is a common prefix of keys: it exists while a file is under it.
     */
    default List<String> directories(String directory) throws IOException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot list directories");
    }

    /**
     * Every file under {@code directory} at any depth with its size in bytes, sorted by path (paths from the root, like
     * {@link #list}'s): what a table's folder of an Aurora snapshot export holds, whatever its batch and part
     * numbering. S3 answers it with one listing by prefix, sizes included.
     */
    default SortedMap<String, Long> walk(String directory) throws IOException {
        SortedMap<String, Long> files = new TreeMap<>();
        for (String file : list(directory)) {
            files.put(file, size(file));
        }
        for (String sub : directories(directory)) {
            files.putAll(walk(sub));
        }
        return Collections.unmodifiableSortedMap(files);
    }

    void delete(String path) throws IOException;

    /** a storage rooted at {@code subdirectory} of this one */
    Storage resolve(String subdirectory);
}
