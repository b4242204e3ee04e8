package io.tidemark.snapshot.dump;

/**
 * @param threads            tables read at once, each on its own connection
 * @param fileSizeBytes      a data file is closed and the next one begun past this size
 * @param statementSizeBytes an INSERT statement is closed past this size
 */
public record DumpOptions(int threads, long fileSizeBytes, long statementSizeBytes) {
    public DumpOptions {
        if (threads < 1 || fileSizeBytes < 1 || statementSizeBytes < 1) {
            throw new IllegalArgumentException("threads, file size and statement size must be positive: " + threads
                    + ", " + fileSizeBytes + ", " + statementSizeBytes);
        }
    }
}
