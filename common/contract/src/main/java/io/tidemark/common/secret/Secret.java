package io.tidemark.common.secret;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;

/**
 * A password as it may travel: sealed ({@code enc:v1:...}, AES-GCM under the key every service holds) or a
 * reference resolved where it is used ({@code env:NAME}, {@code file:/path}). Never a plaintext value:
 * {@link SecretBox#seal} makes one from plaintext, {@link SecretBox#open} gives the plaintext back.
 * {@link #toString()} never shows even the sealed form.
 */
public record Secret(String value) {
    static final String SEALED_PREFIX = "enc:v1:";

    @JsonCreator
    public Secret {
        Objects.requireNonNull(value, "secret");
        if (!value.startsWith(SEALED_PREFIX) && !value.startsWith("env:") && !value.startsWith("file:")) {
            throw new IllegalArgumentException(
                    "a secret must be sealed (enc:v1:...) or a reference (env:NAME, file:/path), never plaintext");
        }
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    public boolean isReference() {
        return !value.startsWith(SEALED_PREFIX);
    }

    @Override
    public String toString() {
        return isReference() ? value : "******";
    }
}
