package io.tidemark.dm.sync;

import io.tidemark.common.position.BinlogPosition;

/**
 * Opens a source's relay for a task that reads it instead of the source (DM's {@code enable-relay}); the relay package
 * implements it, so that the replicator knows only the {@link EventSource} it gets.
 */
public interface RelaySources {
    /** the binlog of source {@code sourceId} from {@code start} on, read from its relay; not yet opened */
    EventSource open(String sourceId, BinlogPosition start);
}
