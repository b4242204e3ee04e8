package io.tidemark.snapshot.dump;

import java.util.Objects;

/**
 * @param threads            tables (or key ranges of one large table) read at once, each on its own connection
 * @param fileSizeBytes      a data file is closed and the next one begun past this size
 * @param statementSizeBytes an INSERT statement of an SQL data file is closed past this size
 * @param format             how table data is written
 * @param chunkRows          an SQL dump reads a keyed table estimated above this many rows in key ranges of about
 *                           this many rows, several at once ({@link ChunkPlan}); 0 dumps every table whole
 */
public record DumpOptions(int threads, long fileSizeBytes, long statementSizeBytes, OutputFormat format,
                          long chunkRows) {
    /** {@code tidemark.snapshot.chunk-rows} by default */
    public static final long DEFAULT_CHUNK_ROWS = 200_000;

    public DumpOptions {
        if (threads < 1 || fileSizeBytes < 1 || statementSizeBytes < 1) {
            throw new IllegalArgumentException("threads, file size and statement size must be positive: " + threads
                    + ", " + fileSizeBytes + ", " + statementSizeBytes);
        }
        if (chunkRows < 0) {
            throw new IllegalArgumentException("chunk rows must be 0 (no ranges) or positive: " + chunkRows);
        }
        Objects.requireNonNull(format, "format");
    }

    /** a dump with key ranges of {@link #DEFAULT_CHUNK_ROWS} */
    public DumpOptions(int threads, long fileSizeBytes, long statementSizeBytes, OutputFormat format) {
        this(threads, fileSizeBytes, statementSizeBytes, format, DEFAULT_CHUNK_ROWS);
    }

    /** a dump in Dumpling's SQL layout */
    public DumpOptions(int threads, long fileSizeBytes, long statementSizeBytes) {
        this(threads, fileSizeBytes, statementSizeBytes, OutputFormat.sql());
    }
}
