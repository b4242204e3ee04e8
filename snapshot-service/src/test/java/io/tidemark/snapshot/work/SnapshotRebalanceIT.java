package io.tidemark.snapshot.work;

import io.tidemark.common.command.Command;
import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.id.MigrationId;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.common.serde.MessageDeserializer;
import io.tidemark.common.serde.MessageSerializer;
import io.tidemark.common.status.SnapshotCompleted;
import io.tidemark.common.status.SnapshotStarted;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.status.TableDumped;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.topic.Topics;
import io.tidemark.snapshot.SnapshotServiceApplication;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A second snapshot-service joins while the first is in the middle of a dump. The rebalance must not leave two
 * instances writing one dump directory: the first cancels its dump before the partition moves, and the dump is
 * done once, completely, by whichever instance owns the partition afterwards.
 */
class SnapshotRebalanceIT {
    private static TestKafka kafka;
    private static LocalMariaDb source;
    private static final List<ConfigurableApplicationContext> services = new ArrayList<>();
    private static final List<StatusEvent> EVENTS = new CopyOnWriteArrayList<>();

    @TempDir
    static Path dumps;

    @BeforeAll
    static void start() throws Exception {
        kafka = TestKafka.start();
        source = TestDatabases.startSource("rebalance");
        TestDatabases.execute(source,
                "CREATE DATABASE reb",
                "USE reb",
                "CREATE TABLE a (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO a SELECT seq, CONCAT('a', seq) FROM seq_1_to_10",
                "CREATE TABLE b (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO b SELECT seq, CONCAT('b', seq) FROM seq_1_to_5000");
        services.add(startService());
    }

    @AfterAll
    static void stop() {
        services.forEach(ConfigurableApplicationContext::close);
        if (source != null) {
            source.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aDumpDoesNotOutliveItsPartitionWhenAnotherInstanceJoins() throws Exception {
        MigrationId m = MigrationId.of("rebalance-1");
        try (Connection locker = TestDatabases.connect(source); Statement lock = locker.createStatement();
             KafkaProducer<String, Command> producer = new KafkaProducer<>(
                     Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                     new StringSerializer(), new MessageSerializer<>());
             KafkaConsumer<String, StatusEvent> status = statusConsumer()) {
            // given a dump held mid-way: table b is write-locked, so its SELECT waits on the metadata lock
            lock.execute("LOCK TABLES reb.b WRITE");
            SnapshotRequest request = new SnapshotRequest(SnapshotRequest.idFor(m, 1), m, 1,
                    TestDatabases.endpoint(source), List.of("reb.*"), dumps.resolve(m.value()).toString(), 2, 1 << 20);
            producer.send(new ProducerRecord<>(Topics.SNAPSHOT_COMMANDS, m.value(), request)).get();
            await().atMost(Duration.ofSeconds(60)).until(() -> waitingOnTheLock(lock));

            // when a second instance joins the group, and only then the lock goes away
            services.add(startService());
            Thread.sleep(3000);
            lock.execute("UNLOCK TABLES");

            // then the dump completes once, with every row, and nothing reports a failure
            awaitEvents(status, m, SnapshotCompleted.class, 1);
            Thread.sleep(5000); // a second writer, were there one, would finish and report within this
            pollInto(status);
        }
        assertThat(of(m, WorkFailed.class)).isEmpty();
        assertThat(of(m, SnapshotStarted.class)).isNotEmpty()
                .extracting(SnapshotStarted::eventId).containsOnly(SnapshotStarted.idFor(m, 1));
        assertThat(of(m, SnapshotCompleted.class)).as("one dump completed, not two").hasSize(1);
        List<TableDumped> dumped = of(m, TableDumped.class);
        assertThat(dumped).filteredOn(t -> t.table().equals(TableRef.of("reb", "b")))
                .extracting(TableDumped::rows).containsOnly(5000L);
    }

    private static boolean waitingOnTheLock(Statement st) throws Exception {
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                + " WHERE STATE = 'Waiting for table metadata lock'")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    private static ConfigurableApplicationContext startService() {
        return SnapshotServiceApplication.app().run(
                "--tidemark.secret-key=" + TestDatabases.SECRET_KEY,
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--server.port=0",
                "--tidemark.topics.partitions=1");
    }

    private static KafkaConsumer<String, StatusEvent> statusConsumer() {
        KafkaConsumer<String, StatusEvent> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new MessageDeserializer<>(StatusEvent.class));
        c.subscribe(List.of(Topics.STATUS));
        return c;
    }

    private static void pollInto(KafkaConsumer<String, StatusEvent> status) {
        for (ConsumerRecord<String, StatusEvent> r : status.poll(Duration.ofMillis(200))) {
            EVENTS.add(r.value());
        }
    }

    private static void awaitEvents(KafkaConsumer<String, StatusEvent> status, MigrationId m,
                                    Class<? extends StatusEvent> type, int n) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ZERO).until(() -> {
            pollInto(status);
            return of(m, type).size() >= n;
        });
    }

    private static <T extends StatusEvent> List<T> of(MigrationId m, Class<T> type) {
        return EVENTS.stream().filter(e -> e.migrationId().equals(m)).filter(type::isInstance).map(type::cast).toList();
    }
}
