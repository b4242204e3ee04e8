package io.tidemark.deploy;

import io.tidemark.common.table.TableRef;
import io.tidemark.testkit.DataDiff;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code deploy/cluster.sh} as an operator runs it: a broker and every service in processes of their own, import
 * workers added while an import runs, one of them killed with SIGKILL mid-import, and the migration ends equal to the
 * source; {@code stop} leaves no process behind.
 */
class ClusterIT {
    private static final String PASSWORD = TestDatabases.PASSWORD;
    private static LocalMariaDb source;
    private static LocalMariaDb target;
    private static Path dir;
    private static ClusterScript cluster;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        source = TestDatabases.startSource("cluster");
        target = TestDatabases.startTarget("cluster");
        TestDatabases.execute(source,
                "CREATE DATABASE fleet",
                "USE fleet",
                "CREATE TABLE fleet.boats (id BIGINT PRIMARY KEY, name VARCHAR(60), tons DECIMAL(12,2))",
                "INSERT INTO fleet.boats SELECT seq, CONCAT('boat ', seq, ' ⚓'), seq / 7 FROM seq_1_to_200000",
                "CREATE TABLE fleet.ports (code CHAR(5) PRIMARY KEY, city VARCHAR(40))",
                "INSERT INTO fleet.ports SELECT LPAD(seq, 5, '0'), CONCAT('city ', seq) FROM seq_1_to_3000");
        dir = Files.createTempDirectory("tidemark-cluster");
        cluster = new ClusterScript(dir);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (dir != null) {
            script(Duration.ofMinutes(2), "stop");
        }
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @Test
    void importWorkersAddedAndOneKilledMidImportLoseNothingAndStopLeavesNoProcess() throws Exception {
        // Given a cluster of processes with one import worker, small dump files (many chunks) and small target
        // transactions (a killed chunk has partial progress), and consumers that notice a dead member in seconds
        String started = script(Duration.ofMinutes(8), "start", "--port=" + port, "--lightning=1", "--",
                "--tidemark.coordinator.file-size=64KB", "--tidemark.lightning.batch-statements=2",
                "--spring.kafka.consumer.properties.session.timeout.ms=6000",
                "--spring.kafka.consumer.properties.heartbeat.interval.ms=1000");
        assertThat(started).contains("» Kafka broker 127.0.0.1:", "» coordinator  http://localhost:" + port,
                "snapshot-1  pid", "lightning-1  pid", "dm-1  pid", "Tidemark cluster is up in " + dir);
        long broker = pid("broker");
        assertThat(ProcessHandle.of(broker)).as("the broker is a process of its own").isPresent()
                .get().extracting(ProcessHandle::isAlive).isEqualTo(true);

        MigrationApi api = new MigrationApi(() -> port);
        String id = api.submit("""
                {"name": "fleet", "mode": "full",
                 "source": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["fleet.*"], "storage": "%s"}
                """.formatted(source.port(), PASSWORD, target.port(), PASSWORD,
                dir.resolve("dumps").toUri()), PASSWORD);

        // When the import runs — held on a write lock of its biggest table on the target, so that chunks are
        // certainly still to import — a second import worker joins
        api.awaitView(id, Duration.ofMinutes(3), v -> v.path("tables").valueStream()
                .anyMatch(t -> t.path("chunksTotal").asLong() > 0));
        try (Connection lock = TestDatabases.connect(target); Statement st = lock.createStatement()) {
            st.execute("LOCK TABLES fleet.boats WRITE");
            String scaled = script(Duration.ofMinutes(4), "scale", "lightning=2");
            assertThat(scaled).contains("lightning-2  pid");
            // the import's throughput around the change, read from each instance's metrics (the held table: ~0)
            assertThat(scaled).containsPattern("chunk throughput before: \\d+\\.\\d chunks/s \\(1 lightning\\)")
                    .containsPattern("chunk throughput after: +\\d+\\.\\d chunks/s \\(2 lightning\\)");

            // and the first one is killed
            long first = pid("lightning-1");
            ProcessHandle.of(first).ifPresent(ProcessHandle::destroyForcibly);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> ProcessHandle.of(first).map(p -> !p.isAlive()).orElse(true));
            assertThat(FaultEvidence.unfinishedChunks(target, id)).as("the kill landed while chunks were still to be imported")
                    .isPositive();
            assertThat(api.get(id).path("phase").asString()).isEqualTo("importing");
            st.execute("UNLOCK TABLES");
        }

        // Then the migration completes on the workers left, and the target equals the source
        api.awaitView(id, Duration.ofMinutes(5), v -> v.path("phase").asString().equals("completed"));
        DataDiff.assertSame(source, target, List.of(new TableRef("fleet", "boats"), new TableRef("fleet", "ports")));
        assertThat(Files.readString(dir.resolve("logs/lightning-2.log")))
                .as("the worker added mid-import took chunks").contains("chunk imported");

        // And stop ends every process it started
        List<Long> pids = new ArrayList<>();
        for (String name : List.of("broker", "coordinator-1", "snapshot-1", "lightning-2", "dm-1")) {
            pids.add(pid(name));
        }
        assertThat(script(Duration.ofMinutes(2), "stop")).contains("broker stopped", "coordinator-1 stopped");
        assertThat(pids).allSatisfy(p -> assertThat(ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false))
                .as("process %d after stop", p).isFalse());
    }

    private static long pid(String name) throws IOException {
        return cluster.pid(name);
    }

    private static String script(Duration timeout, String verb, String... args) throws Exception {
        return cluster.run(timeout, verb, args);
    }
}
