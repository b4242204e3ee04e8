package io.tidemark.storage.s3;

import io.tidemark.common.storage.Storage;
import io.tidemark.common.storage.StorageProvider;

import java.net.URI;

/**
 * {@code s3://} for {@link io.tidemark.common.storage.Storages#open}, found through {@link java.util.ServiceLoader}: a
 * service has S3 as soon as this module is on its classpath.
 */
public final class S3StorageProvider implements StorageProvider {
    @Override
    public String scheme() {
        return "s3";
    }

    @Override
    public Storage open(URI location) {
        return S3Storage.open(S3Location.parse(location));
    }
}
