package io.tidemark.storage.s3;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * One S3 client and the settings it was built from. Shared by every storage of the same endpoint, region, style,
 * credentials and timeouts (see {@link S3Clients}); thread-safe.
 */
record S3Connection(S3Client client, S3Clients.Settings settings) {
    /** the region requests are signed for */
    String region() {
        return settings.region();
    }

    /** where requests go, for messages: "AWS S3" or "endpoint http://host:port" */
    String where() {
        if (settings.endpoint() != null) {
            return "endpoint " + settings.endpoint();
        }
        return settings.accelerate() ? "AWS S3 Transfer Acceleration" : "AWS S3";
    }

    S3Credentials credentials() {
        return settings.credentials();
    }

    /**
     * Whether uploads carry CRC32 checksums: on AWS S3, yes; S3-compatible stores get none, as many of them refuse the
     * SDK's newer checksum headers.
     */
    boolean flexibleChecksums() {
        return settings.flexibleChecksums();
    }
}
