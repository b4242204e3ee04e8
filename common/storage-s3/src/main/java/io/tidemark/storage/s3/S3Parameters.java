package io.tidemark.storage.s3;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.storage.Storages;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The URI parameters of an {@code s3://} location, as BR's external-storage parser reads them: names in any case with
 * '_' and '-' alike ({@code force_path_style} = {@code force-path-style}), a '+' in a value is a '+' (AWS secret keys
 * hold them; BR does the same), other characters percent-decoded. Unlike BR, a parameter it does not know is an
 * error, as is a malformed value: a typo must not fall back to a default without a word.
 */
final class S3Parameters {
    /** the parameters Tidemark acts on, in the order the error message lists them */
    static final List<String> KNOWN = List.of("endpoint", "region", "force-path-style", "access-key",
            "secret-access-key", "session-token", "profile", "provider", "storage-class", "sse", "sse-kms-key-id",
            "acl", "use-accelerate-endpoint", "connect-timeout", "read-timeout");
    /** parameters BR takes that Tidemark refuses, with what to do instead */
    private static final Map<String, String> NOT_SUPPORTED = Map.of(
            "role-arn", "assume the role through a profile instead (role_arn and source_profile in ~/.aws/config on"
                    + " the services' hosts, then profile=NAME), or give the services' own role access to the bucket",
            "external-id", "assume the role through a profile instead (role_arn, external_id and source_profile in"
                    + " ~/.aws/config on the services' hosts, then profile=NAME)",
            "object-lock-enabled", "write to a bucket without Object Lock, or leave the parameter out");
    /** providers whose stores need virtual-hosted style, as BR has it */
    private static final Set<String> VIRTUAL_HOSTED_PROVIDERS = Set.of("alibaba", "netease");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
    private static final Duration MAX_TIMEOUT = Duration.ofHours(1);

    private S3Parameters() {
    }

    static S3Location parse(URI uri) {
        String shown = Storages.redact(uri.toString());
        if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase("s3")) {
            throw invalid(shown, "the scheme must be s3://");
        }
        if (uri.isOpaque()) {
            throw invalid(shown, "write s3://bucket/prefix, with two slashes before the bucket");
        }
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw invalid(shown, "no bucket: write s3://bucket/prefix");
        }
        if (authority.contains("@")) {
            throw invalid(shown, "credentials go into the access-key and secret-access-key parameters, not before"
                    + " the bucket");
        }
        if (authority.contains(":")) {
            throw invalid(shown, "'" + authority + "' is not a bucket name: an S3-compatible store's host and port go"
                    + " into the endpoint parameter (s3://bucket/prefix?endpoint=http://host:port)");
        }
        if (uri.getRawFragment() != null) {
            throw invalid(shown, "a '#' starts a URI fragment: percent-encode it as %23 inside a parameter value");
        }
        String bucket = authority;
        String path = uri.getPath() == null ? "" : uri.getPath();
        String prefix = trimSlashes(path);

        Map<String, String> params = parameters(uri.getRawQuery(), shown);
        return new S3Location(bucket, prefix, options(params, shown));
    }

    private static Map<String, String> parameters(String rawQuery, String shown) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String rawName = decode(eq < 0 ? pair : pair.substring(0, eq), shown);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), shown);
            String name = rawName.strip().toLowerCase(Locale.ROOT).replace('_', '-');
            if (NOT_SUPPORTED.containsKey(name)) {
                if (name.equals("object-lock-enabled") && !parseBoolean(name, value, shown)) {
                    continue;
                }
                throw invalid(shown, "parameter " + name + " is not supported by Tidemark: " + NOT_SUPPORTED.get(name));
            }
            if (!KNOWN.contains(name)) {
                throw invalid(shown, "unknown parameter '" + rawName + "'" + suggestion(name) + "; the parameters are "
                        + String.join(", ", KNOWN));
            }
            String earlier = params.putIfAbsent(name, value);
            if (earlier != null && !earlier.equals(value)) {
                throw invalid(shown, "parameter " + name + " is given twice with different values");
            }
        }
        return params;
    }

    private static S3Options options(Map<String, String> p, String shown) {
        URI endpoint = p.containsKey("endpoint") ? endpoint(p.get("endpoint"), shown) : null;
        String region = nonEmpty(p.get("region"));
        if (region != null && !region.matches("[a-z0-9-]+")) {
            throw invalid(shown, "region '" + region + "' is not a region name such as us-east-1 or ap-northeast-1");
        }
        String provider = nonEmpty(p.get("provider"));
        boolean accelerate = p.containsKey("use-accelerate-endpoint")
                && parseBoolean("use-accelerate-endpoint", p.get("use-accelerate-endpoint"), shown);
        boolean pathStyle = !p.containsKey("force-path-style")
                || parseBoolean("force-path-style", p.get("force-path-style"), shown);
        if (accelerate && endpoint != null) {
            throw invalid(shown, "use-accelerate-endpoint and endpoint exclude each other: acceleration is AWS S3's"
                    + " own");
        }
        if (accelerate || (provider != null && VIRTUAL_HOSTED_PROVIDERS.contains(provider.toLowerCase(Locale.ROOT)))) {
            // as BR: these need the bucket in the host name, whatever force-path-style says
            pathStyle = false;
        }

        S3Options defaults = S3Options.defaults();
        Sse sse = Sse.NONE;
        if (nonEmpty(p.get("sse")) != null) {
            sse = Sse.of(p.get("sse")).orElseThrow(() -> invalid(shown, "sse '" + p.get("sse")
                    + "' is not one of AES256 and aws:kms (or empty for the bucket's default)"));
        }
        String kmsKey = nonEmpty(p.get("sse-kms-key-id"));
        if (kmsKey != null && sse == Sse.NONE) {
            // a KMS key named without sse can only mean SSE-KMS
            sse = Sse.KMS;
        } else if (kmsKey != null && sse != Sse.KMS) {
            throw invalid(shown, "sse-kms-key-id names a KMS key but sse=" + sse.parameter() + ": use sse=aws:kms");
        }

        return new S3Options(endpoint, region, pathStyle, accelerate, provider, credentials(p, shown),
                nonEmpty(p.get("storage-class")), sse, kmsKey, nonEmpty(p.get("acl")),
                p.containsKey("connect-timeout") ? duration("connect-timeout", p.get("connect-timeout"), shown)
                        : defaults.connectTimeout(),
                p.containsKey("read-timeout") ? duration("read-timeout", p.get("read-timeout"), shown)
                        : defaults.readTimeout());
    }

    private static S3Credentials credentials(Map<String, String> p, String shown) {
        String accessKey = nonEmpty(p.get("access-key"));
        String secretKey = nonEmpty(p.get("secret-access-key"));
        String token = nonEmpty(p.get("session-token"));
        String profile = nonEmpty(p.get("profile"));
        if (accessKey == null && secretKey == null) {
            if (token != null) {
                throw invalid(shown, "session-token needs access-key and secret-access-key too");
            }
            return profile == null ? new S3Credentials.DefaultChain() : new S3Credentials.Profile(profile);
        }
        if (accessKey == null) {
            throw invalid(shown, "secret-access-key is given without access-key: give both, or neither to use the"
                    + " default credentials chain");
        }
        if (secretKey == null) {
            throw invalid(shown, "access-key is given without secret-access-key: give both, or neither to use the"
                    + " default credentials chain");
        }
        if (profile != null) {
            throw invalid(shown, "profile and access-key exclude each other: name one source of credentials");
        }
        return new S3Credentials.Keys(accessKey, secretKey, token);
    }

    private static URI endpoint(String value, String shown) {
        String v = value.strip();
        URI endpoint;
        try {
            endpoint = URI.create(v);
        } catch (IllegalArgumentException e) {
            throw invalid(shown, "endpoint '" + v + "' is not a URL");
        }
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid(shown, "endpoint '" + v + "' needs http:// or https:// before the host");
        }
        if (endpoint.getHost() == null) {
            throw invalid(shown, "endpoint '" + v + "' names no host");
        }
        return endpoint;
    }

    private static boolean parseBoolean(String name, String value, String shown) {
        // Go's strconv.ParseBool, which Dumpling and BR use, takes these
        return switch (value.strip()) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw invalid(shown, name + " must be true or false, not '" + value + "'");
        };
    }

    /** Go-style durations ({@code 10s}, {@code 1500ms}, {@code 1m30s}) or a plain number of seconds */
    static Duration duration(String name, String value, String shown) {
        String v = value.strip();
        Duration d = Duration.ZERO;
        if (v.matches("\\d+")) {
            d = Duration.ofSeconds(Long.parseLong(v));
        } else {
            Matcher m = DURATION_PART.matcher(v);
            int at = 0;
            while (at < v.length() && m.find(at) && m.start() == at) {
                double amount = Double.parseDouble(m.group(1));
                long millis = (long) (amount * switch (m.group(2)) {
                    case "ms" -> 1;
                    case "s" -> 1_000;
                    case "m" -> 60_000;
                    default -> 3_600_000;
                });
                d = d.plusMillis(millis);
                at = m.end();
            }
            if (v.isEmpty() || at != v.length()) {
                throw invalid(shown, name + " '" + value + "' is not a duration such as 10s, 1500ms or 2m");
            }
        }
        if (d.isZero() || d.compareTo(MAX_TIMEOUT) > 0) {
            throw invalid(shown, name + " must be more than 0 and at most 1h, not '" + value + "'");
        }
        return d;
    }

    private static String suggestion(String name) {
        String best = KNOWN.stream().min(Comparator.comparingInt(k -> distance(k, name))).orElseThrow();
        return distance(best, name) <= Math.max(2, name.length() / 3) ? " (did you mean " + best + "?)" : "";
    }

    /** Levenshtein distance */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String decode(String raw, String shown) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid(shown, "a parameter holds a malformed %-escape; write a literal '%' as %25");
        }
    }

    private static String trimSlashes(String path) {
        int from = 0;
        int to = path.length();
        while (from < to && path.charAt(from) == '/') {
            from++;
        }
        while (to > from && path.charAt(to - 1) == '/') {
            to--;
        }
        return path.substring(from, to);
    }

    private static String nonEmpty(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static TidemarkException invalid(String shown, String why) {
        return new TidemarkException(ErrorCode.STORAGE_LOCATION_INVALID, shown, why);
    }
}
