package io.tidemark.dm.relay;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.deserialization.ByteArrayEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;

import java.io.IOException;

/**
 * Keeps every event's bytes as the source sent them, for the relay: it reads the whole event first (its length is in
 * the header) and decodes it from those bytes. Rows are left undecoded: the relay needs only the events that move its
 * position (rotate, format description, GTID, XID), and a row the library cannot decode must not stop the relay — the
 * task that reads it from the relay decodes it with its own exact deserializers and reports it there.
 */
final class RawEventDeserializer extends EventDeserializer {
    /** v4 header: timestamp 4, type 1, server id 4, event length 4, next position 4, flags 2 */
    static final int HEADER_BYTES = 19;
    private static final int LENGTH_OFFSET = 9;

    RawEventDeserializer() {
        for (EventType type : EventType.values()) {
            if (EventType.isRowMutation(type)) {
                setEventDataDeserializer(type, new ByteArrayEventDataDeserializer());
            }
        }
    }

    @Override
    public Event nextEvent(ByteArrayInputStream in) throws IOException {
        if (in.peek() == -1) {
            return null;
        }
        byte[] header = in.read(HEADER_BYTES);
        long length = Integer.toUnsignedLong(littleEndianInt(header, LENGTH_OFFSET));
        if (length < HEADER_BYTES || length > Integer.MAX_VALUE - 8) {
            throw new IOException("binlog event header names a length of " + length + " bytes");
        }
        byte[] raw = new byte[(int) length];
        System.arraycopy(header, 0, raw, 0, HEADER_BYTES);
        in.fill(raw, HEADER_BYTES, raw.length - HEADER_BYTES);
        Event decoded = super.nextEvent(new ByteArrayInputStream(raw));
        return new Event(new RawEventHeader((EventHeaderV4) decoded.getHeader(), raw), decoded.getData());
    }

    static int littleEndianInt(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }
}
