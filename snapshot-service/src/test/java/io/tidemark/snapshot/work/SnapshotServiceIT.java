package io.tidemark.snapshot.work;

import io.tidemark.common.command.AuroraExport;
import io.tidemark.common.command.DumpFormat;
import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.layout.DumpLayout;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.position.TablePoint;
import io.tidemark.common.status.SnapshotCompleted;
import io.tidemark.common.status.SnapshotStarted;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.status.TableDumped;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.snapshot.SnapshotServiceApplication;
import io.tidemark.snapshot.dump.CompletionMarker;
import io.tidemark.snapshot.support.CommandTopic;
import io.tidemark.snapshot.support.SourceBinlog;
import io.tidemark.snapshot.support.StatusLog;
import io.tidemark.snapshot.support.TableHold;
import io.tidemark.testkit.LocalS3;
import io.tidemark.testkit.SilentServer;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The service as deployed: real broker, real source, commands in, status events out. */
class SnapshotServiceIT {
    private static final String BUCKET = "tidemark-dumps";
    private static final long MIB = 1 << 20;

    private static TestKafka kafka;
    private static LocalMariaDb source;
    private static LocalS3 s3;
    private static ConfigurableApplicationContext service;
    private static CommandTopic commands;
    private static StatusLog status;

    @TempDir
    static Path dumps;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        source = TestDatabases.startSource("svc");
        s3 = LocalS3.start(dumps.resolve("s3"), BUCKET);
        service = SnapshotServiceApplication.app().run(
                "--tidemark.secret-key=" + TestDatabases.SECRET_KEY,
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--server.port=0",
                "--tidemark.topics.partitions=2",
                "--tidemark.snapshot.retry-backoff=100ms",
                "--tidemark.snapshot.max-retry-backoff=200ms");
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
        if (s3 != null) {
            s3.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aRequestIsDumpedReportedAndARedeliveryIsAnsweredWithoutDumpingAgain() throws Exception {
        // given two InnoDB tables on the source, one without a key, and a MyISAM one
        String db = TestDatabases.uniqueSchema("svc");
        TestDatabases.execute(source,
                "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".orders (id INT PRIMARY KEY, note VARCHAR(50))",
                "INSERT INTO " + db + ".orders SELECT seq, CONCAT('order ', seq) FROM " + db + ".seq_1_to_500",
                "CREATE TABLE " + db + ".customers (id INT, name VARCHAR(50))",
                "INSERT INTO " + db + ".customers VALUES (1, 'Ann'), (2, 'Bo😀')",
                "CREATE TABLE " + db + ".legacy (id INT PRIMARY KEY) ENGINE = MyISAM",
                "INSERT INTO " + db + ".legacy VALUES (1)");
        BinlogPosition before = SourceBinlog.now(source);
        MigrationId m = MigrationId.of(db.replace('_', '-'));
        Path dir = dumps.resolve(db);
        SnapshotRequest request = request(m, TestDatabases.endpoint(source), db + ".*", dir);

        // when the coordinator asks for a snapshot
        send(request);

        // then it reports start, each table and completion with the source's position
        SnapshotCompleted completed = awaitEvent(m, SnapshotCompleted.class, 1);
        SnapshotStarted started = awaitEvent(m, SnapshotStarted.class, 1);
        TableRef orders = TableRef.of(db, "orders");
        TableRef customers = TableRef.of(db, "customers");
        TableRef legacy = TableRef.of(db, "legacy");
        assertThat(started.startPosition()).isEqualTo(before);
        assertThat(started.tables()).containsExactly(customers, legacy, orders);
        assertThat(started.epoch()).isEqualTo(1);
        assertThat(started.workerId().value()).startsWith("snapshot-service@");
        assertThat(completed.startPosition()).isEqualTo(before);
        assertThat(completed.endPosition()).isEqualTo(before);
        assertThat(completed.location()).isEqualTo(dir.toString());
        assertThat(completed.tables()).containsExactly(customers, legacy, orders);
        // each InnoDB table with its exact point (nothing was written meanwhile: where the binlog stood), the MyISAM
        // table, which a consistent snapshot does not cover, without one
        BinlogPosition point = BinlogPosition.ofFilePosition(before.file(), before.pos());
        assertThat(completed.tablePoints()).containsExactlyInAnyOrder(new TablePoint(customers, point),
                new TablePoint(orders, point));
        assertThat(events(m, TableDumped.class)).extracting(TableDumped::table, TableDumped::rows)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(orders, 500L),
                        org.assertj.core.groups.Tuple.tuple(customers, 2L),
                        org.assertj.core.groups.Tuple.tuple(legacy, 1L));
        assertThat(events(m, TableDumped.class)).allSatisfy(t -> assertThat(t.files()).isNotEmpty()
                .allSatisfy(f -> assertThat(dir.resolve(f)).exists()));
        assertThat(dir.resolve(DumpLayout.METADATA)).exists();
        assertThat(dir.resolve(CompletionMarker.FILE)).content().contains(request.messageId());

        // when the same request is delivered again
        Map<String, FileTime> mtimes = mtimes(dir);
        Thread.sleep(20); // lets a rewrite show in the files' modification times
        send(request);

        // then it is answered from the finished dump, nothing is written again; every report is sent again,
        // under the same ids, so one Kafka had not taken is not lost and none counts twice
        SnapshotCompleted again = awaitEvent(m, SnapshotCompleted.class, 2);
        assertThat(again.eventId()).isEqualTo(completed.eventId());
        assertThat(again.startPosition()).isEqualTo(before);
        assertThat(again.endPosition()).isEqualTo(completed.endPosition());
        assertThat(again.tablePoints()).as("the points, from the completion marker")
                .containsExactlyElementsOf(completed.tablePoints());
        assertThat(mtimes(dir)).isEqualTo(mtimes);
        assertThat(events(m, SnapshotStarted.class)).hasSize(2).extracting(SnapshotStarted::eventId)
                .containsOnly(started.eventId());
        List<TableDumped> dumped = events(m, TableDumped.class);
        assertThat(dumped).hasSize(6);
        assertThat(dumped.subList(3, 6)).extracting(TableDumped::eventId, TableDumped::rows, TableDumped::files)
                .containsExactlyInAnyOrderElementsOf(dumped.subList(0, 3).stream()
                        .map(t -> org.assertj.core.groups.Tuple.tuple(t.eventId(), t.rows(), t.files())).toList());
    }

