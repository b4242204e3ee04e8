package io.tidemark.dm.sync;

import com.github.shyiko.mysql.binlog.event.Event;
import io.tidemark.common.error.TidemarkException;

/**
 * Where a replicator's binlog events come from: the source itself ({@link BinlogStream}) or, for a source with
 * {@code enable-relay: true}, the source's relay topic. Either way a bounded queue of events decoded the same way
 * ({@link ExactRowsDeserializers}), in the source's order, each with the header the source wrote.
 *
 * <p>Threading: {@link #open()}, {@link #poll}, {@link #drained()} and {@link #close()} from the replicator's thread;
 * the implementation fills the queue on a thread of its own and stops filling while it is full (backpressure).
 */
public interface EventSource extends AutoCloseable {
    /** what the queue carries */
    sealed interface Item {
    }

    record Received(Event event) implements Item {
    }

    /** the source ended: a retriable error is resumed from the checkpoint, a fatal one fails the task */
    record Broken(TidemarkException error) implements Item {
    }

    /** starts filling the queue from the start position; bounded by the implementation's connect timeout */
    void open();

    /** @return the next item, or null after the timeout */
    Item poll(long timeoutMillis) throws InterruptedException;

    /** nothing is queued: the replicator may flush its batch */
    boolean drained();

    @Override
    void close();
}
