package io.tidemark.snapshot.work;

import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.status.SnapshotCompleted;
import io.tidemark.common.status.TableDumped;
import io.tidemark.common.table.TableRef;
import io.tidemark.snapshot.SnapshotServiceApplication;
import io.tidemark.snapshot.support.CommandTopic;
import io.tidemark.snapshot.support.SilentServer;
import io.tidemark.snapshot.support.StatusLog;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Migrations are isolated from one another: a source that accepts the connection and never answers hangs its own
 * dump (the connect and read timeouts come with the MySQL kit), but a healthy migration submitted after it, on
 * another partition, is dumped and reported by the same instance meanwhile — and only its command is committed.
 */
class SnapshotIsolationIT {
    private static final int STUCK_PARTITION = 0;
    private static final int HEALTHY_PARTITION = 1;

    private static TestKafka kafka;
    private static LocalMariaDb source;
    private static ConfigurableApplicationContext service;
    private static CommandTopic commands;
    private static StatusLog status;

    @TempDir
    static Path dumps;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        source = TestDatabases.startSource("isolation");
        service = SnapshotServiceApplication.app().run(
                "--tidemark.secret-key=" + TestDatabases.SECRET_KEY,
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--server.port=0",
                "--tidemark.topics.partitions=2",
                "--tidemark.snapshot.concurrent-dumps=2",
                "--tidemark.snapshot.retry-backoff=100ms");
        commands = new CommandTopic(kafka.bootstrapServers());
        status = new StatusLog(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        if (status != null) {
            status.close();
        }
        if (commands != null) {
            commands.close();
        }
        if (service != null) {
            service.close();
        }
        if (source != null) {
            source.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aStuckSourceDoesNotDelayAnotherMigrationsSnapshot() throws Exception {
        try (SilentServer silent = SilentServer.start()) {
            // given a migration whose source accepts the connection and never answers: its dump hangs
            MigrationId stuck = MigrationId.of("stuck-source");
            DatabaseEndpoint silentSource = new DatabaseEndpoint("127.0.0.1", silent.port(), "root",
                    TestDatabases.secretBox().seal(TestDatabases.PASSWORD));
            commands.send(request(stuck, silentSource, "*.*"), STUCK_PARTITION);
            await().atMost(Duration.ofSeconds(30)).until(() -> silent.waiting() > 0);

            // when a healthy migration of 1,000 rows is submitted after it, on another partition
            String db = TestDatabases.uniqueSchema("healthy");
            TestDatabases.execute(source,
                    "CREATE DATABASE " + db,
                    "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(20))",
                    "INSERT INTO " + db + ".t SELECT seq, CONCAT('v', seq) FROM " + db + ".seq_1_to_1000");
            MigrationId healthy = MigrationId.of(db.replace('_', '-'));
            commands.send(request(healthy, TestDatabases.endpoint(source), db + ".*"), HEALTHY_PARTITION);

            // then it is dumped and reported within seconds, while the first still hangs
            SnapshotCompleted done = status.await(healthy, SnapshotCompleted.class, 1, Duration.ofSeconds(30));
            assertThat(done.tables()).containsExactly(TableRef.of(db, "t"));
            assertThat(status.events(healthy, TableDumped.class)).extracting(TableDumped::rows).containsExactly(1000L);
            assertThat(silent.waiting()).as("the stuck dump still waits for its source").isPositive();
            assertThat(status.events(stuck)).as("the stuck migration reported nothing: neither start nor failure")
                    .isEmpty();

            // and only the healthy command is committed: the stuck one is redelivered should this instance go
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> commands.committed(HEALTHY_PARTITION).equals(OptionalLong.of(1)));
            assertThat(commands.committed(STUCK_PARTITION).orElse(0)).isZero();
        }
        // the silent source closes: the stuck dump fails and stops, so the service shuts down without waiting on it
    }

    private static SnapshotRequest request(MigrationId m, DatabaseEndpoint endpoint, String filter) {
        return new SnapshotRequest(SnapshotRequest.idFor(m, 1), m, 1, endpoint, List.of(filter),
                dumps.resolve(m.value()).toString(), 2, 1 << 20);
    }
}
