package io.tidemark.coordinator;

import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.SilentServer;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.Closing;
import io.tidemark.testkit.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Submission with {@code Prefer: respond-async} against real MariaDB servers, no workers: the 202 comes before the
 * prechecks ran (the migration is {@code checking}); failing prechecks fail the migration with their report, in its
 * view and on the status topic, and publish nothing to the workers; a retry runs them again; a coordinator restarted
 * while a migration is checking checks it again.
 */
class AsyncPrechecksIT {
    private static final String PASSWORD = TestDatabases.PASSWORD;
    private static final Map<String, String> ASYNC = Map.of("Prefer", "respond-async");

    private static TestKafka kafka;
    private static LocalMariaDb source;
    private static LocalMariaDb target;

    @TempDir
    static Path dumps;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        source = TestDatabases.startSource("coordinator-async");
        target = TestDatabases.startTarget("coordinator-async");
    }

    @AfterAll
    static void stop() {
        Closing.quietly(source, target, kafka);
    }

    private static String spec(String name, int sourcePort, String targetUser, String schema) {
        return """
                {"name": "%s", "mode": "full",
                 "source": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "target": {"host": "127.0.0.1", "port": %d, "user": "%s", "password": "%s"},
                 "filter": ["%s.*"], "storage": "%s"}
                """.formatted(name, sourcePort, PASSWORD, target.port(), targetUser, PASSWORD, schema,
                dumps.toUri());
    }

    private static String schemaWithATable(String prefix) throws SQLException {
        String schema = TestDatabases.uniqueSchema(prefix);
        TestDatabases.execute(source, "CREATE DATABASE " + schema,
                "CREATE TABLE " + schema + ".orders (id INT PRIMARY KEY)", "INSERT INTO " + schema + ".orders VALUES (1)");
        return schema;
    }

    /** POST with Prefer: respond-async: 202 with Location, Preference-Applied and the view, still checking */
    private static String submitAsync(Harness h, String spec) {
        Harness.Response r = h.post("/api/v1/migrations", spec, ASYNC);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        JsonNode view = r.json();
        String id = view.path("id").asString();
        assertThat(view.path("phase").asString()).as("answered before the prechecks ran").isEqualTo("checking");
        assertThat(r.raw().headers().firstValue("Location")).hasValue("/api/v1/migrations/" + id);
        assertThat(r.raw().headers().firstValue("Preference-Applied")).hasValue("respond-async");
        assertThat(r.body()).doesNotContain(PASSWORD);
        return id;
    }

    private static JsonNode awaitPhase(Harness h, String id, String phase) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> h.migration(id), v -> v.path("phase").asString().equals(phase));
    }

    private static List<JsonNode> statusEvents(Harness h, String id) {
        return h.records(TopicCatalog.DEFAULT.status(), id).stream().map(ConsumerRecord::value)
                .map(v -> MessageCodec.mapper().readTree(v)).toList();
    }

    @Test
    void failingPrechecksFailTheMigrationWithTheirReportAndPublishNothingToTheWorkersUntilARetryPasses()
            throws SQLException {
        // Given a target account that may keep Tidemark's checkpoints but not write the migrated schema
        String shop = schemaWithATable("async_grants");
        TestDatabases.execute(target, "CREATE USER IF NOT EXISTS 'tm_async'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT ALL PRIVILEGES ON tidemark_meta.* TO 'tm_async'@'%'",
                "GRANT SELECT ON `" + shop + "`.* TO 'tm_async'@'%'");
        try (Harness h = Harness.start(kafka, "tidemark.db.connect-timeout=2s")) {
            // When its migration is submitted asynchronously
            String id = submitAsync(h, spec("async-grants", source.port(), "tm_async", shop));

            // Then it fails with the precheck that failed, its cause and its fix, as the synchronous 422 says
            JsonNode failed = awaitPhase(h, id, "failed");
            JsonNode error = failed.path("error");
            assertThat(error.path("code").asString()).isEqualTo("TM-10008");
            assertThat(error.path("message").asString()).contains("target_privileges: ").contains(shop)
                    .contains("INSERT").contains("— fix: GRANT").contains("TO `tm_async`@`%`");
            assertThat(error.path("remedy").asString()).contains("/retry");
            Harness.Response sync = h.post("/api/v1/migrations", spec("async-grants-sync", source.port(), "tm_async",
                    shop));
            assertThat(sync.status()).as(sync.body()).isEqualTo(422);
            assertThat(sync.json().path("failures").findValuesAsString("name")).containsExactly("target_privileges");

            // and the status topic said so: first it was checking, then failed with the report
            List<JsonNode> events = statusEvents(h, id);
            assertThat(events.getFirst().path("type").asString()).isEqualTo("migration-progressed");
            assertThat(events.getFirst().path("phase").asString()).isEqualTo("checking");
            await().atMost(Duration.ofSeconds(10)).until(() -> statusEvents(h, id).stream()
                    .anyMatch(e -> e.path("type").asString().equals("work-failed")));
            JsonNode report = statusEvents(h, id).stream()
                    .filter(e -> e.path("type").asString().equals("work-failed")).findFirst().orElseThrow();
            assertThat(report.path("subject").asString()).isEqualTo("accept-prechecks");
            assertThat(report.path("code").asString()).isEqualTo("TM-10008");
            assertThat(report.path("message").asString()).contains("target_privileges: ").contains("— fix: GRANT");
            // and no worker was asked for anything
            assertThat(h.records(TopicCatalog.DEFAULT.snapshotCommands(), id)).isEmpty();

            // When the grant is given and the migration retried, its prechecks run again and it goes on
            TestDatabases.execute(target, "GRANT ALL PRIVILEGES ON `" + shop + "`.* TO 'tm_async'@'%'");
            Harness.Response retried = h.post("/api/v1/migrations/" + id + "/retry", "");
            assertThat(retried.status()).as(retried.body()).isEqualTo(200);
            assertThat(retried.json().path("phase").asString()).isEqualTo("checking");
            JsonNode snapshotting = awaitPhase(h, id, "snapshotting");
            assertThat(snapshotting.path("error").isNull()).as("the old report is over").isTrue();
            assertThat(h.commands(TopicCatalog.DEFAULT.snapshotCommands(), id, SnapshotRequest.class))
                    .extracting(SnapshotRequest::epoch).containsExactly(1L);
        }
    }

    @Test
    void aCoordinatorRestartedWhileAMigrationIsCheckingChecksItAgain() throws Exception {
        String shop = schemaWithATable("async_restart");
        String good;
        String stuck;
        try (SilentServer silent = SilentServer.start()) {
            // Given one precheck at a time, taken by a migration whose source never answers
            try (Harness h = Harness.start(kafka, "tidemark.db.connect-timeout=8s",
                    "tidemark.coordinator.precheck-concurrency=1")) {
                stuck = submitAsync(h, spec("async-stuck", silent.port(), "root", shop + "_elsewhere"));
                await().atMost(Duration.ofSeconds(10)).until(() -> silent.accepted() > 0);
                // a checking migration holds its tables: another spec for them is refused, naming it
                Harness.Response twice = h.post("/api/v1/migrations", spec("async-twice", source.port(), "root",
                        shop + "_elsewhere"), ASYNC);
                assertThat(twice.status()).as(twice.body()).isEqualTo(409);
                assertThat(twice.json().path("message").asString()).contains(stuck + " (checking)");
                // When a good migration is submitted behind it and the coordinator stops before it was checked
                good = submitAsync(h, spec("async-queued", source.port(), "root", shop));
                assertThat(h.migration(good).path("phase").asString()).isEqualTo("checking");
            }
            assertThat(snapshotCommands(good)).as("nothing published before its checks passed").isEmpty();

            // Then the restarted coordinator checks it again, and it goes on
            try (Harness h = Harness.start(kafka, "tidemark.db.connect-timeout=2s")) {
                awaitPhase(h, good, "snapshotting");
                assertThat(h.commands(TopicCatalog.DEFAULT.snapshotCommands(), good, SnapshotRequest.class))
                        .hasSize(1);
                // and the stuck one fails with why, not with the stop that interrupted its first check
                JsonNode failed = awaitPhase(h, stuck, "failed");
                assertThat(failed.path("error").path("message").asString()).contains("source_login: ");
                assertThat(h.records(TopicCatalog.DEFAULT.snapshotCommands(), stuck)).isEmpty();
            }
        }
    }

    private static List<ConsumerRecord<String, byte[]>> snapshotCommands(String id) {
        return Harness.records(kafka, TopicCatalog.DEFAULT.snapshotCommands(), id);
    }
}
