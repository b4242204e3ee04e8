package io.tidemark.snapshot.dump;

import java.util.Objects;

/**
 * @param threads            tables read at once, each on its own connection
 * @param fileSizeBytes      a data file is closed and the next one begun past this size
 * @param statementSizeBytes an INSERT statement of an SQL data file is closed past this size
 * @param format             how table data is written
 */
public record DumpOptions(int threads, long fileSizeBytes, long statementSizeBytes, OutputFormat format) {
    public DumpOptions {
        if (threads < 1 || fileSizeBytes < 1 || statementSizeBytes < 1) {
            throw new IllegalArgumentException("threads, file size and statement size must be positive: " + threads
                    + ", " + fileSizeBytes + ", " + statementSizeBytes);
        }
        Objects.requireNonNull(format, "format");
    }

    /** a dump in Dumpling's SQL layout */
    public DumpOptions(int threads, long fileSizeBytes, long statementSizeBytes) {
        this(threads, fileSizeBytes, statementSizeBytes, OutputFormat.sql());
    }
}