    @Test
    void aParquetRequestIsDumpedAsAnExportNamedByItsMigration() throws Exception {
        // given a table on the source
        String db = TestDatabases.uniqueSchema("svcpq");
        TestDatabases.execute(source,
                "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".orders (id INT PRIMARY KEY, placed DATETIME)",
                "INSERT INTO " + db + ".orders SELECT seq, '2026-01-01' + INTERVAL seq HOUR FROM " + db
                        + ".seq_1_to_300");
        MigrationId m = MigrationId.of(db.replace('_', '-'));
        Path dir = dumps.resolve(db);

        // when the coordinator asks for a snapshot in format parquet
        send(new SnapshotRequest(SnapshotRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(source),
                List.of(db + ".*"), dir.toString(), 2, MIB, DumpFormat.PARQUET));

        // then the table's data is an export named by the migration, complete with _SUCCESS and the export's files,
        // the schema files and the marker beside it as for an SQL dump
        SnapshotCompleted completed = awaitEvent(m, SnapshotCompleted.class, 1);
        TableRef orders = TableRef.of(db, "orders");
        String folder = m.value() + "/" + db + "/" + db + ".orders/";
        TableDumped dumped = awaitEvent(m, TableDumped.class, 1);
        assertThat(dumped.rows()).isEqualTo(300);
        assertThat(dumped.files()).singleElement().satisfies(f -> assertThat(f).startsWith(folder + "1/part-00000-")
                .endsWith("-c000.gz.parquet"));
        assertThat(dir.resolve(dumped.files().getFirst())).exists();
        assertThat(dir.resolve(folder + "_SUCCESS")).exists();
        assertThat(dir.resolve(m.value() + "/export_info_" + m.value() + ".json")).content().contains("COMPLETE");
        assertThat(dir.resolve(m.value() + "/export_tables_info_" + m.value() + "_from_1_to_1.json")).exists();
        assertThat(dir.resolve(DumpLayout.tableSchemaFile(orders))).exists();
        assertThat(dir.resolve(DumpLayout.dataFile(orders, 0, "sql"))).doesNotExist();
        assertThat(dir.resolve(CompletionMarker.FILE)).content().contains(SnapshotRequest.idFor(m, 1));
        assertThat(completed.tables()).containsExactly(orders);
    }

