package io.tidemark.coordinator;

import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.topic.TopicCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * dmctl's {@code config export|import} through the API against a real broker: every source and task leaves as the
 * files that make them again, passwords sealed, and an import after everything was removed brings back the same files
 * and tasks that run. Prechecks are off: no database is needed to read the files.
 */
class ConfigExportIT {
    private static final String YAML = "application/yaml";
    private static final String JSON_TYPE = "application/json";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** the sealed password of an exported source: random on every seal, so compared apart */
    private static final String SEALED = "\"enc:v1:[A-Za-z0-9+/=]+\"";

    @RegisterExtension
    static final CoordinatorOnKafka ENV = new CoordinatorOnKafka();

    private static Harness h() {
        return ENV.h();
    }

    private static String task(String name, String sourceId) {
        return """
                # the orders task, as the DBA wrote it
                name: "%s"
                task-mode: incremental
                target-database:
                  host: "127.0.0.2"
                  port: 4000
                  user: "root"
                  password: 'tidb-s3cret'   # plaintext: sealed before it is kept
                block-allow-list:
                  listA:
                    do-dbs: ["shop"]
                mysql-instances:
                  - source-id: "%s"
                    block-allow-list: "listA"
                    meta:
                      binlog-name: "mysql-bin.000004"
                      binlog-pos: 4
                """.formatted(name, sourceId);
    }

    private static JsonNode file(JsonNode bundle, String list, String name) {
        for (JsonNode f : bundle.get(list)) {
            if (f.get("name").asString().equals(name)) {
                return f.get("file");
            }
        }
        throw new AssertionError(list + " of " + bundle + " holds no " + name);
    }

    private static void awaitSync(String task) {
        await().atMost(Duration.ofSeconds(20)).until(() -> h().get("/api/v1/tasks/" + task).json()
                .path("instances").path(0).path("unit").asString("").equals("Sync"));
    }

