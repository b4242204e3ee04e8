package io.tidemark.dm;

import io.tidemark.common.command.Command;
import io.tidemark.common.command.DesiredRelay;
import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.id.MigrationId;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.position.TablePoint;
import io.tidemark.common.serde.MessageDeserializer;
import io.tidemark.common.serde.MessageSerializer;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.mysql.flavor.Flavor;
import io.tidemark.mysql.position.BinlogPositions;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Real Kafka, a real dm-service context, a task publisher and a status collector for the ITs. */
final class DmHarness implements AutoCloseable {
    private static final TopicCatalog TOPICS = TopicCatalog.DEFAULT;
    /** the broker the harness started and closes; null when the test brings its own */
    private final TestKafka kafka;
    private final String bootstrapServers;
    private final KafkaProducer<String, Command> producer;
    private final KafkaProducer<String, DesiredRelay> relays;
    private final List<StatusEvent> statuses = new CopyOnWriteArrayList<>();
    private final Thread collector;
    private volatile boolean collecting = true;

    DmHarness() {
        this(TestKafka.start());
    }

    /** on a broker the test starts, stops and restarts itself */
    DmHarness(String bootstrapServers) {
        this(null, bootstrapServers);
    }

    private DmHarness(TestKafka kafka) {
        this(kafka, kafka.bootstrapServers());
    }

    private DmHarness(TestKafka kafka, String bootstrapServers) {
        this.kafka = kafka;
        this.bootstrapServers = bootstrapServers;
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new MessageSerializer<>());
        relays = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new MessageSerializer<>());
        collector = new Thread(this::collect, "test-status-collector");
        collector.setDaemon(true);
    }

    ConfigurableApplicationContext startService(String... extra) {
        List<String> props = new ArrayList<>(serviceProperties());
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

    /**
     * The dm-service alone in its own JVM, as on its own machine, so that {@link Process#destroyForcibly()} (SIGKILL)
     * ends it wherever it is: no shutdown hook, no flush, no group leave. Its session timeout is short (6 s) so that
     * the group hands its work to a successor quickly. Output goes to {@code target/kill-logs/<name>.log}.
     *
     * @param extra more {@code key=value} properties for this service
     */
    Process startServiceProcess(String name, String... extra) throws IOException, InterruptedException {
        Path logs = Files.createDirectories(Path.of("target", "kill-logs").toAbsolutePath());
        Path log = logs.resolve(name + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), DmServiceApplication.class.getName()));
        List<String> props = new ArrayList<>(serviceProperties());
        props.addAll(List.of("spring.main.banner-mode=off",
                "spring.kafka.consumer.properties.session.timeout.ms=6000",
                "spring.kafka.consumer.properties.heartbeat.interval.ms=1000"));
        props.addAll(List.of(extra));
        for (String p : props) {
            cmd.add("--" + p);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline)) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            if (text.contains("Started DmServiceApplication")) {
                return p;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("the dm-service exited with " + p.exitValue() + ":\n" + text);
            }
            Thread.sleep(200);
        }
        p.destroyForcibly();
        throw new IllegalStateException("the dm-service did not start within 90s; see " + log);
    }

    /** what every service of the tests gets, {@code key=value}: for a service run in its own JVM too */
    List<String> serviceProperties() {
        return List.of(
                "tidemark.secret-key=" + TestDatabases.SECRET_KEY,
                "spring.kafka.bootstrap-servers=" + bootstrapServers,
                "server.port=0",
                "tidemark.topics.partitions=2",
                "tidemark.dm.idle-progress-interval=2s",
                "tidemark.dm.heartbeat-interval=1s",
                "tidemark.dm.retry-initial-backoff=200ms",
                "tidemark.dm.stop-timeout=10s");
    }

    void publish(ReplicationTask task) {
        try {
            producer.send(new ProducerRecord<>(TOPICS.replicationTasks(), ReplicationTask.idFor(task.migrationId()),
                    task)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    /** the coordinator's wish for a source's relay, as DmRelays publishes it */
    void publish(DesiredRelay relay) {
        try {
            relays.send(new ProducerRecord<>(TOPICS.dmRelays(), relay.sourceId(), relay)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static ReplicationTask task(MigrationId id, long epoch, LocalMariaDb source, LocalMariaDb target, List<String> filter,
                                BinlogPosition start, BinlogPosition safeModeExit) {
        return task(id, epoch, source, target, filter, start, safeModeExit, 100 + Math.abs(id.hashCode() % 1000));
    }

    /** with the replica server id given, for tasks that read one source at the same time */
    static ReplicationTask task(MigrationId id, long epoch, LocalMariaDb source, LocalMariaDb target, List<String> filter,
                                BinlogPosition start, BinlogPosition safeModeExit, long serverId) {
        return task(id, epoch, TestDatabases.endpoint(source), target, filter, start, safeModeExit, serverId);
    }

    /** reading the source as another account than root */
    static ReplicationTask task(MigrationId id, long epoch, DatabaseEndpoint source, LocalMariaDb target,
                                List<String> filter, BinlogPosition start, BinlogPosition safeModeExit, long serverId) {
        return new ReplicationTask(ReplicationTask.idFor(id) + "/e" + epoch, id, epoch, ReplicationTask.Desired.RUNNING,
                source, TestDatabases.endpoint(target), filter, start, safeModeExit, serverId);
    }

    /** the same task carrying the snapshot's table points */
    static ReplicationTask withPoints(ReplicationTask t, List<TablePoint> points) {
        return new ReplicationTask(t.messageId(), t.migrationId(), t.epoch(), t.desired(), t.source(), t.target(),
                t.filter(), t.start(), t.safeModeExit(), t.serverId(), points, t.safeMode());
    }

    static ReplicationTask stopped(ReplicationTask t, long epoch) {
        return new ReplicationTask(ReplicationTask.idFor(t.migrationId()) + "/e" + epoch, t.migrationId(), epoch,
                ReplicationTask.Desired.STOPPED, t.source(), t.target(), t.filter(), t.start(), t.safeModeExit(),
                t.serverId());
    }

    /** where the source's binlog is now, file and offset, as the kit reads it */
    static BinlogPosition masterStatus(LocalMariaDb source) throws Exception {
        try (Connection c = TestDatabases.connect(source)) {
            BinlogPosition now = BinlogPositions.current(c, Flavor.detect(c));
            return BinlogPosition.ofFilePosition(now.file(), now.pos());
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
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-status-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1000),
                new StringDeserializer(), new MessageDeserializer<>(StatusEvent.class))) {
            c.subscribe(List.of(TOPICS.status()));
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
        relays.close();
        if (kafka != null) {
            kafka.close();
        }
    }
}
