package io.tidemark.snapshot.work;

import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.status.SnapshotCompleted;
import io.tidemark.common.status.TableDumped;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import io.tidemark.snapshot.SnapshotServiceApplication;
import io.tidemark.snapshot.support.CommandTopic;
import io.tidemark.snapshot.support.StatusLog;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.SilentServer;
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
 * Migrations are isolated from one another, and no source can hang a dump: a source that accepts the connection and
 * never answers fails its own migration — each login given up after the connect timeout, an UNREACHABLE error naming
 * the host and the timeout once the attempts are spent — while a healthy migration submitted after it, on another
 * partition, is dumped and reported by the same instance meanwhile, before the stuck one has failed.
 */
class SnapshotIsolationIT {
    private static final int STUCK_PARTITION = 0;
    private static final int HEALTHY_PARTITION = 1;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final int ATTEMPTS = 3;

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
                "--tidemark.db.connect-timeout=" + CONNECT_TIMEOUT.toSeconds() + "s",
                "--tidemark.snapshot.concurrent-dumps=2",
                "--tidemark.snapshot.max-attempts=" + ATTEMPTS,
                "--tidemark.snapshot.retry-backoff=1s",
                "--tidemark.snapshot.max-retry-backoff=1s");
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
    void aSourceThatNeverAnswersFailsWithinItsConnectTimeoutAndDelaysNoOtherMigration() throws Exception {
        try (SilentServer silent = SilentServer.start()) {
            // given a migration whose source accepts the connection and never answers: its login waits
            MigrationId stuck = MigrationId.of("stuck-source");
            DatabaseEndpoint silentSource = new DatabaseEndpoint("127.0.0.1", silent.port(), "root",
                    TestDatabases.secretBox().seal(TestDatabases.PASSWORD));
            commands.send(request(stuck, silentSource, "*.*"), STUCK_PARTITION);
            await().atMost(Duration.ofSeconds(30)).until(() -> silent.waiting() > 0);
            long firstLogin = System.nanoTime();

            // when a healthy migration of 1,000 rows is submitted after it, on another partition
            String db = TestDatabases.uniqueSchema("healthy");
            TestDatabases.execute(source,
                    "CREATE DATABASE " + db,
                    "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(20))",
                    "INSERT INTO " + db + ".t SELECT seq, CONCAT('v', seq) FROM " + db + ".seq_1_to_1000");
            MigrationId healthy = MigrationId.of(db.replace('_', '-'));
            commands.send(request(healthy, TestDatabases.endpoint(source), db + ".*"), HEALTHY_PARTITION);

            // then it is dumped and reported
            SnapshotCompleted done = status.await(healthy, SnapshotCompleted.class, 1, Duration.ofSeconds(30));
            assertThat(done.tables()).containsExactly(TableRef.of(db, "t"));
            assertThat(status.events(healthy, TableDumped.class)).extracting(TableDumped::rows).containsExactly(1000L);

            // and the stuck migration fails by itself: each of its logins given up after the connect timeout, the
            // error naming the host and the timeout, final once its attempts are spent
            WorkFailed failed = status.await(stuck, WorkFailed.class, 1, Duration.ofSeconds(60));
            Duration took = Duration.ofNanos(System.nanoTime() - firstLogin);
            assertThat(failed.code()).isEqualTo(ErrorCode.SOURCE_UNREACHABLE.code());
            assertThat(failed.message()).contains("127.0.0.1:" + silent.port())
                    .contains("within 2 s (tidemark.db.connect-timeout)");
            assertThat(failed.retriable()).isFalse();
            assertThat(failed.remedy()).startsWith("Tidemark stopped after " + ATTEMPTS + " attempts");
            assertThat(silent.accepted()).as("one connection per login attempt").isEqualTo(ATTEMPTS);
            assertThat(silent.waiting()).as("every login was given up, none still waits").isZero();
            assertThat(took).as("three logins of 2 s each, not a hang")
                    .isGreaterThan(CONNECT_TIMEOUT.multipliedBy(ATTEMPTS - 1)).isLessThan(Duration.ofSeconds(30));
            assertThat(status.events(stuck)).as("it never started: the failure is all it reported")
                    .containsExactly(failed);

            // and the healthy one did not wait for it: it was reported before the stuck one had failed
            assertThat(done.at()).isBefore(failed.at());

            // and both commands are committed, each once its outcome was on the status topic
            await().atMost(Duration.ofSeconds(10)).until(() -> commands.committed(HEALTHY_PARTITION)
                    .equals(OptionalLong.of(1)) && commands.committed(STUCK_PARTITION).equals(OptionalLong.of(1)));
        }
    }

    private static SnapshotRequest request(MigrationId m, DatabaseEndpoint endpoint, String filter) {
        return new SnapshotRequest(SnapshotRequest.idFor(m, 1), m, 1, endpoint, List.of(filter),
                dumps.resolve(m.value()).toString(), 2, 1 << 20);
    }
}
