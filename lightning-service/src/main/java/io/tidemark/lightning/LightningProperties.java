package io.tidemark.lightning;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code tidemark.lightning.*}: what this instance runs and how big a target transaction gets.
 *
 * @param plannerEnabled    whether this instance plans import requests (any number may; the group picks one)
 * @param workers           chunk workers in this instance, each a member of the worker group; 0 runs none
 * @param batchStatements   statements per target transaction (each commits its checkpoint with it)
 * @param batchBytes        dump bytes per target transaction, whichever limit comes first; a statement of Parquet
 *                          rows grows to this size at most (and to 1MB at most)
 * @param maxStatementBytes the longest statement a dump file may hold; a longer one marks the file corrupt
 * @param maxRowGroupBytes  the largest Parquet row group (compressed) a worker reads; a worker holds one row group in
 *                          memory at a time, so a file with a larger one is refused before any of its rows is read
 * @param chunkBytes        how much of a Parquet file one chunk takes: its row groups are grouped into chunks of at most
 *                          this many compressed bytes (a row group is never split), each imported and checkpointed on
 *                          its own, so the workers share a big file; with strict-format, how much of an uncompressed
 *                          CSV file one chunk takes, up to the end of the row its last byte falls in
 * @param maxRetryBackoff   the longest wait between two attempts of a chunk or a plan that failed for a reason that
 *                          may pass (target unreachable, connection lost)
 * @param chunkQueue        where the workers take chunks from: {@code share} (a KIP-932 share group: any number of
 *                          workers, per-chunk acknowledgement and delivery counts; the cluster must have share groups),
 *                          {@code consumer-group} (classic: at most one busy worker per partition of the chunks topic),
 *                          or {@code auto} (share where the cluster has share groups, else consumer-group)
 * @param attemptsPerDelivery on a share group, how many times one delivery of a chunk tries a fault that may pass
 *                          before it releases the chunk to the next free worker (a consumer group retries in place
 *                          until the fault passes)
 * @param maxDeliveries     on a share group, the delivery count from which a chunk that failed again is reported
 *                          ({@code TM-40021}, with the count and the last error) and, when released, put back at the
 *                          end of the queue as a new record: keep it below the brokers' {@code
 *                          group.share.delivery.count.limit} (default 5), past which a broker drops the chunk
 * @param chunkLock         on a share group, how long a delivered chunk stays with its worker before the broker hands
 *                          it to another ({@code share.record.lock.duration.ms}, set on the group at start-up, capped
 *                          by the brokers' {@code group.share.max.record.lock.duration.ms}, 60 s by default): longer
 *                          than a chunk takes, or a second worker repeats it (its checkpoint fences one out)
 * @param planPageChunks    chunks per {@code import-planned} status event: a larger plan is reported in parts, so no
 *                          event passes Kafka's message limit (1 MiB by default; a chunk takes about 110 bytes)
 */
@Validated
@ConfigurationProperties("tidemark.lightning")
public record LightningProperties(
        @DefaultValue("true") boolean plannerEnabled,
        @DefaultValue("2") @Min(0) @Max(64) int workers,
        @DefaultValue("64") @Min(1) int batchStatements,
        @DefaultValue("8MB") @NotNull DataSize batchBytes,
        @DefaultValue("256MB") @NotNull DataSize maxStatementBytes,
        @DefaultValue("256MB") @NotNull DataSize maxRowGroupBytes,
        @DefaultValue("256MB") @NotNull DataSize chunkBytes,
        @DefaultValue("30s") @NotNull Duration maxRetryBackoff,
        @DefaultValue("auto") @NotNull ChunkQueueKind chunkQueue,
        @DefaultValue("3") @Min(1) @Max(100) int attemptsPerDelivery,
        @DefaultValue("4") @Min(1) @Max(9) int maxDeliveries,
        @DefaultValue("15m") @NotNull Duration chunkLock,
        @DefaultValue("2000") @Min(1) @Max(8000) int planPageChunks) {

    /** {@code tidemark.lightning.chunk-queue} */
    public enum ChunkQueueKind {
        AUTO, SHARE, CONSUMER_GROUP
    }

    public LightningProperties {
        if (maxStatementBytes.toBytes() < 1024 || maxStatementBytes.toBytes() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tidemark.lightning.max-statement-bytes must be between 1KB and 2GB, was "
                    + maxStatementBytes + "; Dumpling's statements are 1MB by default (--statement-size)");
        }
        if (maxRowGroupBytes.toBytes() < 1024 * 1024) {
            throw new IllegalArgumentException("tidemark.lightning.max-row-group-bytes must be at least 1MB, was "
                    + maxRowGroupBytes + "; Spark and AWS snapshot exports write row groups of about 128MB");
        }
        if (chunkBytes.toBytes() < 1) {
            throw new IllegalArgumentException("tidemark.lightning.chunk-bytes must be positive, was " + chunkBytes);
        }
        if (batchBytes.toBytes() < 1) {
            throw new IllegalArgumentException("tidemark.lightning.batch-bytes must be positive, was " + batchBytes);
        }
        if (chunkLock.toMillis() < 1000 || chunkLock.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tidemark.lightning.chunk-lock must be between 1s and 24d, was "
                    + chunkLock + "; make it longer than the slowest chunk imports, e.g. 15m");
        }
        if (maxRetryBackoff.toMillis() < 100) {
            throw new IllegalArgumentException(
                    "tidemark.lightning.max-retry-backoff must be at least 100ms, was " + maxRetryBackoff);
        }
    }

    /** {@code preferred}, or {@link #maxRetryBackoff} where that is shorter */
    public Duration firstRetryBackoff(Duration preferred) {
        return preferred.compareTo(maxRetryBackoff) > 0 ? maxRetryBackoff : preferred;
    }
}
