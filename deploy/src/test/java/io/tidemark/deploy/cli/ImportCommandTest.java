package io.tidemark.deploy.cli;

import io.tidemark.testkit.SilentServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.tidemark.deploy.cli.Views.ID;
import static io.tidemark.deploy.cli.Views.accepted;
import static io.tidemark.deploy.cli.Views.failed;
import static io.tidemark.deploy.cli.Views.table;
import static io.tidemark.deploy.cli.Views.verified;
import static io.tidemark.deploy.cli.Views.view;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tidemark import} against a fake of the coordinator's REST API: what is sent, what is printed, and the exit
 * status of each ending — completed, verification failed, failed, refused, unreachable, detached, checked.
 */
class ImportCommandTest {
    private static final String TOML = """
            [tidb]
            host = "10.0.1.5"
            port = 4000
            user = "tidemark"
            password = "s3cr3t-tidb"
            [mydumper]
            data-source-dir = "s3://my-bucket/aurora-export?region=us-west-2"
            """;
    private static final String POLL = "GET /api/v1/migrations/" + ID;

    @TempDir
    Path dir;
    private Path config;
    private FakeCoordinator coordinator;

    @BeforeEach
    void setUp() throws Exception {
        config = Files.writeString(dir.resolve("tidb-lightning-data.toml"), TOML);
        coordinator = new FakeCoordinator();
    }

    @AfterEach
    void tearDown() {
        coordinator.close();
    }

