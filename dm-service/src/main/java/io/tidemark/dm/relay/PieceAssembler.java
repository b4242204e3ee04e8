package io.tidemark.dm.relay;

import io.tidemark.common.position.BinlogPosition;

/**
 * Puts relayed events back together from their pieces and drops what a restarted writer relayed twice. A writer that
 * dies between the pieces of one event leaves an unfinished event at the topic's tail; its successor relays that
 * event again from piece 0, so an unfinished event is dropped when a piece 0 or another event follows it. A piece
 * other than 0 without its predecessors (a reader that starts inside an event) is skipped. Not thread-safe: one
 * reader's thread.
 */
final class PieceAssembler {
    private RelayPiece first;
    private long firstOffset;
    private byte[] buffer;
    private int filled;
    private int expected;
    private RelayedEvent lastDelivered;

    /** @return the whole event this piece completes, or null (unfinished, skipped, or relayed before) */
    RelayedEvent add(RelayPiece p, long offset) {
        if (p.piece() == 0) {
            first = p;
            firstOffset = offset;
            buffer = p.pieces() == 1 ? p.bytes() : new byte[p.size()];
            if (p.pieces() > 1) {
                System.arraycopy(p.bytes(), 0, buffer, 0, p.bytes().length);
            }
            filled = p.bytes().length;
            expected = 1;
        } else if (first == null || p.piece() != expected || !sameEvent(first, p)
                || filled + p.bytes().length > buffer.length) {
            first = null;
            return null;
        } else {
            System.arraycopy(p.bytes(), 0, buffer, filled, p.bytes().length);
            filled += p.bytes().length;
            expected++;
        }
        if (!p.last()) {
            return null;
        }
        RelayPiece head = first;
        first = null;
        if (filled != head.size()) {
            return null;
        }
        RelayedEvent event = new RelayedEvent(head.type(), head.file(), head.pos(), head.next(), head.gtid(), buffer,
                firstOffset, BinlogPosition.ofFilePosition(head.resumeFile(),
                head.resumePos()));
        buffer = null;
        if (lastDelivered != null && RelayedEvent.ORDER.compare(event, lastDelivered) <= 0) {
            return null;
        }
        lastDelivered = event;
        return event;
    }

    private static boolean sameEvent(RelayPiece a, RelayPiece b) {
        return a.file().equals(b.file()) && a.pos() == b.pos() && a.next() == b.next() && a.size() == b.size()
                && a.pieces() == b.pieces();
    }
}
