package io.tidemark.coordinator.migration;

import java.time.Duration;
import java.time.Instant;

/**
 * Row changes applied per second by replication, as dmctl's query-status shows it: measured between progress reports
 * at least {@link #WINDOW} apart (reports come after every flush, too often for a steady figure), from the worker's own
 * running count of rows applied.
 *
 * @param rowsApplied   the worker's count at the window's start
 * @param since         when the worker reported that count
 * @param rowsPerSecond over the last complete window; null until one has passed (and after the task moved to another
 *                      worker or restarted, whose count starts again at 0)
 */
public record ReplicationRate(long rowsApplied, Instant since, Double rowsPerSecond) {
    static final Duration WINDOW = Duration.ofSeconds(2);

    static ReplicationRate start(long rowsApplied, Instant at) {
        return new ReplicationRate(rowsApplied, at, null);
    }

    /** the rate after a report of {@code rowsApplied} at {@code at} */
    ReplicationRate next(long rows, Instant at) {
        if (rows < rowsApplied || at.isBefore(since)) {
            return start(rows, at); // another worker, or the task started again: its count restarted
        }
        Duration elapsed = Duration.between(since, at);
        if (elapsed.compareTo(WINDOW) < 0) {
            return this;
        }
        return new ReplicationRate(rows, at, (rows - rowsApplied) * 1000.0 / elapsed.toMillis());
    }
}