    @Test
    void aDumpToS3WritesEveryFileThereAndItsMarkerOnlyOnceTheRestIsIn() throws Exception {
        // given three tables, one of them about 10 MiB, and under the prefix an earlier dump's files and a file of
        // someone else's
        String db = TestDatabases.uniqueSchema("s3");
        TableRef big = TableRef.of(db, "a_big");
        TableRef held = TableRef.of(db, "b_held");
        TableRef gate = TableRef.of(db, "c_gate");
        TestDatabases.execute(source,
                "CREATE DATABASE " + db,
                "CREATE TABLE " + big.quoted() + " (id INT PRIMARY KEY, pad VARCHAR(1000))",
                "INSERT INTO " + big.quoted() + " SELECT seq, REPEAT(CHAR(97 + seq % 26), 1000) FROM " + db
                        + ".seq_1_to_10000",
                "CREATE TABLE " + held.quoted() + " (id INT PRIMARY KEY, note VARCHAR(50), at DATETIME(6))",
                "INSERT INTO " + held.quoted() + " VALUES (1, 'it''s 🌊', '2026-01-02 03:04:05.678901'),"
                        + " (2, NULL, NULL)",
                "CREATE TABLE " + gate.quoted() + " (id INT PRIMARY KEY)",
                "INSERT INTO " + gate.quoted() + " VALUES (7)");
        MigrationId m = MigrationId.of(db.replace('_', '-'));
        String prefix = "dumps/" + m.value() + "/";
        String stale = DumpLayout.dataFile(TableRef.of(db, "dropped_since"), 0, "sql");
        s3.put(BUCKET, prefix + stale, "INSERT INTO dropped_since VALUES (1);".getBytes(StandardCharsets.UTF_8));
        s3.put(BUCKET, prefix + "NOTES.txt", "not a dump file".getBytes(StandardCharsets.UTF_8));
        // the location as the coordinator sends it: no keys, the service's own AWS credentials chain signs
        String location = "s3://" + BUCKET + "/dumps/" + m.value() + "?endpoint=" + s3.endpoint()
                + "&region=us-east-1&force-path-style=true";
        SnapshotRequest request = new SnapshotRequest(SnapshotRequest.idFor(m, 1), m, 1,
                TestDatabases.endpoint(source), List.of(db + ".*"), location, 2, 9 * MIB);

        SortedMap<String, LocalS3.S3Object> midway;
        try (TableHold hold = TableHold.prepare(source, held, gate)) {
            // when the snapshot is requested and held at one table's read
            send(request);
            hold.awaitDumpHeld(Duration.ofSeconds(60));
            status.await(m, TableDumped.class, 2, Duration.ofSeconds(60));

            // then what is done is in the bucket, the earlier dump's files are gone, and nothing says complete yet
            midway = listing(prefix);
            assertThat(midway.keySet()).contains(DumpLayout.schemaCreateFile(db), DumpLayout.tableSchemaFile(big),
                    DumpLayout.tableSchemaFile(held), DumpLayout.tableSchemaFile(gate),
                    DumpLayout.dataFile(big, 0, "sql"), DumpLayout.dataFile(big, 1, "sql"),
                    DumpLayout.dataFile(gate, 0, "sql"), "NOTES.txt")
                    .doesNotContain(stale, DumpLayout.dataFile(held, 0, "sql"), DumpLayout.METADATA,
                            CompletionMarker.FILE);
            status.poll();
            assertThat(events(m, SnapshotCompleted.class)).isEmpty();
            hold.release();
        }

        // then, once the held table is in, the dump completes
        SnapshotCompleted completed = awaitEvent(m, SnapshotCompleted.class, 1);
        assertThat(completed.location()).isEqualTo(location);
        assertThat(completed.tables()).containsExactly(big, held, gate);
        SortedMap<String, LocalS3.S3Object> done = listing(prefix);
        assertThat(done.keySet()).containsExactlyInAnyOrder(DumpLayout.schemaCreateFile(db),
                DumpLayout.tableSchemaFile(big), DumpLayout.tableSchemaFile(held), DumpLayout.tableSchemaFile(gate),
                DumpLayout.dataFile(big, 0, "sql"), DumpLayout.dataFile(big, 1, "sql"),
                DumpLayout.dataFile(held, 0, "sql"), DumpLayout.dataFile(gate, 0, "sql"), DumpLayout.METADATA,
                CompletionMarker.FILE, "NOTES.txt");
        // the marker was written last, after every file of the dump
        Instant markerWritten = done.get(CompletionMarker.FILE).lastModified();
        assertThat(done.values()).allSatisfy(o -> assertThat(o.lastModified()).as(o.key())
                .isBeforeOrEqualTo(markerWritten));
        assertThat(text(prefix + CompletionMarker.FILE)).contains(request.messageId());
        assertThat(text(prefix + DumpLayout.METADATA)).contains("SHOW MASTER STATUS");

        // and each file is whole: the big table's first file went up in parts (over 8 MiB), and every size is what
        // the dump reported writing
        TableDumped bigDumped = events(m, TableDumped.class).stream().filter(t -> t.table().equals(big))
                .findFirst().orElseThrow();
        assertThat(bigDumped.rows()).isEqualTo(10_000);
        assertThat(bigDumped.files()).containsExactly(DumpLayout.dataFile(big, 0, "sql"),
                DumpLayout.dataFile(big, 1, "sql"));
        long first = done.get(DumpLayout.dataFile(big, 0, "sql")).size();
        assertThat(first).isGreaterThan(9 * MIB);
        assertThat(first + done.get(DumpLayout.dataFile(big, 1, "sql")).size()).isEqualTo(bigDumped.bytes());
        String bigTail = text(prefix + DumpLayout.dataFile(big, 1, "sql"));
        assertThat(bigTail).endsWith(";\n").contains("(10000,'" + "q".repeat(1000) + "')");
        assertThat(text(prefix + DumpLayout.dataFile(held, 0, "sql"))).startsWith("/*!40101 SET NAMES binary*/;")
                .contains("(1,'it\\'s 🌊','2026-01-02 03:04:05.678901')").contains("(2,NULL,NULL)");
        assertThat(text(prefix + DumpLayout.tableSchemaFile(held))).contains("CREATE TABLE `b_held`");

        // when the request is delivered again, it is answered from the marker in the bucket and nothing is rewritten
        Thread.sleep(1100); // past the store's one-second modification times
        send(request);
        SnapshotCompleted again = awaitEvent(m, SnapshotCompleted.class, 2);
        assertThat(again.eventId()).isEqualTo(completed.eventId());
        assertThat(again.endPosition()).isEqualTo(completed.endPosition());
        assertThat(listing(prefix)).isEqualTo(done);
    }

