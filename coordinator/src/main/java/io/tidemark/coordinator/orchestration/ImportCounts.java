package io.tidemark.coordinator.orchestration;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.table.TableRouter;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.migration.TargetCount;
import io.tidemark.kit.retry.RetriesExhausted;
import io.tidemark.kit.retry.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts an importing migration's target tables on the target, with their value checksums where the files' are
 * known, once every chunk is in ({@link Migration#awaitsCount}), on
 * threads of its own: a count of a large table takes minutes, and neither the coordinator's lock nor the status
 * consumer may wait for it. At most {@link #THREADS} migrations are counted at once, each once at a time. A target
 * that cannot be reached is tried again with the kit's retry policy (the migration shows the error meanwhile), then
 * given up on; every outcome goes back to the coordinator, which applies it under its lock.
 */
final class ImportCounts {
    private static final Logger LOGGER = LoggerFactory.getLogger(ImportCounts.class);
    private static final int THREADS = 2;
    static final String SUBJECT = "verification";

    /** where the outcome of a count goes: the coordinator, which decides what it means under its lock */
    interface Outcome {
        void counted(MigrationId id, Map<TableRef, TargetCount> counts);

        /**
         * @param last true when nothing more is tried: a fatal error, or a retriable one given up on (then
         *             {@code remedy} says so)
         */
        void failed(MigrationId id, TidemarkException error, String remedy, boolean last);
    }

    private final RowCounts counts;
    private final RetryPolicy retry;
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS,
            Thread.ofPlatform().name("import-count-", 0).daemon().factory());
    private final Set<MigrationId> running = ConcurrentHashMap.newKeySet();

    ImportCounts(RowCounts counts, RetryPolicy retry) {
        this.counts = counts;
        this.retry = retry;
    }

    static RetryPolicy defaultRetry() {
        return RetryPolicy.attempts(6, Duration.ofSeconds(2), Duration.ofSeconds(30));
    }

    /** stops counting: a count under way ends at its next wait, and a restart counts it again */
    void close() {
        pool.shutdownNow();
    }

    /** counts the migration's tables unless they are being counted already; returns at once */
    void start(Migration m, Outcome outcome) {
        if (!running.add(m.id())) {
            return;
        }
        // each target table once, under the name its rows were imported to (a route renames a dumped table); one
        // whose every chunk reported its values' checksum gets the target's checksum too, else a count
        Map<TableRef, Boolean> tables = new java.util.LinkedHashMap<>();
        m.progress().byTarget().keySet().forEach(t -> tables.put(t, m.progress().valueSumInFiles(t) != null));
        pool.execute(() -> {
            try (MDC.MDCCloseable ignored = MDC.putCloseable("migrationId", m.id().value())) {
                count(m, tables, outcome);
            } finally {
                running.remove(m.id());
            }
        });
    }

    private void count(Migration m, Map<TableRef, Boolean> tables, Outcome outcome) {
        AtomicBoolean shown = new AtomicBoolean();
        try {
            Map<TableRef, TargetCount> result = retry.run("row count of " + m.id(), attempt -> {
                try {
                    return counts.count(m.spec().target(), tables,
                            TableRouter.of(m.spec().routes()));
                } catch (TidemarkException e) {
                    // the first retriable failure is shown on the migration while the count is tried again
                    if (e.retriable() && shown.compareAndSet(false, true)) {
                        outcome.failed(m.id(), e, e.error().remedy(), false);
                    }
                    throw e;
                }
            }, RetryPolicy.Pauser.SLEEP);
            LOGGER.info("counted {} tables of migration {} on {}", result.size(), m.id(),
                    m.spec().target().describe());
            outcome.counted(m.id(), result);
        } catch (RetriesExhausted e) {
            outcome.failed(m.id(), e.last(), e.last().error().remedyAfterGivingUp(e.attempts()), true);
        } catch (TidemarkException e) {
            outcome.failed(m.id(), e, e.error().remedy(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOGGER.error("counting the tables of migration {} failed", m.id(), e);
            outcome.failed(m.id(), new TidemarkException(ErrorCode.INTERNAL, e, "counting the imported tables"
                    + " failed: " + e), ErrorCode.INTERNAL.remedy(), true);
        }
    }
}
