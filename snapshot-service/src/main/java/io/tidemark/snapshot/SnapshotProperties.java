package io.tidemark.snapshot;

import io.tidemark.kit.retry.RetryPolicy;
import io.tidemark.snapshot.parquet.ParquetCompression;
import io.tidemark.snapshot.parquet.ParquetSettings;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of the snapshot service, under {@code tidemark.snapshot}.
 *
 * @param statementSizeBytes an INSERT statement of a data file is closed past this size (Dumpling's
 *                           {@code --statement-size}, 1 MiB by default)
 * @param maxAttempts        how often a dump that failed with a retriable error (source unreachable, a query
 *                           failed, storage) is tried in all before the failure is reported as final
 * @param retryBackoff       the pause before the second attempt; it doubles (with jitter) for each further one
 * @param maxRetryBackoff    the longest pause between two attempts
 * @param concurrentDumps    how many dumps this instance runs at once, each of a different migration: a slow or stuck
 *                           source holds only its own slot
 * @param parquetCompression how a dump in format parquet compresses its part files: {@code gzip} (as AWS's snapshot
 *                           exports, {@code .gz.parquet}) or {@code snappy} (Spark's default, {@code .snappy.parquet})
 * @param parquetRowGroupBytes a row group of a Parquet part file is closed at about this size: the writer holds one in
 *                           memory per table it dumps, and so does each import worker reading the file
 * @param chunkRows          an SQL dump reads a table with a primary (or NOT NULL unique) key estimated above this
 *                           many rows in key ranges of about this many, on all its threads at once; 0 turns it off
 */
@Validated
@ConfigurationProperties("tidemark.snapshot")
public record SnapshotProperties(
        @DefaultValue("1048576")
        @Min(value = 4096, message = "tidemark.snapshot.statement-size-bytes must be at least 4096") long statementSizeBytes,
        @DefaultValue("3")
        @Min(value = 1, message = "tidemark.snapshot.max-attempts must be at least 1") int maxAttempts,
        @DefaultValue("2s")
        @NotNull(message = "tidemark.snapshot.retry-backoff must be a duration such as 2s") Duration retryBackoff,
        @DefaultValue("1m")
        @NotNull(message = "tidemark.snapshot.max-retry-backoff must be a duration such as 1m") Duration maxRetryBackoff,
        @DefaultValue("4")
        @Min(value = 1, message = "tidemark.snapshot.concurrent-dumps must be at least 1")
        @Max(value = 256, message = "tidemark.snapshot.concurrent-dumps must be at most 256: each dump holds"
                + " source sessions and a thread per table") int concurrentDumps,
        @DefaultValue("gzip")
        @NotNull(message = "tidemark.snapshot.parquet-compression must be gzip or snappy")
        ParquetCompression parquetCompression,
        @DefaultValue("8388608")
        @Min(value = 65536, message = "tidemark.snapshot.parquet-row-group-bytes must be at least 65536 (64 KiB)")
        @Max(value = 268435456, message = "tidemark.snapshot.parquet-row-group-bytes must be at most 268435456"
                + " (256 MiB), the largest row group lightning-service reads by default") long parquetRowGroupBytes,
        @DefaultValue("200000")
        @Min(value = 0, message = "tidemark.snapshot.chunk-rows must be 0 (tables dumped whole) or more")
        long chunkRows) {

    public SnapshotProperties {
        if (retryBackoff != null && (retryBackoff.isNegative() || retryBackoff.isZero())) {
            throw new IllegalArgumentException("tidemark.snapshot.retry-backoff is " + retryBackoff
                    + "; use a positive duration such as 2s");
        }
        if (retryBackoff != null && maxRetryBackoff != null && maxRetryBackoff.compareTo(retryBackoff) < 0) {
            throw new IllegalArgumentException("tidemark.snapshot.max-retry-backoff (" + maxRetryBackoff
                    + ") is below tidemark.snapshot.retry-backoff (" + retryBackoff + "); raise it to at least "
                    + retryBackoff);
        }
    }

    /** how a dump in format parquet writes its part files */
    public ParquetSettings parquet() {
        return new ParquetSettings(parquetCompression, parquetRowGroupBytes);
    }

    /** the kit's policy with these attempts and pauses */
    public RetryPolicy retryPolicy() {
        return RetryPolicy.attempts(maxAttempts, retryBackoff, maxRetryBackoff);
    }
}
