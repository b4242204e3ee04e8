package io.tidemark.dm;

import io.tidemark.common.command.Command;
import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.id.MigrationId;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.serde.MessageDeserializer;
import io.tidemark.common.serde.MessageSerializer;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.topic.Topics;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.ConfigurableApplicationContext;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Real Kafka, a real dm-service context, a task publisher and a status collector for the ITs. */
final class DmHarness implements AutoCloseable {
    final TestKafka kafka;
    private final KafkaProducer<String, Command> producer;
    private final List<StatusEvent> statuses = new CopyOnWriteArrayList<>();
    private final Thread collector;
    private volatile boolean collecting = true;

    DmHarness() {
        kafka = TestKafka.start();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new MessageSerializer<>());
        collector = new Thread(this::collect, "test-status-collector");
        collector.setDaemon(true);
    }

    ConfigurableApplicationContext startService(String... extra) {
        List<String> props = new ArrayList<>(List.of(
                "tidemark.secret-key=" + TestDatabases.SECRET_KEY,
                "spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "server.port=0",
                "tidemark.topics.partitions=2",
                "spring.application.name=dm-service-test",
                "tidemark.dm.idle-progress-interval=2s",
                "tidemark.dm.heartbeat-interval=1s",
                "tidemark.dm.retry-initial-backoff=200ms",
                "tidemark.dm.stop-timeout=10s"));
        props.addAll(List.of(extra));
        ConfigurableApplicationContext context = DmServiceApplication.app().properties(props.toArray(String[]::new)).run();
        // the service created the topics: collect status from all their partitions
        synchronized (this) {
            if (!collector.isAlive()) {
                collector.start();
            }
        }
        return context;
    }

    void publish(ReplicationTask task) {
        try {
            producer.send(new ProducerRecord<>(Topics.REPLICATION_TASKS, ReplicationTask.idFor(task.migrationId()),
                    task)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static ReplicationTask task(MigrationId id, long epoch, LocalMariaDb source, LocalMariaDb target, List<String> filter,
                                BinlogPosition start, BinlogPosition safeModeExit) {
        return new ReplicationTask(ReplicationTask.idFor(id) + "/e" + epoch, id, epoch, ReplicationTask.Desired.RUNNING,
                TestDatabases.endpoint(source), TestDatabases.endpoint(target), filter, start, safeModeExit,
                100 + Math.abs(id.hashCode() % 1000));
    }

    static ReplicationTask stopped(ReplicationTask t, long epoch) {
        return new ReplicationTask(ReplicationTask.idFor(t.migrationId()) + "/e" + epoch, t.migrationId(), epoch,
                ReplicationTask.Desired.STOPPED, t.source(), t.target(), t.filter(), t.start(), t.safeModeExit(),
                t.serverId());
    }

    static BinlogPosition masterStatus(LocalMariaDb source) throws Exception {
        try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return BinlogPosition.ofFilePosition(rs.getString(1), rs.getLong(2));
        }
    }

    static long count(LocalMariaDb db, String sql) throws Exception {
        try (Connection c = TestDatabases.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    <T extends StatusEvent> List<T> statuses(MigrationId id, Class<T> type) {
        return statuses.stream().filter(s -> s.migrationId().equals(id)).filter(type::isInstance).map(type::cast)
                .toList();
    }

    private void collect() {
        try (KafkaConsumer<String, StatusEvent> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-status-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1000),
                new StringDeserializer(), new MessageDeserializer<>(StatusEvent.class))) {
            c.subscribe(List.of(Topics.STATUS));
            while (collecting) {
                c.poll(Duration.ofMillis(200)).forEach(r -> statuses.add(r.value()));
            }
        } catch (RuntimeException e) {
            if (collecting) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        collecting = false;
        try {
            collector.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
        kafka.close();
    }
}
