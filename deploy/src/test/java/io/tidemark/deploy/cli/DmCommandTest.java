package io.tidemark.deploy.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** dmctl's verbs on DM files: what is sent where, what is printed, and the exit status a script sees. */
class DmCommandTest {
    private static final String TASK_VIEW = """
            {"name": "test", "mode": "incremental", "stage": "Running", "instances": [
              {"sourceId": "mysql-01", "migrationId": "test-a1b2c", "stage": "Running", "unit": "Sync",
               "migration": {"id": "test-a1b2c", "name": "test", "mode": "incremental", "phase": "replicating"}}],
             "notes": ["line 9: black-white-list: the old name of block-allow-list"]}""";

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

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void operateSourceCreateSendsTheFileAsItIsAndPrintsTheSourceAndItsNotes() throws IOException {
        String yaml = "source-id: \"mysql-01\"\nfrom:\n  host: db\n  port: 3306\n  user: root\n  password: x\n";
        coordinator.on("POST /api/v1/sources", 201, """
                {"sourceId": "mysql-01", "host": "db", "port": 3306, "user": "root", "enableGtid": false,
                 "enableRelay": true, "notes": ["line 7: enable-relay: accepted; the relay log is not implemented"]}""");

        Run run = Run.of("--master-addr", coordinator.addr(), "operate-source", "create",
                file("source1.yaml", yaml).toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("note: source1.yaml line 7: enable-relay: accepted",
                "source mysql-01 created: root@db:3306");
        FakeCoordinator.Request sent = coordinator.requests("POST").getFirst();
        assertThat(sent.text()).isEqualTo(yaml);
        assertThat(sent.query()).isEqualTo("name=source1.yaml");
        assertThat(sent.contentType()).isEqualTo("application/yaml");
    }

    @Test
    void aRefusedFileIsPrintedProblemByProblemAndExitsTwo() throws IOException {
        coordinator.on("POST /api/v1/tasks", 400, """
                {"code": "TM-10014", "message": "DM task file task1.yaml cannot be used: ...", "remedy": "fix each",
                 "problems": [{"line": 4, "column": 3, "key": "target-database.prot", "cause": "is not a key",
                               "fix": "did you mean `target-database.port`?"}]}""");

        Run run = Run.of("--master-addr", coordinator.addr(), "start-task", file("task1.yaml", "name: x").toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("error: task1.yaml:4 target-database.prot: is not a key; fix: did you mean"
                + " `target-database.port`?", "refused (TM-10014), nothing was started");
    }

    @Test
    void startTaskPrintsTheStageOfEachSourceAndJsonPrintsTheAnswerForScripts() throws IOException {
        coordinator.on("POST /api/v1/tasks", 201, TASK_VIEW);
        Path task = file("task1.yaml", "name: test");

        Run human = Run.of("--master-addr", coordinator.addr(), "start-task", task.toString(), "--remove-meta");
        Run json = Run.of("--master-addr", coordinator.addr(), "--json", "start-task", task.toString());

        assertThat(human.exit()).isZero();
        assertThat(human.out()).contains("note: task1.yaml line 9: black-white-list", "task test started: stage Running")
                .containsPattern("mysql-01 +test-a1b2c +Running +Sync +replicating");
        assertThat(json.exit()).isZero();
        assertThat(json.out()).contains("\"stage\" : \"Running\"", "\"unit\" : \"Sync\"");
        // --remove-meta reaches the coordinator (it starts over at meta instead of resuming a stopped task)
        assertThat(coordinator.requests("POST")).extracting(FakeCoordinator.Request::query)
                .containsExactly("name=task1.yaml&remove-meta=true", "name=task1.yaml");
    }

    @Test
    void checkTaskPrintsEveryCheckAndExitsOneWhenOneFails() throws IOException {
        coordinator.on("POST /api/v1/tasks/check", 200, """
                {"name": "test", "passed": false, "notes": [], "instances": [{"sourceId": "mysql-01",
                 "migration": "test", "passed": false, "checks": [
                  {"name": "binlog_format", "state": "PASS", "message": "ROW", "instruction": null},
                  {"name": "source privileges", "state": "FAIL", "message": "REPLICATION SLAVE is missing",
                   "instruction": "GRANT REPLICATION SLAVE ON *.* TO 'dm'@'%'"}]}]}""");

        Run run = Run.of("--master-addr", coordinator.addr(), "check-task", file("t.yaml", "x").toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).containsPattern("pass +binlog_format +ROW")
                .containsPattern("fail +source privileges +REPLICATION SLAVE is missing; fix: GRANT REPLICATION SLAVE")
                .contains("check-task failed: test");
    }

    @Test
    void queryStatusOfATaskShowsItsStageAndStopTaskCallsStop() {
        coordinator.on("GET /api/v1/tasks/test", 200, TASK_VIEW);
        coordinator.on("POST /api/v1/tasks/test/stop", 200, TASK_VIEW.replace("\"stage\": \"Running\", \"inst",
                "\"stage\": \"Stopped\", \"inst"));

        Run status = Run.of("--master-addr", coordinator.addr(), "query-status", "test");
        Run stop = Run.of("--master-addr", coordinator.addr(), "stop-task", "test");

        assertThat(status.exit()).isZero();
        assertThat(status.out()).contains("task test (task-mode incremental): stage Running")
                .containsPattern("mysql-01 +test-a1b2c +Running +Sync");
        assertThat(stop.exit()).isZero();
        assertThat(stop.out()).contains("task test stopped: stage Stopped");
    }

    @Test
    void anUnknownTaskIsRefusedWithExitTwoAndAStoppedSourceIsNamedFromItsFile() throws IOException {
        coordinator.on("POST /api/v1/tasks/nope/pause", 404, """
                {"code": "TM-10018", "message": "no task named 'nope'", "remedy": "list tasks"}""");
        coordinator.on("DELETE /api/v1/sources/mysql-01", 200, "{\"sourceId\": \"mysql-01\"}");

        Run pause = Run.of("--master-addr", coordinator.addr(), "pause-task", "nope");
        Run stop = Run.of("--master-addr", coordinator.addr(), "operate-source", "stop",
                file("source1.yaml", """
                        # Must be unique.
                        source-id: "mysql-01"
                        from:
                          host: "aurora.cluster-x.ap-northeast-1.rds.amazonaws.com"
                          port: 3306
                          user: "dm"
                          password: "enc:v1:QUJDREVGR0g="
                        """).toString());

        assertThat(pause.exit()).isEqualTo(2);
        assertThat(pause.err()).contains("error: TM-10018 no task named 'nope'");
        assertThat(stop.exit()).isZero();
        assertThat(stop.out()).contains("source mysql-01 stopped and removed");
    }

    @Test
    void aSourceFileThatDoesNotParseStopsNothingAndNamesItsProblem() throws IOException {
        Run stop = Run.of("--master-addr", coordinator.addr(), "operate-source", "stop",
                file("source1.yaml", "source-id: \"mysql-01\"\nfrom:\n  host: h\n  port: 3306\n  user: u\n"
                        + "  pasword: x\n").toString());

        assertThat(stop.exit()).isEqualTo(2);
        assertThat(stop.err()).contains("from.pasword", "password");
        assertThat(coordinator.requests("DELETE")).isEmpty();
    }

    @Test
    void encryptPrintsOnlyTheSealedTextTheCoordinatorMade() {
        coordinator.on("POST /api/v1/encrypt", 200, "{\"ciphertext\": \"enc:v1:QUJD\"}");

        Run run = Run.of("--master-addr", coordinator.addr(), "encrypt", "s3cret");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo("enc:v1:QUJD" + System.lineSeparator());
        assertThat(coordinator.requests("POST").getFirst().text()).isEqualTo("{\"plaintext\":\"s3cret\"}");
    }

    @Test
    void wrongUsageOfTheVerbsIsRefusedBeforeAnyCall() {
        assertThat(Run.of("--master-addr", coordinator.addr(), "operate-source", "crate", "x").err())
                .contains("did you mean 'create'?");
        assertThat(Run.of("--master-addr", coordinator.addr(), "start-task").exit()).isEqualTo(2);
        assertThat(Run.of("--master-addr", coordinator.addr(), "pause-task", "a", "--remove-meta").err())
                .contains("--remove-meta is not an option of pause-task");
        assertThat(Run.of("--master-addr", coordinator.addr(), "start-task", dir.resolve("none.yaml").toString())
                .err()).contains("cannot read");
        assertThat(coordinator.requests()).isEmpty();
    }

    @Test
    void binlogReplaceOnATaskGoesToItsFailedMigrationWithTheStatementsAndPrintsWhereItApplies() {
        coordinator.on("GET /api/v1/tasks/test", 200, TASK_VIEW.replace("\"replicating\"", "\"failed\""));
        coordinator.on("POST /api/v1/migrations/test-a1b2c/binlog", 200, """
                {"id": "test-a1b2c", "phase": "replicating", "binlogOperations": [{"op": "replace",
                 "position": "mysql-bin.000004:1234", "sql": ["ALTER TABLE x ADD KEY k (v)"],
                 "at": "2026-12-03T07:00:00Z", "pending": true}]}""");

        Run run = Run.of("--master-addr", coordinator.addr(), "binlog", "replace", "test",
                "ALTER TABLE x ADD KEY k (v)", "ALTER TABLE x ADD KEY k2 (v)");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("migration test-a1b2c: binlog replace at mysql-bin.000004:1234;"
                + " replication resumes: phase replicating");
        FakeCoordinator.Request sent = coordinator.requests("POST").getFirst();
        assertThat(sent.text()).isEqualTo("{\"op\":\"replace\",\"sql\":[\"ALTER TABLE x ADD KEY k (v)\","
                + "\"ALTER TABLE x ADD KEY k2 (v)\"]}");
        assertThat(sent.contentType()).isEqualTo("application/json");
    }

    @Test
    void binlogSkipOnAMigrationAtAnotherPositionIsRefusedWithTheCoordinatorsWordsAndExitsTwo() {
        coordinator.on("POST /api/v1/migrations/test-a1b2c/binlog", 409, """
                {"code": "TM-30021", "message": "binlog position mysql-bin.000004:99 is not the statement the task                 stopped on (mysql-bin.000004:1234)", "remedy": "give the position the error names"}""");

        Run run = Run.of("--master-addr", coordinator.addr(), "binlog", "skip", "test-a1b2c", "-b",
                "mysql-bin.000004:99");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("TM-30021", "mysql-bin.000004:1234");
        assertThat(coordinator.requests("POST").getFirst().text())
                .isEqualTo("{\"op\":\"skip\",\"position\":\"mysql-bin.000004:99\"}");
    }

    @Test
    void binlogWithoutAnActionOrWithSqlForSkipIsAUsageError() {
        assertThat(Run.of("binlog", "skp", "test")).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("binlog needs an action", "did you mean 'skip'?");
        });
        assertThat(Run.of("binlog", "skip", "test", "DROP TABLE x").err())
                .contains("binlog skip TASK|MIGRATION-ID [-b FILE:POS]");
        assertThat(Run.of("binlog", "replace", "test").err()).contains("the SQL to run instead");
        assertThat(Run.of("binlog", "inject", "test").err()).contains("the SQL to run before the event");
        assertThat(Run.of("binlog", "list", "test", "x").err()).contains("binlog list TASK|MIGRATION-ID");
    }

