package io.tidemark.storage.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings an {@code s3://} location carries in its URI parameters, named as Dumpling, BR and TiDB Lightning name
 * them (see {@link S3Location#parse}). {@code toString} never shows a secret.
 *
 * @param endpoint       an S3-compatible endpoint ({@code endpoint=http://minio:9000}); null for AWS S3
 * @param region         the bucket's region; null: {@code AWS_REGION} or the profile's region, else us-east-1 (AWS
 *                       S3 then follows the bucket to its own region)
 * @param forcePathStyle path-style requests ({@code https://endpoint/bucket/key}); Dumpling and BR default to true
 * @param accelerate     S3 Transfer Acceleration ({@code use-accelerate-endpoint=true}); implies virtual-hosted style
 * @param provider       the {@code provider} named in the location (e.g. {@code alibaba}, {@code ceph}); null if none
 * @param storageClass   the storage class of the objects written ({@code STANDARD_IA}); null: the bucket's default
 * @param sseKmsKeyId    the KMS key of {@link Sse#KMS}; null: the account's {@code aws/s3} key
 * @param acl            the canned ACL of the objects written ({@code bucket-owner-full-control}); null: none
 * @param connectTimeout how long opening a connection may take ({@code connect-timeout}, default 10 s)
 * @param readTimeout    how long S3 may stay silent on an open connection ({@code read-timeout}, default 30 s)
 */
public record S3Options(URI endpoint, String region, boolean forcePathStyle, boolean accelerate, String provider,
                        S3Credentials credentials, String storageClass, Sse sse, String sseKmsKeyId, String acl,
                        Duration connectTimeout, Duration readTimeout) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

    public S3Options {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(sse, "sse");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (sseKmsKeyId != null && sse != Sse.KMS) {
            throw new IllegalArgumentException("sse-kms-key-id needs sse=aws:kms, not sse=" + sse.parameter());
        }
    }

    /** these options with other credentials */
    S3Options withCredentials(S3Credentials other) {
        return new S3Options(endpoint, region, forcePathStyle, accelerate, provider, other, storageClass, sse,
                sseKmsKeyId, acl, connectTimeout, readTimeout);
    }

    /** AWS S3 with the default credentials chain, the default region and Dumpling's path style */
    public static S3Options defaults() {
        return new S3Options(null, null, true, false, null, new S3Credentials.DefaultChain(), null, Sse.NONE, null,
                null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
    }
}
