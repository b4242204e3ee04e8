package io.tidemark.snapshot.work;

import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.status.SnapshotCompleted;
import io.tidemark.common.status.SnapshotStarted;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.status.TableDumped;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import io.tidemark.kit.status.StatusPublisher;
import io.tidemark.snapshot.SnapshotServiceApplication;
import io.tidemark.snapshot.dump.CompletionMarker;
import io.tidemark.snapshot.support.CommandTopic;
import io.tidemark.snapshot.support.StatusLog;
import io.tidemark.snapshot.support.TableHold;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.PersistentBroker;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka goes away while snapshot-service reports a finished dump. The dump completes meanwhile (it does not wait on
 * Kafka), its events wait — never dropped — and its command stays uncommitted. Once the broker is back on the same
 * log and port, the completion arrives, once as new work (a re-send carries the same event id), after the table it
 * reports; the command is committed; no failure was reported.
 */
class SnapshotKafkaOutageIT {
    private static final TableRef T = TableRef.of("outage", "t");
    /** sorts after t: holds the prechecks while t is locked, so the dump itself is held at t */
    private static final TableRef GATE = TableRef.of("outage", "z");

    @TempDir
    static Path dir;
    private static PersistentBroker broker;
    private static int brokerPort;
    private static LocalMariaDb source;
    private static ConfigurableApplicationContext service;

    @BeforeAll
    static void start() throws Exception {
        source = TestDatabases.startSource("outage");
        TestDatabases.execute(source,
                "CREATE DATABASE outage",
                "CREATE TABLE outage.t (id INT PRIMARY KEY, v VARCHAR(40))",
                "INSERT INTO outage.t SELECT seq, CONCAT('row ', seq) FROM outage.seq_1_to_2000",
                "CREATE TABLE outage.z (id INT PRIMARY KEY)");
        broker = PersistentBroker.start(dir.resolve("kafka"), 0);
        String servers = broker.bootstrapServers();
        brokerPort = Integer.parseInt(servers.substring(servers.lastIndexOf(':') + 1));
        service = SnapshotServiceApplication.app().run(
                "--tidemark.secret-key=" + TestDatabases.SECRET_KEY,
                "--spring.kafka.bootstrap-servers=" + servers,
                "--server.port=0",
                "--tidemark.topics.partitions=1",
                "--tidemark.status.attempt-timeout=1s",
                "--tidemark.status.max-retry-backoff=500ms",
                "--logging.level.org.apache.kafka=ERROR");
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (source != null) {
            source.close();
        }
    }

    @Test
    void aCompletionReportedWhileKafkaIsDownArrivesOnceWhenItReturns() throws Exception {
        MigrationId m = MigrationId.of("outage-1");
        Path dumpDir = dir.resolve("dumps").resolve(m.value());
        SnapshotRequest request = new SnapshotRequest(SnapshotRequest.idFor(m, 1), m, 1,
                TestDatabases.endpoint(source), List.of("outage.*"), dumpDir.toString(), 2, 1 << 20);
        StatusPublisher publisher = service.getBean(StatusPublisher.class);
        String servers = broker.bootstrapServers();
        try (TableHold hold = TableHold.prepare(source, T, GATE);
             CommandTopic commands = new CommandTopic(servers);
             StatusLog status = new StatusLog(servers)) {
            // given a dump under way and held at table t, its start reported while Kafka was up
            commands.send(request);
            hold.awaitDumpHeld(Duration.ofSeconds(60));
            status.await(m, SnapshotStarted.class, 1, Duration.ofSeconds(30));
            assertThat(commands.committed(0).orElse(0)).as("nothing committed while the dump runs").isZero();

            // when Kafka goes away, and only then the dump is let go
            broker.close();
            Instant down = Instant.now();
            hold.release();

            // then the dump completes while Kafka is down, and its reports wait: the publisher keeps failing
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dumpDir.resolve(CompletionMarker.FILE)));
            await().atMost(Duration.ofSeconds(30)).until(() -> publisher.unsentSince() > 0);

            // when Kafka comes back on the same log and port
            broker = PersistentBroker.start(dir.resolve("kafka"), brokerPort);

            // then the completion arrives — produced after Kafka went down — and only then is the command committed
            SnapshotCompleted completed = status.await(m, SnapshotCompleted.class, 1, Duration.ofSeconds(60));
            assertThat(completed.at()).isAfter(down);
            assertThat(completed.tables()).containsExactly(T, GATE);
            await().atMost(Duration.ofSeconds(60)).until(() -> commands.committed(0).equals(OptionalLong.of(1)));
            assertThat(publisher.unsentSince()).isZero();
            status.poll();

            // nothing reported twice as new work, nothing lost, no failure, and the table before the completion
            assertThat(status.events(m, SnapshotCompleted.class)).isNotEmpty()
                    .extracting(StatusEvent::eventId).containsOnly(SnapshotCompleted.idFor(m, 1));
            assertThat(status.events(m, TableDumped.class)).filteredOn(t -> t.table().equals(T)).isNotEmpty()
                    .allSatisfy(t -> assertThat(t.rows()).isEqualTo(2000L))
                    .extracting(StatusEvent::eventId).containsOnly(TableDumped.idFor(m, 1, T));
            assertThat(status.events(m, WorkFailed.class)).isEmpty();
            List<StatusEvent> all = status.events(m);
            assertThat(all.indexOf(status.events(m, TableDumped.class).stream()
                    .filter(t -> t.table().equals(T)).findFirst().orElseThrow()))
                    .isLessThan(all.indexOf(status.events(m, SnapshotCompleted.class).getFirst()));
        }
    }
}
