package io.tidemark.common.storage;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a location as users write it ({@code /data/x}, {@code file:///data/x}, {@code s3://b/p?region=…}) into a
 * {@link Storage}. Schemes other than {@code file} come from a {@link StorageProvider} on the classpath: {@code s3}
 * from the {@code tidemark-storage-s3} module.
 */
public final class Storages {
    private static final Pattern USER_INFO = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@?#]*@");
    private static final String HIDDEN = "***";

    private Storages() {
    }

    /**
     * The location with its credentials replaced by {@code ***}, fit for logs, errors and API answers: the values of
     * {@code access-key}, {@code secret-access-key} and {@code session-token} (however spelt or percent-encoded, sealed
     * or not, see {@link LocationKeys}), of any parameter whose name looks like a misspelt key ({@code acess-key},
     * {@code secret-key}, {@code token}: the S3 parser refuses those by showing the location), and any user info
     * before the host. Works on text that is not a valid URI too, as it is meant for error messages about such text.
     */
    public static String redact(String location) {
        if (location == null) {
            return "null";
        }
        Matcher userInfo = USER_INFO.matcher(location);
        String l = userInfo.find() ? userInfo.group(1) + HIDDEN + "@" + location.substring(userInfo.end()) : location;
        int query = l.indexOf('?');
        if (query < 0) {
            return l;
        }
        int fragment = l.indexOf('#', query);
        String params = fragment < 0 ? l.substring(query + 1) : l.substring(query + 1, fragment);
        StringBuilder out = new StringBuilder(l.substring(0, query + 1));
        String[] pairs = params.split("&", -1);
        for (int i = 0; i < pairs.length; i++) {
            if (i > 0) {
                out.append('&');
            }
            int eq = pairs[i].indexOf('=');
            String name = eq < 0 ? pairs[i] : pairs[i].substring(0, eq);
            if (eq >= 0 && holdsKey(LocationKeys.normalizedName(name))) {
                out.append(name).append('=').append(HIDDEN);
            } else {
                out.append(pairs[i]);
            }
        }
        if (fragment >= 0) {
            out.append(l.substring(fragment));
        }
        return out.toString();
    }

    /** a key parameter, or a name that looks like one misspelt; the KMS key's id is no secret and stays */
    private static boolean holdsKey(String name) {
        return LocationKeys.PARAMETERS.contains(name) || name.contains("secret") || name.contains("token")
                || name.contains("password") || name.contains("key") && !name.contains("kms");
    }

    public static URI normalize(String location) {
        if (location == null || location.isBlank()) {
            throw new TidemarkException(ErrorCode.UNSUPPORTED_STORAGE, redact(location));
        }
        String l = location.strip();
        if (l.startsWith("/")) {
            return Path.of(l).toUri();
        }
        try {
            URI uri = URI.create(l);
            if (uri.getScheme() == null) {
                throw new TidemarkException(ErrorCode.UNSUPPORTED_STORAGE, redact(location));
            }
            return uri;
        } catch (IllegalArgumentException e) {
            String why = String.valueOf(e.getMessage()).replace(l, "…");
            throw new TidemarkException(ErrorCode.STORAGE_LOCATION_INVALID, redact(location), "not a URI (" + why
                    + "); percent-encode characters such as spaces, '%' and '#' in parameter values");
        }
    }

    /**
     * The storage at {@code location}. Keys sealed into the location by the coordinator ({@link LocationKeys}) are
     * opened by the provider with the secret key this process registered, so callers pass the location as it came.
     */
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
        throw new TidemarkException(ErrorCode.UNSUPPORTED_STORAGE, redact(location));
    }
}
