package io.tidemark.dm.task;

import io.tidemark.common.command.ReplicationTask;
import io.tidemark.dm.own.Owner;
import io.tidemark.dm.sync.ReplicatorState;
import io.tidemark.dm.sync.Replicators;
import io.tidemark.dm.sync.TaskRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Brings the replicators of this worker in line with the desired state: RUNNING starts one (or restarts it when the
 * desired record changed, e.g. a new epoch), STOPPED or a tombstone stops it, a revoked partition stops its tasks.
 * A task that failed stays failed until a different desired record arrives or it moves to another worker.
 * Mutated from the ownership thread; {@link #states()} is safe from any thread.
 */
@Component
public class TaskSupervisor implements Owner<ReplicationTask> {
    private static final Logger LOGGER = LoggerFactory.getLogger(TaskSupervisor.class);

    private final Replicators replicators;
    private final Map<String, TaskRun> runs = new ConcurrentHashMap<>();

    TaskSupervisor(Replicators replicators) {
        this.replicators = replicators;
    }

    @Override
    public void reconcile(String key, Optional<ReplicationTask> desired) {
        TaskRun current = runs.get(key);
        if (desired.isEmpty() || desired.get().desired() == ReplicationTask.Desired.STOPPED) {
            if (current != null) {
                log(key, "desired state is " + (desired.isEmpty() ? "deleted" : "stopped") + ": stopping");
                stop(List.of(key));
            }
            return;
        }
        ReplicationTask task = desired.get();
        if (current != null && current.task().equals(task)) {
            return;
        }
        if (current != null) {
            log(key, "desired state changed (epoch " + current.task().epoch() + " -> " + task.epoch() + "): restarting");
            stop(List.of(key));
        } else {
            log(key, "starting (epoch " + task.epoch() + ")");
        }
        runs.put(key, replicators.start(task));
    }

    /**
     * stops the tasks, all at once, and waits for each to flush its checkpoint and report where it stopped; one that
     * does not end in time (Kafka away) is abandoned
     */
    @Override
    public void stop(Collection<String> keys) {
        List<TaskRun> stopping = new ArrayList<>();
        for (String k : keys) {
            TaskRun r = runs.remove(k);
            if (r != null) {
                r.requestStop();
                stopping.add(r);
            }
        }
        Duration timeout = replicators.settings().stopTimeout();
        for (TaskRun r : stopping) {
            if (!r.awaitStopped(timeout)) {
                LOGGER.warn("replication task of {} did not stop within {}: abandoning it; its epoch fence keeps it"
                        + " from writing once the next owner claims it", r.task().migrationId(), timeout);
                r.abandon();
            }
        }
    }

    @Override
    public void stopAll() {
        stop(List.copyOf(runs.keySet()));
    }

    /** task key → observed state on this worker, for the info endpoint and tests */
    public Map<String, ReplicatorState> states() {
        Map<String, ReplicatorState> out = new TreeMap<>();
        runs.forEach((k, r) -> out.put(k, r.state()));
        return out;
    }

    private static void log(String key, String what) {
        MDC.put("migrationId", key.replace("/replication", ""));
        try {
            LOGGER.info("task {}: {}", key, what);
        } finally {
            MDC.remove("migrationId");
        }
    }
}
