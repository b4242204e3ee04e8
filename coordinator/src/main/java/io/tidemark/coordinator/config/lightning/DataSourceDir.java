package io.tidemark.coordinator.config.lightning;

import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.storage.Storages;
import io.tidemark.storage.s3.S3Location;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code [mydumper] data-source-dir}: where the files to import are, kept as the user wrote it — an absolute local
 * path ({@code /data/export}, {@code file:///data/export}, Lightning's {@code local:///data/export}) or an S3 URI with
 * Dumpling/Lightning's parameters: {@code s3://bucket/prefix?region=…&endpoint=…&force-path-style=…&access-key=…&
 * secret-access-key=…&session-token=…}. The path is read by Tidemark's lightning-service workers, not where the file
 * was written, hence absolute. Keys in the URI are never printed ({@link #redacted()}); the coordinator seals them
 * before the location leaves it, as it seals the JSON spec's.
 *
 * @param uri the location as written in the file
 */
public record DataSourceDir(String uri, Origin origin) {
    private static final String KEY = "data-source-dir";
    /** parameters that only shape objects TiDB's tools upload: nothing to do when reading */
    static final List<String> S3_WRITE_ONLY = List.of("sse", "sse-kms-key-id", "storage-class", "acl");

    /** where the files are */
    public enum Kind { LOCAL, S3 }

    public DataSourceDir {
        Checks c = new Checks(origin);
        if (uri == null || uri.isBlank()) {
            c.fail(KEY, uri == null ? null : uri, "must say where the files to import are",
                    "write data-source-dir = \"s3://my-bucket/my-export\" or an absolute path");
        } else {
            check(uri.strip(), c);
        }
        c.done();
    }

    private static void check(String uri, Checks c) {
        String shown = redact(uri);
        if (uri.startsWith("/")) {
            return;
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            c.fail(KEY, shown, "is not a valid URI: " + e.getReason() + " at index " + e.getIndex(),
                    "percent-encode the character (a space is %20) or use an absolute path");
            return;
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "" -> c.fail(KEY, shown, "is a relative path; the lightning-service's workers read it on their own"
                    + " machines, so it must not depend on where the file was written", "write an absolute path"
                    + " (/data/export) or an S3 URI (s3://my-bucket/my-export)");
            case "file", "local" -> {
                if (parsed.getAuthority() != null && !parsed.getAuthority().isEmpty()
                        || parsed.getPath() == null || !parsed.getPath().startsWith("/")) {
                    c.fail(KEY, shown, "is not an absolute local path", "write " + scheme
                            + ":///data/export (three slashes) or /data/export");
                }
            }
            case "s3" -> checkS3(parsed, shown, c);
            case "gs", "gcs", "azure", "azblob", "hdfs", "noop" -> c.fail(KEY, shown, "is " + scheme
                    + " storage; Tidemark reads local disk and Amazon S3 (or an S3-compatible store)",
                    "copy the files to S3 or to a disk the lightning-service reads, and point data-source-dir there");
            default -> c.fail(KEY, shown, "has the scheme " + scheme + ":, which is no storage Tidemark knows",
                    "write s3://bucket/prefix or an absolute path");
        }
    }

    /**
     * The S3 grammar (bucket, every parameter, its value, what is not supported) is the storage's own, checked by
     * {@link S3Location#parse}: the file is refused for exactly what the reader would refuse.
     */
    private static void checkS3(URI uri, String shown, Checks c) {
        try {
            S3Location.parse(uri);
        } catch (TidemarkException e) {
            c.fail(KEY, shown, e.detail(), e.error().remedy());
        }
    }

    public Kind kind() {
        return uri.strip().toLowerCase(Locale.ROOT).startsWith("s3:") ? Kind.S3 : Kind.LOCAL;
    }

    /**
     * the location in the form Tidemark's storage takes ({@code Storages.open}): {@code file:} for a local directory,
     * the S3 URI as written (parameters included) for S3
     */
    public String location() {
        String u = uri.strip();
        if (kind() == Kind.S3) {
            return u;
        }
        if (u.startsWith("/")) {
            return Path.of(u).toUri().toString();
        }
        return "file" + u.substring(u.indexOf(':'));
    }

    /** the URI's query parameters, decoded; empty for a local path */
    public Map<String, String> parameters() {
        if (kind() != Kind.S3) {
            return Map.of();
        }
        try {
            return parameters(new URI(uri.strip()).getRawQuery());
        } catch (URISyntaxException e) {
            return Map.of();
        }
    }

    /** the URI with its keys masked, for messages and logs */
    public String redacted() {
        return redact(uri);
    }

    /** a value as messages may show it: the storage's own redaction, so the file and the API hide the same */
    static String redact(String uri) {
        return uri == null ? null : Storages.redact(uri);
    }

    private static Map<String, String> parameters(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(name.toLowerCase(Locale.ROOT), value);
        }
        return params;
    }

    @Override
    public String toString() {
        return redacted();
    }
}
