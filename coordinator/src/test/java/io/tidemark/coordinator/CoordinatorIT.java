package io.tidemark.coordinator;

import io.tidemark.common.command.BinlogOperation;
import io.tidemark.common.command.Command;
import io.tidemark.common.command.ImportRequest;
import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.position.TablePoint;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.common.status.ChunkImported;
import io.tidemark.common.status.ImportPlanned;
import io.tidemark.common.status.MigrationProgressed;
import io.tidemark.common.status.ReplicationProgressed;
import io.tidemark.common.status.SnapshotCompleted;
import io.tidemark.common.status.SnapshotStarted;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.status.TableDumped;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The coordinator against a real broker, driven over HTTP, with the test acting as the workers on the real status
 * topic. Coordinators never run two at a time here: like dm-master, one coordinator owns the migrations.
 */
class CoordinatorIT {
    private static final String PASSWORD = "Pl41n-Text-Pw";
    private static final WorkerId WORKER = WorkerId.forService("test-worker");
    private static final TableRef ORDERS = TableRef.of("shop", "orders");
    private static final TableRef ITEMS = TableRef.of("shop", "items");
    private static final BinlogPosition SNAP_START = BinlogPosition.of("mysql-bin.000002", 1000, "0-1-10");
    private static final BinlogPosition SNAP_END = BinlogPosition.of("mysql-bin.000002", 2000, "0-1-12");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static final TopicCatalog TOPICS = TopicCatalog.DEFAULT;
    private static final AtomicInteger TARGETS = new AtomicInteger();

    private static TestKafka kafka;

