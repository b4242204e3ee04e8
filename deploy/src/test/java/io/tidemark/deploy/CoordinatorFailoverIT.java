package io.tidemark.deploy;

import io.tidemark.common.table.TableRef;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.dm.DmServiceApplication;
import io.tidemark.lightning.LightningServiceApplication;
import io.tidemark.snapshot.SnapshotServiceApplication;
import io.tidemark.testkit.DataDiff;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Coordinator high availability across processes: two coordinators, each its own JVM, one active. Killed with SIGKILL
 * during a running migration, the active one is replaced by the standby within seconds, which drives the migration to
 * the end. Paused with SIGSTOP past its session timeout, it is replaced too, and once resumed it writes nothing: its
 * producer is fenced, it reports itself a standby, and the migration still ends equal to the source.
 */
class CoordinatorFailoverIT {
    private static final List<TableRef> TABLES = List.of(TableRef.of("ha", "big"), TableRef.of("ha", "small"));
    private static final TopicCatalog TOPICS = TopicCatalog.DEFAULT;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** the coordinators' election session: the broker's smallest by default */
    private static final Duration SESSION = Duration.ofSeconds(6);

    private static TestKafka kafka;
    private static LocalMariaDb source;
    private static LocalMariaDb target;
    private static final List<ConfigurableApplicationContext> workers = new ArrayList<>();
    private static final List<WorkerProcess> coordinators = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        kafka = TestKafka.start();
        source = TestDatabases.startSource("hasrc");
        target = TestDatabases.startTarget("hatgt");
        TestDatabases.execute(source,
                "CREATE DATABASE ha",
                "USE ha",
                "CREATE TABLE big (id BIGINT PRIMARY KEY, n INT NOT NULL, s VARCHAR(100))",
                "INSERT INTO big SELECT seq, seq % 1000, CONCAT('row ', seq) FROM seq_1_to_150000",
                "CREATE TABLE small (k VARCHAR(20) PRIMARY KEY, v INT)",
                "INSERT INTO small SELECT CONCAT('k', seq), seq FROM seq_1_to_1000");
        // the workers share this JVM: only the coordinators are the processes under test
        workers.add(SnapshotServiceApplication.app().run(args(0).toArray(String[]::new)));
        List<String> lightning = args(0);
        lightning.add("--tidemark.lightning.batch-statements=2");
        workers.add(LightningServiceApplication.app().run(lightning.toArray(String[]::new)));
        workers.add(DmServiceApplication.app().run(args(0).toArray(String[]::new)));
    }

    @AfterAll
    static void stop() {
        coordinators.forEach(WorkerProcess::close);
        workers.forEach(ConfigurableApplicationContext::close);
        for (AutoCloseable c : new AutoCloseable[]{kafka, source, target}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
    }

    /** a coordinator process of the installation, taking part in the election, at a port of its own */
    private record Instance(WorkerProcess process, int port, MigrationApi api) {
        String url() {
            return "http://127.0.0.1:" + port;
        }

        JsonNode role() throws Exception {
            HttpResponse<String> r = api.call("GET", "/api/v1/coordinator", null, null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        }
    }

    private static Instance coordinator(String name) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> args = args(port);
        args.addAll(List.of("--tidemark.coordinator.ha.enabled=true",
                "--tidemark.coordinator.ha.session-timeout=" + SESSION.toSeconds() + "s",
                "--tidemark.coordinator.ha.advertised-url=http://127.0.0.1:" + port,
                "--tidemark.coordinator.send-timeout=10s"));
        WorkerProcess p = WorkerProcess.start("coordinator", name, args);
        coordinators.add(p);
        int bound = port;
        return new Instance(p, port, new MigrationApi(() -> bound));
    }

    private static List<String> args(int port) {
        return new ArrayList<>(List.of(
                "--server.port=" + port,
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--tidemark.secret-key=" + TestDatabases.SECRET_KEY,
                "--tidemark.api.tokens=" + TestDatabases.API_TOKEN,
                "--spring.main.banner-mode=off",
                "--logging.level.org.apache.kafka=WARN"));
    }

    /** the role once the instance knows the active coordinator's URL too (a standby learns it from the leader topic) */
    private static JsonNode awaitRole(Instance i, String role, Duration within) {
        return await().atMost(within).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(i::role, v -> v.path("role").asString().equals(role)
                        && v.hasNonNull("activeUrl") && !v.path("activeUrl").asString().isEmpty());
    }

    @Test
    void theStandbyTakesOverAKilledActiveCoordinatorAndAPausedOneWritesNothingWhenItResumes() throws Exception {
        Instance a = coordinator("coordinator-a");
        awaitRole(a, "active", Duration.ofSeconds(30));
        Instance b = coordinator("coordinator-b");
        assertThat(awaitRole(b, "standby", Duration.ofSeconds(30)).path("activeUrl").asString()).isEqualTo(a.url());

        // Given a migration running on the active coordinator a
        Path dumps = Files.createTempDirectory("tidemark-ha-dumps");
        String id = a.api().submit("""
                {"name": "ha", "mode": "all",
                 "source": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["ha.*"], "storage": "%s"}
                """.formatted(source.port(), TestDatabases.PASSWORD, target.port(), TestDatabases.PASSWORD,
                dumps.toUri()), TestDatabases.PASSWORD);
        a.api().awaitView(id, Duration.ofMinutes(2), v -> v.path("phase").asString().equals("importing"));

        // When a is killed with SIGKILL mid-import
        a.process().kill();
        Instant killed = Instant.now();
        assertThat(b.api().get(id).path("phase").asString()).as("the kill landed while the import ran")
                .isEqualTo("importing");

        // Then b takes over within seconds, with a later epoch, and drives the migration into replication
        JsonNode bActive = awaitRole(b, "active", Duration.ofSeconds(30));
        Duration takeover = Duration.between(killed, Instant.now());
        assertThat(takeover).as("the takeover after the kill").isLessThan(SESSION.plusSeconds(10));
        b.api().awaitView(id, Duration.ofMinutes(2), v -> v.path("phase").asString().equals("replicating"));

        // Given a third coordinator c as the standby, and the source under write load
        Instance c = coordinator("coordinator-c");
        assertThat(awaitRole(c, "standby", Duration.ofSeconds(30)).path("activeUrl").asString()).isEqualTo(b.url());
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> write(writing), "source-writer");
        writer.start();

        // When b freezes (SIGSTOP) past its session timeout
        b.process().pause();
        Map<TopicPartition, Long> atPause = endOffsets();

        // Then c takes over, with a later epoch
        JsonNode cActive = awaitRole(c, "active", Duration.ofSeconds(40));
        assertThat(cActive.path("epoch").asInt()).isGreaterThan(bActive.path("epoch").asInt());

        // When b resumes, unaware, and is sent a write at once
        b.process().resume();
        HttpResponse<String> stop = b.api().post(id, "stop");

        // Then the write is refused (by its guard, or by Kafka fencing its producer), b reports itself a standby
        assertThat(stop.statusCode()).as(stop.body()).isEqualTo(503);
        assertThat(JSON.readTree(stop.body()).path("code").asString()).isIn("TM-10045", "TM-50012");
        // and names c as the active coordinator (never the one before: it names none until it knows)
        List<String> named = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            JsonNode r = b.role();
            named.add(r.path("role").asString() + " " + r.path("activeUrl").asString("none"));
            return r.path("role").asString().equals("standby") && r.path("activeUrl").asString("").equals(c.url());
        });
        assertThat(named).as("what b said while it stepped down").allMatch(s -> !s.contains(a.url()));
        Thread.sleep(2000);
        writing.set(false);
        writer.join();

        // And the migration ends equal to the source, driven by c
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> DataDiff.same(source, target, TABLES));
        DataDiff.assertSame(source, target, TABLES);
        assertThat(c.api().get(id).path("phase").asString()).isEqualTo("replicating");

        // And nothing of b reached the state or command topics after it froze, while c wrote there
        Map<String, Integer> writers = writersSince(atPause);
        assertThat(writers).as("records after b froze, by writer").doesNotContainKey(b.url());
        assertThat(writers).as("records after b froze, by writer").containsKey(c.url());
        assertThat(b.role().path("role").asString()).isEqualTo("standby");
        assertThat(b.process().log()).contains("is a standby");
    }

    private static List<String> watched() {
        return List.of(TOPICS.migrations(), TOPICS.snapshotCommands(), TOPICS.importCommands(),
                TOPICS.replicationTasks(), TOPICS.coordinatorLeader());
    }

    private static KafkaConsumer<String, byte[]> reader() {
        // read uncommitted: even a record of an aborted transaction would count
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static Map<TopicPartition, Long> endOffsets() {
        try (KafkaConsumer<String, byte[]> c = reader()) {
            List<TopicPartition> partitions = new ArrayList<>();
            watched().forEach(t -> c.partitionsFor(t).forEach(p -> partitions.add(new TopicPartition(t, p.partition()))));
            return c.endOffsets(partitions);
        }
    }

    /** how many records each coordinator (by its URL header) wrote to the watched topics past the given offsets */
    private static Map<String, Integer> writersSince(Map<TopicPartition, Long> from) {
        Map<String, Integer> writers = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = reader()) {
            c.assign(from.keySet());
            from.forEach(c::seek);
            Map<TopicPartition, Long> end = c.endOffsets(from.keySet());
            while (from.keySet().stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    Header h = r.headers().lastHeader("tidemark-coordinator");
                    writers.merge(h == null ? "(none)" : new String(h.value(), StandardCharsets.UTF_8), 1,
                            Integer::sum);
                }
            }
        }
        return writers;
    }

    private static void write(AtomicBoolean writing) {
        try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement()) {
            long i = 0;
            while (writing.get()) {
                i++;
                st.execute("INSERT INTO ha.big VALUES (" + (1_000_000 + i) + ", 7, 'late')");
                st.execute("UPDATE ha.big SET n = n + 1 WHERE id = " + (1 + i * 7919 % 150000));
                st.execute("DELETE FROM ha.big WHERE id = " + (100_000 + i));
                st.execute("REPLACE INTO ha.small VALUES ('k" + (i % 50) + "', " + i + ")");
                Thread.sleep(5);
            }
        } catch (Exception e) {
            throw new IllegalStateException("the source writer failed", e);
        }
    }
}
