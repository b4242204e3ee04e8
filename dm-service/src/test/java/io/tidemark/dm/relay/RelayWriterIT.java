package io.tidemark.dm.relay;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.dm.sync.BinlogStream;
import io.tidemark.dm.sync.EventSource;
import io.tidemark.dm.sync.ExactRowsDeserializers;
import io.tidemark.dm.sync.SyncSettings;
import io.tidemark.kit.kafka.KafkaClients;
import io.tidemark.mysql.session.Timeouts;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The relay writer on a real MariaDB source and a real broker (default message.max.bytes, 1 MB). No target and no
 * service context ({@code DmRig}) are needed: the writer is driven directly and the topic is read back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelayWriterIT {
    private static final int BIG_ROW_BYTES = 20 * 1024 * 1024;
    private static final RelaySettings RELAY = new RelaySettings(Duration.ofHours(30), 5L * 1024 * 1024 * 1024,
            512 * 1024);

    private TestKafka kafka;
    private LocalMariaDb source;
    private KafkaClients clients;

    @BeforeAll
    void start() {
        kafka = TestKafka.start();
        source = TestDatabases.startSource("relay");
        KafkaProperties properties = new KafkaProperties();
        properties.setBootstrapServers(List.of(kafka.bootstrapServers()));
        clients = new KafkaClients(properties, "dm-service");
    }

    @AfterAll
    void stop() {
        if (source != null) {
            source.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void relaysEveryEventOnceAcrossRestartsRotationAndAKillBetweenPiecesWithA20MbRowWhole() throws Exception {
        // Given a table and the point the relay starts at
        String schema = TestDatabases.uniqueSchema("relay");
        TestDatabases.execute(source, "CREATE DATABASE " + schema,
                "CREATE TABLE " + schema + ".t (id INT PRIMARY KEY, b LONGBLOB)");
        BinlogPosition start = current();
        String sourceId = "src-" + schema.replace('_', '-');
        String topic = TopicCatalog.DEFAULT.relay(sourceId);
        byte[] big = new byte[BIG_ROW_BYTES];
        new Random(42).nextBytes(big);

        // When a first writer relays rows and a 20 MB row
        try (RelayWriter first = writer(sourceId, topic, start)) {
            first.start();
            insert(schema, 1, 5);
            try (Connection c = TestDatabases.connect(source);
                 PreparedStatement ps = c.prepareStatement("INSERT INTO " + schema + ".t VALUES (100, ?)")) {
                ps.setBytes(1, big);
                ps.executeUpdate();
            }
            awaitCaughtUp(first);
        }
        // ... a writer dies between the pieces of the next event (a fake one, at the point the next writer starts)
        BinlogPosition stoppedAt = tailResume(topic);
        killedBetweenPieces(topic, sourceId, stoppedAt);
        // ... the source writes on, rotates its binlog, and a second writer takes over
        insert(schema, 6, 10);
        TestDatabases.execute(source, "FLUSH BINARY LOGS");
        insert(schema, 11, 15);
        BinlogPosition end;
        try (RelayWriter second = writer(sourceId, topic, BinlogPosition.ofFilePosition("ignored-bin.000001", 4))) {
            second.start();
            end = awaitCaughtUp(second);
        }

        // Then the topic holds every event once, contiguous, in the source's order, across the rotation
        List<RelayedEvent> events = readAll(topic, end);
        assertThat(events.getFirst().file()).isEqualTo(start.file());
        assertThat(events.getFirst().pos()).isEqualTo(start.pos());
        assertThat(events.getFirst().type()).isEqualTo("FORMAT_DESCRIPTION");
        for (int i = 1; i < events.size(); i++) {
            RelayedEvent before = events.get(i - 1);
            RelayedEvent e = events.get(i);
            assertThat(e.file() + ":" + e.pos()).as("event %s (%s) follows %s", i, e.type(), before.type())
                    .isEqualTo(before.resumeAt().file() + ":" + before.resumeAt().pos());
        }
        assertThat(events).extracting(RelayedEvent::file).contains(end.file()).doesNotContain("ignored-bin.000001");
        assertThat(events.getLast().resumeAt()).isEqualTo(end);

        // ... and the rows decode from the relayed bytes, each once, the 20 MB row whole, each with its own GTID
        EventDeserializer deserializer = new EventDeserializer();
        List<Integer> ids = new ArrayList<>();
        List<String> gtids = new ArrayList<>();
        byte[] relayedBig = null;
        for (RelayedEvent e : events) {
            Event event = deserializer.nextEvent(new ByteArrayInputStream(e.bytes()));
            if (EventType.isWrite(event.getHeader().getEventType())) {
                for (java.io.Serializable[] row : ((WriteRowsEventData) event.getData()).getRows()) {
                    ids.add((Integer) row[0]);
                    if ((Integer) row[0] == 100) {
                        relayedBig = (byte[]) row[1];
                    }
                }
                gtids.add(e.gtid());
            }
        }
        List<Integer> expected = new ArrayList<>(List.of(1, 2, 3, 4, 5, 100));
        for (int i = 6; i <= 15; i++) {
            expected.add(i);
        }
        assertThat(ids).containsExactlyElementsOf(expected);
        assertThat(sha256(relayedBig)).isEqualTo(sha256(big));
        assertThat(gtids).doesNotContainNull().doesNotHaveDuplicates().allMatch(g -> g.matches("0-1-\\d+"));

        // ... in pieces no larger than piece-bytes, on a topic with the configured retention
        assertThat(maxRecordBytes(topic)).isLessThanOrEqualTo(RELAY.pieceBytes());
        try (Admin admin = Admin.create(adminConfig())) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(config.get("retention.ms").value()).isEqualTo(String.valueOf(Duration.ofHours(30).toMillis()));
            assertThat(config.get("retention.bytes").value()).isEqualTo(String.valueOf(5L * 1024 * 1024 * 1024));
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(1);
        }
    }

    @Test
    void aRelayTopicWithAnotherRetentionIsRefusedNamingTheKeyAndBothValues() throws Exception {
        String topic = TopicCatalog.DEFAULT.relay("src-misconfigured");
        try (Admin admin = Admin.create(adminConfig())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("retention.ms", "1000"))))
                    .all().get();
        }

        try (RelayWriter writer = writer("src-misconfigured", topic, current())) {
            assertThatThrownBy(writer::start).isInstanceOfSatisfying(TidemarkException.class, e -> {
                assertThat(e.error()).isEqualTo(ErrorCode.RELAY_TOPIC_MISCONFIGURED);
                assertThat(e.getMessage()).contains(topic, "retention.ms is 1000",
                        "configured with " + Duration.ofHours(30).toMillis(), "kafka-configs.sh");
            });
        }
    }

    @Test
    void aRelayWhoseStartTheSourcePurgedStopsNamingThePosition() throws Exception {
        // Given a start position in a binlog file the source then purges
        BinlogPosition purged = current();
        purgeAllButTheCurrentBinlog();

        // When a new relay starts there
        try (RelayWriter writer = writer("src-purged", TopicCatalog.DEFAULT.relay("src-purged"), purged)) {
            writer.start();

            // Then it stops for good with the purged-binlog error, not retrying forever
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.failure() != null);
            assertThat(writer.failure().getMessage()).contains("TM-10008", "start_position", purged.toString(),
                    "no longer in SHOW BINARY LOGS");
            assertThat(writer.relayed()).isEqualTo(purged);
        }
    }

    @Test
    void aTaskReadsFromTheRelayWhatTheSourceAlreadyPurged() throws Exception {
        // Given a relay, and a task checkpoint (mid) in a binlog file that the source then purges
        String schema = TestDatabases.uniqueSchema("relay");
        TestDatabases.execute(source, "CREATE DATABASE " + schema,
                "CREATE TABLE " + schema + ".t (id INT PRIMARY KEY, v VARCHAR(20))");
        BinlogPosition start = current();
        String sourceId = "src-" + schema.replace('_', '-');
        String topic = TopicCatalog.DEFAULT.relay(sourceId);
        BinlogPosition mid;
        try (RelayWriter writer = writer(sourceId, topic, start)) {
            writer.start();
            insert(schema, 1, 3);
            mid = current();
            insert(schema, 4, 6);
            TestDatabases.execute(source, "FLUSH BINARY LOGS");
            insert(schema, 7, 8);
            awaitCaughtUp(writer);
        }
        purgeAllButTheCurrentBinlog();

        // Then the source cannot send from mid any more (control) ...
        try (BinlogStream direct = new BinlogStream(TestDatabases.endpoint(source), source.password(), 7999, mid,
                false, SyncSettings.defaults(), Timeouts.defaults(), ExactRowsDeserializers.create())) {
            EventSource.Item item;
            try {
                direct.open();
                // the source announces the file it was asked for, then refuses it
                do {
                    item = direct.poll(10_000);
                } while (item instanceof EventSource.Received);
            } catch (TidemarkException e) {
                item = new EventSource.Broken(e);
            }
            assertThat(item).isInstanceOfSatisfying(EventSource.Broken.class, b ->
                    assertThat(b.error().getMessage()).contains("1236"));
        }
        // ... but the relay does: exactly the rows after mid, each once, decoded as a task decodes them
        List<Integer> ids = new ArrayList<>();
        try (RelayStream relayed = new RelayStream(topic, clients.consumerProperties("relay-read", Map.of()), mid,
                ExactRowsDeserializers.create(), 64)) {
            relayed.open();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                EventSource.Item item = relayed.poll(200);
                if (item instanceof EventSource.Received(Event event)
                        && EventType.isWrite(event.getHeader().getEventType())) {
                    for (java.io.Serializable[] row : ((WriteRowsEventData) event.getData()).getRows()) {
                        ids.add(((Number) row[0]).intValue());
                    }
                }
                assertThat(item).isNotInstanceOf(EventSource.Broken.class);
                return ids.size() >= 5 && relayed.drained();
            });
        }
        assertThat(ids).containsExactly(4, 5, 6, 7, 8);

        // ... and a point before the relay's beginning is refused, not skipped
        try (RelayStream early = new RelayStream(topic, clients.consumerProperties("relay-read", Map.of()),
                BinlogPosition.ofFilePosition(start.file(), 4), ExactRowsDeserializers.create(), 64)) {
            early.open();
            EventSource.Item item = early.poll(30_000);
            assertThat(item).isInstanceOfSatisfying(EventSource.Broken.class, b -> {
                assertThat(b.error().error()).isEqualTo(ErrorCode.RELAY_POSITION_UNAVAILABLE);
                assertThat(b.error().getMessage()).contains(topic, start.file() + ":4",
                        "first event after that point is at " + start.file() + ":" + start.pos());
            });
        }
    }

    @Test
    void aReaderStopsAtAGapInTheRelayInsteadOfSkippingEventsAndDropsAnEventRelayedTwice() throws Exception {
        // Given a relay of real rows
        String schema = TestDatabases.uniqueSchema("gap");
        TestDatabases.execute(source, "CREATE DATABASE " + schema,
                "CREATE TABLE " + schema + ".t (id INT PRIMARY KEY, v VARCHAR(20))");
        BinlogPosition start = current();
        String sourceId = "src-" + schema.replace('_', '-');
        String topic = TopicCatalog.DEFAULT.relay(sourceId);
        BinlogPosition end;
        try (RelayWriter writer = writer(sourceId, topic, start)) {
            writer.start();
            insert(schema, 1, 3);
            end = awaitCaughtUp(writer);
        }
        // ... then the last event once more (a second writer's copy), then one that begins past where the relay
        // ended: the events between were lost
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long last = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < last) {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        ConsumerRecord<String, byte[]> lastRecord = all.getLast();
        BinlogPosition lost = BinlogPosition.ofFilePosition(end.file(), end.pos() + 500);
        RelayPiece beyond = new RelayPiece("WRITE_ROWS", lost.file(), lost.pos(), lost.pos() + 40, lost.file(),
                lost.pos() + 40, "0-1-999", null, 0, 1, 10, new byte[10]);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(clients.producerProperties("gap",
                Map.of()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, 0, null, sourceId, lastRecord.value(), lastRecord.headers()))
                    .get();
            producer.send(new ProducerRecord<>(topic, 0, null, sourceId, beyond.bytes(), beyond.headers())).get();
        }

        // When a task reads the relay from the start
        List<Integer> ids = new ArrayList<>();
        EventSource.Item[] broken = new EventSource.Item[1];
        try (RelayStream stream = new RelayStream(topic, clients.consumerProperties("relay-read", Map.of()), start,
                ExactRowsDeserializers.create(), 64)) {
            stream.open();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                EventSource.Item item = stream.poll(200);
                if (item instanceof EventSource.Received(Event event)
                        && EventType.isWrite(event.getHeader().getEventType())) {
                    for (java.io.Serializable[] row : ((WriteRowsEventData) event.getData()).getRows()) {
                        ids.add(((Number) row[0]).intValue());
                    }
                }
                if (item instanceof EventSource.Broken) {
                    broken[0] = item;
                }
                return broken[0] != null;
            });
        }

        // Then it gets every relayed row once, the copy dropped, and stops at the gap naming both ends
        assertThat(ids).containsExactly(1, 2, 3);
        assertThat(broken[0]).isInstanceOfSatisfying(EventSource.Broken.class, b -> {
            assertThat(b.error().error()).isEqualTo(ErrorCode.RELAY_GAP);
            assertThat(b.error().getMessage()).contains("TM-20049", topic, end.toString(), lost.file() + ":"
                    + lost.pos());
        });
    }

    @Test
    void aTaskOfASourceWhoseRelayWasNeverStartedFailsNamingTheTopicInsteadOfWaiting() throws Exception {
        String topic = TopicCatalog.DEFAULT.relay("src-never-started");
        BinlogPosition at = current();

        try (RelayStream stream = new RelayStream(topic, clients.consumerProperties("relay-read", Map.of()), at,
                ExactRowsDeserializers.create(), 64)) {
            stream.open();
            EventSource.Item item = stream.poll(20_000);

            assertThat(item).isInstanceOfSatisfying(EventSource.Broken.class, b -> {
                assertThat(b.error().error()).isEqualTo(ErrorCode.RELAY_POSITION_UNAVAILABLE);
                assertThat(b.error().getMessage()).contains(topic, at.toString(), "no relay was ever started");
            });
        }
        // and reading did not create the topic with the broker's defaults
        try (Admin admin = Admin.create(adminConfig())) {
            assertThat(admin.listTopics().names().get()).doesNotContain(topic);
        }
    }

    private RelayWriter writer(String sourceId, String topic, BinlogPosition start) {
        Map<String, Object> consumer = clients.consumerProperties("relay-test", Map.of());
        return new RelayWriter(sourceId, topic, TestDatabases.endpoint(source), source.password(),
                7000 + Math.abs(sourceId.hashCode() % 1000), start, RELAY, SyncSettings.defaults(), Timeouts.defaults(),
                adminConfig(),
                clients.producerProperties("relay", Map.of()), consumer);
    }

    private Map<String, Object> adminConfig() {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    }

    private BinlogPosition current() throws Exception {
        try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return BinlogPosition.ofFilePosition(rs.getString(1), rs.getLong(2));
        }
    }

    /**
     * Waits until the relay stands where the source is. The source's position is read again on every try: MariaDB
     * writes a Binlog_checkpoint event into a new file a moment after a rotation, by itself.
     */
    private BinlogPosition awaitCaughtUp(RelayWriter writer) throws Exception {
        BinlogPosition[] target = new BinlogPosition[1];
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(writer.failure()).isNull();
            target[0] = current();
            assertThat(writer.relayed()).isEqualTo(target[0]);
        });
        return target[0];
    }

    /**
     * FLUSH and PURGE until only the new file is left: MariaDB keeps a file a dump thread still reads (the one of a
     * writer just closed may linger for a moment) and only warns.
     */
    private void purgeAllButTheCurrentBinlog() throws Exception {
        TestDatabases.execute(source, "FLUSH BINARY LOGS");
        String keep = current().file();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            TestDatabases.execute(source, "PURGE BINARY LOGS TO '" + keep + "'");
            try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
                rs.next();
                return rs.getString(1).equals(keep);
            }
        });
    }

    private void insert(String schema, int from, int to) throws Exception {
        for (int id = from; id <= to; id++) {
            TestDatabases.execute(source, "INSERT INTO " + schema + ".t VALUES (" + id + ", 'r" + id + "')");
        }
    }

    /** what a writer killed after the first of three pieces leaves at the topic's tail */
    private void killedBetweenPieces(String topic, String sourceId, BinlogPosition at) throws Exception {
        byte[] junk = new byte[1000];
        RelayPiece piece = new RelayPiece("WRITE_ROWS", at.file(), at.pos(), at.pos() + 3000, at.file(),
                at.pos() + 3000, "0-1-999", "0-1-999", 0, 3, 3000, junk);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(clients.producerProperties("killed",
                Map.of()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, 0, null, sourceId, junk, piece.headers())).get();
        }
    }

    private BinlogPosition tailResume(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            RelayPiece last = RelayTail.last(consumer, topic);
            return BinlogPosition.ofFilePosition(last.resumeFile(), last.resumePos());
        }
    }

    private List<RelayedEvent> readAll(String topic, BinlogPosition end) {
        List<RelayedEvent> events = new ArrayList<>();
        try (RelayReader reader = new RelayReader(topic, 0, clients.consumerProperties("relay-read", Map.of()))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                events.addAll(reader.poll(Duration.ofMillis(200)));
                return !events.isEmpty() && events.getLast().resumeAt().equals(end);
            });
        }
        return events;
    }

    private int maxRecordBytes(String topic) {
        int max = 0;
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    max = Math.max(max, r.value().length);
                }
            }
        }
        return max;
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(clients.consumerProperties("relay-test", Map.of()), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    private static String sha256(byte[] b) throws Exception {
        return b == null ? null : java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
