package io.tidemark.common.table;

import io.tidemark.common.command.RouteRule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableRouterTest {
    @Test
    void aTableRuleWinsOverASchemaRuleAndTheFirstMatchingRuleOfEachKindDecides() {
        TableRouter r = TableRouter.of(List.of(
                new RouteRule("shop_*", null, "shop", null),
                new RouteRule("shop_01", "orders", "sales", "orders_01"),
                new RouteRule("shop_0?", "ord*", "never", null),
                new RouteRule("shop_1", null, "never", null)));
        assertThat(r.route(TableRef.of("shop_01", "orders"))).isEqualTo(TableRef.of("sales", "orders_01"));
        assertThat(r.route(TableRef.of("SHOP_01", "Orders"))).as("case-insensitive")
                .isEqualTo(TableRef.of("sales", "orders_01"));
        assertThat(r.route(TableRef.of("shop_02", "orders_x"))).isEqualTo(TableRef.of("never", "orders_x"));
        assertThat(r.route(TableRef.of("shop_1", "items"))).isEqualTo(TableRef.of("shop", "items"));
        assertThat(r.route(TableRef.of("crm", "people"))).isEqualTo(TableRef.of("crm", "people"));
        assertThat(r.routeSchema("shop_9")).isEqualTo("shop");
        assertThat(r.routeSchema("shop_01")).as("schema statements follow the schema rules alone").isEqualTo("shop");
        assertThat(TableRouter.of(List.of()).isEmpty()).isTrue();
    }

    @Test
    void aTargetIsMergedWhereAWildcardRuleOrTwoRulesSendTablesToItButNotWhereSchemasKeepTheirTablesNames() {
        TableRouter wildcard = TableRouter.of(List.of(new RouteRule("shard_*", "t_*", "merged", "t")));
        assertThat(wildcard.route(TableRef.of("shard_2", "t_1"))).isEqualTo(TableRef.of("merged", "t"));
        assertThat(wildcard.merges(TableRef.of("merged", "t"))).isTrue();
        assertThat(wildcard.merges(TableRef.of("MERGED", "T"))).as("names match without case, as DM's").isTrue();
        assertThat(wildcard.merges(TableRef.of("merged", "u"))).isFalse();
        TableRouter twoRules = TableRouter.of(List.of(new RouteRule("a", "t", "x", "t"),
                new RouteRule("b", "t", "X", "T")));
        assertThat(twoRules.merges(TableRef.of("x", "t"))).isTrue();
        TableRouter oneEach = TableRouter.of(List.of(new RouteRule("a", "t", "x", "t"),
                new RouteRule("shop_*", null, "shop", null), new RouteRule("b", "t*", "y", null)));
        assertThat(oneEach.merges(TableRef.of("x", "t"))).isFalse();
        assertThat(oneEach.merges(TableRef.of("shop", "t"))).isFalse();
        assertThat(oneEach.merges(TableRef.of("y", "t1"))).isFalse();
        TableRouter acrossSources = TableRouter.of(List.of(new RouteRule("a", "t", "x", "t", null, null,
                new RouteRule.Extract("(.*)", "c_source"), "mysql-01")));
        assertThat(acrossSources.merges(TableRef.of("x", "t"))).as("one table of each of several sources").isTrue();
    }

    @Test
    void aRuleNeedsItsSchemasAndATargetTableNeedsATablePattern() {
        assertThatThrownBy(() -> new RouteRule("", null, "x", null)).hasMessageStartingWith("schemaPattern is missing");
        assertThatThrownBy(() -> new RouteRule("a", null, null, null)).hasMessageStartingWith("targetSchema is missing");
        assertThatThrownBy(() -> new RouteRule("a", null, "x", "t")).hasMessageStartingWith("targetTable needs a tablePattern");
    }

    @Test
    void aRulesExtractColumnsTakeTheJoinedGroupsOfTheirRegexpOverTheTableTheSchemaAndTheSourceAsDmDoes() {
        RouteRule merge = new RouteRule("shard_*", "t_*", "merged", "t", new RouteRule.Extract("t_(.*)", "c_table"),
                new RouteRule.Extract("shard_(\\d)(.*)", "c_schema"), new RouteRule.Extract("mysql-(.*)", "c_source"),
                "mysql-02");
        TableRouter r = TableRouter.of(List.of(merge, new RouteRule("other", "t", "o", "t")));
        assertThat(r.extracted(TableRef.of("shard_1x", "t_07"))).containsExactly(
                new ExtractedColumn("c_table", "07"), new ExtractedColumn("c_schema", "1x"),
                new ExtractedColumn("c_source", "02"));
        assertThat(r.extracted(TableRef.of("other", "t"))).as("a rule filling nothing").isEmpty();
        assertThat(r.sourceColumn(TableRef.of("MERGED", "t"))).contains(new ExtractedColumn("c_source", "02"));
        assertThat(r.sourceColumn(TableRef.of("o", "t"))).isEmpty();
        assertThat(r.extractColumns(TableRef.of("merged", "t"))).containsExactlyInAnyOrder("c_table", "c_schema",
                "c_source");
        assertThat(new RouteRule.Extract("x(.*)", "c").valueOf("no match")).as("DM: no match, empty").isEmpty();
        assertThat(new RouteRule.Extract("shard", "c").valueOf("shard_1")).as("no group, empty").isEmpty();
    }

    @Test
    void anExtractRuleNeedsATableRuleAValidRegexpAColumnOfItsOwnAndExtractSourceTheSourcesName() {
        RouteRule.Extract e = new RouteRule.Extract("(.*)", "c");
        assertThatThrownBy(() -> new RouteRule("a", null, "x", null, e, null, null, null))
                .hasMessageStartingWith("extractTable, extractSchema and extractSource need a tablePattern");
        assertThatThrownBy(() -> new RouteRule("a", "t", "x", "t", null, null, e, null))
                .hasMessageStartingWith("extractSource needs source");
        assertThatThrownBy(() -> new RouteRule("a", "t", "x", "t", e, new RouteRule.Extract("(.)", "C"), null, null))
                .hasMessageStartingWith("targetColumn `C` is filled by two extract rules");
        assertThatThrownBy(() -> new RouteRule.Extract("t_(", "c"))
                .hasMessageStartingWith("the extract rule's regexp \"t_(\" is not a regular expression");
    }
}
