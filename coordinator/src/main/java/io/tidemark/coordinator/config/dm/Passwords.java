package io.tidemark.coordinator.config.dm;

/**
 * Turns a password as a DM file writes it into the plaintext the spec takes: plaintext stays itself, the output of
 * {@code tidemark encrypt} is opened with the coordinator's key. The caller seals the result at once.
 */
@FunctionalInterface
public interface Passwords {
    /** @throws io.tidemark.common.error.TidemarkException when a sealed value does not open with this key */
    String plaintext(String written);
}
