package io.tidemark.deploy.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** dmctl's {@code config export|import}: the files written and read, what is sent, printed, and the exit status. */
class ConfigCommandTest {
    private static final String SOURCE = "source-id: \"mysql-01\"\nfrom:\n  host: \"db\"\n  port: 3306\n"
            + "  user: \"root\"\n  password: \"enc:v1:AAAA\"\n";
    private static final String TASK = "# mine\nname: \"orders\"\ntask-mode: incremental\n";
    private static final String TASK_VIEW = """
            {"name": "orders", "mode": "incremental", "stage": "Running", "instances": [
              {"sourceId": "mysql-01", "migrationId": "orders-a1b2c", "stage": "Running", "unit": "Sync",
               "migration": {"id": "orders-a1b2c", "phase": "replicating"}}]}""";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private FakeCoordinator coordinator;
    @TempDir
    Path dir;

    @BeforeEach
    void setUp() throws Exception {
        coordinator = new FakeCoordinator();
    }

    @AfterEach
    void tearDown() {
        coordinator.close();
    }

    private String bundle() {
        return JSON.createObjectNode().<tools.jackson.databind.node.ObjectNode>set("sources", JSON.createArrayNode()
                        .add(JSON.createObjectNode().put("name", "mysql-01.yaml").put("file", SOURCE)))
                .set("tasks", JSON.createArrayNode()
                        .add(JSON.createObjectNode().put("name", "orders.yaml").put("file", TASK))).toString();
    }

    @Test
    void exportWritesEachSourceAndTaskAsItsFileAndWarnsOfAFileNotInTheExport() throws IOException {
        coordinator.on("GET /api/v1/config/export", 200, bundle());
        Path out = dir.resolve("configs");
        Files.createDirectories(out.resolve("tasks"));
        Files.writeString(out.resolve("tasks").resolve("gone.yaml"), "name: gone\n");

        Run run = Run.of("--master-addr", coordinator.addr(), "config", "export", "-d", out.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(out.resolve("sources").resolve("mysql-01.yaml")).hasContent(SOURCE);
        assertThat(Files.readString(out.resolve("tasks").resolve("orders.yaml"))).isEqualTo(TASK);
        assertThat(run.out()).contains("exported " + out.resolve("sources").resolve("mysql-01.yaml"),
                "config export: 1 source(s) and 1 task(s) written to " + out);
        assertThat(run.err()).contains("warning: " + out.resolve("tasks").resolve("gone.yaml")
                + " is not part of this export");
    }

    @Test
    void importSendsTheDirectorysFilesAsTheyAreAndPrintsWhatWasDone() throws IOException {
        Files.createDirectories(dir.resolve("sources"));
        Files.createDirectories(dir.resolve("tasks"));
        Files.writeString(dir.resolve("sources").resolve("mysql-01.yaml"), SOURCE);
        Files.writeString(dir.resolve("tasks").resolve("orders.yaml"), TASK);
        Files.writeString(dir.resolve("tasks").resolve("README.txt"), "not a task");
        coordinator.on("POST /api/v1/config/import", 200, """
                {"sources": [{"sourceId": "mysql-01", "file": "mysql-01.yaml", "action": "created"}],
                 "tasks": [{"name": "orders", "file": "orders.yaml", "action": "restarted", "task": %s}]}"""
                .formatted(TASK_VIEW));

        Run run = Run.of("--master-addr", coordinator.addr(), "config", "import", "-d", dir.toString(),
                "--overwrite");

        assertThat(run.exit()).as(run.err()).isZero();
        FakeCoordinator.Request sent = coordinator.requests("POST").getFirst();
        assertThat(sent.query()).isEqualTo("overwrite=true");
        assertThat(sent.contentType()).isEqualTo("application/json");
        JsonNode body = JSON.readTree(sent.text());
        assertThat(body.toString()).isEqualTo(JSON.readTree(bundle()).toString());
        assertThat(run.out()).contains("source mysql-01 created from " + dir.resolve("sources").resolve("mysql-01.yaml"),
                "task orders restarted from " + dir.resolve("tasks").resolve("orders.yaml") + ": stage Running",
                "orders-a1b2c", "config import: 1 source(s) and 1 task(s) imported");
    }

    @Test
    void aRefusedImportPrintsTheCodeAndFixAndExitsTwo() throws IOException {
        Files.createDirectories(dir.resolve("sources"));
        Files.writeString(dir.resolve("sources").resolve("mysql-01.yaml"), SOURCE);
        coordinator.on("POST /api/v1/config/import", 400, """
                {"code": "TM-10026", "message": "config import: the sealed passwords of source mysql-01\
                 (mysql-01.yaml) do not open with this coordinator's tidemark.secret-key",
                 "remedy": "on this cluster run tidemark encrypt PLAINTEXT"}""");

        Run run = Run.of("--master-addr", coordinator.addr(), "config", "import", "-d", dir.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(coordinator.requests("POST").getFirst().query()).isNull();
        assertThat(run.err()).contains("error: TM-10026 config import: the sealed passwords of source mysql-01",
                "fix: on this cluster run tidemark encrypt PLAINTEXT");
    }

    @Test
    void anEmptyOrMissingDirectoryAndAMisusedFlagAreRefusedWithoutAsking() {
        Run missing = Run.of("--master-addr", coordinator.addr(), "config", "import", "-d",
                dir.resolve("nope").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("is not a directory");

        Run empty = Run.of("--master-addr", coordinator.addr(), "config", "import", "-d", dir.toString());
        assertThat(empty.exit()).isEqualTo(2);
        assertThat(empty.err()).contains("nothing to import");

        Run noAction = Run.of("--master-addr", coordinator.addr(), "config", "exprt");
        assertThat(noAction.exit()).isEqualTo(2);
        assertThat(noAction.err()).contains("did you mean 'export'?");

        Run overwrite = Run.of("--master-addr", coordinator.addr(), "config", "export", "--overwrite");
        assertThat(overwrite.exit()).isEqualTo(2);
        assertThat(overwrite.err()).contains("--overwrite is an option of config import");
        assertThat(coordinator.requests()).isEmpty();
    }
}
