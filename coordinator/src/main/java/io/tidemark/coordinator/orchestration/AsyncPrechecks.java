package io.tidemark.coordinator.orchestration;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.precheck.MigrationPrechecks;
import io.tidemark.kit.status.StatusPublisher;
import io.tidemark.mysql.precheck.PrecheckReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs the prechecks of migrations submitted with {@code Prefer: respond-async} (phase {@code checking}) off the
 * request, at most {@code tidemark.coordinator.precheck-concurrency} at once; the others wait in submission order.
 * Each outcome goes back to the coordinator, which applies it under its lock; a migration is checked once at a time.
 * Nothing here is durable: a restart finds the migration still {@code checking} and starts its checks again.
 *
 * <p>Thread-safety: {@link #start} may be called from any thread; outcomes are delivered on the pool's threads.
 */
@Component
final class AsyncPrechecks implements DisposableBean {
    private static final Logger LOGGER = LoggerFactory.getLogger(AsyncPrechecks.class);

    /** where the outcome of a run goes: the coordinator, which decides what it means under its lock */
    interface Outcome {
        /** the checks ran: every result, failing or not */
        void checked(MigrationId id, PrecheckReport report);

        /** the checks could not run at all (a bug): the migration fails with this error */
        void broke(MigrationId id, TidemarkException error);
    }

    private final MigrationPrechecks prechecks;
    private final StatusPublisher status;
    private final WorkerId self = WorkerId.forService("coordinator");
    private final ExecutorService pool;
    private final Set<MigrationId> queued = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    AsyncPrechecks(MigrationPrechecks prechecks, StatusPublisher status, PrecheckQueueProperties properties) {
        this.prechecks = prechecks;
        this.status = status;
        this.pool = Executors.newFixedThreadPool(properties.precheckConcurrency(),
                Thread.ofPlatform().name("precheck-", 0).daemon().factory());
    }

    /** queues the migration's checks unless they are queued or running already; returns at once */
    void start(Migration m, Outcome outcome) {
        MigrationId id = m.id();
        if (!queued.add(id)) {
            return;
        }
        pool.execute(() -> {
            try (MDC.MDCCloseable ignored = MDC.putCloseable("migrationId", id.value())) {
                PrecheckReport report;
                try {
                    report = prechecks.check(m.spec());
                } catch (RuntimeException e) {
                    queued.remove(id);
                    if (closed) {
                        return; // interrupted by the shutdown: not the checks' outcome
                    }
                    LOGGER.error("the prechecks of migration {} could not run", id, e);
                    outcome.broke(id, e instanceof TidemarkException t ? t : new TidemarkException(
                            ErrorCode.INTERNAL, e, "the prechecks could not run: " + e));
                    return;
                }
                // before the outcome: a retry of the failure it records must be able to queue the checks again
                queued.remove(id);
                if (closed) {
                    // a check the shutdown interrupted may read as failed: the restart checks the migration again
                    LOGGER.debug("dropped the prechecks' outcome of migration {}: the coordinator stops", id);
                    return;
                }
                outcome.checked(id, report);
            }
        });
    }

    /**
     * The coordinator's status event for prechecks that failed: a {@link WorkFailed} of the migration's first stage,
     * subject {@link Migration#ACCEPT_PRECHECKS}, whose message lists every failing item with its fix — what a
     * monitor would have seen as the 422 of a synchronous submission. Its id is unique per run of the checks.
     */
    WorkFailed failure(Migration m, Stage stage, TidemarkException e, Instant at) {
        long epoch = m.epochs().of(stage);
        return new WorkFailed(m.id() + "/" + stage.code() + "/e" + epoch + "/failed/" + Migration.ACCEPT_PRECHECKS
                + "/" + at.toEpochMilli(), m.id(), self, epoch, at, stage, Migration.ACCEPT_PRECHECKS,
                e.error().code(), e.detail(), e.error().remedy(), false);
    }

    /** publishes {@code failed} without waiting: the coordinator's lock is held, Kafka may be away */
    void report(WorkFailed failed) {
        status.publishLatest(failed);
    }

    /** checks under way end; a restart runs them again, as their migrations are still checking */
    @Override
    public void destroy() {
        closed = true;
        pool.shutdownNow();
    }
}
