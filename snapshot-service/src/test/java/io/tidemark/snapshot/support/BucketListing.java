package io.tidemark.snapshot.support;

import io.tidemark.testkit.LocalS3;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a bucket of {@link LocalS3} holds under a prefix, hidden names included, read with plain ListObjectsV2 requests
 * — not through the storage SPI the service writes with, so a test does not check that code with itself.
 */
public final class BucketListing {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern CONTENTS = Pattern.compile("<Contents>(.*?)</Contents>", Pattern.DOTALL);
    private static final Pattern TRUNCATED = Pattern.compile("<IsTruncated>true</IsTruncated>");
    private static final Pattern TOKEN = Pattern.compile("<NextContinuationToken>([^<]*)</NextContinuationToken>");

    /** one object: its size and when it was last written */
    public record S3Object(String key, long size, Instant lastModified) {
    }

    private BucketListing() {
    }

    /** every object whose key starts with {@code prefix}, by key relative to it */
    public static SortedMap<String, S3Object> under(LocalS3 s3, String bucket, String prefix) {
        SortedMap<String, S3Object> objects = new TreeMap<>();
        String token = null;
        do {
            String query = "list-type=2&prefix=" + encode(prefix)
                    + (token == null ? "" : "&continuation-token=" + encode(token));
            String body = get(s3, "/" + bucket + "?" + query);
            Matcher m = CONTENTS.matcher(body);
            while (m.find()) {
                String key = unescape(field(m.group(1), "Key"));
                objects.put(key.substring(prefix.length()), new S3Object(key, Long.parseLong(field(m.group(1),
                        "Size")), Instant.parse(field(m.group(1), "LastModified"))));
            }
            Matcher next = TOKEN.matcher(body);
            token = TRUNCATED.matcher(body).find() && next.find() ? unescape(next.group(1)) : null;
        } while (token != null);
        return Collections.unmodifiableSortedMap(objects);
    }

    private static String get(LocalS3 s3, String pathAndQuery) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(s3.endpoint().resolve(pathAndQuery))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError("ListObjectsV2 " + pathAndQuery + " answered " + r.statusCode() + ": "
                        + r.body());
            }
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (java.io.IOException e) {
            throw new AssertionError("ListObjectsV2 " + pathAndQuery + " failed", e);
        }
    }

    private static String field(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(xml);
        if (!m.find()) {
            throw new AssertionError("no " + name + " in " + xml);
        }
        return m.group(1);
    }

    private static String unescape(String xml) {
        return xml.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
