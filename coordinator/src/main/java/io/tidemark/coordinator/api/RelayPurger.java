package io.tidemark.coordinator.api;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.topic.RelayHeaders;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.migration.Phase;
import io.tidemark.coordinator.orchestration.Coordinator;
import io.tidemark.kit.kafka.KafkaClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * DM's {@code purge-relay --filename FILE}: deletes the records of a source's relay topic before the first event of
 * {@code FILE} ({@link Admin#deleteRecords}), the way DM deletes the relay files before it. The relay is kept at least
 * as far back as the oldest checkpoint of any replication task still reading it (a migration with the relay in its
 * spec that has not completed: a paused or failed one may resume): a purge past it is refused, naming the task and its
 * checkpoint. The same rule bounds DM's automatic purge by age ({@link #purgeExpired}). The relay's records are in
 * binlog order, so where a file begins is found by a binary search over offsets, reading one record a step. A reader
 * that resumes later starts at the topic's new first offset (its consumer's {@code auto.offset.reset} is earliest).
 */
@Component
class RelayPurger {
    private static final Logger LOGGER = LoggerFactory.getLogger(RelayPurger.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern BINLOG_FILE = Pattern.compile("[^/\\\\\\s]+\\.\\d+");

    /** what a purge did: the relay now begins at {@code firstOffset}; {@code deleted} records before it went */
    record Purged(String sourceId, String filename, long firstOffset, long deleted) {
    }

    /** a task reading the relay, and where it resumes (null: not known yet, so it may need all of the relay) */
    private record Reader(Migration migration, BinlogPosition checkpoint) {
        String where() {
            return checkpoint == null ? "a position not known yet (it has not replicated)"
                    : checkpoint + " (" + migration.phase().code() + ")";
        }
    }

    private final Map<String, Object> adminConfig;
    private final KafkaClients clients;
    private final TopicCatalog topics;
    private final Supplier<List<Migration>> migrations;
    private final Clock clock;

    @Autowired
    RelayPurger(KafkaAdmin admin, KafkaClients clients, TopicCatalog topics, Coordinator coordinator) {
        this(admin.getConfigurationProperties(), clients, topics, coordinator::list, Clock.systemUTC());
    }

    /** @param migrations every migration the coordinator knows, as {@code Coordinator#list} */
    RelayPurger(Map<String, Object> adminConfig, KafkaClients clients, TopicCatalog topics,
                Supplier<List<Migration>> migrations, Clock clock) {
        this.adminConfig = adminConfig;
        this.clients = clients;
        this.topics = topics;
        this.migrations = migrations;
        this.clock = clock;
    }

    /**
     * purge-relay: deletes the relay's records before the first event of {@code filename}
     *
     * @throws TidemarkException RELAY_PURGE_PAST_CHECKPOINT, RELAY_PURGE_INVALID, KAFKA_UNAVAILABLE
     */
    Purged purge(String sourceId, String filename) {
        if (filename == null || !BINLOG_FILE.matcher(filename).matches()) {
            throw new TidemarkException(ErrorCode.RELAY_PURGE_INVALID, sourceId, filename, "'" + filename
                    + "' is not a binlog file name (base name, a dot and a number)");
        }
        BinlogPosition bound = BinlogPosition.ofFilePosition(filename, 4);
        Optional<Reader> oldest = oldestReader(sourceId);
        if (oldest.isPresent() && (oldest.get().checkpoint() == null || oldest.get().checkpoint().isBefore(bound))) {
            throw new TidemarkException(ErrorCode.RELAY_PURGE_PAST_CHECKPOINT, sourceId, filename,
                    oldest.get().migration().id().value(), oldest.get().where());
        }
        return onRelay(sourceId, filename, (consumer, partition, begin, end) -> {
            String last = end <= begin ? null : lastAt(consumer, partition, begin, end).file();
            if (last == null) {
                throw new TidemarkException(ErrorCode.RELAY_PURGE_INVALID, sourceId, filename,
                        "the relay holds no events");
            }
            if (BinlogPosition.ofFilePosition(last, 4).isBefore(bound)) {
                throw new TidemarkException(ErrorCode.RELAY_PURGE_INVALID, sourceId, filename,
                        "the relay has not reached that file: its latest is " + last);
            }
            return filename;
        }).orElseThrow(() -> new TidemarkException(ErrorCode.RELAY_PURGE_INVALID, sourceId, filename,
                "the relay of the source never ran (topic " + topics.relay(sourceId) + " does not exist)"));
    }

    /**
     * DM's automatic purge ({@code purge.expires}): deletes the relay's files whose events are all older than
     * {@code expires}, never the file being written nor one a task still reads from (nothing at all while a task
     * reading the relay has no checkpoint yet). Whole files go, as DM deletes relay files, so an event's pieces are
     * never cut apart.
     *
     * @return what went, or empty when nothing did (nothing expired, or the relay never ran)
     * @throws TidemarkException KAFKA_UNAVAILABLE
     */
    Optional<Purged> purgeExpired(String sourceId, Duration expires) {
        Optional<Reader> oldest = oldestReader(sourceId);
        if (oldest.isPresent() && oldest.get().checkpoint() == null) {
            return Optional.empty();
        }
        long cutoff = clock.millis() - expires.toMillis();
        return onRelay(sourceId, "expired", (consumer, partition, begin, end) -> {
            if (end <= begin) {
                return null;
            }
            OffsetAndTimestamp first = consumer.offsetsForTimes(Map.of(partition, cutoff), TIMEOUT).get(partition);
            long young = first == null ? end - 1 : first.offset();
            if (young <= begin) {
                return null;
            }
            At at = fileAt(consumer, partition, young, end);
            String keep = at.file() != null ? at.file() : lastAt(consumer, partition, begin, end).file();
            if (oldest.isPresent() && oldest.get().checkpoint().isBefore(BinlogPosition.ofFilePosition(keep, 4))) {
                keep = oldest.get().checkpoint().file();
            }
            return keep;
        }).filter(p -> p.deleted() > 0);
    }

    /** what a purge keeps from: the first file kept, or null to keep everything */
    private interface Bound {
        String file(KafkaConsumer<String, byte[]> consumer, TopicPartition partition, long begin, long end);
    }

    /** @return empty when the topic does not exist */
    private Optional<Purged> onRelay(String sourceId, String what, Bound bound) {
        String topic = topics.relay(sourceId);
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, byte[]> consumer = consumer(); Admin kafka = Admin.create(adminConfig)) {
            if (consumer.partitionsFor(topic, TIMEOUT).isEmpty()) {
                return Optional.empty();
            }
            consumer.assign(List.of(partition));
            long begin = consumer.beginningOffsets(List.of(partition), TIMEOUT).get(partition);
            long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
            String keep = bound.file(consumer, partition, begin, end);
            if (keep == null) {
                return Optional.of(new Purged(sourceId, null, begin, 0));
            }
            long cut = firstOffsetOf(consumer, partition, begin, end, BinlogPosition.ofFilePosition(keep, 4));
            if (cut > begin) {
                kafka.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(cut))).all()
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            LOGGER.info("purge-relay of source {} ({}): deleted {} records of {} before {} (offset {})", sourceId,
                    what, cut - begin, topic, keep, cut);
            return Optional.of(new Purged(sourceId, keep, cut, cut - begin));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TidemarkException(ErrorCode.INTERNAL, e, "interrupted while purging relay topic " + topic);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw new TidemarkException(ErrorCode.KAFKA_UNAVAILABLE, e, "relay topic " + topic + " (purge, "
                    + what + ")", String.valueOf(e.getCause() != null ? e.getCause() : e));
        }
    }

    /** the task reading the relay that needs it furthest back; one whose checkpoint is not known yet comes first */
    private Optional<Reader> oldestReader(String sourceId) {
        Reader oldest = null;
        for (Migration m : migrations.get()) {
            if (!sourceId.equals(m.spec().relaySourceId()) || m.phase() instanceof Phase.Completed) {
                continue;
            }
            BinlogPosition checkpoint = checkpoint(m);
            if (checkpoint == null) {
                return Optional.of(new Reader(m, null));
            }
            if (oldest == null || checkpoint.isBefore(oldest.checkpoint())) {
                oldest = new Reader(m, checkpoint);
            }
        }
        return Optional.ofNullable(oldest);
    }

    /**
     * where the task resumes: its last flushed checkpoint, or before its first one where it starts (the snapshot's
     * point, or the spec's start); null when neither is known yet
     */
    private static BinlogPosition checkpoint(Migration m) {
        if (m.progress().replication() != null) {
            return m.progress().replication();
        }
        return m.spec().mode().snapshots() ? m.progress().snapshotStart() : m.spec().start();
    }

    /** the first offset in [begin, end) whose event is in {@code bound}'s file or a later one (end if none) */
    private static long firstOffsetOf(KafkaConsumer<String, byte[]> consumer, TopicPartition partition, long begin,
                                      long end, BinlogPosition bound) {
        long lo = begin;
        long hi = end;
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            At at = fileAt(consumer, partition, mid, end);
            if (at.offset() >= hi || !BinlogPosition.ofFilePosition(at.file(), 4).isBefore(bound)) {
                hi = mid;
            } else {
                lo = at.offset() + 1;
            }
        }
        return lo;
    }

    private record At(long offset, String file) {
    }

    /**
     * The file of the first committed record in [{@code offset}, {@code end}); {@code At(end, null)} when there is
     * none: the relay is written in transactions, so an offset may hold a transaction marker or an aborted record,
     * which a read-committed consumer skips without returning a record.
     */
    private static At fileAt(KafkaConsumer<String, byte[]> consumer, TopicPartition partition, long offset, long end) {
        consumer.seek(partition, offset);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (consumer.position(partition) < end) {
            if (System.nanoTime() > deadline) {
                throw new TidemarkException(ErrorCode.KAFKA_UNAVAILABLE, "nothing (purge-relay)", "the records of "
                        + partition.topic() + " from offset " + offset + " were not read within "
                        + TIMEOUT.toSeconds() + " s");
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() < end) {
                    return new At(r.offset(), file(partition, r));
                }
            }
        }
        return new At(end, null);
    }

    /** the file of the last committed record before {@code end}, read back in windows widened until one holds it */
    private static At lastAt(KafkaConsumer<String, byte[]> consumer, TopicPartition partition, long begin, long end) {
        for (long window = 16; ; window *= 4) {
            long from = Math.max(begin, end - window);
            At last = null;
            for (At at = fileAt(consumer, partition, from, end); at.file() != null;
                 at = fileAt(consumer, partition, at.offset() + 1, end)) {
                last = at;
            }
            if (last != null || from == begin) {
                return last != null ? last : new At(end, null);
            }
        }
    }

    private static String file(TopicPartition partition, ConsumerRecord<String, byte[]> r) {
        Header file = r.headers().lastHeader(RelayHeaders.FILE);
        if (file == null) {
            throw new TidemarkException(ErrorCode.RELAY_RECORD_UNREADABLE, partition.topic(), r.offset(),
                    "it has no " + RelayHeaders.FILE + " header");
        }
        return new String(file.value(), StandardCharsets.UTF_8);
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(clients.consumerProperties(topics.prefix() + "-relay-purge", Map.of(
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1,
                // what a fenced or failed relay writer left uncommitted was never relayed
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false)),
                new StringDeserializer(), new ByteArrayDeserializer());
    }
}
