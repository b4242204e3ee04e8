package io.tidemark.coordinator.api;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.storage.LocationKeys;
import io.tidemark.common.storage.Storages;
import io.tidemark.storage.s3.S3Location;

import java.net.URI;
import java.util.Locale;

/**
 * The spec's {@code storage}: a local directory ({@code file:///…} or an absolute path) or an S3 prefix with Dumpling's
 * URI parameters ({@code s3://bucket/prefix?region=…&endpoint=…&force-path-style=…}), checked as the workers will open
 * it, so a typo is a 400 at POST rather than a failed dump an hour later.
 *
 * <p>Keys in an S3 location ({@code access-key}, {@code secret-access-key}, {@code session-token}) are sealed here,
 * with the box passwords are sealed with, before anything else sees the location: it travels to the workers on Kafka
 * and is stored, and from here on holds {@code sealed:…} values only; the services open them where they open the
 * storage ({@link LocationKeys}). Every message about a location shows it redacted.
 */
final class StorageField {
    static final String NAME = "storage";

    private StorageField() {
    }

    /** @return the location as the workers take it, keys sealed; null when none is given */
    static String optional(String location, SecretBox box) {
        return optional(NAME, location, box);
    }

    /**
     * @param field the spec's field that holds the location, named in every refusal ({@code storage},
     *              {@code schemaStorage})
     * @return the location as the workers take it, keys sealed; null when none is given
     */
    static String optional(String field, String location, SecretBox box) {
        if (location == null || location.isBlank()) {
            return null;
        }
        URI uri;
        try {
            uri = Storages.normalize(location);
        } catch (TidemarkException e) {
            throw new FieldException(field, e);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "file" -> {
                return uri.toString();
            }
            case "s3" -> {
                try {
                    S3Location.parse(uri);
                    return LocationKeys.seal(uri.toString(), box);
                } catch (TidemarkException e) {
                    throw new FieldException(field, e);
                }
            }
            default -> throw new FieldException(field, new TidemarkException(ErrorCode.UNSUPPORTED_STORAGE,
                    Storages.redact(location)));
        }
    }
}