    @Test
    void anImportThatCompletesPrintsNotesProgressEachTablesRowsAndTheLineLightningUsersLookFor() {
        // Given a coordinator that accepts the file and then reports the import's progress until it completes
        coordinator.on("POST /api/v1/imports", 201, accepted(view("pending")))
                .on(POLL, 200, view("importing", table("`mydb`.`orders`", "importing", 1, 2, 500)),
                        view("importing", table("`mydb`.`orders`", "importing", 1, 2, 500)),
                        view("completed", verified("`mydb`.`orders`", 1000, 1000, 1000)));

        // When the file is imported
        Run run = Run.of("--master-addr", coordinator.addr(), "import", "--config", config.toString());

        // Then the file went as it is, named, as TOML
        FakeCoordinator.Request post = coordinator.requests("POST").getFirst();
        assertThat(post.text()).isEqualTo(TOML);
        assertThat(post.contentType()).isEqualTo("application/toml");
        assertThat(post.query()).isEqualTo("name=tidb-lightning-data.toml");
        // and the notes come first, a progress line only when something changed, then the summary and the last line
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().lines().toList()).startsWith(
                "note: " + config + ":8 tidb.status-port: not used: Tidemark talks to TiDB over SQL only",
                "note: " + config + ":15 tikv-importer.backend: imported logically, through the target's SQL interface",
                "import " + ID + " accepted; waiting for it (Ctrl-C stops the waiting, not the import)");
        assertThat(run.out().lines().filter(l -> l.startsWith("progress: "))).hasSize(3)
                .element(1).asString().startsWith("progress: importing, tables 0/1, chunks 1/2 (50%), 500 rows, elapsed");
        assertThat(run.out()).containsPattern("`mydb`.`orders` +imported +2/2 +1000 +- +1000 +1000 +ok")
                .endsWith(ImportCommand.COMPLETED + System.lineSeparator())
                .doesNotContain("s3cr3t-tidb");
    }

    @Test
    void anImportWhoseTargetHoldsOtherRowCountsThanItsFilesFailsWithoutTheCompletedLine() {
        coordinator.on("POST /api/v1/imports", 201, accepted(view("importing")))
                .on(POLL, 200, view("completed", verified("`mydb`.`orders`", 1000, 1000, 998),
                        verified("`mydb`.`items`", 10, 10, 10)));

        Run run = Run.of("--master-addr", coordinator.addr(), "import", "--config", config.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).containsPattern("`mydb`.`orders` +imported +2/2 +1000 +- +1000 +998 +MISMATCH")
                .contains("verification failed").doesNotContain(ImportCommand.COMPLETED);
    }

    @Test
    void aFailedImportPrintsItsErrorWithTheFixAndHowToRetryIt() {
        String error = """
                {"code": "TM-30014", "message": "target 127.0.0.1:4000 has no table `mydb`.`orders`: no-schema is set",
                 "remedy": "create the table first, then retry the import", "stage": "import", "retriable": false}""";
        coordinator.on("POST /api/v1/imports", 201, accepted(view("importing")))
                .on(POLL, 200, failed(error, table("`mydb`.`orders`", "importing", 0, 0, 0)));

        Run run = Run.of("--master-addr", coordinator.addr(), "import", "--config", config.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains(
                "the import failed: TM-30014 target 127.0.0.1:4000 has no table `mydb`.`orders`: no-schema is set",
                "  fix: create the table first, then retry the import",
                "curl -X POST http://" + coordinator.addr() + "/api/v1/migrations/" + ID + "/retry",
                "tidemark --master-addr " + coordinator.addr() + " query-status " + ID)
                .doesNotContain(ImportCommand.COMPLETED);
    }

    @Test
    void aRefusedFileListsEveryProblemWithItsLineAndFixAndExitsTwo() {
        coordinator.on("POST /api/v1/imports", 400, """
                {"code": "TM-10013", "message": "TiDB Lightning file tidb-lightning-data.toml cannot be imported: …",
                 "remedy": "fix each named key as its 'fix:' says and submit the file again",
                 "problems": [
                   {"line": 6, "column": 21, "key": "tidb.user",
                    "cause": "does not parse as TOML: Unexpected end of line, expected \\"",
                    "fix": "close the string with the same quote it opens with"},
                   {"line": 5, "column": 8, "key": "tidb.port", "value": "0", "cause": "is not a TCP port",
                    "fix": "write port = 4000"}]}""");

        Run run = Run.of("--master-addr", coordinator.addr(), "import", "--config", config.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().lines()).containsExactly(
                "error: " + config + ":6 tidb.user: does not parse as TOML: Unexpected end of line, expected \""
                        + "; fix: close the string with the same quote it opens with",
                "error: " + config + ":5 tidb.port = 0: is not a TCP port; fix: write port = 4000",
                "refused (TM-10013), nothing was started: fix each named key as its 'fix:' says and submit the file again");
        assertThat(coordinator.requests("GET")).isEmpty();
    }

    @Test
    void failedPrechecksListEachFailingCheckWithItsFix() {
        coordinator.on("POST /api/v1/imports", 422, """
                {"code": "TM-10008", "message": "prechecks failed: target_login", "remedy": "fix each item",
                 "failures": [{"name": "target_login", "state": "FAIL", "message": "access denied for tidemark",
                               "instruction": "check user and password under [tidb]"}],
                 "warnings": [], "notChecked": ["target_privileges"]}""");

        Run run = Run.of("--master-addr", coordinator.addr(), "import", "--config", config.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains(
                "error: check target_login failed: access denied for tidemark; fix: check user and password under [tidb]",
                "not checked, as a check they need failed: target_privileges",
                "refused (TM-10008), nothing was started: fix each item");
    }

    @Test
    void aCoordinatorThatIsNotThereIsOneLineNamingTheAddressAndTheFixWithExitThree() throws Exception {
        String addr = "127.0.0.1:" + SilentServer.closedPort();

        Run run = Run.of("--master-addr", addr, "import", "--config", config.toString());

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err().lines()).singleElement().asString()
                .startsWith("tidemark: cannot reach the Tidemark coordinator at " + addr + " (connection refused)")
                .contains("is the platform running there?").contains("--master-addr HOST:PORT");
    }

    @Test
    void aCoordinatorThatNeverAnswersIsGivenUpOnAfterTheCallTimeout() throws Exception {
        try (SilentServer silent = SilentServer.start()) {
            String addr = "127.0.0.1:" + silent.port();

            Run run = Run.of("--master-addr", addr, "import", "--config", config.toString());

            assertThat(run.exit()).isEqualTo(3);
            assertThat(run.err()).contains("cannot reach the Tidemark coordinator at " + addr
                    + " (no answer within 2s to POST /api/v1/imports)");
        }
    }

    @Test
    void aCoordinatorThatGoesAwayWhileWaitedOnIsWaitedOutThenNamedWithHowToWatchTheImport() {
        coordinator.on("POST /api/v1/imports", 201, accepted(view("importing")));
        coordinator.on(POLL, 503, """
                {"code": "TM-50001", "message": "Kafka is unavailable", "remedy": "wait"}""");

        Run run = Run.of("--master-addr", coordinator.addr(), "import", "--config", config.toString());

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.out()).contains("does not answer (HTTP 503 TM-50001 Kafka is unavailable); still waiting");
        assertThat(run.err()).contains("import " + ID + " still runs on the platform; watch it once the coordinator"
                + " answers: tidemark --master-addr " + coordinator.addr() + " query-status " + ID);
        assertThat(coordinator.requests("GET").size()).isGreaterThan(2);
    }

    @Test
    void detachedTheImportIsAcceptedAndNotWaitedOn() {
        coordinator.on("POST /api/v1/imports", 201, accepted(view("pending")));

        Run run = Run.of("--master-addr", coordinator.addr(), "import", "--config", config.toString(), "--detach");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("import " + ID + " accepted; it runs on the platform",
                "watch it: tidemark --master-addr " + coordinator.addr() + " query-status " + ID);
        assertThat(coordinator.requests("GET")).isEmpty();
    }

    @Test
    void aCheckShowsWhatWouldBeImportedAndCreatesNothing() {
        coordinator.on("POST /api/v1/imports/check", 200, """
                {"passed": true,
                 "checks": [{"name": "target_login", "state": "PASS", "message": "ok", "instruction": null},
                            {"name": "keyless_tables", "state": "WARN", "message": "`mydb`.`logs` has no key",
                             "instruction": "a retried chunk may duplicate its rows"}],
                 "notes": [{"line": 15, "key": "tikv-importer.backend", "text": "imported logically"}],
                 "tables": [{"table": "`mydb`.`orders`", "target": "`mydb`.`orders`", "bytes": 3072,
                             "dataFiles": ["exp/mydb/mydb.orders/1/part-00000-a-c000.gz.parquet",
                                           "exp/mydb/mydb.orders/1/part-00001-b-c000.gz.parquet"],
                             "schemaFiles": ["mydb.orders-schema.sql"]}]}""");

        Run run = Run.of("--master-addr", coordinator.addr(), "import", "--check", "--config", config.toString());

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("note: " + config + ":15 tikv-importer.backend: imported logically",
                        "warning: check keyless_tables: `mydb`.`logs` has no key; a retried chunk may duplicate its rows")
                .containsPattern("`mydb`.`orders` +\\(same\\) +2 +1 +3.0 KiB").contains("check passed")
                .doesNotContain("target_login");
        assertThat(coordinator.requests()).extracting(FakeCoordinator.Request::path)
                .containsExactly("/api/v1/imports/check");
    }

    @Test
    void aCheckThatFailsListsTheFailuresAndExitsTwo() {
        coordinator.on("POST /api/v1/imports/check", 200, """
                {"passed": false, "notes": [], "tables": [],
                 "checks": [{"name": "storage_readable", "state": "FAIL", "message": "no bucket my-bucket",
                             "instruction": "create it or fix data-source-dir"},
                            {"name": "target_tables", "state": "SKIPPED", "message": "", "instruction": null}]}""");

        Run run = Run.of("--master-addr", coordinator.addr(), "import", "--check", "--config", config.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).contains(
                "error: check storage_readable failed: no bucket my-bucket; fix: create it or fix data-source-dir",
                "not checked, as a check they need failed: target_tables", "check failed");
    }

    @Test
    void aFileThatCannotBeReadIsNamedAndNothingIsSent() {
        Run run = Run.of("--master-addr", coordinator.addr(), "import", "--config", dir.resolve("nope.toml").toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("tidemark: cannot read --config " + dir.resolve("nope.toml")
                + ": no such file" + System.lineSeparator());
        assertThat(coordinator.requests()).isEmpty();
    }

    @Test
    void theFileGoesByteForByteWhateverItsEncoding() throws Exception {
        byte[] latin1 = "# caf\u00e9\n[tidb]\n".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(config, latin1);
        coordinator.on("POST /api/v1/imports", 201, accepted(view("pending")));

        Run.of("--master-addr", coordinator.addr(), "import", "--config", config.toString(), "--detach");

        assertThat(coordinator.requests("POST").getFirst().body()).isEqualTo(latin1);
    }
}
