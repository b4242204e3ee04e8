package io.tidemark.storage.s3;

import java.util.Objects;

/**
 * Where the credentials for a location come from. Their {@code toString} never shows a secret, so a location's
 * settings may be logged whole.
 */
public sealed interface S3Credentials {
    /** words for error messages: which credentials were used, without the secret parts */
    String describe();

    /**
     * The AWS SDK's default chain on the host of the service that touches S3: the environment
     * ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}), Java system properties, web identity (EKS IRSA),
     * {@code ~/.aws/credentials} and {@code ~/.aws/config} profiles, container and EC2 instance roles.
     */
    record DefaultChain() implements S3Credentials {
        @Override
        public String describe() {
            return "the default AWS credentials chain of this service's host (environment, profile, web identity,"
                    + " instance role)";
        }
    }

    /** a named profile of {@code ~/.aws/credentials} / {@code ~/.aws/config} on the service's host */
    record Profile(String name) implements S3Credentials {
        public Profile {
            Objects.requireNonNull(name);
        }

        @Override
        public String describe() {
            return "profile '" + name + "' of this service's host";
        }
    }

    /**
     * Keys written into the location ({@code access-key}, {@code secret-access-key}, {@code session-token}). A
     * location holding them is a secret: the coordinator seals it like a password before it travels.
     */
    record Keys(String accessKeyId, String secretAccessKey, String sessionToken) implements S3Credentials {
        public Keys {
            Objects.requireNonNull(accessKeyId);
            Objects.requireNonNull(secretAccessKey);
        }

        @Override
        public String describe() {
            return sessionToken == null ? "the access-key and secret-access-key in the location"
                    : "the access-key, secret-access-key and session-token in the location";
        }

        @Override
        public String toString() {
            return "Keys[redacted" + (sessionToken == null ? "" : ", with session token") + "]";
        }
    }
}
