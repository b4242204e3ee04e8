package io.tidemark.storage.s3;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.storage.Storages;

import java.net.URI;
import java.util.Objects;

/**
 * An {@code s3://bucket/prefix?param=value&…} location as Dumpling, BR and TiDB Lightning write it. The parameters
 * and their defaults are those of {@link S3Parameters}; a parameter Tidemark does not know is an error naming it,
 * never ignored, so a typo cannot silently fall back to a default.
 *
 * @param bucket  the bucket (the URI's host part)
 * @param prefix  the key prefix without leading or trailing '/', "" for the whole bucket
 * @param options what the URI parameters say
 */
public record S3Location(String bucket, String prefix, S3Options options) {
    public S3Location {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(options, "options");
    }

    /**
     * Parses a location as users write it.
     *
     * @throws TidemarkException {@link ErrorCode#STORAGE_LOCATION_INVALID} naming what is wrong (credentials redacted)
     */
    public static S3Location parse(String location) {
        return parse(Storages.normalize(location));
    }

    /** @see #parse(String) */
    public static S3Location parse(URI uri) {
        return S3Parameters.parse(uri);
    }

    /**
     * This location with its keys in plaintext: sealed values ({@code secret-access-key=sealed:…}) opened with the
     * secret key this process registered ({@link io.tidemark.common.storage.LocationKeys}); the same location when it
     * holds no keys.
     *
     * @throws TidemarkException {@link ErrorCode#SECRET_UNREADABLE} naming the parameter that does not open
     */
    S3Location withKeysOpened() {
        if (!(options.credentials() instanceof S3Credentials.Keys keys)) {
            return this;
        }
        return new S3Location(bucket, prefix, options.withCredentials(keys.opened(root().toString())));
    }

    /** {@code s3://bucket/prefix/}: the location without its parameters, so without credentials */
    public URI root() {
        return URI.create("s3://" + bucket + "/" + (prefix.isEmpty() ? "" : encodePath(prefix) + "/"));
    }

    /** {@code s3://bucket/key} of a key in this location's bucket, for messages */
    URI uriOf(String key) {
        return URI.create("s3://" + bucket + "/" + encodePath(key));
    }

    private static String encodePath(String path) {
        try {
            return new URI(null, null, "/" + path, null).getRawPath().substring(1);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public String toString() {
        return root() + " " + options;
    }
}
