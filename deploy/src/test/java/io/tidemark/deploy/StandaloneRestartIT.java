package io.tidemark.deploy;

import io.tidemark.testkit.PersistentBroker;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.common.table.TableRef;
import io.tidemark.testkit.DataDiff;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The standalone jar's state outlives it: a migration replicating through the in-process Kafka node survives a
 * shutdown of the whole platform, Kafka included. Rows written while Tidemark was down arrive after the restart.
 */
class StandaloneRestartIT {
    private static final List<TableRef> TABLES = List.of(TableRef.of("restart", "t"));

    @TempDir
    static Path dataDir;
    private static LocalMariaDb source;
    private static LocalMariaDb target;
    private static PersistentBroker broker;
    private static Platform platform;

    @BeforeAll
    static void start() throws Exception {
        source = TestDatabases.startSource("restart");
        target = TestDatabases.startTarget("restart");
        TestDatabases.execute(source,
                "CREATE DATABASE restart",
                "CREATE TABLE restart.t (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO restart.t VALUES (1, 'before')");
    }

    @AfterAll
    static void stop() {
        stopPlatform();
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @Test
    void aMigrationOutlivesARestartOfTheWholeStandalonePlatform() throws Exception {
        startPlatform();
        MigrationApi api = new MigrationApi(() -> platform.coordinatorPort());
        String id = api.submit("""
                {"name": "restart", "mode": "all",
                 "source": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["restart.*"], "storage": "%s"}
                """.formatted(source.port(), TestDatabases.PASSWORD, target.port(), TestDatabases.PASSWORD,
                dataDir.resolve("dumps").toUri()), TestDatabases.PASSWORD);
        api.awaitView(id, Duration.ofMinutes(2), v -> v.path("phase").asString().equals("replicating"));
        await().atMost(Duration.ofMinutes(1)).until(() -> DataDiff.same(source, target, TABLES));

        // when the whole platform stops, Kafka included, and the source keeps changing
        stopPlatform();
        TestDatabases.execute(source,
                "INSERT INTO restart.t VALUES (2, 'while down')",
                "UPDATE restart.t SET v = 'changed while down' WHERE id = 1");

        // then after a restart on the same data directory the migration is still there and catches up
        startPlatform();
        JsonNode view = new MigrationApi(() -> platform.coordinatorPort()).get(id);
        assertThat(view.path("phase").asString()).isEqualTo("replicating");
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> DataDiff.same(source, target, TABLES));
        DataDiff.assertSame(source, target, TABLES);
    }

    private static void startPlatform() {
        broker = PersistentBroker.start(dataDir.resolve("kafka"), 0);
        platform = Platform.start(broker.bootstrapServers(), TestDatabases.SECRET_KEY, 0,
                Map.of("spring.main.banner-mode", "off", "logging.level.org.apache.kafka", "WARN",
                        "tidemark.api.tokens", TestDatabases.API_TOKEN));
    }

    private static void stopPlatform() {
        if (platform != null) {
            platform.close();
            platform = null;
        }
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
