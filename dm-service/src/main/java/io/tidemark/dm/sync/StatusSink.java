package io.tidemark.dm.sync;

import io.tidemark.common.status.StatusEvent;

/** Where replicators report observed state. Implementations must be thread-safe and must not block for long. */
@FunctionalInterface
public interface StatusSink {
    void publish(StatusEvent event);
}
