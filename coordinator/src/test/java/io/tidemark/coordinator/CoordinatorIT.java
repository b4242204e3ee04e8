package io.tidemark.coordinator;

import io.tidemark.common.command.Command;
import io.tidemark.common.command.ImportRequest;
import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.common.status.ChunkImported;
import io.tidemark.common.status.ImportPlanned;
import io.tidemark.common.status.ReplicationProgressed;
import io.tidemark.common.status.SnapshotCompleted;
import io.tidemark.common.status.SnapshotStarted;
import io.tidemark.common.status.TableDumped;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.topic.Topics;
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
import java.util.function.Predicate;

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

    private static TestKafka kafka;

    @BeforeAll
    static void broker() {
        kafka = TestKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private static String spec(String name, String mode, String extra) {
        return """
                {"name": "%s", "mode": "%s",
                 "source": {"host": "10.1.0.1", "port": 3306, "user": "dm", "password": "%s"},
                 "target": {"host": "10.1.0.2", "port": 4000, "user": "root", "password": "%s"},
                 "filter": ["shop.*", "!shop.tmp_*"], "storage": "file:///var/tmp/tidemark-it/"%s}
                """.formatted(name, mode, PASSWORD, PASSWORD, extra);
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
            SnapshotRequest snapshot = awaitCommand(h, Topics.SNAPSHOT_COMMANDS, id, SnapshotRequest.class, r -> true);
            assertThat(snapshot.messageId()).isEqualTo(SnapshotRequest.idFor(m, 1));
            assertThat(snapshot.epoch()).isEqualTo(1);
            assertThat(snapshot.location()).isEqualTo("file:///var/tmp/tidemark-it/" + id);
            assertThat(snapshot.filter()).containsExactly("shop.*", "!shop.tmp_*");
            assertThat(snapshot.threads()).isEqualTo(2);
            assertThat(snapshot.fileSizeBytes()).isEqualTo(1L << 20);
            assertThat(TestDatabases.secretBox().open(snapshot.source().password())).isEqualTo(PASSWORD);
            assertNoPlaintext(h, Topics.SNAPSHOT_COMMANDS, id);
            assertNoPlaintext(h, Topics.MIGRATIONS, id);
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
            h.report(new SnapshotCompleted(SnapshotCompleted.idFor(m, 1), m, WORKER, 1, Instant.now(),
                    snapshot.location(), SNAP_START, SNAP_END, List.of(ORDERS, ITEMS)));

            // Then the import is requested for the dumped tables, and the view counts each table once
            ImportRequest imports = awaitCommand(h, Topics.IMPORT_COMMANDS, id, ImportRequest.class, r -> true);
            assertThat(imports.messageId()).isEqualTo(ImportRequest.idFor(m, 1));
            assertThat(imports.tables()).containsExactlyInAnyOrder(ORDERS, ITEMS);
            assertThat(imports.location()).isEqualTo(snapshot.location());
            assertThat(imports.target().host()).isEqualTo("10.1.0.2");
            assertNoPlaintext(h, Topics.IMPORT_COMMANDS, id);
            JsonNode importing = awaitMigration(h, id, v -> v.get("phase").asString().equals("importing"));
            assertThat(table(importing, "shop.orders").get("rowsDumped").asLong()).isEqualTo(100);
            assertThat(table(importing, "shop.orders").get("state").asString()).isEqualTo("dumped");
            assertThat(importing.at("/positions/snapshotStart/pos").asLong()).isEqualTo(1000);
            assertThat(importing.at("/positions/snapshotEnd/gtidSet").asString()).isEqualTo("0-1-12");

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
            assertThat(h.records(Topics.REPLICATION_TASKS, ReplicationTask.idFor(m))).isEmpty();

            // When the last chunk is in
            h.report(new ChunkImported(ChunkImported.idFor("c2"), m, WORKER, 1, Instant.now(), "c2", ORDERS, 40,
                    2048));

            // Then replication is desired from where the snapshot began, in safe mode until where it ended
            ReplicationTask task = awaitCommand(h, Topics.REPLICATION_TASKS, ReplicationTask.idFor(m),
                    ReplicationTask.class, r -> true);
            assertThat(task.desired()).isEqualTo(ReplicationTask.Desired.RUNNING);
            assertThat(task.start()).isEqualTo(SNAP_START);
            assertThat(task.safeModeExit()).isEqualTo(SNAP_END);
            assertThat(task.serverId()).isGreaterThanOrEqualTo(1_000_000L);
            assertThat(task.filter()).containsExactly("shop.*", "!shop.tmp_*");
            assertNoPlaintext(h, Topics.REPLICATION_TASKS, ReplicationTask.idFor(m));

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
            awaitCommand(h, Topics.REPLICATION_TASKS, ReplicationTask.idFor(m), ReplicationTask.class,
                    r -> r.desired() == ReplicationTask.Desired.STOPPED);
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
            awaitCommand(h, Topics.SNAPSHOT_COMMANDS, full, SnapshotRequest.class, r -> true);
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
        long importRequestsBefore = Harness.records(kafka, Topics.IMPORT_COMMANDS, full).size();

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
            List<Command> imports = Harness.records(kafka, Topics.IMPORT_COMMANDS, full).stream()
                    .map(r -> MessageCodec.read(r.value(), Command.class)).toList();
            assertThat(imports).hasSizeGreaterThan((int) importRequestsBefore)
                    .allSatisfy(c -> assertThat(c.messageId()).isEqualTo(ImportRequest.idFor(m, 1)));

            // When the last chunk is reported to the new coordinator
            h.report(new ChunkImported(ChunkImported.idFor("r2"), m, WORKER, 1, Instant.now(), "r2", ORDERS, 30, 1));

            // Then it carries on: a full migration is complete once its import is
            JsonNode done = awaitMigration(h, full, v -> v.get("phase").asString().equals("completed"));
            assertThat(table(done, "shop.orders").get("rowsImported").asLong()).isEqualTo(100);
            assertThat(table(done, "shop.orders").get("state").asString()).isEqualTo("imported");
            assertThat(h.records(Topics.REPLICATION_TASKS, ReplicationTask.idFor(m))).isEmpty();
        }
    }

    private static List<ImportRequest> importRequests(Harness h, String id) {
        return h.records(Topics.IMPORT_COMMANDS, id).stream().map(r -> MessageCodec.read(r.value(), Command.class))
                .filter(ImportRequest.class::isInstance).map(ImportRequest.class::cast).toList();
    }

    @Test
    void aFailedImportRetriedAfterTheFixResumesUnderTheSameRequestAndChunkIds() {
        try (Harness h = Harness.start(kafka)) {
            // Given a migration of mode all, dumped, importing three chunks of which one is in
            String id = create(h, spec("retry import", "all", ""));
            MigrationId m = MigrationId.of(id);
            awaitCommand(h, Topics.SNAPSHOT_COMMANDS, id, SnapshotRequest.class, r -> true);
            h.report(new SnapshotStarted(SnapshotStarted.idFor(m, 1), m, WORKER, 1, Instant.now(), SNAP_START,
                    List.of(ORDERS, ITEMS)));
            h.report(new SnapshotCompleted(SnapshotCompleted.idFor(m, 1), m, WORKER, 1, Instant.now(), "x",
                    SNAP_START, SNAP_END, List.of(ORDERS, ITEMS)));
            ImportRequest first = awaitCommand(h, Topics.IMPORT_COMMANDS, id, ImportRequest.class, r -> true);
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
            ReplicationTask task = awaitCommand(h, Topics.REPLICATION_TASKS, ReplicationTask.idFor(m),
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
            SnapshotRequest first = awaitCommand(h, Topics.SNAPSHOT_COMMANDS, id, SnapshotRequest.class, r -> true);
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
            SnapshotRequest second = awaitCommand(h, Topics.SNAPSHOT_COMMANDS, id, SnapshotRequest.class,
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
            ImportRequest imports = awaitCommand(h, Topics.IMPORT_COMMANDS, id, ImportRequest.class, r -> true);
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
            ReplicationTask task = awaitCommand(h, Topics.REPLICATION_TASKS, ReplicationTask.idFor(m),
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
}
