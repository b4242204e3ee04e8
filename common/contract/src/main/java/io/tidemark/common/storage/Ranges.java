package io.tidemark.common.storage;

/** The argument rules of a ranged read, the same for every store. */
public final class Ranges {
    private Ranges() {
    }

    /** @throws IllegalArgumentException when {@code offset} or {@code length} is negative */
    public static void check(long offset, long length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("a range needs offset >= 0 and length >= 0, not offset " + offset
                    + " and length " + length);
        }
    }
}
