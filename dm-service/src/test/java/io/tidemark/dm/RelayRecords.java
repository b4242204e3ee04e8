package io.tidemark.dm;

import io.tidemark.common.position.BinlogPosition;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A relay topic read record by record, as its readers see it (committed records only: the relay writes in Kafka
 * transactions), not through the relay's reader, which drops what it has seen; for the relay's kill and fence tests.
 */
final class RelayRecords {
    private RelayRecords() {
    }

    /** one record of the relay topic as the writer headed it; the relay's events here are all one piece */
    record Relayed(long offset, String type, String file, long pos, long next, String resumeFile, long resumePos,
                   String gtid, String openGtid, int pieces) {
        boolean artificial() {
            return pos == next;
        }
    }

    /**
     * Record by record: each event starts where the one before it left the stream, none twice, GTIDs strictly
     * ascending, every other event under its transaction's GTID; a format description the source re-sent when the
     * successor's stream started occupies no place.
     */
    static void assertContiguousAndOnce(List<Relayed> relayed, BinlogPosition start, BinlogPosition end) {
        Set<String> seen = new HashSet<>();
        long lastSeq = -1;
        String transaction = null;
        String at = start.file() + ":" + start.pos();
        for (Relayed r : relayed) {
            assertThat(r.pieces()).as("pieces of the event at offset %s", r.offset()).isEqualTo(1);
            if (r.artificial()) {
                continue;
            }
            String here = r.file() + ":" + r.pos();
            assertThat(seen.add(here)).as("%s at %s (offset %s) relayed once", r.type(), here, r.offset()).isTrue();
            assertThat(here).as("%s at offset %s follows the event before it", r.type(), r.offset()).isEqualTo(at);
            at = r.resumeFile() + ":" + r.resumePos();
            if (gtidOf(r) != null) {
                long seq = Long.parseLong(r.gtid().substring(r.gtid().lastIndexOf('-') + 1));
                assertThat(seq).as("GTID %s at offset %s", r.gtid(), r.offset()).isGreaterThan(lastSeq);
                lastSeq = seq;
                transaction = r.gtid();
            } else {
                // the successor that resumed inside a transaction must still know whose events it relays
                assertThat(r.gtid()).as("GTID of %s at offset %s", r.type(), r.offset()).isEqualTo(transaction);
            }
        }
        assertThat(at).as("where the relay ends").isEqualTo(end.file() + ":" + end.pos());
    }

    static void signal(Process p, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s %s", signal, p.pid()).isZero();
    }

    /**
     * The topic's last committed record: read back over a window before the end, widened until it holds one, as the
     * log ends with transaction markers (and maybe aborted records), for which the consumer returns no record.
     */
    static Relayed tail(DmHarness harness, String topic) {
        try (KafkaConsumer<byte[], byte[]> c = consumer(harness, true)) {
            TopicPartition p = new TopicPartition(topic, 0);
            c.assign(List.of(p));
            long end = c.endOffsets(List.of(p)).get(p);
            for (long window = 16; ; window *= 4) {
                long from = Math.max(0, end - window);
                c.seek(p, from);
                List<Relayed> out = new ArrayList<>();
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    c.poll(Duration.ofMillis(200)).forEach(r -> {
                        if (r.offset() < end) {
                            out.add(relayed(r));
                        }
                    });
                    return c.position(p) >= end;
                });
                if (!out.isEmpty() || from == 0) {
                    assertThat(out).as("committed records of %s", topic).isNotEmpty();
                    return out.getLast();
                }
            }
        }
    }

    /** the GTID a relayed GTID event opens, null for any other event (as SHOW BINLOG EVENTS shows it) */
    static String gtidOf(Relayed r) {
        return r.type().equals("GTID") || r.type().equals("MARIADB_GTID") ? r.gtid() : null;
    }

    /** the topic's end offset as read-committed readers see it (records and markers); 0 before the relay created it */
    static long records(DmHarness harness, String topic) {
        return endOffset(harness, topic, true);
    }

    /**
     * @param committed the last stable offset (before the first record of a transaction still open), else the end
     *                  of the log (the high watermark)
     */
    static long endOffset(DmHarness harness, String topic, boolean committed) {
        try (KafkaConsumer<byte[], byte[]> c = consumer(harness, committed)) {
            TopicPartition p = new TopicPartition(topic, 0);
            return c.endOffsets(List.of(p), Duration.ofSeconds(2)).getOrDefault(p, 0L);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            return 0;
        }
    }

    /** committed records, from the first to the one after which the stream stands at {@code end} */
    static List<Relayed> readAll(DmHarness harness, String topic, BinlogPosition end) {
        List<Relayed> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = consumer(harness, true)) {
            TopicPartition p = new TopicPartition(topic, 0);
            c.assign(List.of(p));
            c.seekToBeginning(List.of(p));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(relayed(r));
                }
                return !out.isEmpty() && out.getLast().resumeFile().equals(end.file())
                        && out.getLast().resumePos() == end.pos();
            });
        }
        return out;
    }

    /** every record the log holds from {@code from} to its end, committed or not (aborted ones too) */
    static List<Relayed> readUncommitted(DmHarness harness, String topic, long from) {
        List<Relayed> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = consumer(harness, false)) {
            TopicPartition p = new TopicPartition(topic, 0);
            c.assign(List.of(p));
            c.seek(p, from);
            long end = c.endOffsets(List.of(p)).get(p);
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(relayed(r));
                }
                return c.position(p) >= end;
            });
        }
        return out;
    }

    private static Relayed relayed(ConsumerRecord<byte[], byte[]> r) {
        return new Relayed(r.offset(), header(r, "type"), header(r, "file"), Long.parseLong(header(r, "pos")),
                Long.parseLong(header(r, "next")), header(r, "resume-file"), Long.parseLong(header(r, "resume-pos")),
                header(r, "gtid"), header(r, "open-gtid"), Integer.parseInt(header(r, "pieces")));
    }

    private static KafkaConsumer<byte[], byte[]> consumer(DmHarness harness, boolean committed) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, harness.bootstrapServers(),
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, committed ? "read_committed" : "read_uncommitted"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static String header(ConsumerRecord<?, ?> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