    @BeforeAll
    static void broker() {
        kafka = TestKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    /**
     * A spec into a target of its own: the migrations of every test stay on the one broker, and a second migration
     * into tables a running one holds is refused.
     */
    private static String spec(String name, String mode, String extra) {
        return spec(name, mode, 4000 + TARGETS.incrementAndGet(), "[\"shop.*\", \"!shop.tmp_*\"]", extra);
    }

    /**
     * The targets of these tests are not databases, so an import's tables cannot be counted on them: the specs turn
     * the verification after an import off (ImportsIT and the deploy tests verify on real targets).
     */
    private static String spec(String name, String mode, int targetPort, String filter, String extra) {
        return """
                {"name": "%s", "mode": "%s",
                 "source": {"host": "10.1.0.1", "port": 3306, "user": "dm", "password": "%s"},
                 "target": {"host": "10.1.0.2", "port": %d, "user": "root", "password": "%s"},
                 "filter": %s, "storage": "file:///var/tmp/tidemark-it/"%s%s}
                """.formatted(name, mode, PASSWORD, targetPort, PASSWORD, filter,
                mode.equals("incremental") ? "" : ", \"checksum\": \"off\"", extra);
    }

    private static String create(Harness h, String body) {
        Harness.Response r = h.post("/api/v1/migrations", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String id = r.json().get("id").asString();
        assertThat(r.raw().headers().firstValue("Location")).hasValue("/api/v1/migrations/" + id);
        return id;
    }

    private static <T extends Command> T awaitCommand(Harness h, String topic, String key, Class<T> type,
                                                       Predicate<T> matching) {
        return await().atMost(PATIENCE).until(() -> h.records(topic, key).stream()
                        .map(r -> MessageCodec.read(r.value(), Command.class))
                        .filter(type::isInstance).map(type::cast).filter(matching).reduce((a, b) -> b).orElse(null),
                found -> found != null);
    }

    private static JsonNode awaitMigration(Harness h, String id, Predicate<JsonNode> condition) {
        return await().atMost(PATIENCE).until(() -> h.migration(id), condition::test);
    }

    private static JsonNode table(JsonNode migration, String name) {
        for (JsonNode t : migration.get("tables")) {
            if (t.get("table").asString().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no table " + name + " in " + migration);
    }

    private static void assertNoPlaintext(Harness h, String topic, String key) {
        List<ConsumerRecord<String, byte[]>> records = h.records(topic, key);
        assertThat(records).isNotEmpty();
        for (ConsumerRecord<String, byte[]> r : records) {
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).doesNotContain(PASSWORD).contains("enc:v1:");
        }
    }

    @Test
    void anAllModeMigrationGoesFromSnapshotThroughImportToReplicationOnItsWorkersReports() {
        try (Harness h = Harness.start(kafka)) {
            // Given a migration of mode all
            String id = create(h, spec("Orders to TiDB", "all", ""));
            MigrationId m = MigrationId.of(id);
            assertThat(id).startsWith("orders-to-tidb-");

            // Then the snapshot is requested, with the password sealed everywhere it travels or is kept
            SnapshotRequest snapshot = awaitCommand(h, TOPICS.snapshotCommands(), id, SnapshotRequest.class, r -> true);
            assertThat(snapshot.messageId()).isEqualTo(SnapshotRequest.idFor(m, 1));
            assertThat(snapshot.epoch()).isEqualTo(1);
            assertThat(snapshot.location()).isEqualTo("file:///var/tmp/tidemark-it/" + id);
            assertThat(snapshot.filter()).containsExactly("shop.*", "!shop.tmp_*");
            assertThat(snapshot.threads()).isEqualTo(2);
            assertThat(snapshot.fileSizeBytes()).isEqualTo(1L << 20);
            assertThat(TestDatabases.secretBox().open(snapshot.source().password())).isEqualTo(PASSWORD);
            assertNoPlaintext(h, TOPICS.snapshotCommands(), id);
            assertNoPlaintext(h, TOPICS.migrations(), id);
            assertThat(h.migration(id).get("phase").asString()).isEqualTo("snapshotting");

            // When the snapshot worker reports, one report delivered twice
            h.report(new SnapshotStarted(SnapshotStarted.idFor(m, 1), m, WORKER, 1, Instant.now(), SNAP_START,
                    List.of(ORDERS, ITEMS)));
            TableDumped ordersDumped = new TableDumped(TableDumped.idFor(m, 1, ORDERS), m, WORKER, 1, Instant.now(),
                    ORDERS, 100, 4096, List.of("shop.orders.000000000.sql"));
            h.report(ordersDumped);
            h.report(ordersDumped);
            h.report(new TableDumped(TableDumped.idFor(m, 1, ITEMS), m, WORKER, 1, Instant.now(), ITEMS, 5, 100,
                    List.of("shop.items.000000000.sql")));
            // with each table's own snapshot point
            List<TablePoint> points = List.of(
                    new TablePoint(ITEMS, BinlogPosition.of("mysql-bin.000002", 1700, "0-1-11")),
                    new TablePoint(ORDERS, BinlogPosition.of("mysql-bin.000002", 1300, "0-1-10")));
            h.report(new SnapshotCompleted(SnapshotCompleted.idFor(m, 1), m, WORKER, 1, Instant.now(),
                    snapshot.location(), SNAP_START, SNAP_END, List.of(ORDERS, ITEMS), points));

            // Then the import is requested for the dumped tables, and the view counts each table once
            ImportRequest imports = awaitCommand(h, TOPICS.importCommands(), id, ImportRequest.class, r -> true);
            assertThat(imports.messageId()).isEqualTo(ImportRequest.idFor(m, 1));
            assertThat(imports.tables()).containsExactlyInAnyOrder(ORDERS, ITEMS);
            assertThat(imports.location()).isEqualTo(snapshot.location());
            assertThat(imports.target().host()).isEqualTo("10.1.0.2");
            assertNoPlaintext(h, TOPICS.importCommands(), id);
            JsonNode importing = awaitMigration(h, id, v -> v.get("phase").asString().equals("importing"));
            assertThat(table(importing, "shop.orders").get("rowsDumped").asLong()).isEqualTo(100);
            assertThat(table(importing, "shop.orders").get("state").asString()).isEqualTo("dumped");
            assertThat(importing.at("/positions/snapshotStart/pos").asLong()).isEqualTo(1000);
            assertThat(importing.at("/positions/snapshotEnd/gtidSet").asString()).isEqualTo("0-1-12");
            // and shows where each table's dump was taken
            assertThat(table(importing, "shop.orders").at("/snapshotPoint/pos").asLong()).isEqualTo(1300);
            assertThat(table(importing, "shop.items").at("/snapshotPoint/gtidSet").asString()).isEqualTo("0-1-11");

            // When the planner plans three chunks; one import is reported twice, one from an older epoch
            h.report(new ImportPlanned(ImportPlanned.idFor(m, 1), m, WORKER, 1, Instant.now(), List.of(
                    new ImportPlanned.PlannedChunk("c1", ORDERS, 2048), new ImportPlanned.PlannedChunk("c2", ORDERS, 2048),
                    new ImportPlanned.PlannedChunk("c3", ITEMS, 100))));
            ChunkImported c1 = new ChunkImported(ChunkImported.idFor("c1"), m, WORKER, 1, Instant.now(), "c1", ORDERS,
                    60, 2048);
            h.report(c1);
            h.report(c1);
            h.report(new ChunkImported(ChunkImported.idFor("c2"), m, WORKER, 0, Instant.now(), "c2", ORDERS, 999, 1));
            h.report(new ChunkImported(ChunkImported.idFor("c3"), m, WORKER, 1, Instant.now(), "c3", ITEMS, 5, 100));

            // Then (the last report, on the same partition, is applied after the others) the duplicate counted once,
            // the stale one not at all, and the import is not done yet
            JsonNode partly = awaitMigration(h, id,
                    v -> table(v, "shop.items").get("state").asString().equals("imported"));
            JsonNode orders = table(partly, "shop.orders");
            assertThat(orders.get("state").asString()).isEqualTo("importing");
            assertThat(orders.get("chunksDone").asInt()).isEqualTo(1);
            assertThat(orders.get("chunksTotal").asInt()).isEqualTo(2);
            assertThat(orders.get("rowsImported").asLong()).isEqualTo(60);
            assertThat(partly.get("phase").asString()).isEqualTo("importing");
            assertThat(h.records(TOPICS.replicationTasks(), ReplicationTask.idFor(m))).isEmpty();

            // When the last chunk is in
            h.report(new ChunkImported(ChunkImported.idFor("c2"), m, WORKER, 1, Instant.now(), "c2", ORDERS, 40,
                    2048));

            // Then replication is desired from where the snapshot began, in safe mode until where it ended
            ReplicationTask task = awaitCommand(h, TOPICS.replicationTasks(), ReplicationTask.idFor(m),
                    ReplicationTask.class, r -> true);
            assertThat(task.desired()).isEqualTo(ReplicationTask.Desired.RUNNING);
            assertThat(task.start()).isEqualTo(SNAP_START);
            assertThat(task.safeModeExit()).isEqualTo(SNAP_END);
            assertThat(task.serverId()).isGreaterThanOrEqualTo(1_000_000L);
            assertThat(task.filter()).containsExactly("shop.*", "!shop.tmp_*");
            // with the table points the snapshot reported, so each table skips what its own dump holds
            assertThat(task.tablePoints()).containsExactlyElementsOf(points);
            assertNoPlaintext(h, TOPICS.replicationTasks(), ReplicationTask.idFor(m));

            // When replication reports progress
            BinlogPosition at = BinlogPosition.of("mysql-bin.000003", 5000, "0-1-40");
            h.report(new ReplicationProgressed(ReplicationProgressed.idFor(m, at), m, WORKER, 1, Instant.now(), at, 7,
                    false, 123, 1));

            // Then the view shows it all, and no password in any form
            JsonNode replicating = awaitMigration(h, id, v -> !v.at("/positions/replication").isMissingNode()
                    && !v.at("/positions/replication").isNull());
            assertThat(replicating.get("phase").asString()).isEqualTo("replicating");
            assertThat(replicating.at("/positions/replication/file").asString()).isEqualTo("mysql-bin.000003");
            assertThat(replicating.at("/positions/replication/pos").asLong()).isEqualTo(5000);
            assertThat(replicating.get("lagSeconds").asLong()).isEqualTo(7);
            assertThat(replicating.get("safeMode").asBoolean()).isFalse();
            assertThat(replicating.get("error").isNull()).isTrue();
            assertThat(table(replicating, "shop.orders").get("rowsImported").asLong()).isEqualTo(100);
            assertThat(table(replicating, "shop.orders").get("state").asString()).isEqualTo("imported");
            assertThat(replicating.at("/source/user").asString()).isEqualTo("dm");
            String body = h.get("/api/v1/migrations/" + id).body();
            assertThat(body).doesNotContain(PASSWORD).doesNotContain("enc:v1").doesNotContain("password");
            assertThat(h.get("/api/v1/migrations").json().findValuesAsString("id")).contains(id);

            // When the user cuts over
            Harness.Response stopped = h.post("/api/v1/migrations/" + id + "/stop", "");
            assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
            assertThat(stopped.json().get("phase").asString()).isEqualTo("stopped");
            ReplicationTask stopping = awaitCommand(h, TOPICS.replicationTasks(), ReplicationTask.idFor(m),
                    ReplicationTask.class, r -> r.desired() == ReplicationTask.Desired.STOPPED);
            assertThat(stopping.tablePoints()).containsExactlyElementsOf(points);
        }
    }

    @Test
    void aBurstOfWorkerEventsYieldsFewMigrationProgressedSummariesOnTheStatusTopic() {
        try (Harness h = Harness.start(kafka, "tidemark.coordinator.prechecks=false",
                "tidemark.coordinator.progress-interval=1s")) {
            // Given a full migration whose snapshot is in and whose import is planned as 300 chunks
            String id = create(h, spec("Progress burst", "full", ""));
            MigrationId m = MigrationId.of(id);
            h.report(new SnapshotStarted(SnapshotStarted.idFor(m, 1), m, WORKER, 1, Instant.now(), SNAP_START,
                    List.of(ORDERS)));
            h.report(new TableDumped(TableDumped.idFor(m, 1, ORDERS), m, WORKER, 1, Instant.now(), ORDERS, 3000,
                    300 * 100, List.of("shop.orders.000000000.sql")));
            h.report(new SnapshotCompleted(SnapshotCompleted.idFor(m, 1), m, WORKER, 1, Instant.now(),
                    "file:///var/tmp/tidemark-it/" + id, SNAP_START, SNAP_END, List.of(ORDERS), List.of()));
            awaitMigration(h, id, v -> v.get("phase").asString().equals("importing"));
            h.report(new ImportPlanned(ImportPlanned.idFor(m, 1), m, WORKER, 1, Instant.now(), IntStream.range(0, 300)
                    .mapToObj(i -> new ImportPlanned.PlannedChunk("burst-" + i, ORDERS, 100)).toList()));

            // When 300 chunk reports arrive in a burst
            long started = System.nanoTime();
            for (int i = 0; i < 300; i++) {
                h.report(new ChunkImported(ChunkImported.idFor(id + "-burst-" + i), m, WORKER, 1, Instant.now(),
                        "burst-" + i, ORDERS, 10, 100));
            }
            awaitMigration(h, id, v -> v.get("phase").asString().equals("completed"));
            long burstSeconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();

            // Then the status topic holds a summary per phase change and at most one per second of the burst, the
            // last one showing the import complete
            List<MigrationProgressed> summaries = await().atMost(PATIENCE).until(() -> h.records(TOPICS.status(), id)
                            .stream().map(r -> MessageCodec.read(r.value(), StatusEvent.class))
                            .filter(MigrationProgressed.class::isInstance).map(MigrationProgressed.class::cast).toList(),
                    found -> !found.isEmpty() && found.getLast().phase().equals("completed"));
            assertThat(summaries.stream().map(MigrationProgressed::phase).distinct())
                    .containsExactly("snapshotting", "importing", "completed");
            assertThat(summaries).as("summaries of a %d s burst of 300 chunk reports", burstSeconds)
                    .hasSizeLessThanOrEqualTo(3 + (int) burstSeconds + 2);
            MigrationProgressed last = summaries.getLast();
            assertThat(last.workerId().value()).startsWith("coordinator@");
            assertThat(last.tables()).containsExactly(
                    new MigrationProgressed.Table("shop.orders", 3000, 3000, 30_000, 30_000, 100.0));
            // and the coordinator, reading its own summaries back, did not aggregate them into anything
            assertThat(h.migration(id).get("phase").asString()).isEqualTo("completed");
        }
    }

    @Test
    void aMigrationThatOutgrowsKafkasMessageLimitFailsSayingSoAndBlocksNoOtherAndRunsOnceItIsRaised() {
        // a coordinator whose producer takes at most 32 KiB, so that a few hundred tables are too many
        String[] smallLimit = {"tidemark.coordinator.prechecks=false", "tidemark.coordinator.max-spec-bytes=4KB",
                "spring.kafka.producer.properties.max.request.size=32768"};
        List<TableRef> tables = IntStream.range(0, 250)
                .mapToObj(i -> TableRef.of("shop", String.format(Locale.ROOT, "orders_%05d", i))).toList();
        List<TablePoint> points = tables.stream().map(t -> new TablePoint(t, BinlogPosition.of("mysql-bin.000002",
                1000 + tables.indexOf(t), "0-1-" + tables.indexOf(t)))).toList();
        String id;
        MigrationId m;
        try (Harness h = Harness.start(kafka, smallLimit)) {
            // Given a migration of 250 tables, snapshotting, and another one beside it
            id = create(h, spec("outgrows kafka", "all", ""));
            String other = create(h, spec("beside it", "all", ""));
            m = MigrationId.of(id);
            MigrationId o = MigrationId.of(other);
            awaitCommand(h, TOPICS.snapshotCommands(), id, SnapshotRequest.class, r -> true);
            awaitCommand(h, TOPICS.snapshotCommands(), other, SnapshotRequest.class, r -> true);
            h.report(new SnapshotStarted(SnapshotStarted.idFor(m, 1), m, WORKER, 1, Instant.now(), SNAP_START, tables));
            awaitMigration(h, id, v -> v.get("tables").size() == tables.size());

            // When its snapshot completes with a point per table, which makes its state larger than 32 KiB, and right
            // after it, on the same status partition, the other's snapshot completes
            h.report(new SnapshotCompleted(SnapshotCompleted.idFor(m, 1), m, WORKER, 1, Instant.now(), "x",
                    SNAP_START, SNAP_END, tables, points));
            h.report(new SnapshotCompleted(SnapshotCompleted.idFor(o, 1), o, WORKER, 1, Instant.now(), "x",
                    SNAP_START, SNAP_END, List.of(ORDERS)), id);

            // Then the other one moves on: the partition is not blocked by an event retried forever
            awaitMigration(h, other, v -> v.get("phase").asString().equals("importing"));

            // and the first failed, saying how large it grew, which limit, and what to do
            JsonNode failed = h.migration(id);
            assertThat(failed.get("phase").asString()).isEqualTo("failed");
            assertThat(failed.at("/error/code").asString()).isEqualTo("TM-50005");
            assertThat(failed.at("/error/stage").asString()).isEqualTo("snapshot");
            assertThat(failed.at("/error/retriable").asBoolean()).isFalse();
            assertThat(failed.at("/error/message").asString())
                    .startsWith("the state of migration " + id + " (topic " + TOPICS.migrations() + ") is ")
                    .contains("KiB), more than Kafka takes in one message: max.request.size of the coordinator's"
                            + " producer is 32,768 bytes (32.0 KiB)");
            assertThat(failed.at("/error/remedy").asString()).contains("migrations of fewer tables each")
                    .contains("max.message.bytes").contains("POST /api/v1/migrations/{id}/retry");
            // keeping the last state that fitted, and with no import requested for a dump it could not record
            assertThat(failed.get("tables")).hasSize(tables.size());
            assertThat(table(failed, "shop.orders_00000").get("snapshotPoint").isNull()).isTrue();
            assertThat(importRequests(h, id)).isEmpty();
        }

        try (Harness h = Harness.start(kafka)) {
            // When the coordinator runs with Kafka's default limit and the user retries
            Harness.Response retried = h.post("/api/v1/migrations/" + id + "/retry", "");
            assertThat(retried.status()).as(retried.body()).isEqualTo(200);

            // Then the snapshot runs again, and this time its points are kept and passed on
            SnapshotRequest again = awaitCommand(h, TOPICS.snapshotCommands(), id, SnapshotRequest.class,
                    r -> r.epoch() == 2);
            h.report(new SnapshotStarted(SnapshotStarted.idFor(m, 2), m, WORKER, 2, Instant.now(), SNAP_START, tables));
            h.report(new SnapshotCompleted(SnapshotCompleted.idFor(m, 2), m, WORKER, 2, Instant.now(),
                    again.location(), SNAP_START, SNAP_END, tables, points));
            JsonNode importing = awaitMigration(h, id, v -> v.get("phase").asString().equals("importing"));
            assertThat(importing.get("error").isNull()).isTrue();
            assertThat(table(importing, "shop.orders_00249").at("/snapshotPoint/pos").asLong()).isEqualTo(1249);
            assertThat(awaitCommand(h, TOPICS.importCommands(), id, ImportRequest.class, r -> true).tables())
                    .hasSize(tables.size());
        }
    }

    @Test
    void aRestartedCoordinatorShowsEveryMigrationWithItsProgressAndCarriesOn() {
        String full;
        String incremental;
        MigrationId m;
        try (Harness h = Harness.start(kafka)) {
            // Given a full migration half imported, and an incremental one replicating
            full = create(h, spec("restart full", "full", ""));
            incremental = create(h, spec("restart incremental", "incremental", ""));
            m = MigrationId.of(full);
            awaitCommand(h, TOPICS.snapshotCommands(), full, SnapshotRequest.class, r -> true);
            h.report(new SnapshotStarted(SnapshotStarted.idFor(m, 1), m, WORKER, 1, Instant.now(), SNAP_START,
                    List.of(ORDERS)));
            h.report(new TableDumped(TableDumped.idFor(m, 1, ORDERS), m, WORKER, 1, Instant.now(), ORDERS, 100, 1,
                    List.of("f")));
            h.report(new SnapshotCompleted(SnapshotCompleted.idFor(m, 1), m, WORKER, 1, Instant.now(), "x",
                    SNAP_START, SNAP_END, List.of(ORDERS)));
            h.report(new ImportPlanned(ImportPlanned.idFor(m, 1), m, WORKER, 1, Instant.now(), List.of(
                    new ImportPlanned.PlannedChunk("r1", ORDERS, 1), new ImportPlanned.PlannedChunk("r2", ORDERS, 1))));
            h.report(new ChunkImported(ChunkImported.idFor("r1"), m, WORKER, 1, Instant.now(), "r1", ORDERS, 70, 1));
            awaitMigration(h, full, v -> table(v, "shop.orders").get("chunksDone").asInt() == 1);
            assertThat(h.migration(incremental).get("phase").asString()).isEqualTo("replicating");
        }
        long importRequestsBefore = Harness.records(kafka, TOPICS.importCommands(), full).size();

        try (Harness h = Harness.start(kafka)) {
            // Then the new coordinator shows both as they were, before any new report
            JsonNode again = h.migration(full);
            assertThat(again.get("phase").asString()).isEqualTo("importing");
            assertThat(table(again, "shop.orders").get("rowsDumped").asLong()).isEqualTo(100);
            assertThat(table(again, "shop.orders").get("chunksDone").asInt()).isEqualTo(1);
            assertThat(table(again, "shop.orders").get("chunksTotal").asInt()).isEqualTo(2);
            assertThat(table(again, "shop.orders").get("rowsImported").asLong()).isEqualTo(70);
            assertThat(again.at("/positions/snapshotStart/pos").asLong()).isEqualTo(1000);
            assertThat(h.migration(incremental).get("phase").asString()).isEqualTo("replicating");
            // and it asked again for the work whose completion it has not seen (the worker dedupes by id)
            List<Command> imports = Harness.records(kafka, TOPICS.importCommands(), full).stream()
                    .map(r -> MessageCodec.read(r.value(), Command.class)).toList();
            assertThat(imports).hasSizeGreaterThan((int) importRequestsBefore)
                    .allSatisfy(c -> assertThat(c.messageId()).isEqualTo(ImportRequest.idFor(m, 1)));

            // When the last chunk is reported to the new coordinator
            h.report(new ChunkImported(ChunkImported.idFor("r2"), m, WORKER, 1, Instant.now(), "r2", ORDERS, 30, 1));

            // Then it carries on: a full migration is complete once its import is
            JsonNode done = awaitMigration(h, full, v -> v.get("phase").asString().equals("completed"));
            assertThat(table(done, "shop.orders").get("rowsImported").asLong()).isEqualTo(100);
            assertThat(table(done, "shop.orders").get("state").asString()).isEqualTo("imported");
            assertThat(h.records(TOPICS.replicationTasks(), ReplicationTask.idFor(m))).isEmpty();
        }
    }

    @Test
    void anImportOfManyChunksKeepsItsMigrationsRecordSmallAndEveryChunkAcrossARestart() {
        // a coordinator whose producer takes at most 32 KiB: 600 chunks held in the migration's record (~70 KiB)
        // would fail it, as ~8,000 chunks of a 500 GB import would pass Kafka's default 1 MiB
        String[] smallLimit = {"tidemark.coordinator.prechecks=false", "tidemark.coordinator.max-spec-bytes=4KB",
                "spring.kafka.producer.properties.max.request.size=32768"};
        String id;
        MigrationId m;
        List<String> chunkIds;
        try (Harness h = Harness.start(kafka, smallLimit)) {
            // Given a full migration whose import is planned in 600 chunks, 599 of them imported
            id = create(h, spec("many chunks", "full", ""));
            m = MigrationId.of(id);
            MigrationId mid = m;
            chunkIds = IntStream.range(0, 600).mapToObj(i -> ImportChunk.idFor(mid, 1,
                    String.format(Locale.ROOT, "shop.orders.%09d.sql", i))).toList();
            awaitCommand(h, TOPICS.snapshotCommands(), id, SnapshotRequest.class, r -> true);
            h.report(new SnapshotStarted(SnapshotStarted.idFor(m, 1), m, WORKER, 1, Instant.now(), SNAP_START,
                    List.of(ORDERS)));
            h.report(new SnapshotCompleted(SnapshotCompleted.idFor(m, 1), m, WORKER, 1, Instant.now(), "x",
                    SNAP_START, SNAP_END, List.of(ORDERS)));
            // (reported as the planner does: in parts of at most 250 chunks, plan-page-chunks)
            ImportPlanned.paged(m, WORKER, 1, Instant.now(), chunkIds.stream()
                    .map(c -> new ImportPlanned.PlannedChunk(c, ORDERS, 1000)).toList(), 250).forEach(h::report);
            for (String c : chunkIds.subList(0, 599)) {
                h.report(new ChunkImported(ChunkImported.idFor(c), m, WORKER, 1, Instant.now(), c, ORDERS, 10, 1000));
            }
            JsonNode importing = awaitMigration(h, id, v -> table(v, "shop.orders").get("chunksDone").asInt() == 599);
            assertThat(importing.get("phase").asString()).isEqualTo("importing");
            assertThat(importing.get("error").isNull()).isTrue();
        }

        // Then the migration's record never grew with its chunks: each chunk is a record of its own
        assertThat(Harness.records(kafka, TOPICS.migrations(), id))
                .allSatisfy(r -> assertThat(r.value().length).isLessThan(8 * 1024));
        assertThat(Harness.records(kafka, TOPICS.migrationChunks(), key -> key.startsWith(id + "/"))
                .stream().map(ConsumerRecord::key).distinct()).containsExactlyInAnyOrderElementsOf(chunkIds);

        try (Harness h = Harness.start(kafka)) {
            // and a restarted coordinator knows every chunk, imported or not
            JsonNode again = h.migration(id);
            assertThat(table(again, "shop.orders").get("chunksDone").asInt()).isEqualTo(599);
            assertThat(table(again, "shop.orders").get("chunksTotal").asInt()).isEqualTo(600);
            assertThat(table(again, "shop.orders").get("rowsImported").asLong()).isEqualTo(5990);

            // When the last chunk is reported, Then the import completes
            String last = chunkIds.getLast();
            h.report(new ChunkImported(ChunkImported.idFor(last), m, WORKER, 1, Instant.now(), last, ORDERS, 10, 1000));
            JsonNode done = awaitMigration(h, id, v -> v.get("phase").asString().equals("completed"));
            assertThat(table(done, "shop.orders").get("rowsImported").asLong()).isEqualTo(6000);
        }
    }

    private static List<ImportRequest> importRequests(Harness h, String id) {
        return h.records(TOPICS.importCommands(), id).stream().map(r -> MessageCodec.read(r.value(), Command.class))
                .filter(ImportRequest.class::isInstance).map(ImportRequest.class::cast).toList();
    }

    @Test
    void aFailedImportRetriedAfterTheFixResumesUnderTheSameRequestAndChunkIds() {
        try (Harness h = Harness.start(kafka)) {
            // Given a migration of mode all, dumped, importing three chunks of which one is in
            String id = create(h, spec("retry import", "all", ""));
            MigrationId m = MigrationId.of(id);
            awaitCommand(h, TOPICS.snapshotCommands(), id, SnapshotRequest.class, r -> true);
            h.report(new SnapshotStarted(SnapshotStarted.idFor(m, 1), m, WORKER, 1, Instant.now(), SNAP_START,
                    List.of(ORDERS, ITEMS)));
            h.report(new SnapshotCompleted(SnapshotCompleted.idFor(m, 1), m, WORKER, 1, Instant.now(), "x",
                    SNAP_START, SNAP_END, List.of(ORDERS, ITEMS)));
            ImportRequest first = awaitCommand(h, TOPICS.importCommands(), id, ImportRequest.class, r -> true);
            h.report(new ImportPlanned(ImportPlanned.idFor(m, 1), m, WORKER, 1, Instant.now(), List.of(
                    new ImportPlanned.PlannedChunk("c1", ORDERS, 2048), new ImportPlanned.PlannedChunk("c2", ORDERS, 2048),
                    new ImportPlanned.PlannedChunk("c3", ITEMS, 100))));
            h.report(new ChunkImported(ChunkImported.idFor("c1"), m, WORKER, 1, Instant.now(), "c1", ORDERS, 60, 2048));

            // When a chunk fails fatally: the target table is missing
            WorkFailed failure = WorkFailed.of(m, WORKER, 1, Stage.IMPORT, "c2", new TidemarkException(
                    ErrorCode.TARGET_STATEMENT_FAILED, "shop.orders", "Table 'shop.orders' doesn't exist"));
            h.report(failure);
            JsonNode failed = awaitMigration(h, id, v -> v.get("phase").asString().equals("failed"));
            assertThat(failed.at("/error/code").asString()).isEqualTo("TM-30003");
            assertThat(failed.at("/error/stage").asString()).isEqualTo("import");
            int requestsBefore = importRequests(h, id).size();

            // and the DBA, having created the table, retries
            Harness.Response retried = h.post("/api/v1/migrations/" + id + "/retry", "");

            // Then the import runs again under the same request, so its chunks keep their ids and checkpoints;
            // the failure stays visible until the import makes progress, and what was imported stays counted
            assertThat(retried.status()).as(retried.body()).isEqualTo(200);
            assertThat(retried.json().get("phase").asString()).isEqualTo("importing");
            assertThat(retried.json().at("/error/code").asString()).isEqualTo("TM-30003");
            assertThat(table(retried.json(), "shop.orders").get("chunksDone").asInt()).isEqualTo(1);
            List<ImportRequest> requests = importRequests(h, id);
            assertThat(requests).hasSize(requestsBefore + 1);
            assertThat(requests.getLast().messageId()).isEqualTo(ImportRequest.idFor(m, 1)).isEqualTo(first.messageId());
            assertThat(requests.getLast().epoch()).isEqualTo(1);
            assertThat(requests.getLast().tables()).containsExactlyInAnyOrder(ORDERS, ITEMS);

            // and a second retry right after is refused without publishing anything
            Harness.Response twice = h.post("/api/v1/migrations/" + id + "/retry", "");
            assertThat(twice.status()).isEqualTo(409);
            assertThat(twice.json().get("code").asString()).isEqualTo("TM-10007");
            assertThat(twice.json().get("message").asString()).contains("cannot go from importing to a retry");
            assertThat(importRequests(h, id)).hasSize(requestsBefore + 1);

            // When the old failure is delivered again, then the workers report: the done chunk again (found in its
            // checkpoint), and the remaining ones
            h.report(failure);
            h.report(new ChunkImported(ChunkImported.idFor("c1"), m, WORKER, 1, Instant.now(), "c1", ORDERS, 60, 2048));
            h.report(new ChunkImported(ChunkImported.idFor("c2"), m, WORKER, 1, Instant.now(), "c2", ORDERS, 40, 2048));
            h.report(new ChunkImported(ChunkImported.idFor("c3"), m, WORKER, 1, Instant.now(), "c3", ITEMS, 5, 100));

            // Then the migration moved on to replication, with the error gone and every row counted once
            JsonNode replicating = awaitMigration(h, id, v -> v.get("phase").asString().equals("replicating"));
            assertThat(replicating.get("error").isNull()).isTrue();
            assertThat(table(replicating, "shop.orders").get("rowsImported").asLong()).isEqualTo(100);
            assertThat(table(replicating, "shop.items").get("state").asString()).isEqualTo("imported");
            ReplicationTask task = awaitCommand(h, TOPICS.replicationTasks(), ReplicationTask.idFor(m),
                    ReplicationTask.class, r -> true);
            assertThat(task.start()).isEqualTo(SNAP_START);
        }
    }

    @Test
    void aFailedSnapshotRetriedAfterTheFixIsDumpedAgainUnderANewEpoch() {
        try (Harness h = Harness.start(kafka)) {
            // Given a full migration whose dump failed fatally: the source account lacks a privilege
            String id = create(h, spec("retry snapshot", "full", ""));
            MigrationId m = MigrationId.of(id);
            SnapshotRequest first = awaitCommand(h, TOPICS.snapshotCommands(), id, SnapshotRequest.class, r -> true);
            h.report(new SnapshotStarted(SnapshotStarted.idFor(m, 1), m, WORKER, 1, Instant.now(), SNAP_START,
                    List.of(ORDERS)));
            h.report(WorkFailed.of(m, WORKER, 1, Stage.SNAPSHOT, "shop.orders", new TidemarkException(
                    ErrorCode.SOURCE_PRIVILEGE_MISSING, "dm@10.1.0.1:3306", "RELOAD")));
            JsonNode failed = awaitMigration(h, id, v -> v.get("phase").asString().equals("failed"));
            assertThat(failed.at("/error/code").asString()).isEqualTo("TM-20003");
            assertThat(failed.at("/error/stage").asString()).isEqualTo("snapshot");

            // When the DBA has granted it and retries
            Harness.Response retried = h.post("/api/v1/migrations/" + id + "/retry", "");
            assertThat(retried.status()).as(retried.body()).isEqualTo(200);
            assertThat(retried.json().get("phase").asString()).isEqualTo("snapshotting");

            // Then a new dump is requested under epoch 2, into the same place
            SnapshotRequest second = awaitCommand(h, TOPICS.snapshotCommands(), id, SnapshotRequest.class,
                    r -> r.epoch() == 2);
            assertThat(second.messageId()).isEqualTo(SnapshotRequest.idFor(m, 2)).isNotEqualTo(first.messageId());
            assertThat(second.location()).isEqualTo(first.location());

            // When the first attempt's completion arrives late, then the new dump starts (same partition: in order)
            h.report(new SnapshotCompleted(SnapshotCompleted.idFor(m, 1), m, WORKER, 1, Instant.now(), "x",
                    SNAP_START, SNAP_END, List.of(ORDERS)));
            BinlogPosition newStart = BinlogPosition.of("mysql-bin.000004", 400, "0-1-30");
            BinlogPosition newEnd = BinlogPosition.of("mysql-bin.000004", 900, "0-1-31");
            h.report(new SnapshotStarted(SnapshotStarted.idFor(m, 2), m, WORKER, 2, Instant.now(), newStart,
                    List.of(ORDERS)));

            // Then the late completion was dropped: still dumping, from the new dump's position, the error gone
            JsonNode dumping = awaitMigration(h, id, v -> v.at("/positions/snapshotStart/pos").asLong() == 400);
            assertThat(dumping.get("phase").asString()).isEqualTo("snapshotting");
            assertThat(dumping.at("/positions/snapshotEnd").isNull()).isTrue();
            assertThat(dumping.get("error").isNull()).isTrue();
            assertThat(importRequests(h, id)).isEmpty();

            // When the new dump completes, then it is imported, and the full migration completes with its import
            h.report(new SnapshotCompleted(SnapshotCompleted.idFor(m, 2), m, WORKER, 2, Instant.now(), "x",
                    newStart, newEnd, List.of(ORDERS)));
            ImportRequest imports = awaitCommand(h, TOPICS.importCommands(), id, ImportRequest.class, r -> true);
            assertThat(imports.tables()).containsExactly(ORDERS);
            h.report(new ImportPlanned(ImportPlanned.idFor(m, imports.epoch()), m, WORKER, imports.epoch(),
                    Instant.now(), List.of(new ImportPlanned.PlannedChunk("s1", ORDERS, 1))));
            h.report(new ChunkImported(ChunkImported.idFor("s1"), m, WORKER, imports.epoch(), Instant.now(), "s1",
                    ORDERS, 10, 1));
            JsonNode done = awaitMigration(h, id, v -> v.get("phase").asString().equals("completed"));
            assertThat(done.at("/positions/snapshotEnd/pos").asLong()).isEqualTo(900);
        }
    }

    @Test
    void binlogReplaceOnADdlTheTargetRejectedResumesTheTaskCarryingItUntilReplicationPassesIt() {
        try (Harness h = Harness.start(kafka)) {
            // Given an incremental migration stopped on a DDL the target rejected
            String id = create(h, spec("binlog op", "incremental",
                    ", \"start\": {\"file\": \"mysql-bin.000004\", \"pos\": 4}"));
            MigrationId m = MigrationId.of(id);
            awaitCommand(h, TOPICS.replicationTasks(), ReplicationTask.idFor(m), ReplicationTask.class, r -> true);
            Harness.Response tooEarly = h.post("/api/v1/migrations/" + id + "/binlog", "{\"op\": \"skip\"}");
            assertCatalogShape(tooEarly, 409, "TM-30020");
            h.report(WorkFailed.of(m, WORKER, 1, Stage.REPLICATION, ReplicationTask.idFor(m),
                    new TidemarkException(ErrorCode.TARGET_STATEMENT_FAILED,
                            "DDL at mysql-bin.000004:1234 (ALTER TABLE x ADD UNIQUE KEY uk (v))",
                            "Duplicate entry '5' for key 'uk'").withSubject("mysql-bin.000004:1234")));
            awaitMigration(h, id, v -> v.get("phase").asString().equals("failed"));

            // when the operator names a field that does not exist, or another position, it is refused
            Harness.Response unknown = h.post("/api/v1/migrations/" + id + "/binlog",
                    "{\"op\": \"skip\", \"pos\": \"mysql-bin.000004:1234\"}");
            assertCatalogShape(unknown, 400, "TM-30019");
            assertThat(unknown.json().get("message").asString()).contains("pos");
            Harness.Response elsewhere = h.post("/api/v1/migrations/" + id + "/binlog",
                    "{\"op\": \"skip\", \"position\": \"mysql-bin.000004:99\"}");
            assertCatalogShape(elsewhere, 409, "TM-30021");
            assertThat(elsewhere.json().get("message").asString()).contains("mysql-bin.000004:1234");

            // and a replace at the failed position is accepted
            Harness.Response replaced = h.post("/api/v1/migrations/" + id + "/binlog",
                    "{\"op\": \"replace\", \"sql\": [\"ALTER TABLE x ADD KEY k (v)\"]}");

            // then replication resumes under the next epoch carrying the operation, recorded in the view
            assertThat(replicated(replaced)).isEqualTo("replicating");
            BinlogOperation op = new BinlogOperation(BinlogOperation.Op.REPLACE,
                    BinlogPosition.ofFilePosition("mysql-bin.000004", 1234), List.of("ALTER TABLE x ADD KEY k (v)"));
            ReplicationTask task = awaitCommand(h, TOPICS.replicationTasks(), ReplicationTask.idFor(m),
                    ReplicationTask.class, r -> r.epoch() == 2);
            assertThat(task.binlogOperation()).isEqualTo(op);
            assertThat(replaced.json().at("/binlogOperations/0/position").asString()).isEqualTo("mysql-bin.000004:1234");
            assertThat(replaced.json().at("/binlogOperations/0/pending").asBoolean()).isTrue();

            // and once replication reports a position past it, it is consumed
            BinlogPosition past = BinlogPosition.ofFilePosition("mysql-bin.000004", 1500);
            h.report(new ReplicationProgressed(ReplicationProgressed.idFor(m, past), m, WORKER, 2, Instant.now(), past,
                    0, false, 1, 2));
            JsonNode consumed = awaitMigration(h, id, v -> !v.at("/binlogOperations/0/pending").asBoolean(true));
            assertThat(consumed.at("/binlogOperations/0/op").asString()).isEqualTo("replace");
        }
    }

    private static String replicated(Harness.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("phase").asString();
    }

    @Test
    void failuresAndBadRequestsAreAnsweredWithTheCatalogsCodeMessageAndRemedy() {
        try (Harness h = Harness.start(kafka)) {
            // bad requests name the field
            Harness.Response badPort = h.post("/api/v1/migrations", spec("bad", "all", "").replace("3306", "70000"));
            assertThat(badPort.status()).isEqualTo(400);
            assertThat(badPort.json().get("code").asString()).isEqualTo("TM-10001");
            assertThat(badPort.json().get("message").asString()).contains("source.port 70000 is not in 1..65535");
            assertThat(badPort.json().get("remedy").asString()).isNotBlank();
            Harness.Response notANumber = h.post("/api/v1/migrations", spec("bad", "all", "").replace("3306", "\"x\""));
            assertThat(notANumber.status()).isEqualTo(400);
            assertThat(notANumber.json().get("message").asString()).contains("source.port");
            Harness.Response badFilter = h.post("/api/v1/migrations",
                    spec("bad", "all", "").replace("\"!shop.tmp_*\"", "\"shop\""));
            assertThat(badFilter.status()).isEqualTo(400);
            assertThat(badFilter.json().get("code").asString()).isEqualTo("TM-10003");
            assertThat(badFilter.json().get("message").asString()).contains("filter: invalid table filter rule 'shop'");
            Harness.Response notJson = h.post("/api/v1/migrations", "{\"name\": ");
            assertThat(notJson.status()).isEqualTo(400);
            assertThat(notJson.json().get("message").asString()).contains("not valid JSON");
            Harness.Response notFound = h.get("/api/v1/migrations/no-such-migration");
            assertThat(notFound.status()).isEqualTo(404);
            assertThat(notFound.json().get("code").asString()).isEqualTo("TM-10002");

            // Given an incremental migration from a given position
            String id = create(h, spec("failing", "incremental",
                    ", \"start\": {\"file\": \"mysql-bin.000009\", \"pos\": 4, \"gtid\": \"0-1-5\"}"));
            MigrationId m = MigrationId.of(id);
            ReplicationTask task = awaitCommand(h, TOPICS.replicationTasks(), ReplicationTask.idFor(m),
                    ReplicationTask.class, r -> true);
            assertThat(task.start()).isEqualTo(BinlogPosition.of("mysql-bin.000009", 4, "0-1-5"));
            assertThat(task.safeModeExit()).isNull();

            // When replication reports a retriable failure, the phase stays and the error shows
            h.report(WorkFailed.of(m, WORKER, 1, Stage.REPLICATION, ReplicationTask.idFor(m),
                    new TidemarkException(ErrorCode.SOURCE_UNREACHABLE, "dm@10.1.0.1:3306", "connection refused")));
            JsonNode retrying = awaitMigration(h, id, v -> !v.get("error").isNull());
            assertThat(retrying.get("phase").asString()).isEqualTo("replicating");
            assertThat(retrying.at("/error/retriable").asBoolean()).isTrue();

            // When it reports a fatal one
            h.report(WorkFailed.of(m, WORKER, 1, Stage.REPLICATION, ReplicationTask.idFor(m),
                    new TidemarkException(ErrorCode.BINLOG_PURGED, "mysql-bin.000009:4", "dm@10.1.0.1:3306",
                            "the first file on the source is mysql-bin.000012")));

            // Then the migration failed, saying what, why and how to fix it
            JsonNode failed = awaitMigration(h, id, v -> v.get("phase").asString().equals("failed"));
            assertThat(failed.at("/error/code").asString()).isEqualTo("TM-20007");
            assertThat(failed.at("/error/message").asString())
                    .isEqualTo("the binlog position mysql-bin.000009:4 is no longer on source dm@10.1.0.1:3306: "
                            + "the first file on the source is mysql-bin.000012");
            assertThat(failed.at("/error/remedy").asString()).contains("binlog retention");
            assertThat(failed.at("/error/stage").asString()).isEqualTo("replication");
            assertThat(failed.at("/error/retriable").asBoolean()).isFalse();

            // and a stop is not legal any more
            Harness.Response stop = h.post("/api/v1/migrations/" + id + "/stop", "");
            assertThat(stop.status()).isEqualTo(409);
            assertThat(stop.json().get("code").asString()).isEqualTo("TM-10007");
            assertThat(stop.json().get("message").asString()).contains("cannot go from failed to stopped");

            // operations: health and metrics answer where monitoring expects them
            assertThat(h.get("/actuator/health").body()).contains("\"UP\"");
            assertThat(h.get("/actuator/prometheus").body()).contains("jvm_memory_used_bytes");
        }
    }

    private static void assertCatalogShape(Harness.Response r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        JsonNode error = r.json();
        assertThat(error.get("code").asString()).as(r.body()).isEqualTo(code);
        assertThat(error.get("message").asString()).as(r.body()).isNotBlank().doesNotContain("java.");
        assertThat(error.get("remedy").asString()).as(r.body()).isNotBlank();
        assertThat(error.propertyNames()).as(r.body()).containsExactlyInAnyOrder("code", "message", "remedy");
    }

    private static boolean listed(Harness h, String name) {
        return h.get("/api/v1/migrations").json().findValuesAsString("name").contains(name);
    }

    @Test
    void unknownFieldsAtAnyDepthAndWrongTypesAreRefusedInTheUsersTerms() {
        try (Harness h = Harness.start(kafka)) {
            // When a spec says "filters" for "filter" (today: accepted, and every table migrated)
            Harness.Response misspelt = h.post("/api/v1/migrations",
                    spec("misspelt filter", "full", "").replace("\"filter\"", "\"filters\""));

            // Then it is refused, naming the field and the name meant, and nothing is created
            assertCatalogShape(misspelt, 400, "TM-10001");
            assertThat(misspelt.json().get("message").asString())
                    .contains("`filters` is not a field of the migration spec").contains("did you mean `filter`?");
            assertThat(listed(h, "misspelt filter")).isFalse();

            // and so is an unknown field deeper down, named by its path
            Harness.Response nested = h.post("/api/v1/migrations", spec("misspelt password", "full", "")
                    .replace("\"user\": \"dm\", \"password\"", "\"user\": \"dm\", \"passwrd\""));
            assertCatalogShape(nested, 400, "TM-10001");
            assertThat(nested.json().get("message").asString())
                    .contains("`source.passwrd` is not a field of source").contains("did you mean `source.password`?")
                    .doesNotContain(PASSWORD);
            Harness.Response start = h.post("/api/v1/migrations", spec("misspelt start", "incremental",
                    ", \"start\": {\"file\": \"mysql-bin.000009\", \"pos\": 4, \"gitd\": \"0-1-5\"}"));
            assertCatalogShape(start, 400, "TM-10001");
            assertThat(start.json().get("message").asString()).contains("`start.gitd`")
                    .contains("did you mean `start.gtid`?");

            // and a value of the wrong type is named in the user's terms, never a Java type
            Harness.Response port = h.post("/api/v1/migrations", spec("bad port", "full", "")
                    .replace("3306", "\"x\""));
            assertCatalogShape(port, 400, "TM-10001");
            assertThat(port.json().get("message").asString()).contains("`source.port` must be a number")
                    .doesNotContain("Integer");
            Harness.Response filter = h.post("/api/v1/migrations", spec("bad filter", "full", 4999,
                    "\"shop.*\"", ""));
            assertCatalogShape(filter, 400, "TM-10001");
            assertThat(filter.json().get("message").asString()).contains("`filter` must be a list");
            assertThat(listed(h, "bad port") || listed(h, "bad filter")).isFalse();
        }
    }

    @Test
    void everyApiErrorComesInTheCatalogsShapeAndATooLargeSpecIsRefusedUpFront() {
        try (Harness h = Harness.start(kafka)) {
            // a body that is not declared JSON
            Harness.Response text = h.send("POST", "/api/v1/migrations", "text/plain", spec("as text", "full", ""));
            assertCatalogShape(text, 415, "TM-10009");
            assertThat(text.json().get("message").asString()).contains("Content-Type: application/json");

            // a body that is not JSON at all
            assertCatalogShape(h.post("/api/v1/migrations", "{\"name\": "), 400, "TM-10001");

            // a path or a method the API does not have
            Harness.Response path = h.get("/api/v1/migrationz");
            assertCatalogShape(path, 404, "TM-10009");
            assertThat(path.json().get("message").asString()).contains("/api/v1/migrationz");
            Harness.Response method = h.send("PUT", "/api/v1/migrations", "application/json", "{}");
            assertCatalogShape(method, 405, "TM-10009");
            assertThat(method.json().get("message").asString())
                    .contains("PUT /api/v1/migrations is not part of the API").contains("GET").contains("POST");

            // When a spec of 5 MB arrives (today: Kafka refuses to store it, and the API answers 500)
            String rules = String.join(", ", IntStream.range(0, 300_000)
                    .mapToObj(i -> "\"shop.t" + i + "\"").toList());
            Harness.Response huge = h.post("/api/v1/migrations", spec("huge", "full", 4998, "[" + rules + "]", ""));

            // Then it is refused before it is stored, naming the limit and the key that sets it
            assertCatalogShape(huge, 413, "TM-10010");
            assertThat(huge.json().get("message").asString()).contains("256 KiB")
                    .contains("tidemark.coordinator.max-spec-bytes");
            assertThat(huge.json().get("remedy").asString()).contains("wildcard rules");
            assertThat(listed(h, "huge")).isFalse();
        }
    }

    @Test
    void aSecondMigrationOfTablesARunningOneHoldsIsRefusedNamingItsHolder() {
        int target = 4997;
        try (Harness h = Harness.start(kafka)) {
            // Given a running migration of shop's tables but shop.big into one target
            String first = create(h, spec("shop", "full", target, "[\"shop.*\", \"!shop.big\"]", ""));

            // When the same tables are asked for again, into the same target
            Harness.Response again = h.post("/api/v1/migrations",
                    spec("shop again", "full", target, "[\"shop.orders\"]", ""));

            // Then it is refused, naming the migration that holds them and the overlapping rules
            assertCatalogShape(again, 409, "TM-10011");
            assertThat(again.json().get("message").asString()).contains(first).contains("10.1.0.2:" + target)
                    .contains("shop.orders").contains("`shop.*`");
            assertThat(listed(h, "shop again")).isFalse();

            // and tables the first one does not hold, or another target, are accepted
            create(h, spec("shop big", "full", target, "[\"shop.big\"]", ""));
            create(h, spec("crm", "full", target, "[\"crm.*\"]", ""));
            create(h, spec("shop elsewhere", "full", target + 1000, "[\"shop.*\"]", ""));

            // When the first fails, the tables are free for a new migration (a failure may need a new spec)
            MigrationId m = MigrationId.of(first);
            awaitCommand(h, TOPICS.snapshotCommands(), first, SnapshotRequest.class, r -> true);
            h.report(WorkFailed.of(m, WORKER, 1, Stage.SNAPSHOT, "shop.orders", new TidemarkException(
                    ErrorCode.SOURCE_ACCESS_DENIED, "dm@10.1.0.1:3306", "Access denied")));
            awaitMigration(h, first, v -> v.get("phase").asString().equals("failed"));
            String second = create(h, spec("shop again", "full", target, "[\"shop.orders\"]", ""));

            // and then a retry of the first, which would write them too, is refused naming the new holder
            Harness.Response retry = h.post("/api/v1/migrations/" + first + "/retry", "");
            assertCatalogShape(retry, 409, "TM-10011");
            assertThat(retry.json().get("message").asString()).contains(second).contains("shop.orders");
            assertThat(h.migration(first).get("phase").asString()).isEqualTo("failed");
        }
    }
}