    @Test
    void aBucketThatDoesNotExistFailsTheSnapshotOnceNamingTheBucketAndWhereItWasAsked() {
        MigrationId m = MigrationId.of("no-bucket");
        String location = "s3://no-such-bucket/dumps/" + m.value() + "?endpoint=" + s3.endpoint()
                + "&region=us-east-1&force-path-style=true";
        send(new SnapshotRequest(SnapshotRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(source), List.of("*.*"),
                location, 2, MIB));

        WorkFailed failed = awaitEvent(m, WorkFailed.class, 1);
        assertThat(failed.code()).isEqualTo(ErrorCode.STORAGE_BUCKET_NOT_FOUND.code());
        assertThat(failed.message()).isEqualTo("bucket no-such-bucket does not exist in region us-east-1 (endpoint "
                + s3.endpoint() + ")");
        assertThat(failed.retriable()).isFalse();
        assertThat(events(m)).as("nothing but the failure: the dump never started").containsExactly(failed);
    }

    @Test
    void anAuroraExportOffItsBucketIsRefusedNamingBothAndNeverDumpedInstead() {
        // the engine runs (AuroraExportIT in deploy): here its location is not where AWS would write the export
        MigrationId m = MigrationId.of("aurora-export-elsewhere");
        Path location = dumps.resolve(m.value());
        send(new SnapshotRequest(SnapshotRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(source), List.of("*.*"),
                location.toUri().toString(), 2, MIB, DumpFormat.PARQUET, new AuroraExport("orders-prod", "us-east-1",
                "export-bucket", "x", "arn:aws:iam::123456789012:role/rds-s3-export", "alias/k", null, false)));

        WorkFailed failed = awaitEvent(m, WorkFailed.class, 1);
        assertThat(failed.code()).isEqualTo(ErrorCode.INVALID_SPEC.code());
        assertThat(failed.message()).contains("is not on the export's bucket s3://export-bucket");
        assertThat(failed.retriable()).isFalse();
        assertThat(events(m)).as("the failure only: no dump started").containsExactly(failed);
        assertThat(Files.exists(location)).as("nothing written").isFalse();
    }

