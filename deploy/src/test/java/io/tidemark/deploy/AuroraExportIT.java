package io.tidemark.deploy;

import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.storage.Storage;
import io.tidemark.common.storage.Storages;
import io.tidemark.common.table.TableRef;
import io.tidemark.snapshot.parquet.ExportInfoFiles;
import io.tidemark.snapshot.parquet.ExportLayout;
import io.tidemark.snapshot.parquet.ExportedTable;
import io.tidemark.snapshot.parquet.ParquetSettings;
import io.tidemark.snapshot.parquet.ParquetTable;
import io.tidemark.snapshot.parquet.SourceColumn;
import io.tidemark.testkit.DataDiff;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.LocalS3;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.TestKafka;
import io.tidemark.testkit.rds.ConsistentSnapshot;
import io.tidemark.testkit.rds.FakeRds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Mode {@code all} with {@code "snapshot": {"engine": "aurora-export"}} through the standalone platform: the RDS API
 * is {@link FakeRds} (the one fake the standards allow), whose export is written from a consistent read of the source
 * MariaDB taken at {@code CreateDBClusterSnapshot}, with snapshot-service's own Parquet writer in the Aurora layout,
 * into S3Mock; the import, replication from position 1 in safe mode until position 2, and the target are real. The
 * source is written all along, the export window included, and after; it ends in a data diff.
 */
class AuroraExportIT {
    private static final String REPL_PASSWORD = "Repl-pw-9";
    private static final String BUCKET = "aurora-exports";
    private static final String DB = "fleet";
    private static final String STATUS_TOPIC = "tidemark.status";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<TableRef> TABLES = List.of(TableRef.of(DB, "drivers"), TableRef.of(DB, "orders"));

    private static TestKafka kafka;
    private static LocalMariaDb source;
    private static LocalMariaDb target;
    private static LocalS3 s3;
    private static FakeRds rds;
    private static Platform platform;
    private final MigrationApi api = new MigrationApi(() -> platform.coordinatorPort());

    @TempDir
    static Path work;

    @BeforeAll
    static void startEverything() throws Exception {
        kafka = TestKafka.start();
        source = TestDatabases.startSource("aurexp");
        target = TestDatabases.startTarget("aurexp");
        TestDatabases.execute(source,
                "CREATE USER IF NOT EXISTS 'tidemark'@'%' IDENTIFIED BY '" + REPL_PASSWORD + "'",
                "GRANT SELECT, RELOAD, LOCK TABLES, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'tidemark'@'%'",
                "CREATE DATABASE " + DB + " CHARACTER SET utf8mb4",
                "USE " + DB,
                "CREATE TABLE " + DB + ".drivers (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL)",
                "CREATE TABLE " + DB + ".orders (id INT PRIMARY KEY, driver INT, note VARCHAR(60),"
                        + " amount DECIMAL(10,2), at DATETIME(6))",
                "CREATE TABLE " + DB + ".tmp_scratch (id INT PRIMARY KEY)",
                "INSERT INTO " + DB + ".drivers SELECT seq, CONCAT('driver ', seq) FROM seq_1_to_50",
                "INSERT INTO " + DB + ".orders SELECT seq, seq % 50 + 1, CONCAT('ørder ', seq, ' 😀'), seq * 1.25,"
                        + " TIMESTAMP('2026-01-01') + INTERVAL seq SECOND FROM seq_1_to_2000",
                "INSERT INTO " + DB + ".tmp_scratch VALUES (1)",
                "CREATE DATABASE depot",
                "CREATE TABLE depot.bays (id INT PRIMARY KEY, label VARCHAR(20))",
                "INSERT INTO depot.bays VALUES (1, 'north'), (2, 'south')");
        s3 = LocalS3.start(work, BUCKET);
        rds = FakeRds.start("us-east-1", (cluster, id) ->
                ConsistentSnapshot.open(source.jdbcUrl(), source.user(), source.password(), AuroraExportIT::export));
        platform = Platform.start(kafka.bootstrapServers(), TestDatabases.SECRET_KEY, 0, Map.of(
                "logging.level.org.apache.kafka", "WARN",
                "spring.main.banner-mode", "off",
                "tidemark.aws.rds.endpoint", rds.endpoint().toString(),
                "tidemark.aws.rds.poll-interval", "200ms",
                "tidemark.api.tokens", TestDatabases.API_TOKEN));
    }

