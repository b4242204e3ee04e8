package io.tidemark.coordinator.config.lightning;

import java.util.Locale;
import java.util.Optional;

/**
 * How a routed file is compressed as a whole, from a rule's {@code compression} template; the words are TiDB
 * Lightning's. A Parquet file is never compressed as a whole: its pages are, inside the file.
 */
public enum Compression {
    NONE, GZIP, ZSTD, SNAPPY, LZ4, XZ, LZO;

    static Optional<Compression> of(String word) {
        return switch (word.strip().toLowerCase(Locale.ROOT)) {
            case "" -> Optional.of(NONE);
            case "gz", "gzip" -> Optional.of(GZIP);
            case "zstd", "zst" -> Optional.of(ZSTD);
            case "snappy" -> Optional.of(SNAPPY);
            case "lz4" -> Optional.of(LZ4);
            case "xz" -> Optional.of(XZ);
            case "lzo" -> Optional.of(LZO);
            default -> Optional.empty();
        };
    }

    static final String WORDS = "gz, gzip, zstd, zst, snappy, lz4, xz, lzo or empty";
}