    /** what the bucket holds under {@code prefix}, hidden names included, by key relative to it */
    private static SortedMap<String, LocalS3.S3Object> listing(String prefix) {
        SortedMap<String, LocalS3.S3Object> objects = new TreeMap<>();
        s3.objects(BUCKET, prefix).forEach(o -> objects.put(o.key().substring(prefix.length()), o));
        return objects;
    }

    private static String text(String key) {
        return new String(s3.get(BUCKET, key).orElseThrow(() -> new AssertionError("no object " + key)),
                StandardCharsets.UTF_8);
    }

    @Test
    void aWrongPasswordFailsThePrechecksNamingTheAccount() {
        MigrationId m = MigrationId.of("wrong-password");
        DatabaseEndpoint endpoint = TestDatabases.endpoint(source, source.user(), "not-the-password");
        send(request(m, endpoint, "*.*", dumps.resolve("wrong-password")));

        WorkFailed failed = awaitEvent(m, WorkFailed.class, 1);
        assertThat(failed.code()).isEqualTo(ErrorCode.PRECHECKS_FAILED.code());
        assertThat(failed.message()).startsWith("1 precheck failed: source_login: source root@127.0.0.1:"
                + source.port() + " refused the login").contains("fix: check the source user and password");
        assertThat(failed.retriable()).isFalse();
    }

    @Test
    void anAccountLackingPrivilegesFailsListingEveryMissingOne() throws Exception {
        // given an account that may log in and nothing else: no BINLOG MONITOR, no SELECT on the tables
        String db = TestDatabases.uniqueSchema("grants");
        TestDatabases.execute(source,
                "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".t (id INT PRIMARY KEY)",
                "CREATE USER 'nobody'@'%' IDENTIFIED BY 'Nobody-pw1'");
        MigrationId m = MigrationId.of("no-grants");

        // when its snapshot is requested
        send(request(m, TestDatabases.endpoint(source, "nobody", "Nobody-pw1"), db + ".*", dumps.resolve(db)));

        // then one final failure names both missing grants, each with its fix, and nothing was written
        WorkFailed failed = awaitEvent(m, WorkFailed.class, 1);
        assertThat(failed.code()).isEqualTo(ErrorCode.PRECHECKS_FAILED.code());
        assertThat(failed.retriable()).isFalse();
        assertThat(failed.message()).startsWith("2 prechecks failed: ")
                .contains("binlog_position: source account nobody@127.0.0.1:" + source.port())
                .contains("fix: GRANT BINLOG MONITOR ON *.* TO")
                .contains("tables_selected: the table filter [" + db + ".*] matches no table")
                .contains("not checked because of the above: select_privilege");
        assertThat(dumps.resolve(db)).doesNotExist();
        assertThat(events(m)).as("nothing but the failure: the dump never started").containsExactly(failed);
    }

