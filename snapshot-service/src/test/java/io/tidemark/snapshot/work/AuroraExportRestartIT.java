package io.tidemark.snapshot.work;

import io.tidemark.common.command.AuroraExport;
import io.tidemark.common.command.DumpFormat;
import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.status.SnapshotCompleted;
import io.tidemark.common.status.SnapshotStarted;
import io.tidemark.common.status.SnapshotStopped;
import io.tidemark.snapshot.SnapshotServiceApplication;
import io.tidemark.snapshot.support.CommandTopic;
import io.tidemark.snapshot.support.SourceBinlog;
import io.tidemark.snapshot.support.StatusLog;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.LocalS3;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.TestKafka;
import io.tidemark.testkit.rds.FakeRds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * snapshot-service stopped while AWS exports (its Spring context closed, as a crash or a deploy does), then started
 * again on the same broker: the redelivered request re-attaches to its snapshot and export by name, keeps the position
 * recorded before the snapshot, and a stop sent while it was down still cancels the export. The RDS control plane is
 * {@link FakeRds}; the broker, the source and the S3 server are real.
 */
class AuroraExportRestartIT {
    private static final String BUCKET = "restart-exports";
    private static final Duration WITHIN = Duration.ofSeconds(60);

    private static TestKafka kafka;
    private static LocalMariaDb source;
    private static LocalS3 s3;
    private static FakeRds rds;
    private static CommandTopic commands;
    private static StatusLog status;
    private ConfigurableApplicationContext service;

