package io.tidemark.common.storage;

import java.net.URI;

/** Opens storages of one URI scheme; found through {@link java.util.ServiceLoader} (S3 lives in its own module). */
public interface StorageProvider {
    /** the URI scheme handled, e.g. {@code file} or {@code s3} */
    String scheme();

    /**
     * @param location a location of {@link #scheme()}; values of its key parameters may be sealed: the provider opens
     *                 them with {@link LocationKeys#open}, never prints them
     */
    Storage open(URI location);
}