    @Test
    void aFilterMatchingNothingFailsAfterAnUnreadableCommandIsSkipped() throws Exception {
        MigrationId m = MigrationId.of("nothing-matches");
        // an unreadable record on the same key (same partition) first: it must not block what follows
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(TopicCatalog.DEFAULT.snapshotCommands(), m.value(),
                    "this is not a command".getBytes(StandardCharsets.UTF_8))).get();
        }
        send(request(m, TestDatabases.endpoint(source), "no_such_db.*", dumps.resolve("nothing")));

        WorkFailed failed = awaitEvent(m, WorkFailed.class, 1);
        assertThat(failed.code()).isEqualTo(ErrorCode.PRECHECKS_FAILED.code());
        assertThat(failed.message()).startsWith("1 precheck failed: tables_selected: ").contains("no_such_db.*");
    }

    @Test
    void anUnreachableSourceFailsAfterItsAttemptsSayingTidemarkStoppedAndHowToResume() throws Exception {
        // given a source port nothing listens on: every connection is refused, a retriable error
        int closedPort = SilentServer.closedPort();
        MigrationId m = MigrationId.of("source-down");
        DatabaseEndpoint endpoint = new DatabaseEndpoint("127.0.0.1", closedPort, "root",
                TestDatabases.secretBox().seal(TestDatabases.PASSWORD));

        // when the snapshot is requested
        send(request(m, endpoint, "*.*", dumps.resolve("source-down")));

        // then, after the configured 3 attempts, one final failure says that Tidemark stopped and how to resume
        WorkFailed failed = awaitEvent(m, WorkFailed.class, 1);
        assertThat(failed.code()).isEqualTo("TM-20001");
        assertThat(failed.message()).contains("127.0.0.1:" + closedPort);
        assertThat(failed.retriable()).isFalse();
        assertThat(failed.remedy()).startsWith("Tidemark stopped after 3 attempts: ")
                .endsWith("then resume with POST /api/v1/migrations/{id}/retry")
                .doesNotContain("Tidemark retries");
        Thread.sleep(500);
        status.poll();
        assertThat(events(m, WorkFailed.class)).as("reported once, when final").hasSize(1);
    }

    private static SnapshotRequest request(MigrationId m, DatabaseEndpoint endpoint, String filter, Path dir) {
        return new SnapshotRequest(SnapshotRequest.idFor(m, 1), m, 1, endpoint, List.of(filter), dir.toString(), 2,
                1 << 20);
    }

    private static void send(SnapshotRequest request) {
        commands.send(request);
    }

    private static List<StatusEvent> events(MigrationId m) {
        return status.events(m);
    }

    private static <T extends StatusEvent> List<T> events(MigrationId m, Class<T> type) {
        return status.events(m, type);
    }

    /** the n-th event of that type for the migration, once it has arrived */
    private static <T extends StatusEvent> T awaitEvent(MigrationId m, Class<T> type, int n) {
        return status.await(m, type, n, Duration.ofSeconds(90));
    }

    private static Map<String, FileTime> mtimes(Path dir) throws Exception {
        Map<String, FileTime> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                out.put(p.getFileName().toString(), Files.getLastModifiedTime(p));
            }
        }
        return out;
    }
}
