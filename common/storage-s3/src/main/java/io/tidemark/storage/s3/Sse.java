package io.tidemark.storage.s3;

import java.util.Locale;
import java.util.Optional;

/** Server-side encryption of the objects Tidemark writes, as the {@code sse} parameter names it. */
public enum Sse {
    /** the bucket's default encryption applies */
    NONE(""),
    /** SSE-S3 */
    AES256("AES256"),
    /** SSE-KMS, with the key of {@code sse-kms-key-id} or the account's {@code aws/s3} key */
    KMS("aws:kms");

    private final String parameter;

    Sse(String parameter) {
        this.parameter = parameter;
    }

    /** the value S3 and the {@code sse} parameter use */
    public String parameter() {
        return parameter;
    }

    static Optional<Sse> of(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        for (Sse s : values()) {
            if (s.parameter.toLowerCase(Locale.ROOT).equals(v)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