    @AfterAll
    static void stopEverything() {
        for (AutoCloseable c : new AutoCloseable[] {platform, rds, s3, kafka, source, target}) {
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
    void modeAllThroughAnAuroraSnapshotExportReplicatesFromBeforeTheSnapshotEndingInADataDiff() throws Exception {
        // Given a source under write load, and exports that AWS holds until the test lets them run
        String storage = "s3://" + BUCKET + "/exports?endpoint=" + s3.endpoint() + "&region=" + LocalS3.REGION
                + "&force-path-style=true";
        rds.snapshotCreationPolls(5);
        rds.holdExports();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong writes = new AtomicLong();
        Thread writer = new Thread(() -> write(writing, writes), "source-writer");
        writer.start();

        // When a migration in mode all is submitted with engine aurora-export
        String id = api.submit("""
                {"name": "aurora fleet", "mode": "all",
                 "source": {"host": "127.0.0.1", "port": %d, "user": "tidemark", "password": "%s"},
                 "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["%s.*", "!%s.tmp_*"],
                 "storage": "%s",
                 "snapshot": {"engine": "aurora-export", "cluster": "fleet-prod", "region": "us-east-1",
                              "s3": "s3://%s/exports", "iamRole": "arn:aws:iam::123456789012:role/rds-s3-export",
                              "kmsKey": "alias/rds-export"}}
                """.formatted(source.port(), REPL_PASSWORD, target.port(), TestDatabases.PASSWORD, DB, DB, storage,
                BUCKET), REPL_PASSWORD);

        // Then the export starts, and the source is written while AWS exports (rows the export must not hold)
        await().atMost(Duration.ofMinutes(2)).until(() -> !calls("StartExportTask", id).isEmpty());
        long beforeWindow = writes.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> writes.get() > beforeWindow + 20);

        // and while AWS exports, the migration's view shows how far, as DescribeExportTasks says
        String runningExport = calls("StartExportTask", id).getFirst().param("ExportTaskIdentifier");
        JsonNode exporting = api.awaitView(id, Duration.ofSeconds(30),
                v -> v.path("export").path("status").asString("").equals("IN_PROGRESS"));
        assertThat(exporting.path("phase").asString()).isEqualTo("snapshotting");
        assertThat(exporting.path("export").path("exportTask").asString()).isEqualTo(runningExport);
        assertThat(exporting.path("export").path("percent").asInt()).as(exporting.toString()).isStrictlyBetween(0, 100);
        assertThat(exporting.path("export").path("extractedGb").asLong()).isEqualTo(1);
        rds.releaseExports();

        // and the migration is imported and replicating
        JsonNode view = api.awaitView(id, Duration.ofMinutes(4), v -> v.path("phase").asString().equals("replicating")
                || v.path("phase").asString().equals("failed"));
        assertThat(view.path("phase").asString()).as(view.toString()).isEqualTo("replicating");
        writing.set(false);
        writer.join();
        BinlogPosition start = position(view.path("positions").path("snapshotStart"));
        BinlogPosition end = position(view.path("positions").path("snapshotEnd"));
        assertThat(end).as("writes landed between position 1 and the available snapshot").isGreaterThan(start);
        assertThat(view.path("export").path("status").asString()).isEqualTo("COMPLETE");
        assertThat(view.path("export").path("percent").asInt()).isEqualTo(100);

        // and monitors saw the export's progress on tidemark.status, each value once though AWS was polled often
        List<JsonNode> progressed = statusEvents(id, "export-progressed");
        assertThat(progressed).extracting(e -> e.path("status").asString() + " " + e.path("percent").asInt() + "% "
                + e.path("extractedGb").asLong() + " GB").containsSubsequence("IN_PROGRESS 50% 1 GB",
                "COMPLETE 100% 2 GB").doesNotHaveDuplicates();
        assertThat(progressed).allSatisfy(e -> assertThat(e.path("exportTask").asString()).isEqualTo(runningExport));

        // and writes after the import arrive too: the target ends equal to the source, the excluded table absent
        TestDatabases.execute(source, "INSERT INTO " + DB + ".drivers VALUES (9001, 'late driver')",
                "UPDATE " + DB + ".orders SET note = 'late' WHERE id <= 10", "DELETE FROM " + DB + ".orders WHERE id > 1990");
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> DataDiff.same(source, target, TABLES));
        DataDiff.assertSame(source, target, TABLES);
        try (Connection c = TestDatabases.connect(target); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES"
                     + " WHERE TABLE_SCHEMA = '" + DB + "' AND TABLE_NAME LIKE 'tmp%'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }

        // and AWS was asked once each, by names derived from the migration, for the selected tables only, below
        // the migration's directory, and the snapshot Tidemark took is gone again
        assertThat(calls("CreateDBClusterSnapshot", id)).singleElement().satisfies(call -> {
            assertThat(call.param("DBClusterIdentifier")).isEqualTo("fleet-prod");
            assertThat(call.param("DBClusterSnapshotIdentifier")).startsWith("tidemark-" + id + "-e");
        });
        String snapshotId = calls("CreateDBClusterSnapshot", id).getFirst().param("DBClusterSnapshotIdentifier");
        assertThat(calls("StartExportTask", id)).singleElement().satisfies(call -> {
            assertThat(call.param("ExportTaskIdentifier")).startsWith("tidemark-" + id + "-e")
                    .hasSizeLessThanOrEqualTo(60);
            assertThat(call.members("ExportOnly")).containsExactly(DB + ".drivers", DB + ".orders");
            assertThat(call.param("S3BucketName")).isEqualTo(BUCKET);
            assertThat(call.param("S3Prefix")).isEqualTo("exports/" + id);
            assertThat(call.param("SourceArn")).endsWith(":cluster-snapshot:" + snapshotId);
        });
        assertThat(calls("DeleteDBClusterSnapshot", id)).singleElement()
                .satisfies(call -> assertThat(call.param("DBClusterSnapshotIdentifier")).isEqualTo(snapshotId));
        // (a snapshot a user took for another test's migration stays: it is not Tidemark's)
        assertThat(rds.snapshotIds()).noneMatch(sn -> sn.contains(id));
        String exportId = calls("StartExportTask", id).getFirst().param("ExportTaskIdentifier");
        assertThat(s3.keys(BUCKET, "exports/" + id + "/")).contains(
                "exports/" + id + "/" + DB + ".orders-schema.sql",
                "exports/" + id + "/" + exportId + "/" + DB + "/" + DB + ".orders/_SUCCESS");
        assertThat(api.get(id).toString()).doesNotContain(REPL_PASSWORD).doesNotContain(TestDatabases.PASSWORD);
    }

    @Test
    void anExportAwsFailsFailsTheSnapshotWithAwsCauseAndDeletesTheSnapshot() throws Exception {
        // Given an export that AWS will fail
        String storage = "s3://" + BUCKET + "/failing?endpoint=" + s3.endpoint() + "&region=" + LocalS3.REGION
                + "&force-path-style=true";
        rds.failNextExport("S3 bucket aurora-exports is in eu-west-1, not the snapshot's region us-east-1");

        // When a migration in mode full is submitted with engine aurora-export
        String id = api.submit("""
                {"name": "aurora depot", "mode": "full",
                 "source": {"host": "127.0.0.1", "port": %d, "user": "tidemark", "password": "%s"},
                 "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["depot.*"],
                 "storage": "%s",
                 "snapshot": {"engine": "aurora-export", "cluster": "fleet-prod", "region": "us-east-1",
                              "s3": "s3://%s/failing", "iamRole": "arn:aws:iam::123456789012:role/rds-s3-export",
                              "kmsKey": "alias/rds-export"}}
                """.formatted(source.port(), REPL_PASSWORD, target.port(), TestDatabases.PASSWORD, storage, BUCKET),
                REPL_PASSWORD);

        // Then it fails in its snapshot with AWS's cause and what to do, nothing imported
        JsonNode view = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.get(id), v -> v.path("phase").asString().equals("failed"));
        JsonNode error = view.path("error");
        assertThat(error.path("code").asString()).as(view.toString()).isEqualTo("TM-20033");
        assertThat(error.path("stage").asString()).isEqualTo("snapshot");
        assertThat(error.path("message").asString()).contains("tidemark-" + id + "-e",
                "S3 bucket aurora-exports is in eu-west-1");
        assertThat(error.path("remedy").asString()).contains("FailureCause");
        try (Connection c = TestDatabases.connect(target); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.SCHEMATA"
                     + " WHERE SCHEMA_NAME = 'depot'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the import never ran").isZero();
        }
        // and the snapshot the failed attempt took is deleted, not left to cost money
        String snapshotId = calls("CreateDBClusterSnapshot", id).getFirst().param("DBClusterSnapshotIdentifier");
        assertThat(calls("DeleteDBClusterSnapshot", id)).singleElement()
                .satisfies(call -> assertThat(call.param("DBClusterSnapshotIdentifier")).isEqualTo(snapshotId));
        assertThat(rds.snapshotIds()).doesNotContain(snapshotId);
    }

    @Test
    void stopDuringTheExportCancelsItAndDeletesTheSnapshotAndResumeTakesANewOneEndingInADataDiff() throws Exception {
        // Given tables of their own (other tests' migrations select other ones), and an export AWS keeps running
        List<TableRef> yard = List.of(TableRef.of("yard", "slots"));
        TestDatabases.execute(source, "CREATE DATABASE yard", "USE yard",
                "CREATE TABLE yard.slots (id INT PRIMARY KEY, label VARCHAR(20))",
                "INSERT INTO yard.slots SELECT seq, CONCAT('slot ', seq) FROM seq_1_to_300");
        String storage = "s3://" + BUCKET + "/stopped?endpoint=" + s3.endpoint() + "&region=" + LocalS3.REGION
                + "&force-path-style=true";
        rds.holdExports();
        try {
            String id = api.submit("""
                    {"name": "aurora stopped", "mode": "all",
                     "source": {"host": "127.0.0.1", "port": %d, "user": "tidemark", "password": "%s"},
                     "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                     "filter": ["yard.*"],
                     "storage": "%s",
                     "snapshot": {"engine": "aurora-export", "cluster": "fleet-prod", "region": "us-east-1",
                                  "s3": "s3://%s/stopped", "iamRole": "arn:aws:iam::123456789012:role/rds-s3-export",
                                  "kmsKey": "alias/rds-export"}}
                    """.formatted(source.port(), REPL_PASSWORD, target.port(), TestDatabases.PASSWORD, storage,
                    BUCKET), REPL_PASSWORD);
            await().atMost(Duration.ofMinutes(2)).until(() -> !calls("StartExportTask", id).isEmpty());
            String exportId = calls("StartExportTask", id).getFirst().param("ExportTaskIdentifier");
            assertThat(rds.exportStatus(exportId)).as("the export runs when the stop is sent")
                    .isIn("STARTING", "IN_PROGRESS");

            // When the user stops the migration
            var stop = api.post(id, "stop");

            // Then it is stopped at once, and snapshot-service cancels the export and deletes the snapshot after it
            assertThat(stop.statusCode()).as(stop.body()).isEqualTo(200);
            assertThat(api.get(id).path("phase").asString()).isEqualTo("stopped");
            await().atMost(Duration.ofMinutes(1)).until(() -> !calls("DeleteDBClusterSnapshot", id).isEmpty());
            assertThat(rdsActions(id, "CancelExportTask", "DeleteDBClusterSnapshot"))
                    .as("cancelled, then the snapshot deleted").containsExactly("CancelExportTask",
                            "DeleteDBClusterSnapshot");
            assertThat(calls("CancelExportTask", id)).singleElement()
                    .satisfies(call -> assertThat(call.param("ExportTaskIdentifier")).isEqualTo(exportId));
            assertThat(rds.exportStatus(exportId)).isEqualTo("CANCELED");
            String snapshotId = calls("CreateDBClusterSnapshot", id).getFirst().param("DBClusterSnapshotIdentifier");
            assertThat(rds.snapshotIds()).doesNotContain(snapshotId);

            // and it stays stopped with nothing imported, though the stop is delivered again behind the request
            Thread.sleep(1000);
            JsonNode view = api.get(id);
            assertThat(view.path("phase").asString()).as(view.toString()).isEqualTo("stopped");
            assertThat(rdsActions(id, "CancelExportTask", "DeleteDBClusterSnapshot")).hasSize(2);
            try (Connection c = TestDatabases.connect(target); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.SCHEMATA"
                         + " WHERE SCHEMA_NAME = 'yard'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("the import never ran").isZero();
            }

            // When the user resumes it, and AWS now lets exports run
            var resume = api.post(id, "resume");
            assertThat(resume.statusCode()).as(resume.body()).isEqualTo(200);
            rds.releaseExports();

            // Then a new snapshot and export are taken under new names, and the migration replicates: the target
            // ends equal to the source
            api.awaitView(id, Duration.ofMinutes(3), v -> v.path("phase").asString().equals("replicating"));
            assertThat(calls("StartExportTask", id)).extracting(call -> call.param("ExportTaskIdentifier"))
                    .hasSize(2).doesNotHaveDuplicates().contains(exportId);
            TestDatabases.execute(source, "UPDATE yard.slots SET label = 'moved' WHERE id <= 5");
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> DataDiff.same(source, target, yard));
            DataDiff.assertSame(source, target, yard);
            // cut-over, so that the tables are no longer held
            assertThat(api.post(id, "stop").statusCode()).isEqualTo(200);
        } finally {
            rds.releaseExports();
        }
    }

    @Test
    void anExistingSnapshotIsExportedFromThePositionTheUserReadWithoutTakingOrDeletingOneEndingInADataDiff()
            throws Exception {
        // Given tables of their own, and a user who reads SHOW MASTER STATUS, writes on, then takes a snapshot by
        // hand (the ja seed's steps), after which the source is written again
        List<TableRef> quay = List.of(TableRef.of("quay", "berths"));
        TestDatabases.execute(source, "CREATE DATABASE quay", "USE quay",
                "CREATE TABLE quay.berths (id INT PRIMARY KEY, label VARCHAR(20))",
                "INSERT INTO quay.berths SELECT seq, CONCAT('berth ', seq) FROM seq_1_to_200");
        BinlogPosition read = masterStatus();
        TestDatabases.execute(source, "INSERT INTO quay.berths VALUES (201, 'before the snapshot')",
                "UPDATE quay.berths SET label = 'renamed' WHERE id <= 3");
        String snapshotArn;
        try (RdsClient user = RdsClient.builder().endpointOverride(rds.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("user", "secret")))
                .build()) {
            snapshotArn = user.createDBClusterSnapshot(r -> r.dbClusterIdentifier("fleet-prod")
                    .dbClusterSnapshotIdentifier("quay-by-hand")).dbClusterSnapshot().dbClusterSnapshotArn();
        }
        TestDatabases.execute(source, "INSERT INTO quay.berths VALUES (202, 'after the snapshot')",
                "DELETE FROM quay.berths WHERE id = 10", "UPDATE quay.berths SET label = 'again' WHERE id = 2");
        String storage = "s3://" + BUCKET + "/quay?endpoint=" + s3.endpoint() + "&region=" + LocalS3.REGION
                + "&force-path-style=true";

        // When a migration in mode all exports that snapshot, starting where the user read the binlog
        String id = api.submit("""
                {"name": "aurora quay", "mode": "all",
                 "source": {"host": "127.0.0.1", "port": %d, "user": "tidemark", "password": "%s"},
                 "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["quay.*"],
                 "storage": "%s",
                 "start": {"file": "%s", "pos": %d},
                 "snapshot": {"engine": "aurora-export", "snapshotArn": "%s",
                              "s3": "s3://%s/quay", "iamRole": "arn:aws:iam::123456789012:role/rds-s3-export",
                              "kmsKey": "alias/rds-export"}}
                """.formatted(source.port(), REPL_PASSWORD, target.port(), TestDatabases.PASSWORD, storage,
                read.file(), read.pos(), snapshotArn, BUCKET), REPL_PASSWORD);

        // Then it replicates from that position, and the target ends equal to the source, later writes included
        JsonNode view = api.awaitView(id, Duration.ofMinutes(3), v -> v.path("phase").asString().equals("replicating"));
        assertThat(position(view.path("positions").path("snapshotStart"))).isEqualTo(read);
        TestDatabases.execute(source, "INSERT INTO quay.berths VALUES (203, 'replicated')");
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> DataDiff.same(source, target, quay));
        DataDiff.assertSame(source, target, quay);

        // and AWS was asked to export the user's snapshot, but never to take or delete one
        assertThat(calls("StartExportTask", id)).singleElement()
                .satisfies(call -> assertThat(call.param("SourceArn")).isEqualTo(snapshotArn));
        assertThat(calls("CreateDBClusterSnapshot", id)).isEmpty();
        assertThat(rds.calls("CreateDBClusterSnapshot")).filteredOn(call -> call.param("DBClusterSnapshotIdentifier")
                .equals("quay-by-hand")).as("the user's own only").hasSize(1);
        assertThat(calls("DeleteDBClusterSnapshot", id)).isEmpty();
        assertThat(rds.calls("DeleteDBClusterSnapshot")).noneMatch(call -> "quay-by-hand".equals(
                call.param("DBClusterSnapshotIdentifier")));
        assertThat(rds.snapshotIds()).contains("quay-by-hand");
        assertThat(api.post(id, "stop").statusCode()).isEqualTo(200);
    }

    private static BinlogPosition masterStatus() throws Exception {
        try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
            assertThat(rs.next()).as("the source logs its binlog").isTrue();
            return BinlogPosition.ofFilePosition(rs.getString(1), rs.getLong(2));
        }
    }

    /** the events of one type that the migration's services published on tidemark.status so far, in order */
    private static List<JsonNode> statusEvents(String migrationId, String type) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<JsonNode> events = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(STATUS_TOPIC).stream()
                    .map(i -> new TopicPartition(STATUS_TOPIC, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plusSeconds(30);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                assertThat(Instant.now()).as("reading " + STATUS_TOPIC).isBefore(deadline);
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode event = JSON.readTree(r.value());
                    if (migrationId.equals(r.key()) && type.equals(event.path("type").asString())) {
                        events.add(event);
                    }
                }
            }
        }
        return events;
    }

    /** the actions among {@code actions} asked of RDS for one migration, in the order they were asked */
    private static List<String> rdsActions(String migrationId, String... actions) {
        List<String> wanted = List.of(actions);
        return rds.calls().stream()
                .filter(call -> call.params().values().stream().anyMatch(v -> v.contains(migrationId)))
                .map(FakeRds.RdsCall::action).filter(wanted::contains).toList();
    }

    /** the RDS calls of one migration: those naming a snapshot or export derived from its id */
    private static List<FakeRds.RdsCall> calls(String action, String migrationId) {
        return rds.calls(action).stream()
                .filter(call -> call.params().values().stream().anyMatch(v -> v.contains(migrationId))).toList();
    }

    /** inserts and updates, as production traffic, until told to stop */
    private static void write(AtomicBoolean writing, AtomicLong writes) {
        try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement()) {
            int i = 0;
            while (writing.get()) {
                i++;
                st.execute("INSERT INTO " + DB + ".orders VALUES (" + (100_000 + i) + ", " + (i % 50 + 1)
                        + ", 'live " + i + "', " + i + ".50, NOW(6))");
                st.execute("UPDATE " + DB + ".orders SET amount = amount + 1 WHERE id = " + (i % 2000 + 1));
                st.execute("UPDATE " + DB + ".drivers SET name = CONCAT('driver ', id, ' v', " + i + ") WHERE id = "
                        + (i % 50 + 1));
                writes.incrementAndGet();
                Thread.sleep(20);
            }
        } catch (Exception e) {
            throw new IllegalStateException("writing to the source failed", e);
        }
    }

    /**
     * Stands for AWS's export: snapshot-service's own Parquet writer, in the Aurora layout, below
     * {@code s3://bucket/prefix/<export id>/}, from the snapshot's consistent read.
     */
    private static void export(Connection snapshot, FakeRds.ExportJob job) throws Exception {
        Storage storage = Storages.open("s3://" + job.bucket() + "/" + job.prefix() + "?endpoint=" + s3.endpoint()
                + "&region=" + LocalS3.REGION + "&force-path-style=true");
        Map<TableRef, List<SourceColumn>> tables = new LinkedHashMap<>();
        for (String name : job.exportOnly()) {
            String[] dbTable = name.split("\\.", 2);
            // a database named whole (ExportOnly "db") exports each of its tables
            for (String table : dbTable.length == 2 ? List.of(dbTable[1]) : tablesOf(snapshot, name)) {
                tables.put(TableRef.of(dbTable[0], table), columns(snapshot, TableRef.of(dbTable[0], table)));
            }
        }
        try (Statement st = snapshot.createStatement()) {
            st.execute("SET SESSION character_set_results = binary");
            st.execute("SET SESSION time_zone = '+00:00'");
        }
        ExportLayout layout = new ExportLayout(job.identifier());
        Instant began = Instant.now();
        List<ExportedTable> exported = new ArrayList<>();
        for (Map.Entry<TableRef, List<SourceColumn>> t : tables.entrySet()) {
            try (ParquetTable table = ParquetTable.open(storage, layout, t.getKey(), t.getValue(),
                    ParquetSettings.defaults(), 1 << 20);
                 Statement st = snapshot.createStatement();
                 ResultSet rs = st.executeQuery("SELECT " + table.selectList() + " FROM " + t.getKey().quoted())) {
                while (rs.next()) {
                    table.write(rs);
                }
                exported.add(table.complete());
            }
        }
        ExportInfoFiles.write(storage, layout, exported, began, began, Instant.now());
    }

    private static List<String> tablesOf(Connection c, String schema) throws Exception {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        return tables;
    }

    private static List<SourceColumn> columns(Connection c, TableRef table) throws Exception {
        List<SourceColumn> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, NUMERIC_PRECISION,"
                + " NUMERIC_SCALE, CHARACTER_MAXIMUM_LENGTH, DATETIME_PRECISION FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new SourceColumn(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getLong(5), rs.getLong(6), rs.getLong(7)));
                }
            }
        }
        return columns;
    }

    private static BinlogPosition position(JsonNode n) {
        return BinlogPosition.ofFilePosition(n.path("file").asString(), n.path("pos").asLong());
    }
}
