package io.tidemark.coordinator.orchestration;

import io.tidemark.common.status.StatusEvent;
import io.tidemark.coordinator.leadership.ActiveRole;
import io.tidemark.coordinator.leadership.Leadership;
import io.tidemark.coordinator.store.MigrationStore;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Restart = resume: rebuild the state from {@code tidemark.migrations}, let every migration pick up its phase, and
 * only then consume status events. Runs in an early lifecycle phase, after the topics are declared (the admin does
 * that once singletons exist) and before the web server accepts requests (its phase is later). A single coordinator
 * does so at once; under high availability, {@link Leadership} does so when this instance is elected, and stops
 * consuming status events when it steps down.
 */
@Component
class Startup implements SmartLifecycle, ActiveRole {
    private final MigrationStore store;
    private final Coordinator coordinator;
    private final ConcurrentMessageListenerContainer<String, StatusEvent> statusContainer;
    private final Leadership leadership;
    private final ProgressReports reports;
    private volatile boolean running;

    Startup(MigrationStore store, Coordinator coordinator,
            ConcurrentMessageListenerContainer<String, StatusEvent> statusContainer, Leadership leadership,
            ProgressReports reports) {
        this.reports = reports;
        this.store = store;
        this.coordinator = coordinator;
        this.statusContainer = statusContainer;
        this.leadership = leadership;
    }

    @Override
    public void start() {
        leadership.start(this);
        running = true;
    }

    @Override
    public void activate() {
        store.load();
        coordinator.resumeAll();
        statusContainer.start();
    }

    @Override
    public void deactivate() {
        statusContainer.stop();
        reports.standby();
    }

    @Override
    public void stop() {
        leadership.close();
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
