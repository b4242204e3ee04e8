package io.tidemark.common.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;

/**
 * Where dumps live: a tree of named files under a root (a local directory, an S3 prefix). Paths are relative,
 * '/'-separated. A file written through {@link #create} becomes visible only when its stream closes without error,
 * so a reader never sees half a file. Implementations are thread-safe.
 */
public interface Storage {
    /** the root as a URI, e.g. {@code file:///data/dumps/m1/} or {@code s3://bucket/prefix/} */
    URI root();

    /** a stream that publishes the file at {@code path} atomically on close, replacing an earlier one */
    OutputStream create(String path) throws IOException;

    InputStream open(String path) throws IOException;

    boolean exists(String path) throws IOException;

    long size(String path) throws IOException;

    /** the files directly under {@code directory} ("" for the root), sorted by name */
    List<String> list(String directory) throws IOException;

    void delete(String path) throws IOException;

    /** a storage rooted at {@code subdirectory} of this one */
    Storage resolve(String subdirectory);
}