    @TempDir
    static Path work;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        source = TestDatabases.startSource("aurrst");
        s3 = LocalS3.start(work.resolve("s3"), BUCKET);
        // the control plane only: what the export writes is AuroraExportIT's (deploy) concern
        rds = FakeRds.start("us-east-1", (cluster, id) -> job -> { });
        commands = new CommandTopic(kafka.bootstrapServers());
    }

    @AfterEach
    void stopService() {
        rds.releaseExports();
        if (service != null) {
            service.close();
        }
    }

    @AfterAll
    static void stopEverything() {
        for (AutoCloseable c : new AutoCloseable[] {status, commands, rds, s3, source, kafka}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
    }

    @Test
    void aRestartMidExportReattachesToItsSnapshotAndExportAndKeepsPositionOne() throws Exception {
        // Given an export that AWS keeps running, started by the service
        MigrationId m = MigrationId.of("restart-reattach");
        String db = tables("reattach");
        rds.holdExports();
        service = startService();
        commands.send(request(m, db));
        SnapshotStarted started = status.await(m, SnapshotStarted.class, 1, WITHIN);
        await().atMost(WITHIN).until(() -> !rds.calls("StartExportTask").stream()
                .filter(c -> c.param("ExportTaskIdentifier").contains(m.value())).toList().isEmpty());

        // When the service stops while the export is IN_PROGRESS, the source is written, and the service comes back
        service.close();
        String exportId = "tidemark-" + m.value() + "-e1";
        assertThat(rds.exportStatus(exportId)).isEqualTo("IN_PROGRESS");
        TestDatabases.execute(source, "INSERT INTO " + db + ".items VALUES (1000, 'after the stop')");
        BinlogPosition later = SourceBinlog.now(source);
        assertThat(later).isGreaterThan(started.startPosition());
        service = startService();
        status.await(m, SnapshotStarted.class, 2, WITHIN);
        rds.releaseExports();

        // Then the export completes, reported with position 1 as recorded before the snapshot, not a later one
        SnapshotCompleted completed = status.await(m, SnapshotCompleted.class, 1, WITHIN);
        assertThat(completed.startPosition()).isEqualTo(started.startPosition());
        assertThat(status.events(m, SnapshotStarted.class)).extracting(SnapshotStarted::startPosition)
                .containsOnly(started.startPosition());
        // and AWS was asked once for the snapshot and once for the export, by the same names
        assertThat(calls("CreateDBClusterSnapshot", m)).singleElement().satisfies(c ->
                assertThat(c.param("DBClusterSnapshotIdentifier")).isEqualTo("tidemark-" + m.value() + "-e1"));
        assertThat(calls("StartExportTask", m)).singleElement()
                .satisfies(c -> assertThat(c.param("ExportTaskIdentifier")).isEqualTo(exportId));
        assertThat(rds.exportStatus(exportId)).isEqualTo("COMPLETE");
        assertThat(rds.snapshotIds()).doesNotContain("tidemark-" + m.value() + "-e1");
    }

    @Test
    void aStopSentWhileTheServiceIsDownCancelsTheExportOfTheRedeliveredRequest() throws Exception {
        // Given an export that AWS keeps running, started by the service
        MigrationId m = MigrationId.of("restart-stopped");
        String db = tables("stopped");
        rds.holdExports();
        service = startService();
        SnapshotRequest request = request(m, db);
        commands.send(request);
        await().atMost(WITHIN).until(() -> !calls("StartExportTask", m).isEmpty());

        // When the service is down as the user stops the snapshot, and then comes back
        service.close();
        commands.send(request.stopped());
        service = startService();

        // Then the redelivered request re-attaches and cancels its export, deletes the snapshot, reports it stopped
        SnapshotStopped stopped = status.await(m, SnapshotStopped.class, 1, WITHIN);
        String exportId = "tidemark-" + m.value() + "-e1";
        assertThat(stopped.exportTask()).isEqualTo(exportId);
        assertThat(stopped.snapshotDeleted()).isTrue();
        assertThat(rds.exportStatus(exportId)).isEqualTo("CANCELED");
        assertThat(calls("CancelExportTask", m)).hasSize(1);
        assertThat(calls("StartExportTask", m)).as("no second export").hasSize(1);
        assertThat(calls("DeleteDBClusterSnapshot", m)).hasSize(1);
        // and the stop itself, taken from its partition after the request, changes nothing more
        assertThat(status.await(m, SnapshotStopped.class, 2, WITHIN).eventId()).isEqualTo(stopped.eventId());
        assertThat(calls("CancelExportTask", m)).hasSize(1);
        assertThat(calls("DeleteDBClusterSnapshot", m)).hasSize(1);
        assertThat(status.events(m, SnapshotCompleted.class)).as("nothing of it is importable").isEmpty();
    }

    /** the service, started; the status log is read from its first start, once the service created the topics */
    private ConfigurableApplicationContext startService() {
        ConfigurableApplicationContext started = SnapshotServiceApplication.app().run(
                "--tidemark.secret-key=" + TestDatabases.SECRET_KEY,
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--logging.level.org.apache.kafka=WARN",
                "--tidemark.topics.partitions=2",
                "--tidemark.aws.rds.endpoint=" + rds.endpoint(),
                "--tidemark.aws.rds.poll-interval=100ms");
        if (status == null) {
            status = new StatusLog(kafka.bootstrapServers());
        }
        return started;
    }

    /** a schema of its own with one table; its name */
    private static String tables(String name) throws Exception {
        String db = TestDatabases.uniqueSchema(name);
        TestDatabases.execute(source, "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".items (id INT PRIMARY KEY, note VARCHAR(40))",
                "INSERT INTO " + db + ".items VALUES (1, 'first'), (2, 'second')");
        return db;
    }

    private static SnapshotRequest request(MigrationId m, String db) {
        String location = "s3://" + BUCKET + "/" + m.value() + "?endpoint=" + s3.endpoint() + "&region="
                + LocalS3.REGION + "&force-path-style=true";
        return new SnapshotRequest(SnapshotRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(source),
                List.of(db + ".*"), location, 2, 1 << 20, DumpFormat.PARQUET, new AuroraExport("orders-prod",
                "us-east-1", BUCKET, "", "arn:aws:iam::123456789012:role/rds-s3-export", "alias/k", null, false));
    }

    private static List<FakeRds.RdsCall> calls(String action, MigrationId m) {
        return rds.calls(action).stream()
                .filter(c -> c.params().values().stream().anyMatch(v -> v.contains(m.value()))).toList();
    }
}
