package io.tidemark.snapshot.parquet;

import java.util.Objects;

/**
 * How the Parquet dump writes its files.
 *
 * @param rowGroupBytes a row group is closed once its buffered data reaches this size: the writer holds one row group
 *                      in memory, and so does each reader of the file (lightning-service refuses row groups above its
 *                      {@code max-row-group-bytes})
 */
public record ParquetSettings(ParquetCompression compression, long rowGroupBytes) {
    public static final long DEFAULT_ROW_GROUP_BYTES = 8L << 20;

    public ParquetSettings {
        Objects.requireNonNull(compression, "compression");
        if (rowGroupBytes < 64 * 1024) {
            throw new IllegalArgumentException("a row group of " + rowGroupBytes + " bytes is too small; use at least"
                    + " 64 KiB (the default is 8 MiB)");
        }
    }

    /** gzip, 8 MiB row groups */
    public static ParquetSettings defaults() {
        return new ParquetSettings(ParquetCompression.GZIP, DEFAULT_ROW_GROUP_BYTES);
    }
}
