package io.tidemark.deploy;

import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.common.table.TableRef;
import io.tidemark.coordinator.CoordinatorApplication;
import io.tidemark.testkit.DataDiff;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults lose nothing: each worker runs in its own JVM and is killed with SIGKILL in its own phase — the dump, the
 * import, the replication under write load — and a fresh process takes over. The target must end equal to the
 * source, and the replication checkpoint must show the takeover (a higher owner epoch).
 */
class WorkerKillIT {
    private static final List<TableRef> TABLES = List.of(TableRef.of("failover", "big"), TableRef.of("failover", "small"));
    private static final String PASSWORD = TestDatabases.PASSWORD;

    private static TestKafka kafka;
    private static LocalMariaDb source;
    private static LocalMariaDb target;
    private static ConfigurableApplicationContext coordinator;
    private static final List<WorkerProcess> workers = new ArrayList<>();
    private final MigrationApi api = new MigrationApi(
            () -> ((WebServerApplicationContext) coordinator).getWebServer().getPort());

    @BeforeAll
    static void start() throws Exception {
        kafka = TestKafka.start();
        source = TestDatabases.startSource("kill");
        target = TestDatabases.startTarget("kill");
        TestDatabases.execute(source,
                "CREATE DATABASE failover",
                "USE failover",
                "CREATE TABLE big (id BIGINT PRIMARY KEY, n INT NOT NULL, s VARCHAR(100), d DATETIME(6))",
                "INSERT INTO big SELECT seq, seq % 1000, CONCAT('row ', seq, ' 🌊'), TIMESTAMP('2026-01-01')"
                        + " + INTERVAL seq SECOND + INTERVAL seq MICROSECOND FROM seq_1_to_300000",
                "CREATE TABLE small (k VARCHAR(20) PRIMARY KEY, v INT)",
                "INSERT INTO small SELECT CONCAT('k', seq), seq FROM seq_1_to_1000");
        coordinator = CoordinatorApplication.app().run(springArgs("--server.port=0").toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        workers.forEach(WorkerProcess::close);
        if (coordinator != null) {
            coordinator.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @Test
    void killingEachWorkerInItsPhaseLosesNothing() throws Exception {
        WorkerProcess snapshot = worker("snapshot-service", "snapshot-1");
        // small target transactions, so a chunk's checkpoint shows partial progress the kill can land in
        WorkerProcess lightning = worker("lightning-service", "lightning-1", "--tidemark.lightning.batch-statements=2");
        WorkerProcess dm = worker("dm-service", "dm-1");
        Path dumps = Files.createTempDirectory("tidemark-kill-dumps");
        String id = submit(dumps);

        // the dump: killed once the snapshot has started, then a new snapshot-service takes the redelivered request
        awaitView(id, v -> v.path("positions").path("snapshotStart").isObject()
                || !v.path("phase").asString().equals("snapshotting"));
        snapshot.kill();
        assertThat(api.get(id).path("phase").asString()).as("the kill landed while the snapshot ran")
                .isEqualTo("snapshotting");
        assertThat(Files.exists(dumps.resolve(id).resolve("tidemark-snapshot.json")))
                .as("the killed dump had not completed (no completion marker)").isFalse();
        worker("snapshot-service", "snapshot-2");

        // the import: killed with chunks in flight, a new lightning-service resumes them from their checkpoints
        awaitView(id, v -> v.path("tables").valueStream().anyMatch(t -> t.path("chunksTotal").asLong() > 0));
        FaultEvidence.awaitChunkInFlight(target, id);
        lightning.kill();
        assertThat(FaultEvidence.unfinishedChunks(target, id))
                .as("the kill landed while chunks were still being imported").isPositive();
        worker("lightning-service", "lightning-2");

        // replication under write load: killed mid-stream, a new dm-service resumes from the checkpoint
        awaitView(id, v -> v.path("phase").asString().equals("replicating"));
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> write(writing), "source-writer");
        writer.start();
        long epochBefore = FaultEvidence.awaitCheckpointAdvancing(target);
        dm.kill();
        long rowsAtKill = sourceRows();
        Thread.sleep(1000);
        assertThat(sourceRows()).as("the source kept changing after the kill, so there was work left to take over")
                .isNotEqualTo(rowsAtKill);
        worker("dm-service", "dm-2");
        Thread.sleep(1000);
        writing.set(false);
        writer.join();

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> DataDiff.same(source, target, TABLES));
        DataDiff.assertSame(source, target, TABLES);
        try (Connection c = TestDatabases.connect(target); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT owner_epoch FROM tidemark_meta.replication_checkpoints")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).as("the second dm-service took the task over through the checkpoint")
                    .isGreaterThan(epochBefore);
        }
        assertThat(api.get(id).path("phase").asString()).isEqualTo("replicating");
    }

    private static long sourceRows() throws Exception {
        try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*), COALESCE(SUM(n), 0) FROM failover.big")) {
            rs.next();
            return rs.getLong(1) * 1_000_003L + rs.getLong(2);
        }
    }

    private static void write(AtomicBoolean writing) {
        try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement()) {
            long i = 0;
            while (writing.get()) {
                i++;
                st.execute("INSERT INTO failover.big VALUES (" + (1_000_000 + i) + ", 7, 'late 🐳', NOW(6))");
                st.execute("UPDATE failover.big SET n = n + 1 WHERE id = " + (1 + i * 7919 % 300000));
                st.execute("DELETE FROM failover.big WHERE id = " + (150_000 + i));
                st.execute("REPLACE INTO failover.small VALUES ('k" + (i % 50) + "', " + i + ")");
                Thread.sleep(5);
            }
        } catch (Exception e) {
            throw new IllegalStateException("the source writer failed", e);
        }
    }

    private static WorkerProcess worker(String module, String name, String... more) {
        List<String> args = springArgs("--server.port=0");
        args.addAll(List.of(more));
        WorkerProcess w = WorkerProcess.start(module, name, args);
        workers.add(w);
        return w;
    }

    /** what every service gets: the broker, the key, and a short session so a killed member is noticed in seconds */
    private static List<String> springArgs(String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--tidemark.secret-key=" + TestDatabases.SECRET_KEY,
                "--tidemark.api.tokens=" + TestDatabases.API_TOKEN,
                "--spring.kafka.consumer.properties.session.timeout.ms=6000",
                "--spring.kafka.consumer.properties.heartbeat.interval.ms=1000",
                "--spring.main.banner-mode=off",
                "--logging.level.org.apache.kafka=WARN"));
        args.addAll(List.of(more));
        return args;
    }

    private String submit(Path storage) throws Exception {
        String spec = """
                {"name": "kill", "mode": "all",
                 "source": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["failover.*"], "storage": "%s"}
                """.formatted(source.port(), PASSWORD, target.port(), PASSWORD, storage.toUri());
        return api.submit(spec, PASSWORD);
    }

    private JsonNode awaitView(String id, Predicate<JsonNode> condition) {
        return api.awaitView(id, Duration.ofMinutes(3), condition);
    }
}
