package io.tidemark.coordinator.orchestration;

import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.coordinator.CoordinatorProperties;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.store.MigrationStore;
import io.tidemark.kit.status.StatusPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Publishes each migration's {@code migration-progressed} summary on the status topic, for outside monitoring: at
 * once on a phase change, else at most once per {@code tidemark.coordinator.progress-interval} for a migration whose
 * state moved since its last summary — never once per worker event (a chunk burst of 500 migrations would flood the
 * topic). Publishing goes through the kit's {@link StatusPublisher#publishLatest}: it never blocks the coordinator's
 * lock, and a summary not yet sent is replaced by a newer one of its migration.
 *
 * <p>Thread-safety: {@link #changed} is called under the coordinator's lock, the ticker runs {@link #flush} on its
 * own thread; building and queueing a summary is serialised here, and a flush reads the migration's saved state
 * inside that, so a flush never queues an older phase after a phase change's summary.
 */
@Component
public class ProgressReports implements DisposableBean {
    private static final Logger LOGGER = LoggerFactory.getLogger(ProgressReports.class);

    private final Consumer<StatusEvent> publish;
    private final Function<MigrationId, Optional<Migration>> saved;
    private final WorkerId self;
    private final Clock clock;
    private final Set<MigrationId> moved = ConcurrentHashMap.newKeySet();
    private final Map<MigrationId, ProgressSummary.Sample> last = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker;

    @Autowired
    ProgressReports(StatusPublisher publisher, MigrationStore store, CoordinatorProperties properties) {
        this(publisher::publishLatest, store::get, WorkerId.forService("coordinator"), Clock.systemUTC());
        Duration interval = properties.progressInterval();
        ticker.scheduleWithFixedDelay(this::flushLogged, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** without a ticker: the caller flushes */
    ProgressReports(Consumer<StatusEvent> publish, Function<MigrationId, Optional<Migration>> saved, WorkerId self,
                    Clock clock) {
        this.publish = publish;
        this.saved = saved;
        this.self = self;
        this.clock = clock;
        this.ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("migration-progress").factory());
    }

    /** a saved change of a migration ({@code before} null for a new one): a phase change is summarised at once */
    void changed(Migration before, Migration after) {
        if (before == null || !before.phase().equals(after.phase())) {
            moved.remove(after.id());
            summarise(after.id());
        } else {
            moved.add(after.id());
        }
    }

    /** a migration as the coordinator found it at start-up: summarised once, so monitors see it after a restart */
    void resumed(MigrationId id) {
        moved.remove(id);
        summarise(id);
    }

    /** the coordinator stepped down: the active one summarises from now on */
    void standby() {
        moved.clear();
    }

    /** summarises each migration that moved since its last summary */
    void flush() {
        for (MigrationId id : List.copyOf(moved)) {
            if (moved.remove(id)) {
                summarise(id);
            }
        }
    }

    private void flushLogged() {
        try {
            flush();
        } catch (RuntimeException e) {
            // a bug in one summary must not end the ticker: the next tick tries again
            LOGGER.error("cannot publish migration-progressed summaries", e);
        }
    }

    private synchronized void summarise(MigrationId id) {
        Optional<Migration> m = saved.apply(id);
        if (m.isEmpty()) {
            last.remove(id);
            return;
        }
        ProgressSummary summary = ProgressSummary.of(m.get(), self, clock.instant(), last.get(id));
        last.put(id, summary.sample());
        publish.accept(summary.event());
    }

    @Override
    public void destroy() {
        ticker.shutdownNow();
    }
}
