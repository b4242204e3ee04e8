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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * DM's {@code purge-relay --filename FILE}: deletes the records of a source's relay topic before the first event of
 * {@code FILE} ({@link Admin#deleteRecords}), the way DM deletes the relay files before it. The relay is kept at least
 * as far back as the oldest checkpoint of any replication task still reading it (a migration with the relay in its
 * spec that has not completed: a paused or failed one may resume): a purge past it is refused, naming the task and its
 * checkpoint. The relay's records are in binlog order, so where FILE begins is found by a binary search over offsets,
 * reading one record a step.
 */
@Component
class RelayPurger {
    private static final Logger LOGGER = LoggerFactory.getLogger(RelayPurger.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern BINLOG_FILE = Pattern.compile("[^/\\\\\\s]+\\.\\d+");

    /** what a purge did: the relay now begins at {@code firstOffset}; {@code deleted} records before it went */
    record Purged(String sourceId, String filename, long firstOffset, long deleted) {
    }

    private final KafkaAdmin admin;
    private final KafkaClients clients;
    private final TopicCatalog topics;
    private final Coordinator coordinator;

    RelayPurger(KafkaAdmin admin, KafkaClients clients, TopicCatalog topics, Coordinator coordinator) {
        this.admin = admin;
        this.clients = clients;
        this.topics = topics;
        this.coordinator = coordinator;
    }

    /**
     * @throws TidemarkException RELAY_PURGE_PAST_CHECKPOINT, RELAY_PURGE_INVALID, KAFKA_UNAVAILABLE
     */
    Purged purge(String sourceId, String filename) {
        if (filename == null || !BINLOG_FILE.matcher(filename).matches()) {
            throw new TidemarkException(ErrorCode.RELAY_PURGE_INVALID, sourceId, filename, "'" + filename
                    + "' is not a binlog file name (base name, a dot and a number)");
        }
        BinlogPosition bound = BinlogPosition.ofFilePosition(filename, 4);
        for (Migration m : coordinator.list()) {
            if (!sourceId.equals(m.spec().relaySourceId()) || m.phase() instanceof Phase.Completed) {
                continue;
            }
            BinlogPosition checkpoint = checkpoint(m);
            if (checkpoint == null || checkpoint.isBefore(bound)) {
                throw new TidemarkException(ErrorCode.RELAY_PURGE_PAST_CHECKPOINT, sourceId, filename, m.id().value(),
                        checkpoint == null ? "a position not known yet (it has not replicated)"
                                : checkpoint + " (" + m.phase().code() + ")");
            }
        }
        String topic = topics.relay(sourceId);
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, byte[]> consumer = consumer(); Admin kafka = Admin.create(
                admin.getConfigurationProperties())) {
            if (consumer.partitionsFor(topic, TIMEOUT).isEmpty()) {
                throw new TidemarkException(ErrorCode.RELAY_PURGE_INVALID, sourceId, filename, "the relay of the"
                        + " source never ran (topic " + topic + " does not exist)");
            }
            consumer.assign(List.of(partition));
            long begin = consumer.beginningOffsets(List.of(partition), TIMEOUT).get(partition);
            long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
            String last = end > begin ? fileAt(consumer, partition, end - 1).file() : null;
            if (last == null || BinlogPosition.ofFilePosition(last, 4).isBefore(bound)) {
                throw new TidemarkException(ErrorCode.RELAY_PURGE_INVALID, sourceId, filename, last == null
                        ? "the relay holds no events" : "the relay has not reached that file: its latest is " + last);
            }
            long cut = firstOffsetOf(consumer, partition, begin, end, bound);
            if (cut > begin) {
                kafka.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(cut))).all()
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            LOGGER.info("purge-relay of source {}: deleted {} records of {} before {} (offset {})", sourceId,
                    cut - begin, topic, filename, cut);
            return new Purged(sourceId, filename, cut, cut - begin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TidemarkException(ErrorCode.INTERNAL, e, "interrupted while purging relay topic " + topic);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw new TidemarkException(ErrorCode.KAFKA_UNAVAILABLE, e, "relay topic " + topic + " (purge before "
                    + filename + ")", String.valueOf(e.getCause() != null ? e.getCause() : e));
        }
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
            At at = fileAt(consumer, partition, mid);
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

    /** the file of the first record at or after {@code offset} */
    private static At fileAt(KafkaConsumer<String, byte[]> consumer, TopicPartition partition, long offset) {
        consumer.seek(partition, offset);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                Header file = r.headers().lastHeader(RelayHeaders.FILE);
                if (file == null) {
                    throw new TidemarkException(ErrorCode.RELAY_RECORD_UNREADABLE, partition.topic(), r.offset(),
                            "it has no " + RelayHeaders.FILE + " header");
                }
                return new At(r.offset(), new String(file.value(), StandardCharsets.UTF_8));
            }
        }
        throw new TidemarkException(ErrorCode.KAFKA_UNAVAILABLE, "nothing (purge-relay)", "no record of "
                + partition.topic() + " at offset " + offset + " was read within " + TIMEOUT.toSeconds() + " s");
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(clients.consumerProperties(topics.prefix() + "-relay-purge", Map.of(
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false)),
                new StringDeserializer(), new ByteArrayDeserializer());
    }
}
