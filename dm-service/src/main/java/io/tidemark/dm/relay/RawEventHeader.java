package io.tidemark.dm.relay;

import com.github.shyiko.mysql.binlog.event.EventHeaderV4;

/** An event's header together with the event's bytes as the source sent them (header, body and checksum). */
final class RawEventHeader extends EventHeaderV4 {
    private final byte[] raw;

    RawEventHeader(EventHeaderV4 decoded, byte[] raw) {
        setTimestamp(decoded.getTimestamp());
        setEventType(decoded.getEventType());
        setServerId(decoded.getServerId());
        setEventLength(decoded.getEventLength());
        setNextPosition(decoded.getNextPosition());
        setFlags(decoded.getFlags());
        this.raw = raw;
    }

    byte[] raw() {
        return raw;
    }

    /** where the event starts in its binlog file (the header holds where it ends) */
    long position() {
        return getNextPosition() - getEventLength();
    }
}
