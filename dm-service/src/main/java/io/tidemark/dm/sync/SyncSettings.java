package io.tidemark.dm.sync;

import io.tidemark.common.command.ReplicationTask;
import io.tidemark.kit.retry.RetryPolicy;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How replicators batch, report and retry.
 *
 * @param batchMaxTransactions source transactions applied in one target transaction at most
 * @param batchMaxRows         row changes in one target transaction at most (a bigger source transaction is never split)
 * @param batchMaxDelay        a batch is committed at the next transaction boundary once this old
 * @param queueCapacity        binlog events buffered between the stream and the applier (backpressure beyond)
 * @param progressInterval     ReplicationProgressed at most this often while busy
 * @param idleProgressInterval ReplicationProgressed at least this often while idle, so lag stays visible
 * @param retryInitialBackoff  the pause after a retriable failure ({@code tidemark.dm.retry-initial-backoff}); it
 *                             starts again from here once the stream made progress
 * @param retryMaxBackoff      the longest pause between two attempts ({@code tidemark.dm.retry-max-backoff})
 * @param heartbeatInterval    the source sends a heartbeat after this long without events
 *                             ({@code tidemark.dm.heartbeat-interval}); the binlog stream's read timeout is three of
 *                             them, so a silent dead source fails the stream within three intervals and the task
 *                             resumes from its checkpoint. Logins are bounded by the kit's tidemark.db.connect-timeout
 * @param stopTimeout          how long stopping a task may take (finish the open transaction, flush the checkpoint)
 * @param workerCount          DM's {@code syncers.worker-count} for a task that sets none (its {@code workerCount}): row changes of keyed tables
 *                             are applied by this many target sessions in parallel, in key order ({@link Causality});
 *                             1 applies every change on the checkpoint's own session, in binlog order
 * @param compact              ({@code tidemark.dm.compact}) with more than one worker, the changes of one row of a table
 *                             whose only unique index is its key are written as the row's net state at each commit,
 *                             in multi-row statements ({@link RowCompactor}); false writes every change as it came
 */
@Validated
@ConfigurationProperties("tidemark.dm")
public record SyncSettings(@DefaultValue("500") @Min(1) int batchMaxTransactions,
                           @DefaultValue("5000") @Min(1) int batchMaxRows,
                           @DefaultValue("200ms") @NotNull Duration batchMaxDelay,
                           @DefaultValue("4096") @Min(16) int queueCapacity,
                           @DefaultValue("1s") @NotNull Duration progressInterval,
                           @DefaultValue("5s") @NotNull Duration idleProgressInterval,
                           @DefaultValue("1s") @NotNull Duration retryInitialBackoff,
                           @DefaultValue("30s") @NotNull Duration retryMaxBackoff,
                           @DefaultValue("5s") @NotNull Duration heartbeatInterval,
                           @DefaultValue("20s") @NotNull Duration stopTimeout,
                           @DefaultValue("4") @Min(1) @Max(ReplicationTask.MAX_WORKER_COUNT) int workerCount,
                           @DefaultValue("true") boolean compact) {
    /** the binlog stream's read timeout (three intervals) must fit the socket's int milliseconds with room to spare */
    static final Duration MAX_HEARTBEAT_INTERVAL = Duration.ofMinutes(10);

    public SyncSettings {
        if (heartbeatInterval != null && (heartbeatInterval.toMillis() < 1
                || heartbeatInterval.compareTo(MAX_HEARTBEAT_INTERVAL) > 0)) {
            throw new IllegalArgumentException("tidemark.dm.heartbeat-interval is " + heartbeatInterval + "; use a"
                    + " duration from 1ms to 10m, e.g. 5s (a dead source is noticed after three intervals of silence)");
        }
        if (retryInitialBackoff != null && (retryInitialBackoff.isNegative() || retryInitialBackoff.isZero())) {
            throw new IllegalArgumentException("tidemark.dm.retry-initial-backoff is " + retryInitialBackoff
                    + "; use a positive duration, e.g. 1s");
        }
        if (retryMaxBackoff != null && retryInitialBackoff != null && retryMaxBackoff.compareTo(retryInitialBackoff) < 0) {
            throw new IllegalArgumentException("tidemark.dm.retry-max-backoff (" + retryMaxBackoff
                    + ") must not be below tidemark.dm.retry-initial-backoff (" + retryInitialBackoff + ")");
        }
    }

    /** the kit's retry policy over the two backoff keys: retriable failures are retried until the task is stopped */
    public RetryPolicy retry() {
        return RetryPolicy.untilStopped(retryInitialBackoff, retryMaxBackoff);
    }

    /** defaults, for tests and tools that run a replicator without Spring */
    public static SyncSettings defaults() {
        return new SyncSettings(500, 5000, Duration.ofMillis(200), 4096, Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(20), 4,
                true);
    }
}
