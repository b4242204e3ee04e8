package io.tidemark.common.secret;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Seals and opens {@link Secret}s with AES-256-GCM under a key shared by the services (like {@code dmctl encrypt}
 * with DM's secret key). Thread-safe.
 */
public final class SecretBox {
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    private SecretBox(byte[] keyBytes) {
        this.key = new SecretKeySpec(keyBytes, "AES");
    }

    /** @param base64Key base64 of 32 bytes, e.g. from {@code openssl rand -base64 32} */
    public static SecretBox fromBase64Key(String base64Key) {
        if (base64Key == null || base64Key.isBlank()) {
            throw new TidemarkException(ErrorCode.SECRET_KEY_MISSING, "tidemark.secret-key is empty");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64Key.strip());
        } catch (IllegalArgumentException e) {
            throw new TidemarkException(ErrorCode.SECRET_KEY_MISSING, "tidemark.secret-key is not base64");
        }
        if (bytes.length != 32) {
            throw new TidemarkException(ErrorCode.SECRET_KEY_MISSING,
                    "tidemark.secret-key decodes to " + bytes.length + " bytes, 32 are needed");
        }
        return new SecretBox(bytes);
    }

    /** a new random key in the form {@link #fromBase64Key} takes */
    public static String generateKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    public Secret seal(String plaintext) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] ct = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(iv.length + ct.length).put(iv).put(ct).array();
            return new Secret(Secret.SEALED_PREFIX + Base64.getEncoder().encodeToString(out));
        } catch (GeneralSecurityException e) {
            throw new TidemarkException(ErrorCode.INTERNAL, e, "cannot seal a secret: " + e.getMessage());
        }
    }

    /** the plaintext; resolves {@code env:} and {@code file:} references where this process runs */
    public String open(Secret secret) {
        String v = secret.value();
        if (v.startsWith("env:")) {
            String name = v.substring(4);
            String value = System.getenv(name);
            if (value == null) {
                throw new TidemarkException(ErrorCode.SECRET_UNREADABLE, "environment variable " + name + " is not set");
            }
            return value;
        }
        if (v.startsWith("file:")) {
            Path path = Path.of(v.substring(5));
            try {
                return Files.readString(path).strip();
            } catch (IOException e) {
                throw new TidemarkException(ErrorCode.SECRET_UNREADABLE, "file " + path + ": " + e.getMessage());
            }
        }
        try {
            byte[] in = Base64.getDecoder().decode(v.substring(Secret.SEALED_PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new TidemarkException(ErrorCode.SECRET_UNREADABLE,
                    "the sealed value does not open with this service's tidemark.secret-key");
        }
    }
}
