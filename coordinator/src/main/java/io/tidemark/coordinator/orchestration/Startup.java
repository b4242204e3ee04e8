package io.tidemark.coordinator.orchestration;

import io.tidemark.common.status.StatusEvent;
import io.tidemark.coordinator.store.MigrationStore;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Restart = resume: rebuild the state from {@code tidemark.migrations}, let every migration pick up its phase, and
 * only then consume status events. Runs in an early lifecycle phase, after the topics are declared (the admin does
 * that once singletons exist) and before the web server accepts requests (its phase is later).
 */
@Component
class Startup implements SmartLifecycle {
    private final MigrationStore store;
    private final Coordinator coordinator;
    private final ConcurrentMessageListenerContainer<String, StatusEvent> statusContainer;
    private volatile boolean running;

    Startup(MigrationStore store, Coordinator coordinator,
            ConcurrentMessageListenerContainer<String, StatusEvent> statusContainer) {
        this.store = store;
        this.coordinator = coordinator;
        this.statusContainer = statusContainer;
    }

    @Override
    public void start() {
        store.load();
        coordinator.resumeAll();
        statusContainer.start();
        running = true;
    }

    @Override
    public void stop() {
        statusContainer.stop();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return 0;
    }
}
