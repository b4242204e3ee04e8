package io.tidemark.coordinator.config.dm;

import io.tidemark.common.table.TableFilter;
import io.tidemark.coordinator.config.lightning.Note;
import io.tidemark.coordinator.config.lightning.Problem;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TaskFilesTest {
    private static final Passwords AS_WRITTEN = written -> written;
    private static final Function<String, Optional<TaskFiles.Source>> SOURCES = id -> id.startsWith("mysql-")
            ? Optional.of(new TaskFiles.Source("10.0.0.1", 3306, "dm", "src-pw")) : Optional.empty();

    /** the seed's task1.yaml, values filled in */
    static final String SEED = """
            # Task name. Multiple tasks that are running at the same time must each have a unique name.
            name: "test"
            task-mode: "incremental"
            target-database:
              host: "172.16.10.83"
              port: 4000
              user: "root"
              password: "tidb-pw"

            block-allow-list:                     # If the DM version is earlier than v2.0.0-beta.2, use black-white-list.
              listA:                              # Name.
                do-tables:                        # Allow list for the upstream tables to be migrated.
                - db-name: "test_db"              # Name of databases to be migrated.
                  tbl-name: "test_table"          # Name of tables to be migrated.

            mysql-instances:
              - source-id: "mysql-01"               # Data source ID, i.e., source-id in source1.yaml
                block-allow-list: "listA"           # References the block-allow-list configuration above.
            #       syncer-config-name: "global"    # Name of the syncer configuration.
                meta:
                  binlog-name: "mysql-bin.000004"
                  binlog-pos: 109227
                  # binlog-gtid: "09bec856-ba95-11ea-850a-58f2b4af5188:1-9"
            """;

    private static TaskFile parse(String yaml) {
        return TaskFiles.parse(yaml, "task1.yaml", SOURCES, AS_WRITTEN);
    }

    private static List<Problem> problems(String yaml) {
        return catchThrowableOfType(DmConfigException.class, () -> parse(yaml)).problems();
    }

    @Test
    void theSeedsTaskFileBecomesOneIncrementalSpecFromItsPosition() {
        TaskFile task = parse(SEED);

        assertThat(task.name()).isEqualTo("test");
        assertThat(task.notes()).isEmpty();
        assertThat(task.instances()).singleElement().satisfies(i -> {
            assertThat(i.sourceId()).isEqualTo("mysql-01");
            assertThat(i.migrationName()).isEqualTo("test");
            assertThat(i.spec().toString()).isEqualTo("{\"source\":{\"host\":\"10.0.0.1\",\"port\":3306,\"user\":"
                    + "\"dm\",\"password\":\"src-pw\"},\"name\":\"test\",\"mode\":\"incremental\",\"target\":"
                    + "{\"host\":\"172.16.10.83\",\"port\":4000,\"user\":\"root\",\"password\":\"tidb-pw\"},"
                    + "\"filter\":[\"test_db.test_table\"],\"start\":{\"file\":\"mysql-bin.000004\",\"pos\":109227}}");
        });
    }

    @Test
    void aSourceWithEnableGtidMakesASpecThatResumesByGtidFromTheMetasSet() {
        Function<String, Optional<TaskFiles.Source>> gtidSources = id -> Optional.of(
                new TaskFiles.Source("10.0.0.1", 3306, "dm", "src-pw", true));
        String yaml = SEED.replace("# binlog-gtid: \"09bec856-ba95-11ea-850a-58f2b4af5188:1-9\"",
                "binlog-gtid: \"09bec856-ba95-11ea-850a-58f2b4af5188:1-9\"");

        TaskFile task = TaskFiles.parse(yaml, "task1.yaml", gtidSources, AS_WRITTEN);

        assertThat(task.instances()).singleElement().satisfies(i -> {
            assertThat(i.spec().get("enableGtid").asBoolean()).isTrue();
            assertThat(i.spec().get("start").toString()).isEqualTo("{\"file\":\"mysql-bin.000004\",\"pos\":109227,"
                    + "\"gtid\":\"09bec856-ba95-11ea-850a-58f2b4af5188:1-9\"}");
        });
        assertThat(task.notes()).extracting(Note::key).containsExactly("mysql-instances[0].meta.binlog-gtid");
        assertThat(parse(SEED).instances().getFirst().spec().has("enableGtid")).isFalse();
    }

    @Test
    void aMalformedBinlogGtidIsNamedWithItsPath() {
        String yaml = SEED.replace("# binlog-gtid: \"09bec856-ba95-11ea-850a-58f2b4af5188:1-9\"",
                "binlog-gtid: \"09bec856-ba95-11ea-850a:1-9\"");

        assertThat(problems(yaml)).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("mysql-instances[0].meta.binlog-gtid");
            assertThat(p.what()).contains("is not a server UUID");
            assertThat(p.fix()).contains("uuid:1-5");
        });
    }

    @Test
    void blockAllowListsKeepDmsOrderOfDecision() {
        String yaml = SEED.replace("""
                    do-tables:                        # Allow list for the upstream tables to be migrated.
                    - db-name: "test_db"              # Name of databases to be migrated.
                      tbl-name: "test_table"          # Name of tables to be migrated.
                """, """
                    ignore-dbs: ["tmp", "~^bak_"]
                    ignore-tables:
                    - db-name: "shop"
                      tbl-name: "log_*"
                """);

        List<String> rules = parse(yaml).instances().getFirst().spec().get("filter").valueStream()
                .map(n -> n.asString()).toList();

        assertThat(rules).containsExactly("*.*", "!tmp.*", "!/.*(?:^bak_).*/.*", "!shop.log_*");
        TableFilter filter = TableFilter.parse(rules);
        assertThat(filter.matches("shop", "orders")).isTrue();
        assertThat(filter.matches("shop", "log_2024")).isFalse();
        assertThat(filter.matches("bak_2024", "t")).isFalse();
        assertThat(filter.matches("a_bak_", "t")).isTrue();
        assertThat(filter.matches("tmp", "t")).isFalse();
    }

    @Test
    void doDbsOutrankIgnoreDbsAndBesideDoTablesAreRefusedRatherThanWidened() {
        String both = SEED.replace("    do-tables:", "    do-dbs: [\"test_db\"]\n    ignore-dbs: [\"test_db\"]\n"
                + "    do-tables:");
        assertThat(problems(both)).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("block-allow-list.listA");
            assertThat(p.what()).contains("both do-dbs and do-tables");
        });

        String dbs = SEED.replace("""
                    do-tables:                        # Allow list for the upstream tables to be migrated.
                    - db-name: "test_db"              # Name of databases to be migrated.
                      tbl-name: "test_table"          # Name of tables to be migrated.
                """, "    do-dbs: [\"test_db\"]\n    ignore-dbs: [\"test_db\"]\n");
        assertThat(parse(dbs).instances().getFirst().spec().get("filter").toString()).isEqualTo("[\"test_db.*\"]");
    }

    @Test
    void everyProblemOfATaskFileIsNamedWithItsPathAndLine() {
        String yaml = SEED
                .replace("task-mode: \"incremental\"", "task-mode: \"incremantal\"\nshard-mode: \"pesimistic\"")
                .replace("  port: 4000", "  prot: 4000")
                .replace("source-id: \"mysql-01\"", "source-id: \"db-9\"")
                .replace("block-allow-list: \"listA\"", "block-allow-list: \"listB\"");

        assertThat(problems(yaml)).extracting(Problem::key, p -> p.position().line()).containsExactly(
                org.assertj.core.groups.Tuple.tuple("task-mode", 3),
                org.assertj.core.groups.Tuple.tuple("shard-mode", 4),
                org.assertj.core.groups.Tuple.tuple("target-database.port", 5),
                org.assertj.core.groups.Tuple.tuple("target-database.prot", 7),
                org.assertj.core.groups.Tuple.tuple("mysql-instances[0].source-id", 18),
                org.assertj.core.groups.Tuple.tuple("mysql-instances[0].block-allow-list", 19));
        List<Problem> p = problems(yaml);
        assertThat(p.get(0).fix()).isEqualTo("write task-mode: incremental");
        assertThat(p.get(1).what()).isEqualTo("is not pessimistic or optimistic");
        assertThat(parse(SEED.replace("task-mode: \"incremental\"", "task-mode: \"incremental\"\n"
                + "shard-mode: \"pessimistic\"")).pessimistic()).isTrue();
        assertThat(parse(SEED).pessimistic()).isFalse();
        assertThat(problems(SEED.replace("task-mode: \"incremental\"", "task-mode: \"incremental\"\n"
                + "shard-mode: \"optimistic\""))).singleElement().satisfies(o -> {
                    assertThat(o.key()).isEqualTo("shard-mode");
                    assertThat(o.what()).startsWith("is not offered: DM's optimistic mode");
                });
        assertThat(p.get(3).fix()).isEqualTo("did you mean `target-database.port`?");
        assertThat(p.get(4).fix()).contains("operate-source create");
        assertThat(p.get(5).fix()).isEqualTo("use one of listA");
    }

    @Test
    void oldKeysAreNotedAndTheUnitsSettingsMapOntoTheSpecOrAreNamedWhenTheyCannot() {
        String yaml = SEED.replace("task-mode: \"incremental\"", """
                task-mode: "all"
                is-sharding: false
                enable-heartbeat: true
                meta-schema: "dm_meta"
                mydumpers:
                  global:
                    threads: 4
                    extra-args: "--consistency none"
                loaders:
                  global:
                    dir: "s3://bucket/dumps"
                    import-mode: "physical"
                syncers:
                  global:
                    safe-mode: true
                    safe-mode-duration: "60s"
                    worker-count: 8
                routes:
                  r1:
                    schema-pattern: "test_*"
                    target-schema: "test"
                filters:
                  f1:
                    schema-pattern: "test_*"
                    events: ["drop table"]
                    sql-pattern: ["^DROP\\\\s+TABLE"]
                    action: Ignore""").replace("    block-allow-list: \"listA\"", String.join("\n",
                "    block-allow-list: \"listA\"",
                "    mydumper-config-name: \"global\"",
                "    loader-config-name: \"global\"",
                "    syncer-config-name: \"global\"",
                "    route-rules: [\"r1\"]",
                "    filter-rules: [\"f1\"]"));

        TaskFile task = parse(yaml);

        assertThat(task.notes()).extracting(Note::key).containsExactly("is-sharding", "enable-heartbeat",
                "meta-schema", "mydumpers.global.threads", "mydumpers.global.extra-args",
                "loaders.global.import-mode", "mysql-instances[0].meta");
        assertThat(task.instances().getFirst().spec().toString()).contains(
                "\"mode\":\"all\"", "\"storage\":\"s3://bucket/dumps\"", "\"safeMode\":true",
                "\"safeModeDuration\":\"60s\"", "\"workerCount\":8",
                "\"routes\":[{\"schemaPattern\":\"test_*\",\"targetSchema\":\"test\"}]",
                "\"binlogFilters\":[{\"schemaPattern\":\"test_*\",\"events\":[\"drop table\"],"
                        + "\"sqlPattern\":[\"^DROP\\\\s+TABLE\"],\"action\":\"Ignore\"}]")
                .doesNotContain("\"start\"");

        List<Problem> refused = problems(yaml.replace("--consistency none", "--consistency none --where 'id>1'"));
        assertThat(refused).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("mydumpers.global.extra-args");
            assertThat(p.what()).startsWith("--where is not an extra-args flag Tidemark implements");
        });
    }

    @Test
    void aFullTaskWithoutAnAbsoluteDumpDirectoryIsRefused() {
        assertThat(problems(SEED.replace("\"incremental\"", "\"full\""))).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("mysql-instances[0]");
            assertThat(p.what()).contains("does not say where to dump");
        });
    }

    @Test
    void extractRulesOfARouteBecomeItsSpecsColumnsAndExtractSourceReadsEachEntrysSourceId() {
        String yaml = SEED + """
                routes:
                  merge:
                    schema-pattern: "test_*"
                    table-pattern: "t_*"
                    target-schema: "test"
                    target-table: "t"
                    extract-table: {table-regexp: "t_(.*)", target-column: "c_table"}
                    extract-schema: {schema-regexp: "test_(.*)", target-column: "c_schema"}
                    extract-source: {source-regexp: "(.*)", target-column: "c_source"}
                """;
        yaml = yaml.replace("    block-allow-list: \"listA\"", "    block-allow-list: \"listA\"\n"
                + "    route-rules: [\"merge\"]").replace("mysql-instances:\n", "mysql-instances:\n"
                + "  - source-id: \"mysql-02\"\n    route-rules: [\"merge\"]\n"
                + "    meta: {binlog-name: \"mysql-bin.000001\", binlog-pos: 4}\n");

        TaskFile task = parse(yaml);

        assertThat(task.instances()).extracting(i -> i.spec().path("routes").get(0).path("source").asString())
                .containsExactly("mysql-02", "mysql-01");
        assertThat(task.instances().getFirst().spec().path("routes").get(0).toString()).isEqualTo(
                "{\"schemaPattern\":\"test_*\",\"tablePattern\":\"t_*\",\"targetSchema\":\"test\","
                        + "\"targetTable\":\"t\",\"extractTable\":{\"regexp\":\"t_(.*)\",\"targetColumn\":\"c_table\"},"
                        + "\"extractSchema\":{\"regexp\":\"test_(.*)\",\"targetColumn\":\"c_schema\"},"
                        + "\"extractSource\":{\"regexp\":\"(.*)\",\"targetColumn\":\"c_source\"},"
                        + "\"source\":\"mysql-02\"}");

        List<Problem> refused = problems(yaml.replace("target-column: \"c_table\"", "column: \"c_table\"")
                .replace("\"test_(.*)\"", "\"test_(\""));
        assertThat(refused).extracting(Problem::key).contains("routes.merge.extract-table.column",
                "routes.merge.extract-table", "routes.merge.extract-schema.schema-regexp");
    }
}
