package io.tidemark.storage.s3;

import io.tidemark.common.storage.LocationKeys;

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
     * Keys written into the location ({@code access-key}, {@code secret-access-key}, {@code session-token}); they take
     * precedence over the default chain for this location only. The coordinator seals their values like passwords
     * before the location travels ({@link LocationKeys}): as parsed, a value may still be sealed, and
     * {@link #opened} gives the plaintext the client signs with.
     */
    record Keys(String accessKeyId, String secretAccessKey, String sessionToken) implements S3Credentials {
        public Keys {
            Objects.requireNonNull(accessKeyId);
            Objects.requireNonNull(secretAccessKey);
        }

        /**
         * These keys in plaintext, opened with the secret key of this process where sealed.
         *
         * @param where the location without its parameters, for the error of a value that does not open
         */
        Keys opened(String where) {
            return new Keys(LocationKeys.open("access-key", accessKeyId, where),
                    LocationKeys.open("secret-access-key", secretAccessKey, where),
                    sessionToken == null ? null : LocationKeys.open("session-token", sessionToken, where));
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
