package io.tidemark.dm.relay;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.topic.RelayHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/**
 * One record of a relay topic: a binlog event, or one ordered piece of an event larger than a Kafka message. The
 * value is the event's bytes as the source sent them (or a slice of them); what the event is and where it stands in
 * the source's binlog travel as headers, so that a reader finds its place without decoding the event.
 *
 * <p>Positions: {@code file}/{@code pos}/{@code next} are where the event starts and ends in the source's binlog file.
 * An event the source made up at the stream's start (the format description re-sent with position 0) occupies no
 * place: its {@code pos} and {@code next} are both the point the stream started at. {@code resumeFile}/
 * {@code resumePos} is where the source's stream continues after this event: the next file after a rotate, else
 * {@code file}/{@code next}. {@code gtid} is the GTID of the transaction the event belongs to; {@code openGtid} the
 * one still open after it (none after the XID or COMMIT that ends it), so a relay restarted after this event knows
 * the transaction of the events it reads next.
 *
 * @param piece  0-based index of this piece; {@code pieces} in all, whose bytes add up to {@code size}
 */
record RelayPiece(String type, String file, long pos, long next, String resumeFile, long resumePos, String gtid,
                  String openGtid, int piece, int pieces, int size, byte[] bytes) {
    /** the record format; a reader refuses any other */
    static final String VERSION = "1";
    static final String H_VERSION = "relay-version";

    boolean last() {
        return piece == pieces - 1;
    }

    Headers headers() {
        RecordHeaders h = new RecordHeaders();
        add(h, H_VERSION, VERSION);
        add(h, "type", type);
        add(h, RelayHeaders.FILE, file);
        add(h, "pos", Long.toString(pos));
        add(h, "next", Long.toString(next));
        add(h, "resume-file", resumeFile);
        add(h, "resume-pos", Long.toString(resumePos));
        if (gtid != null) {
            add(h, "gtid", gtid);
        }
        if (openGtid != null) {
            add(h, "open-gtid", openGtid);
        }
        add(h, "piece", Integer.toString(piece));
        add(h, "pieces", Integer.toString(pieces));
        add(h, "size", Integer.toString(size));
        return h;
    }

    /** @throws TidemarkException RELAY_RECORD_UNREADABLE for a record of another format or writer */
    static RelayPiece of(ConsumerRecord<?, byte[]> record) {
        Headers h = record.headers();
        String version = text(h, H_VERSION);
        if (!VERSION.equals(version)) {
            throw unreadable(record, version == null ? "it has no " + H_VERSION + " header"
                    : "its format version is " + version + ", this dm-service reads " + VERSION);
        }
        try {
            RelayPiece p = new RelayPiece(required(record, "type"), required(record, RelayHeaders.FILE),
                    Long.parseLong(required(record, "pos")), Long.parseLong(required(record, "next")),
                    required(record, "resume-file"), Long.parseLong(required(record, "resume-pos")), text(h, "gtid"),
                    text(h, "open-gtid"), Integer.parseInt(required(record, "piece")),
                    Integer.parseInt(required(record, "pieces")), Integer.parseInt(required(record, "size")),
                    record.value() == null ? new byte[0] : record.value());
            if (p.piece < 0 || p.piece >= p.pieces || p.bytes.length > p.size) {
                throw unreadable(record, "piece " + p.piece + " of " + p.pieces + " with " + p.bytes.length
                        + " of " + p.size + " bytes");
            }
            return p;
        } catch (NumberFormatException e) {
            throw unreadable(record, "a header is not a number: " + e.getMessage());
        }
    }

    private static String required(ConsumerRecord<?, byte[]> record, String key) {
        String value = text(record.headers(), key);
        if (value == null) {
            throw unreadable(record, "it has no " + key + " header");
        }
        return value;
    }

    private static TidemarkException unreadable(ConsumerRecord<?, ?> record, String why) {
        return new TidemarkException(ErrorCode.RELAY_RECORD_UNREADABLE, record.topic(), record.offset(), why);
    }

    private static void add(RecordHeaders h, String key, String value) {
        h.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(Headers h, String key) {
        Header header = h.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
