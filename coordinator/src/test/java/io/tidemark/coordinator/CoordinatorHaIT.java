package io.tidemark.coordinator;

import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.common.serde.MessageSerializer;
import io.tidemark.common.status.ChunkImported;
import io.tidemark.common.status.ImportPlanned;
import io.tidemark.common.status.SnapshotCompleted;
import io.tidemark.common.status.SnapshotStarted;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.coordinator.kafka.SyncSender;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.testkit.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Coordinator high availability on a real broker: two coordinators of one installation, one active. The standby
 * serves reads and refuses writes naming the active one, and takes over when it stops; a coordinator whose
 * transactional producer another one fenced writes nothing more and steps down.
 */
class CoordinatorHaIT {
    private static final TopicCatalog TOPICS = TopicCatalog.DEFAULT;
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final WorkerId WORKER = WorkerId.forService("test-worker");

    private TestKafka kafka;

    @BeforeEach
    void broker() {
        // a broker per test: each starts its election from nothing
        kafka = TestKafka.start();
    }

    @AfterEach
    void stopBroker() {
        kafka.close();
    }

    private Harness coordinator() {
        return Harness.start(kafka, "tidemark.coordinator.prechecks=false", "tidemark.coordinator.ha.enabled=true",
                "tidemark.coordinator.send-timeout=10s");
    }

