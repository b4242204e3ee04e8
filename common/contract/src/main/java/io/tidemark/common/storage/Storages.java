package io.tidemark.common.storage;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.ServiceLoader;

/** Turns a location as users write it ({@code /data/x}, {@code file:///data/x}, {@code s3://b/p}) into a {@link Storage}. */
public final class Storages {
    private Storages() {
    }

    public static URI normalize(String location) {
        if (location == null || location.isBlank()) {
            throw new TidemarkException(ErrorCode.UNSUPPORTED_STORAGE, String.valueOf(location));
        }
        String l = location.strip();
        if (l.startsWith("/")) {
            return Path.of(l).toUri();
        }
        try {
            URI uri = URI.create(l);
            if (uri.getScheme() == null) {
                throw new TidemarkException(ErrorCode.UNSUPPORTED_STORAGE, location);
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new TidemarkException(ErrorCode.UNSUPPORTED_STORAGE, location);
        }
    }

    public static Storage open(String location) {
        URI uri = normalize(location);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) {
            return new LocalStorage(Path.of(uri));
        }
        for (StorageProvider provider : ServiceLoader.load(StorageProvider.class)) {
            if (provider.scheme().equalsIgnoreCase(scheme)) {
                return provider.open(uri);
            }
        }
        throw new TidemarkException(ErrorCode.UNSUPPORTED_STORAGE, location);
    }
}
