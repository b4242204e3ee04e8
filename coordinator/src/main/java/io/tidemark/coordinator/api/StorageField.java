package io.tidemark.coordinator.api;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.storage.Storages;
import io.tidemark.storage.s3.S3Location;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The spec's {@code storage}: a local directory ({@code file:///…} or an absolute path) or an S3 prefix with Dumpling's
 * URI parameters ({@code s3://bucket/prefix?region=…&endpoint=…&force-path-style=…}), checked as the workers will open
 * it, so a typo is a 400 at POST rather than a failed dump an hour later.
 *
 * <p>Keys in an S3 location ({@code access-key}, {@code secret-access-key}, {@code session-token}) are refused: the
 * location travels to the workers on Kafka and is shown by the API, and it would carry them in plaintext. The
 * services that touch the bucket use their own AWS default credentials chain instead. Sealing keys like passwords is
 * the next step; until then a refused location is never echoed with its secrets. The keys are looked for before
 * {@link S3Location#parse} runs, so none of its messages (which show the location) sees them either.
 */
final class StorageField {
    static final String NAME = "storage";
    /** the secret parameters as BR normalises names ('_' and '-' alike, any case) */
    private static final List<String> SECRET_PARAMETERS = List.of("access-key", "secret-access-key",
            "session-token");

    private StorageField() {
    }

    /** @return the location as the workers take it; null when none is given */
    static String optional(String location) {
        return optional(NAME, location);
    }

    /**
     * @param field the spec's field that holds the location, named in every refusal ({@code storage},
     *              {@code schemaStorage})
     * @return the location as the workers take it; null when none is given
     */
    static String optional(String field, String location) {
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
                refuseKeys(field, uri);
                try {
                    S3Location.parse(uri);
                } catch (TidemarkException e) {
                    throw new FieldException(field, e);
                }
                return uri.toString();
            }
            default -> throw new FieldException(field, new TidemarkException(ErrorCode.UNSUPPORTED_STORAGE,
                    Storages.redact(location)));
        }
    }

    private static void refuseKeys(String field, URI uri) {
        List<String> secrets = new ArrayList<>();
        String authority = uri.getRawAuthority();
        if (authority != null && authority.contains("@")) {
            secrets.add("credentials before the bucket (s3://KEY:SECRET@bucket)");
        }
        String query = uri.getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq)).strip().toLowerCase(Locale.ROOT)
                        .replace('_', '-');
                if (SECRET_PARAMETERS.contains(name) && !secrets.contains(name)) {
                    secrets.add(name);
                }
            }
        }
        if (secrets.isEmpty()) {
            return;
        }
        // shown without its parameters: Storages.redact matches parameter names as written, so a percent-encoded
        // name (secret%2Daccess%2Dkey, which S3Location decodes) would keep its value
        String shown = Storages.redact(uri.getScheme() + "://" + Objects.toString(uri.getRawAuthority(), "")
                + Objects.toString(uri.getRawPath(), ""));
        throw new FieldException(field, new TidemarkException(ErrorCode.INVALID_SPEC, "the location "
                + shown + " holds " + String.join(" and ", secrets) + ": keys in a storage"
                + " location are not accepted, since the location travels to the workers and would carry them in"
                + " plaintext; remove " + (secrets.size() == 1 ? "it" : "them") + " and give the services that"
                + " touch the bucket (coordinator, snapshot-service, lightning-service) credentials through the AWS"
                + " default credentials chain on their hosts: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in their"
                + " environment, a profile in ~/.aws/credentials (AWS_PROFILE, or profile=NAME in the location), web"
                + " identity (EKS IRSA), or the instance role"));
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            // S3Location.parse names the malformed escape
            return raw;
        }
    }
}
