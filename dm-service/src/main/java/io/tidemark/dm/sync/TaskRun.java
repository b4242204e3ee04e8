package io.tidemark.dm.sync;

import io.tidemark.common.command.ReplicationTask;

import java.time.Duration;

/**
 * One replication task running on this worker (DM's Sync unit lifecycle: start, process, stop, status).
 * Threading: the unit processes on its own thread; {@link #requestStop()}, {@link #awaitStopped}, {@link #abandon()}
 * and {@link #state()} may be called from any thread. Stopping finishes the open source transaction when it can,
 * flushes the checkpoint, reports the last flushed point and closes the source and target connections.
 */
public interface TaskRun {
    ReplicationTask task();

    ReplicatorState state();

    void requestStop();

    /** @return true when the unit's thread has ended within the timeout */
    boolean awaitStopped(Duration timeout);

    /**
     * Interrupts a unit that did not stop in time, typically because it is still waiting for Kafka to take its last
     * status event: that event is given up, and the task's next run (here or on the next owner) reports again.
     */
    void abandon();
}
