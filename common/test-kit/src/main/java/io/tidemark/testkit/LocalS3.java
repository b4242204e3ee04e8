package io.tidemark.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An S3-compatible server on this machine for tests: Adobe S3Mock's exec jar ({@code com.adobe.testing:s3mock:}
 * {@value #VERSION}{@code :jar:exec}) run as a separate java process — never in the test's JVM, whose classpath its
 * Spring Boot would share — with HTTP on a free loopback port, a heap of 256 MB and its objects in a directory of its
 * own. Path-style requests only. It checks no signature, so any credentials pass: tests of bad credentials need a real
 * S3. One per test class; {@link #close()} stops it, and a JVM exiting without that kills it.
 *
 * <p>The jar comes from Maven like any test dependency: a module whose tests start LocalS3 declares
 * <pre>{@code
 * <dependency>
 *   <groupId>com.adobe.testing</groupId><artifactId>s3mock</artifactId><classifier>exec</classifier>
 *   <scope>test</scope>
 *   <exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion></exclusions>
 * </dependency>
 * }</pre>
 * (its version is managed by the root pom). The jar is then on the test classpath; LocalS3 also looks in the local
 * Maven repository, or takes {@code -Dtidemark.s3mock.jar=/path/to/s3mock-exec.jar}.
 */
public final class LocalS3 implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(LocalS3.class);
    public static final String VERSION = "5.2.3";
    /** any keys pass; these are what {@link #location} puts into its URIs */
    public static final String ACCESS_KEY = "tidemark-local";
    public static final String SECRET_KEY = "tidemark-local-secret";
    public static final String REGION = "us-east-1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern LISTED_OBJECT = Pattern.compile("<Contents>(.*?)</Contents>", Pattern.DOTALL);
    private static final Pattern NEXT_TOKEN = Pattern.compile(
            "<NextContinuationToken>([^<]*)</NextContinuationToken>");

    private final Path dataDir;
    private final int port;
    private final Process process;
    private final Thread killOnExit;
    private final HttpClient http;

    private LocalS3(Path dataDir, int port, Process process, Thread killOnExit) {
        this.dataDir = dataDir;
        this.port = port;
        this.process = process;
        this.killOnExit = killOnExit;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** starts a server under {@code baseDir} with {@code buckets} already created */
    public static LocalS3 start(Path baseDir, String... buckets) {
        return start(baseDir, List.of(buckets), List.of());
    }

    /**
     * @param validKmsKeys KMS key ARNs ({@code arn:aws:kms:us-east-1:123456789012:key/…}) that SSE-KMS requests may
     *                     name; S3Mock encrypts nothing, it only refuses other keys and reports the key on the object
     */
    public static LocalS3 start(Path baseDir, List<String> buckets, List<String> validKmsKeys) {
        Path jar = jar();
        try {
            Path dataDir = Files.createTempDirectory(Files.createDirectories(baseDir), "local-s3-");
            int port = freePort();
            List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xmx256m", "-Xss512k", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Djava.io.tmpdir=" + dataDir));
            if (Runtime.version().feature() >= 24) {
                cmd.add("--sun-misc-unsafe-memory-access=allow");
            }
            cmd.addAll(List.of("-jar", jar.toString(),
                    "--http.port=" + port,
                    // the HTTPS port and S3 Vectors' two ports are fixed by default: free ones, so servers coexist
                    "--server.port=" + freePort(), "--server.address=127.0.0.1",
                    "--vectors.http.port=" + freePort(), "--vectors.https.port=" + freePort(),
                    "--com.adobe.testing.s3mock.store.root=" + dataDir.resolve("store"),
                    "--com.adobe.testing.s3mock.store.region=" + REGION,
                    "--spring.main.banner-mode=off"));
            if (!buckets.isEmpty()) {
                cmd.add("--com.adobe.testing.s3mock.store.initial-buckets=" + String.join(",", buckets));
            }
            if (!validKmsKeys.isEmpty()) {
                cmd.add("--com.adobe.testing.s3mock.store.valid-kms-keys=" + String.join(",", validKmsKeys));
            }
            Path log = dataDir.resolve("s3mock.log");
            Process process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Thread killOnExit = new Thread(process::destroyForcibly, "local-s3-kill-on-exit");
            Runtime.getRuntime().addShutdownHook(killOnExit);
            LocalS3 s3 = new LocalS3(dataDir, port, process, killOnExit);
            s3.awaitReady(log);
            return s3;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start S3Mock (" + jar + ") under " + baseDir, e);
        }
    }

    /** the S3Mock exec jar: {@code -Dtidemark.s3mock.jar}, the test classpath, or the local Maven repository */
    public static Path jar() {
        String explicit = System.getProperty("tidemark.s3mock.jar");
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException("-Dtidemark.s3mock.jar=" + explicit + " is not a file");
            }
            return p;
        }
        String name = "s3mock-" + VERSION + "-exec.jar";
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (entry.endsWith(File.separator + name) && Files.isRegularFile(Path.of(entry))) {
                return Path.of(entry);
            }
        }
        Path repository = Optional.ofNullable(System.getProperty("maven.repo.local")).filter(s -> !s.isBlank())
                .map(Path::of).orElse(Path.of(System.getProperty("user.home"), ".m2", "repository"));
        Path inRepository = repository.resolve(Path.of("com", "adobe", "testing", "s3mock", VERSION, name));
        if (Files.isRegularFile(inRepository)) {
            return inRepository;
        }
        throw new IllegalStateException("S3Mock's exec jar (" + name + ") is neither on the test classpath nor in "
                + repository + ": declare com.adobe.testing:s3mock with <classifier>exec</classifier>, <scope>test"
                + "</scope> and an exclusion of *:* in the module's pom (see LocalS3's javadoc), so that Maven"
                + " downloads it, or pass -Dtidemark.s3mock.jar=/path/to/" + name);
    }

    private void awaitReady(Path log) throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
                throw new IOException("S3Mock exited with " + process.exitValue() + ": " + tail(log));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(endpoint()).timeout(Duration.ofSeconds(2))
                        .GET().build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    LOGGER.info("S3Mock ready on {} ({})", endpoint(), dataDir);
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new IOException("interrupted while S3Mock started", e);
            }
            sleep(100);
        }
        stop();
        throw new IOException("S3Mock did not answer on " + endpoint() + " within " + START_TIMEOUT.toSeconds()
                + " s: " + tail(log));
    }

    /** {@code http://127.0.0.1:PORT}, the {@code endpoint} parameter of its locations */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * An {@code s3://} location on this server as Dumpling and TiDB Lightning write it: endpoint, path style, region
     * and keys as URI parameters.
     */
    public String location(String bucket, String prefix) {
        String p = prefix == null || prefix.isEmpty() ? "" : prefix.startsWith("/") ? prefix.substring(1) : prefix;
        return "s3://" + bucket + "/" + p + "?endpoint=" + URLEncoder.encode(endpoint().toString(),
                StandardCharsets.UTF_8) + "&force-path-style=true&region=" + REGION + "&access-key=" + ACCESS_KEY
                + "&secret-access-key=" + SECRET_KEY;
    }

    /** creates a bucket (CreateBucket, path style) */
    public void createBucket(String bucket) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(endpoint().resolve("/" + bucket))
                .PUT(HttpRequest.BodyPublishers.noBody()));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("S3Mock refused bucket " + bucket + ": HTTP " + r.statusCode() + " "
                    + r.body());
        }
    }

    /** stores an object with a plain PutObject, no SDK involved: for fixtures */
    public void put(String bucket, String key, byte[] content) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(endpoint().resolve("/" + bucket + "/" + key))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("S3Mock refused " + bucket + "/" + key + ": HTTP " + r.statusCode()
                    + " " + r.body());
        }
    }

    /** an object's bytes with a plain GetObject, empty when there is no such object */
    public Optional<byte[]> get(String bucket, String key) {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(endpoint().resolve("/" + bucket + "/" + key))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** one object of a listing: its full key, its size in bytes and when it was last written */
    public record S3Object(String key, long size, Instant lastModified) {
    }

    /**
     * Every object whose key starts with {@code prefix} (empty: the whole bucket), hidden names included, sorted by
     * key: plain ListObjectsV2 requests, page after page, not the storage SPI a service writes with, so a test does
     * not check that code with itself.
     */
    public List<S3Object> objects(String bucket, String prefix) {
        List<S3Object> objects = new ArrayList<>();
        String token = null;
        do {
            String query = "list-type=2&prefix=" + URLEncoder.encode(prefix, StandardCharsets.UTF_8)
                    + (token == null ? "" : "&continuation-token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
            HttpResponse<String> r = send(HttpRequest.newBuilder(endpoint().resolve("/" + bucket + "?" + query)).GET());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("S3Mock refused to list " + bucket + "/" + prefix + ": HTTP "
                        + r.statusCode() + " " + r.body());
            }
            Matcher contents = LISTED_OBJECT.matcher(r.body());
            while (contents.find()) {
                String xml = contents.group(1);
                objects.add(new S3Object(unescapeXml(xmlField(xml, "Key")), Long.parseLong(xmlField(xml, "Size")),
                        Instant.parse(xmlField(xml, "LastModified"))));
            }
            Matcher next = NEXT_TOKEN.matcher(r.body());
            token = r.body().contains("<IsTruncated>true</IsTruncated>") && next.find()
                    ? unescapeXml(next.group(1)) : null;
        } while (token != null);
        objects.sort(Comparator.comparing(S3Object::key));
        return List.copyOf(objects);
    }

    /** the full keys of {@link #objects}: every key that starts with {@code prefix}, sorted */
    public List<String> keys(String bucket, String prefix) {
        return objects(bucket, prefix).stream().map(S3Object::key).toList();
    }

    private static String xmlField(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(xml);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in S3Mock's listing entry " + xml);
        }
        return m.group(1);
    }

    private static String unescapeXml(String xml) {
        return xml.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** stops the server and deletes its objects */
    public void stop() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        try {
            LocalMariaDb.deleteTree(dataDir);
        } catch (IOException e) {
            LOGGER.warn("cannot delete {}: {}", dataDir, e.toString());
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
