package io.tidemark.snapshot.dump;

import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.table.TableRef;

import java.util.List;

/**
 * Progress of a dump as it happens. {@link #tableDumped} is called from the table threads: implement thread-safe,
 * and return quickly — a listener that waits (for Kafka, say) holds the dump's threads with it.
 */
public interface DumpListener {
    void started(BinlogPosition start, List<TableRef> tables);

    void tableDumped(TableResult result);
}
