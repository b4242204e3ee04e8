package io.tidemark.coordinator.precheck;

import io.tidemark.common.command.RouteRule;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.migration.Mode;
import io.tidemark.common.table.TableRef;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.mysql.precheck.CheckResult;
import io.tidemark.mysql.precheck.Fact;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** check-task for a shard merge, on recorded definitions: shards alike, auto-increment keys that would collide. */
class ShardTablesCheckTest {
    private static final TableDefinition.Column ID = new TableDefinition.Column("id", "bigint(20)", false, true);
    private static final TableDefinition.Column NOTE = new TableDefinition.Column("note", "varchar(100)", true, true);
    private static final List<RouteRule> MERGE = List.of(new RouteRule("shard_*", "t_*", "merged", "t"));

    private static TableDefinition shard(String schema, List<TableDefinition.Column> columns, Long min, Long max) {
        return new TableDefinition(TableRef.of(schema, "t_1"), columns, List.of("id"), List.of(), "InnoDB", null,
                min == null && max == null ? null : "id", min == null ? null : new TableDefinition.KeyRange(min, max));
    }

    private static CheckResult check(List<RouteRule> routes, TableDefinition... tables) {
        Map<String, TableDefinition> byKey = new LinkedHashMap<>();
        for (TableDefinition t : tables) {
            byKey.put(t.key(), t);
        }
        DatabaseEndpoint ep = new DatabaseEndpoint("127.0.0.1", 3306, "root", TestDatabases.secretBox().seal("pw"));
        MigrationSpec spec = new MigrationSpec("m", Mode.ALL, ep, ep, List.of("shard_*.*"), "file:///tmp/d", null,
                null, null, null, null, List.of(), routes, null);
        return new ShardTablesCheck(Mode.ALL).check(new MigrationFacts(spec, null, null, null, Fact.of(byKey), null,
                null));
    }

    @Test
    void shardsDefinedAlikeWithoutAnAutoIncrementKeyPass() {
        CheckResult result = check(MERGE, shard("shard_1", List.of(ID, NOTE), null, null),
                shard("shard_2", List.of(ID, NOTE), null, null));
        assertThat(result.state()).isEqualTo(CheckResult.State.PASS);
        assertThat(result.message())
                .isEqualTo("the shards of each merged table are defined alike: merged.t (2 tables)");
    }

    @Test
    void aShardWithAnotherColumnTypeFailsNamingTheColumnOfEach() {
        CheckResult result = check(MERGE, shard("shard_1", List.of(ID, NOTE), null, null),
                shard("shard_2", List.of(ID, new TableDefinition.Column("note", "text", true, true)), null, null));
        assertThat(result.state()).isEqualTo(CheckResult.State.FAIL);
        assertThat(result.error().getMessage()).startsWith("TM-30033 the source tables merged into merged.t are"
                + " defined differently: shard_2.t_1 has `note` text as column 2 where shard_1.t_1 has `note`"
                + " varchar(100)");
    }

    @Test
    void autoIncrementKeysWhoseValuesOverlapFailAndDisjointOnesAreWarnedOf() {
        CheckResult collide = check(MERGE, shard("shard_1", List.of(ID, NOTE), 1L, 5000L),
                shard("shard_2", List.of(ID, NOTE), 4000L, 9000L));
        assertThat(collide.state()).isEqualTo(CheckResult.State.FAIL);
        assertThat(collide.error().getMessage()).startsWith("TM-30034 the source tables merged into merged.t have"
                + " auto-increment primary keys whose values overlap: shard_1.t_1 `id` holds 1–5000 and shard_2.t_1"
                + " `id` holds 4000–9000");
        assertThat(collide.instruction()).contains("drop the auto-increment column from the merged table's primary"
                + " key");

        CheckResult apart = check(MERGE, shard("shard_1", List.of(ID, NOTE), 1L, 5000L),
                shard("shard_2", List.of(ID, NOTE), 1_000_001L, 1_005_000L));
        assertThat(apart.state()).isEqualTo(CheckResult.State.WARN);
        assertThat(apart.message()).contains("shard_2.t_1 `id` 1000001–1005000");
    }

    @Test
    void routesThatMergeNothingPass() {
        CheckResult result = check(List.of(new RouteRule("shard_1", null, "one", null)),
                shard("shard_1", List.of(ID, NOTE), 1L, 5L), shard("shard_2", List.of(ID), 1L, 5L));
        assertThat(result.state()).isEqualTo(CheckResult.State.PASS);
        assertThat(result.message()).isEqualTo("no two selected tables are routed into one");
    }

    @Test
    void shardsOfSeveralSourcesMergedIntoOneTableAreCheckedAcrossTheSourcesNamingEachShardWithItsSource() {
        io.tidemark.common.table.TableRouter router = io.tidemark.common.table.TableRouter.of(MERGE);
        Map<String, io.tidemark.common.table.TableRouter> routers = Map.of("mysql-01", router, "mysql-02", router);
        Map<String, java.util.Collection<TableDefinition>> tables = new LinkedHashMap<>();
        tables.put("mysql-01", List.of(shard("shard_1", List.of(ID, NOTE), 1L, 100L)));
        tables.put("mysql-02", List.of(shard("shard_1", List.of(ID, NOTE), 50L, 200L)));

        CheckResult collide = ShardTablesCheck.acrossSources(tables, routers);
        assertThat(collide.name()).isEqualTo("shard_sources");
        assertThat(collide.state()).isEqualTo(CheckResult.State.FAIL);
        assertThat(collide.error().getMessage()).startsWith("TM-30034 the source tables merged into merged.t have"
                + " auto-increment primary keys whose values overlap: mysql-01:shard_1.t_1 `id` holds 1–100 and"
                + " mysql-02:shard_1.t_1 `id` holds 50–200");
        assertThat(collide.instruction()).contains("as DM advises, drop the auto-increment column");

        tables.put("mysql-02", List.of(shard("shard_1", List.of(ID), null, null)));
        assertThat(ShardTablesCheck.acrossSources(tables, routers).error().getMessage()).startsWith("TM-30033"
                + " the source tables merged into merged.t are defined differently: mysql-02:shard_1.t_1 has no"
                + " column as column 2 where mysql-01:shard_1.t_1 has `note` varchar(100)");

        tables.put("mysql-02", List.of(shard("shard_1", List.of(ID, NOTE), null, null)));
        tables.put("mysql-01", List.of(shard("shard_1", List.of(ID, NOTE), null, null)));
        CheckResult alike = ShardTablesCheck.acrossSources(tables, routers);
        assertThat(alike.state()).isEqualTo(CheckResult.State.PASS);
        assertThat(alike.message()).isEqualTo("the shards of several sources merged into one table are defined"
                + " alike: merged.t (from mysql-01, mysql-02)");

        tables.remove("mysql-02");
        assertThat(ShardTablesCheck.acrossSources(tables, routers)).as("one source merges nothing across").isNull();
    }
}
