package io.tidemark.coordinator.api;

import io.tidemark.common.command.RouteRule;
import io.tidemark.common.error.TidemarkException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardSourcesTest {
    private static final RouteRule MERGE = new RouteRule("shard_*", "t_*", "merged", "t");

    @Test
    void twoSourcesRoutedIntoOneTableWithoutAnExtractSourceColumnAreRefusedNamingTheTableAndTheSources() {
        Map<String, List<RouteRule>> routes = new LinkedHashMap<>();
        routes.put("mysql-02", List.of(MERGE));
        routes.put("mysql-01", List.of(new RouteRule("s", "t", "MERGED", "T")));
        assertThatThrownBy(() -> ShardSources.refuseMergeAcrossSources("orders", routes))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.error().code()).isEqualTo("TM-30035"))
                .hasMessageStartingWith("TM-30035 task orders routes tables of several sources into merged.t"
                        + " (sources mysql-01, mysql-02) without an extract-source column");
    }

    @Test
    void sourcesMergedIntoOneTableWithAnExtractSourceColumnOnEveryRuleShareIt() {
        RouteRule.Extract source = new RouteRule.Extract("(.*)", "c_source");
        Map<String, List<RouteRule>> routes = new LinkedHashMap<>();
        routes.put("mysql-01", List.of(new RouteRule("shard_*", "t_*", "merged", "t", null, null, source,
                "mysql-01")));
        routes.put("mysql-02", List.of(new RouteRule("shard_*", "t_*", "merged", "t", null, null, source,
                "mysql-02")));
        ShardSources.refuseMergeAcrossSources("orders", routes);
        routes.put("mysql-03", List.of(MERGE));
        assertThatThrownBy(() -> ShardSources.refuseMergeAcrossSources("orders", routes))
                .hasMessageContaining("(sources mysql-01, mysql-02, mysql-03) without an extract-source column");
    }

    @Test
    void oneSourcesShardsMayBeMergedAndSourcesWithTablesOfTheirOwnMayShareATask() {
        ShardSources.refuseMergeAcrossSources("orders", Map.of("mysql-01", List.of(MERGE)));
        ShardSources.refuseMergeAcrossSources("orders", Map.of("mysql-01", List.of(MERGE),
                "mysql-02", List.of(new RouteRule("shard_*", "t_*", "merged", "t_2")),
                "mysql-03", List.of(new RouteRule("shard_*", null, "merged", null))));
    }
}
