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
    }

    @Test
    void aRuleNeedsItsSchemasAndATargetTableNeedsATablePattern() {
        assertThatThrownBy(() -> new RouteRule("", null, "x", null)).hasMessageStartingWith("schemaPattern is missing");
        assertThatThrownBy(() -> new RouteRule("a", null, null, null)).hasMessageStartingWith("targetSchema is missing");
        assertThatThrownBy(() -> new RouteRule("a", null, "x", "t")).hasMessageStartingWith("targetTable needs a tablePattern");
    }
}
