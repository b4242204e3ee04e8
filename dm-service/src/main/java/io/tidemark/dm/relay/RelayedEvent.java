package io.tidemark.dm.relay;

import io.tidemark.common.position.BinlogPosition;

import java.util.Comparator;

/**
 * A binlog event as read back from a relay topic, whole again: its bytes as the source sent them, where it stands in
 * the source's binlog, and the Kafka offset of its first piece (a reader restarted there reads it again).
 */
public record RelayedEvent(String type, String file, long pos, long next, String gtid, byte[] bytes, long offset,
                           BinlogPosition resumeAt) {
    /** binlog order; an event the source made up at a stream's start (pos == next) sorts before the real one there */
    static final Comparator<RelayedEvent> ORDER = Comparator.comparing((RelayedEvent e) -> e.file)
            .thenComparingLong(e -> e.pos).thenComparingLong(e -> e.next);

    /** made up by the source when a stream starts (a re-sent format description): it occupies no place */
    public boolean artificial() {
        return pos == next;
    }
}
