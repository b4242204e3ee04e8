package io.tidemark.coordinator.config.lightning;

import io.tidemark.coordinator.config.NearestName;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code [mydumper] data-source-dir}: where the files to import are, kept as the user wrote it — an absolute local
 * path ({@code /data/export}, {@code file:///data/export}, Lightning's {@code local:///data/export}) or an S3 URI with
 * Dumpling/Lightning's parameters: {@code s3://bucket/prefix?region=…&endpoint=…&force-path-style=…&access-key=…&
 * secret-access-key=…&session-token=…}. The path is read by Tidemark's lightning-service workers, not where the file
 * was written, hence absolute. Keys in the URI are never printed ({@link #redacted()}).
 *
 * @param uri the location as written in the file
 */
public record DataSourceDir(String uri, Origin origin) {
    private static final String KEY = "data-source-dir";
    /** parameters Tidemark's S3 reader uses */
    private static final List<String> S3_READ = List.of("endpoint", "region", "force-path-style", "access-key",
            "secret-access-key", "session-token");
    /** parameters that only shape objects TiDB's tools upload: nothing to do when reading */
    static final List<String> S3_WRITE_ONLY = List.of("sse", "sse-kms-key-id", "storage-class", "acl");
    private static final Map<String, String> S3_UNSUPPORTED = Map.of(
            "role-arn", "assuming an IAM role is not implemented: give the lightning-service's machines credentials"
                    + " of their own (instance profile, web identity, ~/.aws/credentials)",
            "external-id", "assuming an IAM role is not implemented: give the lightning-service's machines"
                    + " credentials of their own",
            "use-accelerate-endpoint", "S3 Transfer Acceleration is not implemented",
            "provider", "Tidemark speaks plain S3 to every S3-compatible store: give its endpoint instead");
    private static final Pattern SECRET_IN_URI = Pattern.compile("(?i)([?&](?:access-key|secret-access-key"
            + "|session-token)=)[^&#]*");

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

    private static void checkS3(URI uri, String shown, Checks c) {
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            c.fail(KEY, shown, "names no bucket" + (uri.getAuthority() != null ? " (\"" + uri.getAuthority()
                    + "\" is not a valid bucket name)" : ""), "write s3://my-bucket/prefix");
        }
        Map<String, String> params = parameters(uri.getRawQuery());
        for (Map.Entry<String, String> p : params.entrySet()) {
            String name = p.getKey();
            String value = p.getValue();
            if (S3_READ.contains(name) || S3_WRITE_ONLY.contains(name)) {
                continue;
            }
            if (S3_UNSUPPORTED.containsKey(name)) {
                c.fail(KEY, shown, "has the parameter " + name + ": " + S3_UNSUPPORTED.get(name),
                        "remove " + name + " from the URI");
            } else {
                List<String> known = new ArrayList<>(S3_READ);
                known.addAll(S3_WRITE_ONLY);
                c.fail(KEY, shown, "has the parameter " + name + ", which is not an S3 URI parameter",
                        NearestName.of(name, known).map(n -> "did you mean " + n + "?")
                                .orElse("remove it; the parameters are " + String.join(", ", known)));
            }
            if (value.isEmpty() && !name.equals("session-token")) {
                c.fail(KEY, shown, "has the parameter " + name + " with no value", "remove " + name
                        + " or give it a value");
            }
        }
        String pathStyle = params.get("force-path-style");
        if (pathStyle != null && !pathStyle.isEmpty() && !pathStyle.equalsIgnoreCase("true")
                && !pathStyle.equalsIgnoreCase("false")) {
            c.fail(KEY, shown, "has force-path-style=" + pathStyle + ", which is neither true nor false",
                    "write force-path-style=true (S3-compatible stores) or false (AWS virtual-hosted style)");
        }
        String endpoint = params.get("endpoint");
        if (endpoint != null && !endpoint.isEmpty()) {
            URI e = null;
            try {
                e = new URI(endpoint);
            } catch (URISyntaxException notAUri) {
                // reported below as no http(s) URL
            }
            if (e == null || e.getScheme() == null || !(e.getScheme().equalsIgnoreCase("http")
                    || e.getScheme().equalsIgnoreCase("https")) || e.getHost() == null) {
                c.fail(KEY, shown, "has endpoint=" + endpoint + ", which is no http(s) URL",
                        "write endpoint=https://s3.example.com (or http://127.0.0.1:9000 for a local store)");
            }
        }
        if (params.containsKey("access-key") != params.containsKey("secret-access-key")) {
            c.fail(KEY, shown, "has " + (params.containsKey("access-key") ? "access-key without secret-access-key"
                    : "secret-access-key without access-key"), "give both, or neither to use the default"
                    + " credentials of the lightning-service's machines");
        }
        if (params.containsKey("session-token") && !params.containsKey("access-key")) {
            c.fail(KEY, shown, "has session-token without access-key and secret-access-key",
                    "give the temporary credentials' access-key and secret-access-key too");
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

    static String redact(String uri) {
        if (uri == null) {
            return null;
        }
        Matcher m = SECRET_IN_URI.matcher(uri);
        return m.replaceAll("$1***");
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
