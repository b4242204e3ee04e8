package io.tidemark.dm.own;

import java.util.Collection;
import java.util.Optional;

/**
 * What runs the long-lived work an {@link Ownership} assigns this worker: replication tasks, relays. Every method is
 * called from the ownership thread only, and a stop returns once the work flushed what it must (a task its checkpoint,
 * a relay its last records): the partition goes to the next owner only after that.
 *
 * @param <V> the desired state of one key
 */
public interface Owner<V> {
    /** the key's desired state, or empty when it was deleted: start, restart or stop its work to match */
    void reconcile(String key, Optional<V> desired);

    /** this worker no longer owns the keys: stop their work */
    void stop(Collection<String> keys);

    /** the worker shuts down */
    void stopAll();

    /**
     * called after every poll (about twice a second), for what needs the owner's attention without a new record:
     * work that failed for a cause that may pass, to start again
     */
    default void tick() {
    }
}
