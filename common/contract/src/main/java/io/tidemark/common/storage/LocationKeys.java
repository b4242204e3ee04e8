package io.tidemark.common.storage;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.secret.Secret;
import io.tidemark.common.secret.SecretBox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The keys a storage location may carry ({@code access-key}, {@code secret-access-key}, {@code session-token}, as
 * Dumpling and TiDB Lightning write them), sealed for travel and opened where the storage is opened.
 *
 * <p>The coordinator {@link #seal}s their values when a migration is submitted, with the {@link SecretBox} passwords
 * are sealed with: {@code secret-access-key=sealed:v1:…} (URL-safe base64 of SecretBox's AES-GCM output, so the
 * location stays a valid URI and is never percent-encoded on its way). Commands, the stored migration and the status
 * stream then only ever hold the sealed form. A storage provider {@link #open}s each value when it opens a storage,
 * with the boxes this process {@link #openWith registered} — every service's kit registers its own box at start, so
 * no service opens keys by hand. A value that is not sealed is taken as written (tests, direct use).
 */
public final class LocationKeys {
    /** the prefix of a sealed value */
    public static final String SEALED_PREFIX = "sealed:";
    /** the parameters that hold keys, named as the S3 parser normalises them */
    public static final List<String> PARAMETERS = List.of("access-key", "secret-access-key", "session-token");
    /** the one format of SecretBox's output today ({@code enc:v1:}); anything else is refused, never resolved */
    private static final String VERSION = "v1:";
    private static final String SECRET_PREFIX = "enc:";
    /** the boxes of this process: one per running service context, which all hold the same key in practice */
    private static final List<SecretBox> BOXES = new CopyOnWriteArrayList<>();

    private LocationKeys() {
    }

    /** A box registered by {@link #openWith}; closing it takes the box back. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Lets {@link #open} use {@code box} until the registration is closed. Called once per service by the service
     * kit; several registrations may live at once (the standalone launcher runs every service in one JVM).
     */
    public static Registration openWith(SecretBox box) {
        BOXES.add(box);
        return () -> BOXES.remove(box);
    }

    /** whether a parameter value (as decoded from the URI) is in the sealed form */
    public static boolean isSealed(String value) {
        return value != null && value.strip().startsWith(SEALED_PREFIX);
    }

    /**
     * The location with the values of its key parameters sealed with {@code box}; everything else is kept as written.
     * A value that is sealed already is kept too, once it is known to open with {@code box}.
     *
     * @throws TidemarkException {@link ErrorCode#SECRET_UNREADABLE} naming the parameter whose sealed value does not
     *                           open with {@code box}; {@link ErrorCode#STORAGE_LOCATION_INVALID} for a malformed
     *                           %-escape in a key's value
     */
    public static String seal(String location, SecretBox box) {
        int query = location.indexOf('?');
        if (query < 0) {
            return location;
        }
        int fragment = location.indexOf('#', query);
        String params = fragment < 0 ? location.substring(query + 1) : location.substring(query + 1, fragment);
        String where = where(location);
        String[] pairs = params.split("&", -1);
        StringBuilder out = new StringBuilder(location.substring(0, query + 1));
        for (int i = 0; i < pairs.length; i++) {
            out.append(i == 0 ? "" : "&").append(sealed(pairs[i], box, location, where));
        }
        return out.append(fragment < 0 ? "" : location.substring(fragment)).toString();
    }

    private static String sealed(String pair, SecretBox box, String location, String where) {
        int eq = pair.indexOf('=');
        if (eq < 0) {
            return pair;
        }
        String rawName = pair.substring(0, eq);
        String name = normalizedName(rawName);
        if (!PARAMETERS.contains(name)) {
            return pair;
        }
        String value;
        try {
            value = decode(pair.substring(eq + 1)).strip();
        } catch (IllegalArgumentException e) {
            throw new TidemarkException(ErrorCode.STORAGE_LOCATION_INVALID, Storages.redact(location),
                    "the value of " + name + " holds a malformed %-escape; write a literal '%' as %25");
        }
        if (value.isEmpty()) {
            return pair;
        }
        if (isSealed(value)) {
            open(List.of(box), name, value, where);
            return pair;
        }
        return rawName + "=" + toSealed(box.seal(value));
    }

    /**
     * The plaintext of a key parameter's value: a sealed value opened with a box of this process, any other value as
     * it is. Never puts the value into an error.
     *
     * @param parameter the parameter's name, for the error
     * @param value     its value, decoded from the URI
     * @param where     the location without its parameters, for the error
     * @throws TidemarkException {@link ErrorCode#SECRET_UNREADABLE} naming the parameter when no box of this process
     *                           opens it; {@link ErrorCode#SECRET_KEY_MISSING} when this process registered none
     */
    public static String open(String parameter, String value, String where) {
        if (!isSealed(value)) {
            return value;
        }
        if (BOXES.isEmpty()) {
            throw new TidemarkException(ErrorCode.SECRET_KEY_MISSING, "the " + parameter + " of " + where
                    + " is sealed, and this process was given no tidemark.secret-key to open it");
        }
        return open(BOXES, parameter, value.strip(), where);
    }

    private static String open(List<SecretBox> boxes, String parameter, String sealed, String where) {
        Secret secret;
        try {
            secret = toSecret(sealed);
        } catch (IllegalArgumentException e) {
            throw unreadable(parameter, where, "is not a value Tidemark sealed (it is cut short or altered)");
        }
        for (SecretBox box : boxes) {
            try {
                return box.open(secret);
            } catch (TidemarkException wrongKey) {
                // another box of this process may hold the key it was sealed with
            }
        }
        throw unreadable(parameter, where, "does not open with this service's tidemark.secret-key: it was sealed by"
                + " a coordinator with another key");
    }

    private static TidemarkException unreadable(String parameter, String where, String why) {
        return new TidemarkException(ErrorCode.SECRET_UNREADABLE, "the sealed " + parameter + " of storage location "
                + where + " " + why);
    }

    /** {@code sealed:v1:} + URL-safe base64 of what SecretBox's {@code enc:v1:} holds in standard base64 */
    private static String toSealed(Secret secret) {
        String v = secret.value();
        String payload = v.substring(SECRET_PREFIX.length() + VERSION.length());
        return SEALED_PREFIX + VERSION + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Base64.getDecoder().decode(payload));
    }

    private static Secret toSecret(String sealed) {
        String rest = sealed.substring(SEALED_PREFIX.length());
        if (!rest.startsWith(VERSION)) {
            throw new IllegalArgumentException("unknown version");
        }
        byte[] bytes = Base64.getUrlDecoder().decode(rest.substring(VERSION.length()));
        return new Secret(SECRET_PREFIX + VERSION + Base64.getEncoder().encodeToString(bytes));
    }

    /** the location without its parameters and user info: where a key belongs, fit for messages */
    private static String where(String location) {
        int query = location.indexOf('?');
        return Storages.redact(query < 0 ? location : location.substring(0, query));
    }

    /**
     * A parameter name as the S3 parser reads it: percent-decoded, trimmed, lower case, '_' as '-'
     * ({@code Secret_Access%5FKey} is {@code secret-access-key}); as written when its escape is malformed.
     */
    static String normalizedName(String rawName) {
        String name;
        try {
            name = decode(rawName);
        } catch (IllegalArgumentException e) {
            name = rawName;
        }
        return name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** percent-decoding with '+' kept as '+', as the S3 parser (and BR) read values: AWS secret keys hold '+' */
    static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