    @Test
    void binlogInjectSendsItsStatementsAndListShowsEachOperationPendingOrPassed() {
        coordinator.on("GET /api/v1/tasks/test-a1b2c", 404, """
                {"code": "TM-10018", "message": "no task named 'test-a1b2c'", "remedy": "list tasks"}""");
        coordinator.on("POST /api/v1/migrations/test-a1b2c/binlog", 200, """
                {"id": "test-a1b2c", "phase": "replicating", "binlogOperations": [{"op": "inject",
                 "position": "mysql-bin.000004:1234", "sql": ["DELETE FROM x WHERE id = 2"],
                 "at": "2026-12-03T07:00:00Z", "pending": true}]}""");
        coordinator.on("GET /api/v1/migrations/test-a1b2c", 200, """
                {"id": "test-a1b2c", "phase": "replicating", "binlogOperations": [
                 {"op": "skip", "position": "mysql-bin.000004:900", "sql": [], "at": "2026-12-03T06:00:00Z",
                  "pending": false},
                 {"op": "inject", "position": "mysql-bin.000004:1234", "sql": ["DELETE FROM x WHERE id = 2"],
                  "at": "2026-12-03T07:00:00Z", "pending": true}]}""");

        Run inject = Run.of("--master-addr", coordinator.addr(), "binlog", "inject", "test-a1b2c",
                "DELETE FROM x WHERE id = 2");
        Run list = Run.of("--master-addr", coordinator.addr(), "binlog", "list", "test-a1b2c");

        assertThat(inject.exit()).as(inject.err()).isZero();
        assertThat(coordinator.requests("POST").getFirst().text())
                .isEqualTo("{\"op\":\"inject\",\"sql\":[\"DELETE FROM x WHERE id = 2\"]}");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).isEqualTo(String.join(System.lineSeparator(),
                "migration test-a1b2c: skip at mysql-bin.000004:900 (passed) asked 2026-12-03T06:00:00Z",
                "migration test-a1b2c: inject at mysql-bin.000004:1234 (pending) asked 2026-12-03T07:00:00Z:"
                        + " DELETE FROM x WHERE id = 2", ""));
    }

    @Test
    void startRelayAndStopRelayPostToTheSourcesRelayAndPrintWhereItStarts() {
        coordinator.on("POST /api/v1/sources/mysql-01/relay/start", 200, """
                {"sourceId": "mysql-01", "running": true, "start": {"file": "mysql-bin.000003", "pos": 1234},
                 "serverId": 1000042}""");
        coordinator.on("POST /api/v1/sources/nope/relay/stop", 404, """
                {"code": "TM-10015", "message": "no source 'nope'", "remedy": "operate-source show"}""");

        Run start = Run.of("--master-addr", coordinator.addr(), "start-relay", "mysql-01");
        Run unknown = Run.of("--master-addr", coordinator.addr(), "stop-relay", "nope");
        Run bare = Run.of("--master-addr", coordinator.addr(), "start-relay");

        assertThat(start.exit()).as(start.err()).isZero();
        assertThat(start.out()).contains("relay of source mysql-01 running, from mysql-bin.000003:1234");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("TM-10015");
        assertThat(bare.exit()).isNotZero();
        assertThat(bare.err()).contains("start-relay needs the source-id: start-relay SOURCE-ID");
    }

    @Test
    void purgeRelayTakesDmctlsFlagsAndPrintsWhatWentOrWhyNot() {
        coordinator.on("POST /api/v1/sources/mysql-01/relay/purge", 200, """
                {"sourceId": "mysql-01", "filename": "mysql-bin.000004", "firstOffset": 120, "deleted": 120}""");
        coordinator.on("POST /api/v1/sources/mysql-02/relay/purge", 409, """
                {"code": "TM-30036", "message": "purge-relay of source mysql-02 before mysql-bin.000009 is refused:\
                 replication task t1 still reads the relay from mysql-bin.000007:4", "remedy": "purge less"}""");

        Run purged = Run.of("--master-addr", coordinator.addr(), "purge-relay", "-s", "mysql-01", "--filename",
                "mysql-bin.000004");
        Run refused = Run.of("--master-addr", coordinator.addr(), "purge-relay", "mysql-02",
                "--filename=mysql-bin.000009");
        Run noFile = Run.of("--master-addr", coordinator.addr(), "purge-relay", "-s", "mysql-01");

        assertThat(purged.exit()).as(purged.err()).isZero();
        assertThat(purged.out())
                .contains("relay of source mysql-01 purged before mysql-bin.000004: 120 records deleted");
        assertThat(coordinator.requests("POST")).extracting(FakeCoordinator.Request::query)
                .contains("filename=mysql-bin.000004", "filename=mysql-bin.000009");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("TM-30036", "task t1 still reads the relay from mysql-bin.000007:4");
        assertThat(noFile.exit()).isNotZero();
        assertThat(noFile.err()).contains("purge-relay needs the binlog file the relay is to keep from: --filename");
    }

    @Test
    void shardDdlLockListsEachLockWithItsShardsAndWhatItWaitsForAndUnlockResolvesOne() {
        coordinator.on("GET /api/v1/shard-ddl-locks", 200, """
                [{"id": "xddl-merged.d", "task": "xddl", "target": "merged.d", "state": "blocked",
                  "statement": "ALTER TABLE `merged`.`d` ADD COLUMN extra INT",
                  "shards": [{"migration": "xddl-mysql-01-a", "table": "ddl.t_1", "position": "mysql-bin.000001:44",
                              "statement": "ALTER TABLE `merged`.`d` ADD COLUMN extra INT", "go": false}],
                  "waitingFor": ["xddl-mysql-02-b:ddl.t_1"],
                  "error": {"code": "TM-30038", "message": "the shards merged into merged.d reached different DDLs"}}]""");
        coordinator.on("POST /api/v1/shard-ddl-locks/xddl-merged.d/unlock", 200, """
                {"id": "xddl-merged.d", "task": "xddl", "target": "merged.d", "state": "resolved",
                 "statement": "ALTER TABLE `merged`.`d` ADD COLUMN extra INT", "shards": [], "waitingFor": []}""");

        Run listed = Run.of("--master-addr", coordinator.addr(), "shard-ddl-lock", "xddl");
        Run unlocked = Run.of("--master-addr", coordinator.addr(), "shard-ddl-lock", "unlock", "xddl-merged.d");
        Run wrong = Run.of("--master-addr", coordinator.addr(), "shard-ddl-lock", "unlock");

        assertThat(listed.exit()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("lock xddl-merged.d (blocked): ALTER TABLE `merged`.`d` ADD COLUMN extra INT",
                        "waiting for: xddl-mysql-02-b:ddl.t_1", "blocked: the shards merged into merged.d reached")
                .containsPattern("ddl\\.t_1 +xddl-mysql-01-a +mysql-bin\\.000001:44 +false");
        assertThat(coordinator.requests("GET").getFirst().query()).isEqualTo("task=xddl");
        assertThat(unlocked.exit()).as(unlocked.err()).isZero();
        assertThat(unlocked.out()).contains("shard DDL lock xddl-merged.d unlocked: resolved");
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.err()).contains("shard-ddl-lock [TASK] | shard-ddl-lock unlock LOCK-ID");
    }
}
