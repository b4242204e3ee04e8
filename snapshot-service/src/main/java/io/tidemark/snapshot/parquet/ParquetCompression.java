package io.tidemark.snapshot.parquet;

import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/** How part files are compressed: gzip as AWS's snapshot exports, or snappy as Spark's own default. */
public enum ParquetCompression {
    GZIP(CompressionCodecName.GZIP, "gz"),
    SNAPPY(CompressionCodecName.SNAPPY, "snappy");

    private final CompressionCodecName codec;
    private final String extension;

    ParquetCompression(CompressionCodecName codec, String extension) {
        this.codec = codec;
        this.extension = extension;
    }

    CompressionCodecName codec() {
        return codec;
    }

    /** the part of a file name before {@code .parquet}, as Spark names its files: {@code gz}, {@code snappy} */
    String extension() {
        return extension;
    }
}
