package io.tidemark.deploy;

import io.tidemark.common.table.TableRef;
import io.tidemark.testkit.DataDiff;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.PersistentBroker;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka goes away while a worker finishes its work and reports it: the dump (snapshot-service) and a chunk
 * (lightning-service) each complete while the broker is down, their status events wait — never dropped — and once
 * the broker is back (same log, same port) the migration moves on to the right phase with nothing lost, no failure
 * shown and no work started twice. Each outage is proven to have covered the report: the work finished while the
 * broker was down, and the coordinator had not heard of it yet.
 */
class KafkaOutageIT {
    private static final List<TableRef> TABLES = List.of(TableRef.of("outage", "t"), TableRef.of("outage", "u"));

    @TempDir
    static Path dataDir;
    private static LocalMariaDb source;
    private static LocalMariaDb target;
    private static PersistentBroker broker;
    private static int brokerPort;
    private static Platform platform;

    @BeforeAll
    static void start() throws Exception {
        source = TestDatabases.startSource("outage");
        target = TestDatabases.startTarget("outage");
        TestDatabases.execute(source,
                "CREATE DATABASE outage",
                "USE outage",
                "CREATE TABLE outage.t (id INT PRIMARY KEY, v VARCHAR(40))",
                "INSERT INTO outage.t SELECT seq, CONCAT('row ', seq) FROM seq_1_to_20000",
                "CREATE TABLE outage.u (id INT PRIMARY KEY)",
                "INSERT INTO outage.u VALUES (1)");
        broker = PersistentBroker.start(dataDir.resolve("kafka"), 0);
        String servers = broker.bootstrapServers();
        brokerPort = Integer.parseInt(servers.substring(servers.lastIndexOf(':') + 1));
        platform = Platform.start(servers, TestDatabases.SECRET_KEY, 0, Map.of("spring.main.banner-mode", "off",
                "logging.level.org.apache.kafka", "ERROR", "logging.level.org.springframework.kafka", "ERROR",
                "tidemark.status.max-retry-backoff", "1s", "tidemark.api.tokens", TestDatabases.API_TOKEN));
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @Test
    void statusReportsSurviveABrokerOutageInTheSnapshotAndInTheImport() throws Exception {
        MigrationApi api = new MigrationApi(() -> platform.coordinatorPort());
        Path dumps = dataDir.resolve("dumps");

        // The snapshot is held on a table lock on the source, so it is certainly running when Kafka goes. Every
        // precheck reads each table (SELECT … LIMIT 0, in name order): the coordinator's, at the POST, is let past t
        // by a gate on u, which sorts after it; then t is locked and the gate opened, so the POST completes and the
        // snapshot-service's own reading of t waits on the lock.
        try (Connection lock = TestDatabases.connect(source); Statement sl = lock.createStatement();
             Connection gate = TestDatabases.connect(source); Statement sg = gate.createStatement()) {
            sg.execute("LOCK TABLES outage.u WRITE");
            // the import will be held on a row lock on the target: the table exists there, empty, as the source's
            TestDatabases.execute(target, "CREATE DATABASE outage",
                    "CREATE TABLE outage.t (id INT PRIMARY KEY, v VARCHAR(40))");
            CompletableFuture<String> submitted = CompletableFuture.supplyAsync(() -> {
                try {
                    return api.submit(spec(dumps), TestDatabases.PASSWORD);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofMinutes(1)).until(() -> waitersOn("u") > 0);
            sl.execute("LOCK TABLES outage.t WRITE");
            sg.execute("UNLOCK TABLES");
            String id = submitted.get(1, TimeUnit.MINUTES);
            await().atMost(Duration.ofMinutes(1)).until(() -> waitersOn("t") > 0);
            assertThat(api.get(id).path("phase").asString()).isEqualTo("snapshotting");

            try (Connection hold = TestDatabases.connect(target); Statement th = hold.createStatement()) {
                th.execute("BEGIN");
                th.execute("INSERT INTO outage.t VALUES (1, 'held by the test')");

                // Kafka goes away; then the dump is let go and completes
                broker.close();
                sl.execute("UNLOCK TABLES");
                Path marker = dumps.resolve(id).resolve("tidemark-snapshot.json");
                await().atMost(Duration.ofMinutes(1)).until(() -> Files.exists(marker));
                assertThat(api.get(id).path("phase").asString())
                        .as("the dump completed while Kafka was down, so the coordinator has not heard of it")
                        .isEqualTo("snapshotting");

                // Kafka comes back: the completion arrives and the import starts, held on the row lock
                restartBroker();
                api.awaitView(id, Duration.ofMinutes(1), v -> v.path("phase").asString().equals("importing")
                        && v.path("tables").valueStream().anyMatch(t -> t.path("chunksTotal").asLong() > 0));

                // the worker has its chunk and waits on the test's row lock (a planned chunk may still be in Kafka)
                await().atMost(Duration.ofMinutes(1)).until(() -> lockWaitsOnTarget() > 0);

                // Kafka goes away again; then the chunk is let go and completes
                broker.close();
                th.execute("ROLLBACK");
                await().atMost(Duration.ofMinutes(1)).until(() -> targetRows() == 20000);
                Thread.sleep(1000);
                JsonNode during = api.get(id);
                assertThat(during.path("phase").asString())
                        .as("the chunk completed while Kafka was down, so the coordinator has not heard of it")
                        .isEqualTo("importing");
            }
            restartBroker();
            JsonNode done = api.awaitView(id, Duration.ofMinutes(2),
                    v -> v.path("phase").asString().equals("replicating"));
            assertThat(done.path("error").isNull() || done.path("error").isMissingNode()).as("no failure: %s",
                    done.path("error")).isTrue();
            assertThat(done.path("tables").get(0).path("rowsImported").asLong()).isEqualTo(20000);
            TestDatabases.execute(source, "INSERT INTO outage.t VALUES (20001, 'after the outages')");
            await().atMost(Duration.ofMinutes(1)).until(() -> DataDiff.same(source, target, TABLES));
            DataDiff.assertSame(source, target, TABLES);
        }
    }

    /** sessions of the source waiting for a metadata lock on outage.{table} */
    private static long waitersOn(String table) throws Exception {
        try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE STATE ="
                     + " 'Waiting for table metadata lock' AND INFO LIKE '%" + table + "`%'"))  {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** target transactions waiting for a row lock: the chunk worker's, blocked behind the test's */
    private static long lockWaitsOnTarget() throws Exception {
        try (Connection c = TestDatabases.connect(target); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.INNODB_TRX"
                     + " WHERE trx_state = 'LOCK WAIT'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void restartBroker() {
        broker = PersistentBroker.start(dataDir.resolve("kafka"), brokerPort);
    }

    private static long targetRows() throws Exception {
        try (Connection c = TestDatabases.connect(target); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM outage.t")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String spec(Path dumps) {
        return """
                {"name": "outage", "mode": "all",
                 "source": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["outage.*"], "storage": "%s"}
                """.formatted(source.port(), TestDatabases.PASSWORD, target.port(), TestDatabases.PASSWORD,
                dumps.toUri());
    }
}
