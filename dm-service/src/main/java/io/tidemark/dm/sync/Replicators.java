package io.tidemark.dm.sync;

import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.kit.status.StatusPublisher;
import io.tidemark.mysql.session.Timeouts;
import org.springframework.stereotype.Component;

/** Starts the Sync unit of a replication task on its own thread. Thread-safe. */
@Component
public class Replicators {
    private final SyncSettings settings;
    private final Timeouts timeouts;
    private final SecretBox secrets;
    private final WorkerId worker;
    private final StatusPublisher status;
    private final RelaySources relays;

    public Replicators(SyncSettings settings, Timeouts timeouts, SecretBox secrets, WorkerId worker,
                       StatusPublisher status, RelaySources relays) {
        this.settings = settings;
        this.timeouts = timeouts;
        this.secrets = secrets;
        this.worker = worker;
        this.status = status;
        this.relays = relays;
    }

    public TaskRun start(ReplicationTask task) {
        Replicator r = new Replicator(task, settings, timeouts, secrets, worker, status, relays);
        r.start();
        return r;
    }

    public SyncSettings settings() {
        return settings;
    }
}