    @Test
    void anExportImportedAfterEverythingWasRemovedBringsBackTheSameFilesAndRunningTasks() {
        assertThat(h().send("POST", "/api/v1/sources?name=s.yaml", YAML, DmFilesIT.source("exp-01", "src-s3cret"))
                .status()).isEqualTo(201);
        String original = task("exp-orders", "exp-01");
        assertThat(h().send("POST", "/api/v1/tasks?name=orders.yaml", YAML, original).status()).isEqualTo(201);
        awaitSync("exp-orders");

        Harness.Response exported = h().get("/api/v1/config/export");
        assertThat(exported.status()).as(exported.body()).isEqualTo(200);
        assertThat(exported.body()).doesNotContain("s3cret");
        String sourceFile = file(exported.json(), "sources", "exp-01.yaml").asString();
        String taskFile = file(exported.json(), "tasks", "exp-orders.yaml").asString();
        assertThat(sourceFile).contains("source-id: \"exp-01\"", "  host: \"127.0.0.1\"", "  port: 3306",
                "  user: \"root\"", "enable-relay: true").containsPattern("  password: " + SEALED);
        // the user's file as written (comments, quoting, order), but the password sealed in place
        assertThat(taskFile).containsPattern("  password: " + SEALED + "   # plaintext: sealed before it is kept");
        assertThat(taskFile.replaceAll(SEALED, "'tidb-s3cret'")).isEqualTo(original);
        assertThat(Harness.records(ENV.kafka(), TopicCatalog.DEFAULT.dmConfigs(), "task/exp-orders"))
                .allSatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8)).doesNotContain("s3cret"));

        // delete all, as on a new cluster
        assertThat(h().send("POST", "/api/v1/tasks/exp-orders/stop", null, null).status()).isEqualTo(200);
        assertThat(h().send("DELETE", "/api/v1/sources/exp-01", null, null).status()).isEqualTo(200);
        assertThat(h().get("/api/v1/config/export").json().toString()).doesNotContain("exp-01", "exp-orders");

        Harness.Response imported = h().send("POST", "/api/v1/config/import", JSON_TYPE, exported.body());

        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        assertThat(imported.json().get("sources").get(0).get("action").asString()).isEqualTo("created");
        assertThat(imported.json().get("tasks").get(0).get("action").asString()).isEqualTo("started");
        awaitSync("exp-orders");
        assertThat(h().get("/api/v1/tasks/exp-orders").json().get("stage").asString()).isEqualTo("Running");
        assertThat(h().get("/api/v1/sources/exp-01").json().get("host").asString()).isEqualTo("127.0.0.1");
        JsonNode again = h().get("/api/v1/config/export").json();
        assertThat(file(again, "tasks", "exp-orders.yaml").asString()).isEqualTo(taskFile);
        assertThat(file(again, "sources", "exp-01.yaml").asString().replaceAll(SEALED, "S"))
                .isEqualTo(sourceFile.replaceAll(SEALED, "S"));

        // a second import of the same bundle: refused naming both, unless --overwrite
        Harness.Response twice = h().send("POST", "/api/v1/config/import", JSON_TYPE, exported.body());
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.json().get("code").asString()).isEqualTo("TM-10027");
        assertThat(twice.json().get("message").asString()).contains("source exp-01", "task exp-orders");
        Harness.Response overwritten = h().send("POST", "/api/v1/config/import?overwrite=true", JSON_TYPE,
                exported.body());
        assertThat(overwritten.status()).as(overwritten.body()).isEqualTo(200);
        assertThat(overwritten.json().get("sources").get(0).get("action").asString()).isEqualTo("replaced");
        assertThat(overwritten.json().get("tasks").get(0).get("action").asString()).isEqualTo("restarted");
        awaitSync("exp-orders");
    }

    @Test
    void passwordsSealedWithAnotherKeyAreRefusedNamingEachFileAndNothingIsImported() {
        SecretBox other = SecretBox.fromBase64Key(SecretBox.generateKey());
        ObjectNode bundle = JSON.createObjectNode();
        bundle.putArray("sources").addObject().put("name", "foreign-01.yaml")
                .put("file", DmFilesIT.source("foreign-01", other.seal("p").value()));
        bundle.putArray("tasks").addObject().put("name", "foreign-task.yaml").put("file",
                task("foreign-task", "foreign-01").replace("'tidb-s3cret'", "\"" + other.seal("t").value() + "\""));

        Harness.Response refused = h().send("POST", "/api/v1/config/import", JSON_TYPE, bundle.toString());

        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.json().get("code").asString()).isEqualTo("TM-10026");
        assertThat(refused.json().get("message").asString())
                .contains("source foreign-01 (foreign-01.yaml)", "task foreign-task (foreign-task.yaml)");
        assertThat(refused.json().get("remedy").asString()).contains("tidemark encrypt", "plaintext");
        assertThat(h().get("/api/v1/sources/foreign-01").status()).isEqualTo(404);
        assertThat(h().get("/api/v1/tasks/foreign-task").status()).isEqualTo(404);
    }

    @Test
    void anUnknownFieldOrParameterOfTheBundleIsRefusedNamingIt() {
        Harness.Response field = h().send("POST", "/api/v1/config/import", JSON_TYPE,
                "{\"sources\": [{\"name\": \"a.yaml\", \"file\": \"x\", \"path\": \"/\"}]}");
        assertThat(field.status()).isEqualTo(400);
        assertThat(field.json().get("code").asString()).isEqualTo("TM-10028");
        assertThat(field.json().get("message").asString()).contains("unknown field `sources[0].path`");

        Harness.Response param = h().send("POST", "/api/v1/config/import?overwrit=true", JSON_TYPE, "{}");
        assertThat(param.status()).isEqualTo(400);
        assertThat(param.json().get("message").asString()).contains("overwrit", "overwrite");
    }
}