    private static JsonNode role(Harness h) {
        Harness.Response r = h.get("/api/v1/coordinator");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static JsonNode awaitRole(Harness h, String role) {
        return await().atMost(PATIENCE).until(() -> role(h), v -> v.get("role").asString().equals(role));
    }

    private static String spec(String name) {
        return """
                {"name": "%s", "mode": "all",
                 "source": {"host": "10.1.0.1", "port": 3306, "user": "dm", "password": "pw"},
                 "target": {"host": "10.1.0.2", "port": 4000, "user": "root", "password": "pw"},
                 "filter": ["shop.*"], "storage": "file:///var/tmp/tidemark-it/", "checksum": "off"}
                """.formatted(name);
    }

    private static String create(Harness h, String name) {
        Harness.Response r = h.post("/api/v1/migrations", spec(name));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asString();
    }

    private static String port(Harness h) {
        return h.base().substring(h.base().lastIndexOf(':'));
    }

    @Test
    void theStandbyServesReadsRefusesWritesNamingTheActiveOneAndTakesOverWhenItStops() {
        Harness first = coordinator();
        try (Harness second = coordinator()) {
            // Given two coordinators: the first to join is active, the other a standby that knows where it is
            JsonNode active = awaitRole(first, "active");
            assertThat(active.get("highAvailability").asBoolean()).isTrue();
            assertThat(active.get("instance").asString()).endsWith(port(first));
            JsonNode standby = awaitRole(second, "standby");
            await().atMost(PATIENCE).until(() -> role(second).path("activeUrl").asString(""),
                    url -> url.equals(active.get("instance").asString()));

            // When a migration is created on the active one
            String id = create(first, "ha-reads");

            // Then the standby shows it within a couple of seconds
            JsonNode read = await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> second.get("/api/v1/migrations/" + id), r -> r.status() == 200).json();
            assertThat(read.get("phase").asString()).isEqualTo("snapshotting");
            assertThat(second.get("/api/v1/migrations").body()).contains(id);

            // And refuses a write, naming itself, the active coordinator and the fix
            Harness.Response refused = second.post("/api/v1/migrations/" + id + "/stop", "");
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            JsonNode error = refused.json();
            assertThat(error.get("code").asString()).isEqualTo("TM-10045");
            assertThat(error.get("message").asString())
                    .contains("coordinator " + standby.get("instance").asString() + " is a standby")
                    .contains("the active coordinator is " + active.get("instance").asString());
            assertThat(error.get("activeUrl").asString()).isEqualTo(active.get("instance").asString());
            assertThat(error.get("remedy").asString()).contains("GET /api/v1/coordinator");
            assertThat(second.post("/api/v1/migrations", spec("ha-refused")).status()).isEqualTo(503);

            // And a DM source created on the active one after the standby started
            Harness.Response source = first.send("POST", "/api/v1/sources", "application/yaml",
                    DmFilesIT.source("mysql-ha", "s3cret"));
            assertThat(source.status()).as(source.body()).isEqualTo(201);
            // Then the standby shows it too, read from the DM files' topic, without waiting for a takeover
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> second.get("/api/v1/sources/mysql-ha").status() == 200);

            // When the active coordinator stops
            first.close();

            // Then the standby takes over with a later epoch and drives the migration on its workers' reports
            JsonNode takenOver = awaitRole(second, "active");
            assertThat(takenOver.get("epoch").asInt()).isGreaterThan(active.get("epoch").asInt());
            assertThat(takenOver.get("activeUrl").asString()).isEqualTo(standby.get("instance").asString());
            MigrationId m = MigrationId.of(id);
            second.report(new SnapshotStarted(SnapshotStarted.idFor(m, 1), m, WORKER, 1, Instant.now(),
                    BinlogPosition.of("mysql-bin.000002", 1000, "0-1-10"), List.of(TableRef.of("shop", "orders"))));
            await().atMost(PATIENCE).until(() -> second.migration(id),
                    v -> v.at("/positions/snapshotStart/pos").asLong() == 1000);
            Harness.Response stopped = second.post("/api/v1/migrations/" + id + "/stop", "");
            assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
            // the DM files are read again on the takeover: the source created on the first one is known
            assertThat(second.get("/api/v1/sources/mysql-ha").status()).isEqualTo(200);
            // every record on the migrations topic names the coordinator that wrote it
            List<ConsumerRecord<String, byte[]>> states = second.records(TOPICS.migrations(), id);
            assertThat(writer(states.getFirst())).isEqualTo(active.get("instance").asString());
            assertThat(writer(states.getLast())).isEqualTo(standby.get("instance").asString());
        } finally {
            first.close();
        }
    }

    @Test
    void aFencedCoordinatorWritesNothingStepsDownAndIsElectedAnew() {
        try (Harness h = coordinator()) {
            JsonNode before = awaitRole(h, "active");
            String id = create(h, "ha-fenced");
            int recordsBefore = h.records(TOPICS.migrations(), id).size();
            int commandsBefore = h.records(TOPICS.snapshotCommands(), id).size();

            // Given another producer of the active coordinator's transactional.id: it fences this coordinator's
            try (KafkaProducer<String, Object> usurper = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, TOPICS.coordinatorTransactionalId()),
                    new StringSerializer(), new MessageSerializer<>())) {
                usurper.initTransactions();

                // When the user stops the migration on it
                Harness.Response r = h.post("/api/v1/migrations/" + id + "/stop", "");

                // Then the write is refused as fenced, naming the instance and what was not written
                assertThat(r.status()).as(r.body()).isEqualTo(503);
                assertThat(r.json().get("code").asString()).isEqualTo("TM-50012");
                assertThat(r.json().get("message").asString())
                        .contains("coordinator " + before.get("instance").asString()
                                + " is no longer the active coordinator")
                        .contains("was not written");
            }
            // and nothing reached Kafka: no new state, no stop command (read uncommitted: not even aborted records)
            assertThat(h.records(TOPICS.migrations(), id)).hasSize(recordsBefore);
            assertThat(h.records(TOPICS.snapshotCommands(), id)).hasSize(commandsBefore);
            assertThat(MessageCodec.read(h.records(TOPICS.migrations(), id).getLast().value(), Migration.class)
                    .phase().code()).isEqualTo("snapshotting");
            assertThat(h.migration(id).get("phase").asString()).isEqualTo("snapshotting");

            // And the coordinator stepped down and rejoined the election: alone, it wins it again with a later epoch
            JsonNode again = await().atMost(PATIENCE).until(() -> role(h),
                    v -> v.get("role").asString().equals("active") && v.get("epoch").asInt() > before.get("epoch").asInt());
            assertThat(again.get("since").asString()).isNotEqualTo(before.get("since").asString());
            Harness.Response stopped = h.post("/api/v1/migrations/" + id + "/stop", "");
            assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
            assertThat(h.commands(TOPICS.snapshotCommands(), id, SnapshotRequest.class).getLast().stopRequested())
                    .isTrue();
        }
    }

    @Test
    void theStandbyFollowsAnImportChunkByChunkAndCarriesItOnAfterTakingOver() {
        Harness first = coordinator();
        try (Harness second = coordinator()) {
            // Given an active coordinator and its standby, and a migration whose import is planned in 3 chunks
            JsonNode active = awaitRole(first, "active");
            awaitRole(second, "standby");
            String id = create(first, "ha-chunks");
            MigrationId m = MigrationId.of(id);
            TableRef orders = TableRef.of("shop", "orders");
            BinlogPosition start = BinlogPosition.of("mysql-bin.000002", 1000, "0-1-10");
            List<String> chunks = List.of(ImportChunk.idFor(m, 1, "shop.orders.1.sql"),
                    ImportChunk.idFor(m, 1, "shop.orders.2.sql"), ImportChunk.idFor(m, 1, "shop.orders.3.sql"));
            first.report(new SnapshotStarted(SnapshotStarted.idFor(m, 1), m, WORKER, 1, Instant.now(), start,
                    List.of(orders)));
            first.report(new SnapshotCompleted(SnapshotCompleted.idFor(m, 1), m, WORKER, 1, Instant.now(), "x", start,
                    BinlogPosition.of("mysql-bin.000002", 2000, "0-1-20"), List.of(orders)));
            first.report(new ImportPlanned(ImportPlanned.idFor(m, 1), m, WORKER, 1, Instant.now(),
                    chunks.stream().map(c -> new ImportPlanned.PlannedChunk(c, orders, 100)).toList()));

            // When the active coordinator records the first chunk imported
            first.report(new ChunkImported(ChunkImported.idFor(chunks.get(0)), m, WORKER, 1, Instant.now(),
                    chunks.get(0), orders, 7, 100));

            // Then the standby shows it, read from the chunk's own record
            JsonNode read = await().atMost(PATIENCE).until(() -> second.get("/api/v1/migrations/" + id),
                    r -> r.status() == 200 && orders(r.json()).get("chunksDone").asInt() == 1).json();
            assertThat(orders(read).get("chunksTotal").asInt()).isEqualTo(3);
            assertThat(second.records(TOPICS.migrationChunks(), chunks.get(0))).isNotEmpty()
                    .allSatisfy(r -> assertThat(writer(r)).isEqualTo(active.get("instance").asString()));

            // When the active coordinator stops and the standby takes over, Then it carries the import on to its end
            first.close();
            awaitRole(second, "active");
            for (String c : chunks.subList(1, 3)) {
                second.report(new ChunkImported(ChunkImported.idFor(c), m, WORKER, 1, Instant.now(), c, orders, 7,
                        100));
            }
            JsonNode done = await().atMost(PATIENCE).until(() -> second.migration(id),
                    v -> v.get("phase").asString().equals("replicating"));
            assertThat(orders(done).get("chunksDone").asInt()).isEqualTo(3);
            assertThat(orders(done).get("rowsImported").asLong()).isEqualTo(21);
        } finally {
            first.close();
        }
    }

    private static JsonNode orders(JsonNode migration) {
        for (JsonNode t : migration.get("tables")) {
            if (t.get("table").asString().equals("shop.orders")) {
                return t;
            }
        }
        throw new AssertionError("no table shop.orders in " + migration);
    }

    /** a coordinator alone, as every installation without high availability runs it: active from its start */
    @Test
    void aSingleCoordinatorIsActiveAtOnceAndWritesWithoutTransactions() {
        try (Harness h = Harness.start(kafka)) {
            JsonNode role = role(h);
            assertThat(role.get("role").asString()).isEqualTo("active");
            assertThat(role.get("highAvailability").asBoolean()).isFalse();
            assertThat(role.get("instance").asString()).endsWith(port(h));
            assertThat(role.get("activeUrl").asString()).isEqualTo(role.get("instance").asString());
            String id = create(h, "ha-single");
            assertThat(h.records(TOPICS.migrations(), id).getFirst().headers().lastHeader(SyncSender.INSTANCE_HEADER))
                    .isNull();
        }
    }

    private static String writer(ConsumerRecord<String, byte[]> record) {
        return new String(record.headers().lastHeader(SyncSender.INSTANCE_HEADER).value(), StandardCharsets.UTF_8);
    }
}
