package io.tidemark.storage.s3;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The S3 clients of this JVM, one per distinct {@link Settings}: a storage is opened per chunk and per request, and an
 * SDK client with its connection pool is far too heavy for that. Clients live as long as the JVM; there are as many as
 * distinct endpoints, regions, credentials and timeouts in use, a handful in practice. The HTTP connection pools are
 * shared by the clients of equal timeouts.
 */
final class S3Clients {
    private static final Logger LOGGER = LoggerFactory.getLogger(S3Clients.class);
    /** open streams hold a connection each: enough for a worker's concurrent chunks and a dump's concurrent tables */
    static final int MAX_CONNECTIONS = 128;
    /** how long a request may wait for a free pooled connection */
    private static final Duration ACQUIRE_TIMEOUT = Duration.ofSeconds(60);
    private static final String DEFAULT_REGION = "us-east-1";

    private static final ConcurrentMap<Settings, S3Connection> CONNECTIONS = new ConcurrentHashMap<>();
    private static final ConcurrentMap<List<Duration>, SdkHttpClient> HTTP_CLIENTS = new ConcurrentHashMap<>();

    private S3Clients() {
    }

    /**
     * What makes two clients different. {@code toString} shows no secret ({@link S3Credentials.Keys} hides them).
     *
     * @param flexibleChecksums CRC32 checksums on uploads: AWS S3 only, see {@link S3Connection#flexibleChecksums}
     */
    record Settings(URI endpoint, String region, boolean forcePathStyle, boolean accelerate,
                    S3Credentials credentials, boolean flexibleChecksums, Duration connectTimeout,
                    Duration readTimeout) {
        static Settings of(S3Options o) {
            return new Settings(o.endpoint(), o.region() != null ? o.region() : defaultRegion(o), o.forcePathStyle(),
                    o.accelerate(), o.credentials(), o.endpoint() == null, o.connectTimeout(), o.readTimeout());
        }

        Settings withFlexibleChecksums(boolean on) {
            return new Settings(endpoint, region, forcePathStyle, accelerate, credentials, on, connectTimeout,
                    readTimeout);
        }
    }

    static S3Connection connection(S3Options options) {
        return connection(Settings.of(options));
    }

    static S3Connection connection(Settings settings) {
        return CONNECTIONS.computeIfAbsent(settings, S3Clients::connect);
    }

    private static S3Connection connect(Settings s) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(HTTP_CLIENTS.computeIfAbsent(List.of(s.connectTimeout(), s.readTimeout()),
                        t -> Apache5HttpClient.builder()
                                .connectionTimeout(t.get(0))
                                .socketTimeout(t.get(1))
                                .connectionAcquisitionTimeout(ACQUIRE_TIMEOUT)
                                .maxConnections(MAX_CONNECTIONS)
                                .tcpKeepAlive(true)
                                .build()))
                .region(Region.of(s.region()))
                .credentialsProvider(credentialsProvider(s.credentials()))
                .forcePathStyle(s.forcePathStyle())
                .accelerate(s.accelerate())
                // a region left to its default still reaches a bucket of another region: S3 says where it is
                .crossRegionAccessEnabled(true)
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD));
        if (s.endpoint() != null) {
            builder.endpointOverride(s.endpoint());
        }
        if (!s.flexibleChecksums()) {
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        S3Connection connection = new S3Connection(builder.build(), s);
        LOGGER.info("S3 client for {}: region {}, {} style, credentials from {}, connect timeout {}, read timeout {}",
                connection.where(), s.region(), s.forcePathStyle() ? "path" : "virtual-hosted",
                s.credentials().describe(), seconds(s.connectTimeout()), seconds(s.readTimeout()));
        return connection;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static AwsCredentialsProvider credentialsProvider(S3Credentials credentials) {
        return switch (credentials) {
            case S3Credentials.DefaultChain d -> DefaultCredentialsProvider.builder().build();
            case S3Credentials.Profile p -> ProfileCredentialsProvider.builder().profileName(p.name()).build();
            case S3Credentials.Keys k -> StaticCredentialsProvider.create(k.sessionToken() == null
                    ? AwsBasicCredentials.create(k.accessKeyId(), k.secretAccessKey())
                    : AwsSessionCredentials.create(k.accessKeyId(), k.secretAccessKey(), k.sessionToken()));
        };
    }

    /**
     * The region when the location names none: for AWS S3 the host's own setting ({@code AWS_REGION}, the
     * {@code aws.region} property, the profile's region) — never the EC2 metadata service, which would stall every
     * service off EC2 — else us-east-1, from where S3 redirects to the bucket's region. An S3-compatible store gets
     * us-east-1, what most of them expect.
     */
    private static String defaultRegion(S3Options o) {
        if (o.endpoint() != null) {
            return DEFAULT_REGION;
        }
        try {
            return new AwsRegionProviderChain(new SystemSettingsRegionProvider(), new AwsProfileRegionProvider())
                    .getRegion().id();
        } catch (RuntimeException none) {
            return DEFAULT_REGION;
        }
    }
}
