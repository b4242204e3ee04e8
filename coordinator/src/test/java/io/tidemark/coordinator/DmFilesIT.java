package io.tidemark.coordinator;

import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.testkit.TestDatabases;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * DM source and task files through the API, against a real broker: what is kept on the DM topic, what survives a
 * restart of the coordinator, and what is refused. Prechecks are off: no database is needed to read the files.
 */
class DmFilesIT {
    private static final String YAML = "application/yaml";

    @RegisterExtension
    static final CoordinatorOnKafka ENV = new CoordinatorOnKafka();

    private static Harness h() {
        return ENV.h();
    }

    static String source(String id, String password) {
        return """
                # Must be unique.
                source-id: "%s"
                enable-gtid: false
                enable-relay: true

                from:
                  host: "127.0.0.1"
                  user: "root"
                  password: "%s"
                  port: 3306
                """.formatted(id, password);
    }

    @Test
    void aSourceIsKeptSealedShownWithoutItsPasswordSurvivesARestartAndIsDeleted() {
        Harness.Response created = h().send("POST", "/api/v1/sources?name=source1.yaml", YAML,
                source("mysql-01", "plain-s3cret"));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.raw().headers().firstValue("Location")).hasValue("/api/v1/sources/mysql-01");
        JsonNode view = created.json();
        assertThat(view.get("sourceId").asString()).isEqualTo("mysql-01");
        assertThat(view.get("port").asInt()).isEqualTo(3306);
        assertThat(view.get("notes").toString()).contains("enable-relay", "tasks started from now on read the relay");
        assertThat(created.body()).doesNotContain("plain-s3cret").doesNotContain("password").doesNotContain("enc:v1:");
        List<ConsumerRecord<String, byte[]>> kept = h().records(TopicCatalog.DEFAULT.dmConfigs(), "source/mysql-01");
        assertThat(kept).singleElement().satisfies(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                .contains("enc:v1:").doesNotContain("plain-s3cret"));

        ENV.restart();

