package io.tidemark.deploy.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.tidemark.deploy.cli.Views.ID;
import static io.tidemark.deploy.cli.Views.failed;
import static io.tidemark.deploy.cli.Views.table;
import static io.tidemark.deploy.cli.Views.view;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code tidemark query-status}: every migration as a table, one in detail, an unknown one named. */
class QueryStatusTest {
    private FakeCoordinator coordinator;

    @BeforeEach
    void setUp() throws Exception {
        coordinator = new FakeCoordinator();
    }

    @AfterEach
    void tearDown() {
        coordinator.close();
    }

    @Test
    void withoutAnIdEveryMigrationIsALineOfIdNameModeAndPhase() {
        coordinator.on("GET /api/v1/migrations", 200, "[" + view("importing") + ","
                + view("completed").replace(ID, "shop-to-tidb-x1").replace("\"import\"", "\"full\"") + "]");

        Run run = Run.of("--master-addr", coordinator.addr(), "query-status");

        assertThat(run.exit()).isZero();
        assertThat(run.out().lines()).hasSize(3);
        assertThat(run.out()).containsPattern("ID +NAME +MODE +PHASE")
                .containsPattern(ID + " +tidb-lightning-data +import +importing")
                .containsPattern("shop-to-tidb-x1 +tidb-lightning-data +full +completed");
    }

    @Test
    void withAnIdTheMigrationIsShownInDetailWithItsTablesAndError() {
        String error = """
                {"code": "TM-30014", "message": "target has no table `mydb`.`orders`", "remedy": "create it first"}""";
        coordinator.on("GET /api/v1/migrations/" + ID, 200,
                failed(error, table("`mydb`.`orders`", "importing", 1, 3, 120)
                        .replace("}", ", \"bytesImported\": 1048576, \"bytesTotal\": 3145728}")));

        Run run = Run.of("--master-addr", coordinator.addr(), "query-status", ID);

        assertThat(run.exit()).isZero();
        assertThat(run.out()).containsPattern("phase +failed").containsPattern("target +10.0.1.5:4000 \\(user tidemark\\)")
                .containsPattern("storage +s3://my-bucket/aurora-export\\?region=us-west-2")
                .containsPattern("`mydb`.`orders` +importing +1/3 +120 +1.0 MiB/3.0 MiB \\[###-------\\] 33%")
                .contains("error: TM-30014 target has no table `mydb`.`orders`", "  fix: create it first")
                .doesNotContain("source");
    }

    @Test
    void aTaskShowsEachSourcesMasterBinlogBesideReplicationsAndItsRate() {
        coordinator.on("GET /api/v1/tasks/test", 200, """
                {"name": "test", "mode": "incremental", "stage": "Running", "instances": [{"sourceId": "mysql-01",
                 "migrationId": "test-a1b2c", "stage": "Running", "unit": "Sync",
                 "masterBinlog": {"file": "mysql-bin.000004", "pos": 9000}, "synced": false,
                 "migration": {"id": "test-a1b2c", "name": "test", "mode": "incremental", "phase": "replicating",
                  "target": {"host": "10.0.1.5", "port": 4000, "user": "tidemark"},
                  "positions": {"replication": {"file": "mysql-bin.000004", "pos": 4000}},
                  "lagSeconds": 3, "rowsPerSecond": 1234.56, "tables": []}}]}""");

        Run run = Run.of("--master-addr", coordinator.addr(), "query-status", "test");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("replication +mysql-bin.000004:4000")
                .containsPattern("master binlog +mysql-bin.000004:9000 \\(not synced yet\\)")
                .containsPattern("lag +3s").containsPattern("rows/s +1234.6");
    }

    @Test
    void anAuroraExportInTheSnapshotPhaseShowsAwsPercentAndExtractedSize() {
        coordinator.on("GET /api/v1/migrations/fleet-x1", 200, """
                {"id": "fleet-x1", "name": "fleet", "mode": "all", "phase": "snapshotting",
                 "target": {"host": "10.0.1.5", "port": 4000, "user": "tidemark"}, "tables": [],
                 "export": {"exportTask": "tidemark-fleet-x1-e1-a1b2", "status": "IN_PROGRESS", "percent": 42,
                  "extractedGb": 3}}""");

        Run run = Run.of("--master-addr", coordinator.addr(), "query-status", "fleet-x1");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("phase +snapshotting")
                .containsPattern("export +42 %, 3 GB \\(IN_PROGRESS, tidemark-fleet-x1-e1-a1b2\\)");
    }

    @Test
    void anUnknownIdIsNamedWithHowToListTheMigrations() {
        coordinator.on("GET /api/v1/migrations/nope", 404, """
                {"code": "TM-10005", "message": "no migration nope", "remedy": "list them with GET /api/v1/migrations"}""");

        Run run = Run.of("--master-addr", coordinator.addr(), "query-status", "nope");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("error: TM-10005 no migration nope",
                "list the migrations with tidemark --master-addr " + coordinator.addr() + " query-status");
    }

    @Test
    void aServerThatAnswersButIsNotTheCoordinatorIsNamedWithExitThree() {
        coordinator.on("GET /api/v1/migrations", 200, "<html><body>It works!</body></html>");

        Run run = Run.of("--master-addr", coordinator.addr(), "query-status");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).contains("at " + coordinator.addr() + " (HTTP 200 to GET /api/v1/migrations without a"
                + " Tidemark answer (not JSON); is that the coordinator's REST port?)");
    }
}
