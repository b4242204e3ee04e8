package io.tidemark.coordinator.access;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The API's valid tokens, kept only as SHA-256 digests: the configured ones, or the coordinator's own from its token
 * file (created on first start). A presented token is compared with each in constant time, so the time an answer
 * takes says nothing about how much of a token was right.
 */
public final class ApiTokens {
    private static final Logger LOGGER = LoggerFactory.getLogger(ApiTokens.class);
    static final int MIN_LENGTH = 32;

    private final List<byte[]> digests;

    private ApiTokens(List<byte[]> digests) {
        this.digests = digests;
    }

    /**
     * @throws TidemarkException {@code API_TOKEN_SETTING_INVALID}: a configured token too short, or a token file that
     *                           cannot be read or written
     */
    public static ApiTokens of(ApiAccessProperties properties) {
        if (!properties.tokens().isEmpty()) {
            for (int i = 0; i < properties.tokens().size(); i++) {
                if (properties.tokens().get(i).length() < MIN_LENGTH) {
                    throw new TidemarkException(ErrorCode.API_TOKEN_SETTING_INVALID, "tidemark.api.tokens",
                            "token " + (i + 1) + " has " + properties.tokens().get(i).length() + " characters, fewer"
                                    + " than " + MIN_LENGTH);
                }
            }
            LOGGER.info("API tokens: {} configured (tidemark.api.tokens)", properties.tokens().size());
            return new ApiTokens(properties.tokens().stream().map(ApiTokens::digest).toList());
        }
        return new ApiTokens(List.of(digest(ownToken(properties.tokenFile()))));
    }

    /** whether {@code presented} is one of the valid tokens; null or blank is not */
    public boolean accepts(String presented) {
        if (presented == null || presented.isBlank()) {
            return false;
        }
        byte[] candidate = digest(presented.strip());
        boolean match = false;
        for (byte[] valid : digests) {
            match |= MessageDigest.isEqual(valid, candidate);
        }
        return match;
    }

    private static String ownToken(Path file) {
        Path absolute = file.toAbsolutePath();
        try {
            if (Files.exists(absolute)) {
                String token = Files.readString(absolute).strip();
                if (token.length() < MIN_LENGTH) {
                    throw new TidemarkException(ErrorCode.API_TOKEN_SETTING_INVALID, "tidemark.api.token-file "
                            + absolute, "it holds " + token.length() + " characters, fewer than " + MIN_LENGTH
                            + "; delete it to have a new token created");
                }
                LOGGER.info("API token: the one in {} (tidemark.api.token-file)", absolute);
                return token;
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createDirectories(absolute.getParent());
            Path partial = absolute.resolveSibling(absolute.getFileName() + ".new");
            Files.deleteIfExists(partial);
            Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(partial, token + "\n");
            Files.move(partial, absolute, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            LOGGER.info("API token: created in {} (mode 600); send it as Authorization: Bearer, or let the tidemark"
                    + " client read it", absolute);
            return token;
        } catch (IOException | UnsupportedOperationException e) {
            throw new TidemarkException(ErrorCode.API_TOKEN_SETTING_INVALID, "tidemark.api.token-file " + absolute,
                    "cannot be read or created: " + e.getMessage());
        }
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