        Harness.Response one = h().get("/api/v1/sources/mysql-01");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("user").asString()).isEqualTo("root");
        assertThat(h().get("/api/v1/sources").json().findValuesAsString("sourceId")).contains("mysql-01");

        Harness.Response again = h().send("POST", "/api/v1/sources", YAML, source("mysql-01", "x"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("code").asString()).isEqualTo("TM-10019");

        assertThat(h().send("DELETE", "/api/v1/sources/mysql-01", null, null).status()).isEqualTo(200);
        Harness.Response gone = h().get("/api/v1/sources/mysql-01");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().get("code").asString()).isEqualTo("TM-10015");
    }

    @Test
    void aPasswordFromTidemarkEncryptIsTakenAndOneSealedWithAnotherKeyIsRefusedNamingItsKey() {
        String sealed = TestDatabases.secretBox().seal("s3cret").value();
        Harness.Response ok = h().send("POST", "/api/v1/sources", YAML, source("mysql-enc", sealed));
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);

        String otherKey = io.tidemark.common.secret.SecretBox.fromBase64Key(
                io.tidemark.common.secret.SecretBox.generateKey()).seal("s3cret").value();
        Harness.Response refused = h().send("POST", "/api/v1/sources", YAML, source("mysql-other", otherKey));

        assertThat(refused.status()).isEqualTo(400);
        JsonNode problem = refused.json().get("problems").get(0);
        assertThat(problem.get("key").asString()).isEqualTo("from.password");
        assertThat(problem.get("line").asInt()).isEqualTo(9);
        assertThat(problem.get("cause").asString()).contains("does not open");
        assertThat(refused.body()).doesNotContain(otherKey);
    }

    @Test
    void anUnknownKeyIsRefusedWithItsPathLineAndTheNearestKnownKey() {
        Harness.Response r = h().send("POST", "/api/v1/sources", YAML,
                source("mysql-02", "p").replace("  user:", "  usr:"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("code").asString()).isEqualTo("TM-10014");
        assertThat(r.json().get("problems")).hasSize(2);
        assertThat(r.json().get("problems").findValuesAsString("key")).containsExactly("from.user", "from.usr");
        assertThat(r.json().get("problems").get(1).get("line").asInt()).isEqualTo(8);
        assertThat(r.json().get("problems").get(1).get("fix").asString()).isEqualTo("did you mean `from.user`?");
        assertThat(h().get("/api/v1/sources/mysql-02").status()).isEqualTo(404);

        // curl -d sends a form's Content-Type: the answer says which one a DM file takes
        Harness.Response form = h().send("POST", "/api/v1/sources", "application/x-www-form-urlencoded",
                source("mysql-02", "p"));
        assertThat(form.status()).isEqualTo(415);
        assertThat(form.json().get("message").asString()).contains("takes a DM file as it is", "application/yaml");
    }

    static String task(String name, String sourceId) {
        return """
                name: "%s"
                task-mode: "incremental"
                target-database:
                  host: "127.0.0.2"
                  port: 4000
                  user: "root"
                  password: "tidb-s3cret"
                black-white-list:
                  listA:
                    do-tables:
                    - db-name: "test_db"
                      tbl-name: "test_table"
                mysql-instances:
                  - source-id: "%s"
                    block-allow-list: "listA"
                    meta:
                      binlog-name: "mysql-bin.000004"
                      binlog-pos: 109227
                """.formatted(name, sourceId);
    }

    @Test
    void aTaskStartsFromItsMetaIsPausedResumedAndStoppedAndHoldsItsSourceMeanwhile() {
        assertThat(h().send("POST", "/api/v1/sources", YAML, source("mysql-t1", "src-s3cret")).status()).isEqualTo(201);

        Harness.Response check = h().send("POST", "/api/v1/tasks/check", YAML, task("orders", "mysql-t1"));
        assertThat(check.status()).as(check.body()).isEqualTo(200);
        assertThat(check.json().get("passed").asBoolean()).isTrue();
        assertThat(check.json().get("instances").get(0).get("sourceId").asString()).isEqualTo("mysql-t1");
        assertThat(check.json().get("notes").toString()).contains("black-white-list", "old name");
        assertThat(h().get("/api/v1/tasks/orders").status()).isEqualTo(404);

        Harness.Response started = h().send("POST", "/api/v1/tasks?name=task1.yaml", YAML, task("orders", "mysql-t1"));
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        assertThat(started.body()).doesNotContain("s3cret");
        String id = started.json().get("instances").get(0).get("migrationId").asString();
        JsonNode migration = h().migration(id);
        assertThat(migration.get("name").asString()).isEqualTo("orders");
        assertThat(migration.get("mode").asString()).isEqualTo("incremental");
        assertThat(migration.get("filter").toString()).isEqualTo("[\"test_db.test_table\"]");
        assertThat(migration.get("source").get("host").asString()).isEqualTo("127.0.0.1");
        assertThat(migration.get("start").toString()).contains("mysql-bin.000004", "109227");
        await().atMost(Duration.ofSeconds(20)).until(() -> h().get("/api/v1/tasks/orders").json()
                .get("instances").get(0).path("unit").asString("").equals("Sync"));
        assertThat(h().get("/api/v1/tasks/orders").json().get("stage").asString()).isEqualTo("Running");

        Harness.Response twice = h().send("POST", "/api/v1/tasks", YAML, task("orders", "mysql-t1"));
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.json().get("code").asString()).isEqualTo("TM-10017");
        assertThat(twice.json().get("message").asString()).contains(id);
        Harness.Response held = h().send("DELETE", "/api/v1/sources/mysql-t1", null, null);
        assertThat(held.status()).isEqualTo(409);
        assertThat(held.json().get("code").asString()).isEqualTo("TM-10016");
        assertThat(held.json().get("message").asString()).contains("orders");

        Harness.Response paused = h().send("POST", "/api/v1/tasks/orders/pause", null, null);
        assertThat(paused.status()).as(paused.body()).isEqualTo(200);
        assertThat(paused.json().get("stage").asString()).isEqualTo("Paused");
        assertThat(h().migration(id).get("phase").asString()).isEqualTo("stopped");
        Harness.Response resumed = h().send("POST", "/api/v1/tasks/orders/resume", null, null);
        assertThat(resumed.json().get("stage").asString()).isEqualTo("Running");
        assertThat(h().migration(id).get("phase").asString()).isEqualTo("replicating");

        Harness.Response stopped = h().send("DELETE", "/api/v1/tasks/orders", null, null);
        assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
        assertThat(stopped.json().get("stage").asString()).isEqualTo("Stopped");
        assertThat(h().migration(id).get("phase").asString()).isEqualTo("stopped");
        Harness.Response gone = h().get("/api/v1/tasks/orders");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().get("code").asString()).isEqualTo("TM-10018");
        assertThat(h().send("DELETE", "/api/v1/sources/mysql-t1", null, null).status()).isEqualTo(200);
    }

    @Test
    void aTaskOfASourceWithEnableGtidMakesAMigrationThatResumesByGtid() {
        String gtidSource = source("mysql-g1", "p").replace("enable-gtid: false", "enable-gtid: true");
        Harness.Response created = h().send("POST", "/api/v1/sources", YAML, gtidSource);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).contains("enable-gtid", "start and resume replication by GTID set");

        Harness.Response started = h().send("POST", "/api/v1/tasks", YAML, task("gtidtask", "mysql-g1")
                .replace("      binlog-pos: 109227", "      binlog-pos: 109227\n      binlog-gtid: \"0-1-42\""));
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        JsonNode migration = h().migration(started.json().get("instances").get(0).get("migrationId").asString());
        assertThat(migration.get("enableGtid").asBoolean()).isTrue();
        assertThat(migration.get("start").get("gtidSet").asString()).isEqualTo("0-1-42");

        Harness.Response badSet = h().send("POST", "/api/v1/tasks", YAML, task("gtidbad", "mysql-g1")
                .replace("      binlog-pos: 109227", "      binlog-pos: 109227\n      binlog-gtid: \"0-1\""));
        assertThat(badSet.status()).isEqualTo(400);
        assertThat(badSet.json().get("code").asString()).isEqualTo("TM-10014");
        assertThat(badSet.body()).contains("mysql-instances[0].meta.binlog-gtid", "domain-server-sequence");
        assertThat(h().send("DELETE", "/api/v1/tasks/gtidtask", null, null).status()).isEqualTo(200);
    }

    @Test
    void aTaskOfAnUnknownSourceOrAFieldTheSpecRefusesStartsNothing() {
        Harness.Response unknown = h().send("POST", "/api/v1/tasks", YAML, task("lost", "mysql-none"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("problems")).singleElement().satisfies(p -> {
            assertThat(p.get("key").asString()).isEqualTo("mysql-instances[0].source-id");
            assertThat(p.get("line").asInt()).isEqualTo(14);
            assertThat(p.get("fix").asString()).contains("operate-source create");
        });

        assertThat(h().send("POST", "/api/v1/sources", YAML, source("mysql-t2", "p")).status()).isEqualTo(201);
        Harness.Response refused = h().send("POST", "/api/v1/tasks", YAML, task("lost", "mysql-t2")
                .replace("      binlog-pos: 109227", "      binlog-pos: 109227\n      binlog-gtid: \"\"")
                .replace("  user: \"root\"", "  user: \"\""));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("code").asString()).isEqualTo("TM-10014");
        assertThat(refused.json().get("message").asString())
                .contains("mysql-instances[0] (source mysql-t2): the migration made of it is refused", "target.user");
        assertThat(h().get("/api/v1/tasks/lost").status()).isEqualTo(404);
        assertThat(h().get("/api/v1/migrations").json().findValuesAsString("name")).doesNotContain("lost");
    }

    @Test
    void encryptSealsWithTheCoordinatorsKeySoItsOutputIsAPasswordASourceFileTakes() {
        Harness.Response sealed = h().post("/api/v1/encrypt", "{\"plaintext\": \"s3cret\"}");
        assertThat(sealed.status()).as(sealed.body()).isEqualTo(200);
        String ciphertext = sealed.json().get("ciphertext").asString();
        assertThat(ciphertext).startsWith("enc:v1:");
        assertThat(TestDatabases.secretBox().open(new io.tidemark.common.secret.Secret(ciphertext))).isEqualTo("s3cret");

        Harness.Response wrong = h().post("/api/v1/encrypt", "{\"plain\": \"s3cret\"}");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body()).doesNotContain("s3cret");

        assertThat(h().send("POST", "/api/v1/sources", YAML, source("mysql-upd", ciphertext)).status()).isEqualTo(201);
        Harness.Response updated = h().send("PUT", "/api/v1/sources", YAML, source("mysql-upd", ciphertext)
                .replace("127.0.0.1", "127.0.0.9"));
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(h().get("/api/v1/sources/mysql-upd").json().get("host").asString()).isEqualTo("127.0.0.9");
    }
}
