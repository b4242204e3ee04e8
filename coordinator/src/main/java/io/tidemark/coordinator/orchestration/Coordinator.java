package io.tidemark.coordinator.orchestration;

import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.coordinator.CoordinatorProperties;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.coordinator.store.MigrationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * The one place migrations change: a user's request or a worker's status event is applied, the orchestrator
 * derives the next step, its commands are published, then the new state is saved; a status event is committed
 * only after that. Changes are serialized by one lock: the coordinator's work per change is small, and one order
 * of changes keeps publish-then-save simple to reason about.
 */
@Service
public class Coordinator {
    private static final Logger LOGGER = LoggerFactory.getLogger(Coordinator.class);

    private final MigrationStore store;
    private final Orchestrator orchestrator;
    private final CommandPublisher publisher;
    private final Clock clock = Clock.systemUTC();
    private final ReentrantLock lock = new ReentrantLock();

    Coordinator(MigrationStore store, KafkaTemplate<String, Object> kafka, CoordinatorProperties properties) {
        this.store = store;
        this.orchestrator = new Orchestrator(properties);
        this.publisher = new CommandPublisher(kafka, properties.sendTimeout());
    }

    public Migration create(MigrationId id, MigrationSpec spec) {
        return change(id, ignored -> Migration.accepted(id, spec, clock.instant()), null);
    }

    public Migration get(MigrationId id) {
        return store.get(id).orElseThrow(() -> new TidemarkException(ErrorCode.UNKNOWN_MIGRATION, id.value()));
    }

    public List<Migration> list() {
        return store.all();
    }

    /** cut-over: the replication task's desired state becomes stopped */
    public Migration stop(MigrationId id) {
        return change(id, Migration::stop, ReplicationTask.Desired.STOPPED);
    }

    public Migration resume(MigrationId id) {
        return change(id, Migration::resume, ReplicationTask.Desired.RUNNING);
    }

    /**
     * The user's retry of a failed migration once the cause is fixed (dmctl resume-task). Serialized with every other
     * change: a second retry finds the phase no longer failed and is rejected, so two quick calls never publish two
     * conflicting commands.
     */
    public Migration retry(MigrationId id) {
        lock.lock();
        try (MDC.MDCCloseable ignored = MDC.putCloseable("migrationId", id.value())) {
            Migration failed = get(id);
            Migration retried = commit(failed, orchestrator.retry(failed));
            Stage stage = failed.error().stage();
            LOGGER.info("migration {} retried its {} stage (epoch {} -> {}) after {}: {}", id, stage.code(),
                    failed.epochs().of(stage), retried.epochs().of(stage), failed.error().code(),
                    failed.error().message());
            return retried;
        } finally {
            lock.unlock();
        }
    }

    /** aggregates one status event; returns once any resulting change is durable, so the caller may commit it */
    void onStatus(StatusEvent event) {
        lock.lock();
        try (MDC.MDCCloseable ignored = MDC.putCloseable("migrationId", event.migrationId().value())) {
            Migration current = store.get(event.migrationId()).orElse(null);
            if (current == null) {
                LOGGER.debug("ignored {} {}: no such migration", event.getClass().getSimpleName(), event.eventId());
                return;
            }
            if (current.isStale(event)) {
                LOGGER.debug("dropped {} {}: epoch {} is older than the current {}", event.getClass().getSimpleName(),
                        event.eventId(), event.epoch(), current.epochs().of(Migration.stageOf(event)));
                return;
            }
            commit(current, orchestrator.decide(current.apply(event), false));
        } finally {
            lock.unlock();
        }
    }

    /** at start-up, after the state is rebuilt: every migration picks up where its persisted phase says */
    void resumeAll() {
        for (Migration m : store.all()) {
            lock.lock();
            try (MDC.MDCCloseable ignored = MDC.putCloseable("migrationId", m.id().value())) {
                commit(m, orchestrator.decide(m, true));
            } catch (TidemarkException e) {
                // one migration that cannot resume must not keep the others from resuming
                LOGGER.error("cannot resume migration: {}", e.getMessage());
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * @param desire null for a new migration (the orchestrator decides its first step), else the replication task's
     *               desired state the user's change asks for
     */
    private Migration change(MigrationId id, UnaryOperator<Migration> change, ReplicationTask.Desired desire) {
        lock.lock();
        try (MDC.MDCCloseable ignored = MDC.putCloseable("migrationId", id.value())) {
            Migration current = desire == null ? null : get(id);
            Migration changed = change.apply(current);
            Decision decision = desire == null
                    ? orchestrator.decide(changed, false)
                    : Decision.of(changed, orchestrator.replicationTask(changed, desire));
            return commit(current, decision);
        } finally {
            lock.unlock();
        }
    }

    /** publish, then save; the caller holds the lock */
    private Migration commit(Migration before, Decision decision) {
        publisher.publish(decision.commands());
        Migration after = decision.next();
        if (after.equals(before)) {
            return before;
        }
        after = after.touched(clock.instant());
        store.save(after);
        if (before == null) {
            LOGGER.info("migration {} accepted (mode {}): phase pending -> {}", after.id(),
                    after.spec().mode().code(), after.phase().code());
        } else if (!before.phase().equals(after.phase())) {
            LOGGER.info("migration {} phase {} -> {}", after.id(), before.phase().code(), after.phase().code());
        }
        if (after.error() != null && (before == null || !after.error().equals(before.error()))) {
            LOGGER.warn("migration {} reported {} ({}, {}): {}", after.id(), after.error().code(),
                    after.error().stage().code(), after.error().retriable() ? "retriable" : "fatal",
                    after.error().message());
        }
        return after;
    }
}
