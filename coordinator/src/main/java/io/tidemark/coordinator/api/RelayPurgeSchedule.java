package io.tidemark.coordinator.api;

import io.tidemark.common.command.DesiredRelay;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.coordinator.config.dm.SourceFile;
import io.tidemark.coordinator.leadership.Leadership;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * DM's automatic relay purge: every source whose file sets {@code purge.expires} above 0 and whose relay is wanted
 * running has its expired relay files deleted every {@code purge.interval} seconds ({@link RelayPurger#purgeExpired}).
 * One thread of its own, so a slow broker delays only the purge; under the sources' lock, so no task of the source
 * starts meanwhile. A purge that fails is logged and tried again at the next interval.
 */
@Component
class RelayPurgeSchedule implements SmartLifecycle {
    private static final Logger LOGGER = LoggerFactory.getLogger(RelayPurgeSchedule.class);
    /** how often the sources are looked at; each is purged at its own interval */
    private static final Duration TICK = Duration.ofSeconds(1);

    private final DmStore store;
    private final DmRelays relays;
    private final RelayPurger purger;
    private final ReentrantLock lock;
    private final Map<String, Instant> lastRun = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService executor;
    private final Leadership leadership;

    RelayPurgeSchedule(DmStore store, DmRelays relays, RelayPurger purger, TaskController tasks,
                       Leadership leadership) {
        this.leadership = leadership;
        this.store = store;
        this.relays = relays;
        this.purger = purger;
        this.lock = tasks.lock();
    }

    private void tick() {
        if (!leadership.active()) {
            return; // the active coordinator purges; a standby's purge would race it
        }
        Instant now = Instant.now();
        for (DmStore.StoredSource s : store.sources()) {
            SourceFile.Purge purge = s.purge();
            boolean running = relays.relay(s.sourceId()).filter(DesiredRelay::running).isPresent();
            Instant last = lastRun.get(s.sourceId());
            if (purge == null || !running
                    || last != null && now.isBefore(last.plusSeconds(purge.intervalSeconds()))) {
                continue;
            }
            lastRun.put(s.sourceId(), now);
            lock.lock();
            try {
                purger.purgeExpired(s.sourceId(), Duration.ofHours(purge.expiresHours()));
            } catch (TidemarkException e) {
                LOGGER.warn("relay purge of source {} failed, tried again in {} s: {}", s.sourceId(),
                        purge.intervalSeconds(), e.getMessage());
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("relay-purge").daemon()
                .unstarted(r));
        executor.scheduleWithFixedDelay(() -> {
            try {
                tick();
            } catch (RuntimeException e) {
                LOGGER.error("relay purge round failed", e);
            }
        }, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService e = executor;
        if (e != null) {
            e.shutdownNow();
            executor = null;
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
