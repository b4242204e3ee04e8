package io.tidemark.coordinator.api;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.migration.Mode;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.topic.RelayHeaders;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.kit.kafka.KafkaClients;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * purge-relay and the automatic purge (DM's {@code purge.expires}) on a real broker: relay topics written here with
 * the records' file headers and timestamps as dm-service's writer sets them; the tasks reading a relay are migrations
 * with the relay in their spec.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayPurgerIT {
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final long OLD = NOW.minus(Duration.ofHours(3)).toEpochMilli();
    private static final long YOUNG = NOW.minus(Duration.ofMinutes(10)).toEpochMilli();

    private TestKafka kafka;
    private KafkaClients clients;
    private final List<Migration> migrations = new ArrayList<>();

    @BeforeAll
    void start() {
        kafka = TestKafka.start();
        KafkaProperties properties = new KafkaProperties();
        properties.setBootstrapServers(List.of(kafka.bootstrapServers()));
        clients = new KafkaClients(properties, "coordinator");
    }

    @AfterAll
    void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void purgeRelayDeletesBeforeTheFileAndIsRefusedPastTheCheckpointOfATaskReadingIt() throws Exception {
        // given a relay of three files and a task reading it whose checkpoint is in the second
        relay("purge-a", "mysql-bin.000001", OLD, 3, "mysql-bin.000002", OLD, 2, "mysql-bin.000003", OLD, 2);
        Migration reader = reading("purge-a", BinlogPosition.ofFilePosition("mysql-bin.000002", 120));
        migrations.add(reader);
        RelayPurger purger = purger();

        // then a purge past that checkpoint is refused, naming the task and its checkpoint
        assertThatThrownBy(() -> purger.purge("purge-a", "mysql-bin.000003"))
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.error()).isEqualTo(ErrorCode.RELAY_PURGE_PAST_CHECKPOINT);
                    assertThat(e.getMessage()).contains("TM-30036", reader.id().value(),
                            "still reads the relay from mysql-bin.000002:120");
                });
        assertThat(records("purge-a")).isEqualTo(7);

        // and a purge up to it deletes exactly the records of the files before it
        RelayPurger.Purged purged = purger.purge("purge-a", "mysql-bin.000002");
        assertThat(purged.deleted()).isEqualTo(3);
        assertThat(purged.firstOffset()).isEqualTo(3);
        assertThat(records("purge-a")).isEqualTo(4);
        assertThat(firstFile("purge-a")).isEqualTo("mysql-bin.000002");

        // and, once the task is gone, what cannot be purged says why
        migrations.remove(reader);
        assertThat(refusal(purger, "purge-a", "mysql-bin.000009")).contains("TM-30037",
                "the relay has not reached that file: its latest is mysql-bin.000003");
        assertThat(refusal(purger, "purge-a", "binlog")).contains("TM-30037", "is not a binlog file name");
        assertThat(refusal(purger, "never-ran", "mysql-bin.000002")).contains("TM-30037", "never ran");
    }

    @Test
    void expiredFilesGoWholeButNeverTheLastNorOneATaskStillReads() throws Exception {
        // given relays whose first files are older than expires and whose third file is half old, half young
        relay("expire-a", "mysql-bin.000001", OLD, 2, "mysql-bin.000002", OLD, 2, "mysql-bin.000003", OLD, 1);
        append("expire-a", "mysql-bin.000003", YOUNG, 1, "mysql-bin.000004", YOUNG, 2);
        relay("expire-b", "mysql-bin.000001", OLD, 2, "mysql-bin.000002", OLD, 2, "mysql-bin.000003", OLD, 1);
        append("expire-b", "mysql-bin.000003", YOUNG, 1, "mysql-bin.000004", YOUNG, 2);
        relay("expire-c", "mysql-bin.000001", OLD, 2, "mysql-bin.000002", OLD, 2);
        relay("expire-d", "mysql-bin.000001", YOUNG, 2, "mysql-bin.000002", YOUNG, 2);
        migrations.add(reading("expire-b", BinlogPosition.ofFilePosition("mysql-bin.000002", 4)));
        migrations.add(reading("expire-e", null));
        relay("expire-e", "mysql-bin.000001", OLD, 2, "mysql-bin.000002", YOUNG, 2);
        RelayPurger purger = purger();

        // then the files wholly expired go; the one holding young events stays whole
        assertThat(purger.purgeExpired("expire-a", Duration.ofHours(1))).hasValueSatisfying(p ->
                assertThat(p.deleted()).isEqualTo(4));
        assertThat(firstFile("expire-a")).isEqualTo("mysql-bin.000003");
        // and a task's checkpoint holds the purge back at its file
        assertThat(purger.purgeExpired("expire-b", Duration.ofHours(1))).hasValueSatisfying(p ->
                assertThat(p.deleted()).isEqualTo(2));
        assertThat(firstFile("expire-b")).isEqualTo("mysql-bin.000002");
        // and the file being written stays even when all of it expired
        assertThat(purger.purgeExpired("expire-c", Duration.ofHours(1))).hasValueSatisfying(p ->
                assertThat(p.deleted()).isEqualTo(2));
        assertThat(records("expire-c")).isEqualTo(2);
        // and nothing goes when nothing expired, or while a task reading the relay has no checkpoint yet
        assertThat(purger.purgeExpired("expire-d", Duration.ofHours(1))).isEmpty();
        assertThat(purger.purgeExpired("expire-e", Duration.ofHours(1))).isEmpty();
        assertThat(records("expire-d")).isEqualTo(4);
        assertThat(records("expire-e")).isEqualTo(4);
        assertThat(purger.purgeExpired("never-ran", Duration.ofHours(1))).isEmpty();
    }

    @Test
    void aRelayWrittenInTransactionsIsPurgedByItsCommittedRecordsOnly() throws Exception {
        // given relays written as the relay writer writes them: committed transactions, each followed by its marker,
        // and at the end a fenced writer's transaction, aborted, of a file the relay never reached
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TopicCatalog.DEFAULT.relay("txn-a"), 1, (short) 1))).all().get();
        }
        transactional("txn-a", true, "mysql-bin.000001", OLD, 2, "mysql-bin.000002", OLD, 2);
        transactional("txn-a", false, "mysql-bin.000003", OLD, 2);
        RelayPurger purger = purger();

        // then the relay's latest file is its last committed record's, not the aborted one's
        assertThat(refusal(purger, "txn-a", "mysql-bin.000003")).contains("TM-30037",
                "the relay has not reached that file: its latest is mysql-bin.000002");
        // and a purge deletes the committed records before the file, with their markers
        RelayPurger.Purged purged = purger.purge("txn-a", "mysql-bin.000002");
        // (offsets 0 and 2: file 1's records, 1 and 3 their markers, 4 the first record of file 2)
        assertThat(purged.firstOffset()).as("the relay's first offset after the purge").isIn(3L, 4L);
        assertThat(firstFile("txn-a")).isEqualTo("mysql-bin.000002");
    }

    /** per (file, timestamp, count) that many records, each in its own transaction, committed, or all in one, aborted */
    private void transactional(String sourceId, boolean commit, Object... files) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "purge-test-" + sourceId), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.initTransactions();
            if (!commit) {
                producer.beginTransaction();
            }
            for (int i = 0; i < files.length; i += 3) {
                for (int n = 0; n < (Integer) files[i + 2]; n++) {
                    RecordHeaders h = new RecordHeaders();
                    h.add(RelayHeaders.FILE, ((String) files[i]).getBytes(StandardCharsets.UTF_8));
                    if (commit) {
                        producer.beginTransaction();
                    }
                    producer.send(new ProducerRecord<>(TopicCatalog.DEFAULT.relay(sourceId), 0, (Long) files[i + 1],
                            sourceId, new byte[]{1}, h));
                    if (commit) {
                        producer.commitTransaction();
                    }
                }
            }
            if (!commit) {
                producer.flush();
                producer.abortTransaction();
            }
        }
    }

    private RelayPurger purger() {
        return new RelayPurger(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), clients,
                TopicCatalog.DEFAULT, () -> List.copyOf(migrations), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** an incremental migration reading the relay of {@code sourceId}, not replicated yet: it resumes at its start */
    private static Migration reading(String sourceId, BinlogPosition start) {
        DatabaseEndpoint ep = new DatabaseEndpoint("127.0.0.1", 3306, "root", TestDatabases.secretBox().seal("pw"));
        MigrationSpec spec = new MigrationSpec("reads-" + sourceId, Mode.INCREMENTAL, ep, ep, List.of("shop.*"), null,
                start, null).withRelay(sourceId);
        return Migration.accepted(MigrationId.of("reads-" + sourceId), spec, List.of(), NOW);
    }

    private static String refusal(RelayPurger purger, String sourceId, String file) {
        try {
            purger.purge(sourceId, file);
        } catch (TidemarkException e) {
            return e.getMessage();
        }
        throw new AssertionError("purge of " + sourceId + " before " + file + " was not refused");
    }

    /** a relay topic of one partition holding, per (file, timestamp, count), that many records */
    private void relay(String sourceId, Object... files) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TopicCatalog.DEFAULT.relay(sourceId), 1, (short) 1))).all().get();
        }
        append(sourceId, files);
    }

    private void append(String sourceId, Object... files) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < files.length; i += 3) {
                for (int n = 0; n < (Integer) files[i + 2]; n++) {
                    RecordHeaders h = new RecordHeaders();
                    h.add(RelayHeaders.FILE, ((String) files[i]).getBytes(StandardCharsets.UTF_8));
                    producer.send(new ProducerRecord<>(TopicCatalog.DEFAULT.relay(sourceId), 0, (Long) files[i + 1],
                            sourceId, new byte[]{1}, h)).get();
                }
            }
        }
    }

    private long records(String sourceId) {
        TopicPartition p = new TopicPartition(TopicCatalog.DEFAULT.relay(sourceId), 0);
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            return c.endOffsets(List.of(p)).get(p) - c.beginningOffsets(List.of(p)).get(p);
        }
    }

    private String firstFile(String sourceId) {
        TopicPartition p = new TopicPartition(TopicCatalog.DEFAULT.relay(sourceId), 0);
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            c.assign(List.of(p));
            c.seekToBeginning(List.of(p));
            for (int i = 0; i < 50; i++) {
                for (var r : c.poll(Duration.ofMillis(200))) {
                    return new String(r.headers().lastHeader(RelayHeaders.FILE).value(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError("relay of " + sourceId + " is empty");
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(clients.consumerProperties("relay-purger-test", Map.of()),
                new StringDeserializer(), new ByteArrayDeserializer());
    }
}
