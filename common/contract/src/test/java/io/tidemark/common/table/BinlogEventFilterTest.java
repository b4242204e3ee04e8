package io.tidemark.common.table;

import io.tidemark.common.command.BinlogFilterRule;
import io.tidemark.common.command.BinlogFilterRule.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BinlogEventFilterTest {
    private static final TableRef ORDERS = TableRef.of("shop_1", "orders");

    private static BinlogFilterRule rule(String schema, String table, List<String> events, List<String> sql,
                                         Action action) {
        return new BinlogFilterRule(schema, table, events, sql, action);
    }

    @Test
    void noRuleAppliesEverything() {
        BinlogEventFilter f = BinlogEventFilter.of(List.of());
        assertThat(f.isEmpty()).isTrue();
        assertThat(f.row(ORDERS, "delete").action()).isEqualTo(Action.DO);
    }

    @ParameterizedTest(name = "{0} {1} on {2}.{3}: {4}")
    @CsvSource(delimiter = '|', value = {
            // DM's Ignore: what its events match
            "Ignore|delete|shop_1|orders|IGNORE",
            "Ignore|insert|shop_1|orders|DO",
            "Ignore|delete|shop_1|items|DO",   // another table: the rule does not cover it
            "Ignore|delete|other|orders|DO",   // another schema
            "Ignore|delete|SHOP_2|Orders|IGNORE", // wildcards, case-insensitive
            // DM's Do: only what its events match, the rest of what it covers is ignored
            "Do|delete|shop_1|orders|DO",
            "Do|insert|shop_1|orders|IGNORE",
            "Do|insert|shop_1|items|DO",
            // DM's Error
            "Error|delete|shop_1|orders|ERROR",
            "Error|update|shop_1|orders|DO"})
    void rowEventsByTheirType(String action, String event, String schema, String table, String expected) {
        BinlogEventFilter f = BinlogEventFilter.of(List.of(rule("shop_?", "ord*", List.of("delete"), null,
                Action.of(action))));
        assertThat(f.row(TableRef.of(schema, table), event).action()).isEqualTo(Action.valueOf(expected));
    }

    @Test
    void eventGroupsCoverTheirKind() {
        BinlogEventFilter dml = BinlogEventFilter.of(List.of(rule("shop*", null, List.of("all dml"), null,
                Action.IGNORE)));
        assertThat(dml.row(ORDERS, "update").ignored()).isTrue();
        assertThat(dml.ddl("shop_1", "orders", "alter table", "ALTER TABLE orders ADD c INT").ignored()).isFalse();
        BinlogEventFilter ddl = BinlogEventFilter.of(List.of(rule("shop*", null, List.of("all ddl"), null,
                Action.IGNORE)));
        assertThat(ddl.row(ORDERS, "update").ignored()).isFalse();
        assertThat(ddl.ddl("shop_1", null, "drop database", "DROP DATABASE shop_1").ignored()).isTrue();
        BinlogEventFilter all = BinlogEventFilter.of(List.of(rule("shop*", null, List.of("all"), null, Action.ERROR)));
        assertThat(all.row(ORDERS, "insert").refused()).isTrue();
        BinlogEventFilter schema = BinlogEventFilter.of(List.of(rule("shop*", null, List.of("create schema"), null,
                Action.IGNORE)));
        assertThat(schema.ddl("shop_9", null, "create database", "CREATE DATABASE shop_9").ignored())
                .as("'create schema' is DM's alias of 'create database'").isTrue();
    }

    @Test
    void aTablePatternLimitsARuleToTablesAndWithoutOneItCoversTheSchemaAndItsTables() {
        BinlogEventFilter tableRule = BinlogEventFilter.of(List.of(rule("shop*", "*", List.of("all ddl"), null,
                Action.IGNORE)));
        assertThat(tableRule.ddl("shop_1", null, "drop database", "DROP DATABASE shop_1").ignored()).isFalse();
        assertThat(tableRule.ddl("shop_1", "t", "drop table", "DROP TABLE t").ignored()).isTrue();
        BinlogEventFilter schemaRule = BinlogEventFilter.of(List.of(rule("shop*", null, List.of("truncate table"),
                null, Action.IGNORE)));
        assertThat(schemaRule.ddl("shop_1", "t", "truncate table", "TRUNCATE t").ignored()).isTrue();
    }

    @Test
    void sqlPatternsMatchTheStatementTextAndTheFirstDecidingRuleWins() {
        BinlogEventFilter f = BinlogEventFilter.of(List.of(
                rule("shop*", null, List.of(), List.of("^DROP\\s+TABLE", "^ALTER\\s+TABLE\\s+\\S+\\s+DROP"),
                        Action.ERROR),
                rule("shop*", null, List.of("drop table"), null, Action.IGNORE)));
        BinlogEventFilter.Decision d = f.ddl("shop_1", "t", "drop table", "drop  table t");
        assertThat(d.refused()).isTrue();
        assertThat(d.ruleName()).isEqualTo("binlogFilters[0]");
        assertThat(f.ddl("shop_1", "t", "alter table", "ALTER TABLE t DROP COLUMN c").refused()).isTrue();
        assertThat(f.ddl("shop_1", "t", "alter table", "ALTER TABLE t ADD COLUMN c INT").action()).isEqualTo(Action.DO);
        assertThat(f.ddl("shop_1", null, null, "CREATE PROCEDURE p() BEGIN END").action()).isEqualTo(Action.DO);
        assertThat(f.row(ORDERS, "delete").action()).as("a row event has no text").isEqualTo(Action.DO);

        BinlogEventFilter doSql = BinlogEventFilter.of(List.of(rule("shop*", null, List.of("all ddl"),
                List.of("^CREATE"), Action.DO)));
        assertThat(doSql.ddl("shop_1", "t", "create table", "CREATE TABLE t (id INT)").action()).isEqualTo(Action.DO);
        assertThat(doSql.ddl("shop_1", "t", "drop table", "DROP TABLE t").ignored())
                .as("a Do rule whose sqlPattern does not match ignores").isTrue();
    }

    @Test
    void anUnknownEventNameIsRefusedNamingItAndListingTheValidOnes() {
        assertThatThrownBy(() -> rule("shop", null, List.of("insert", "drop tables"), null, Action.IGNORE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("events[1] 'drop tables' is not a binlog event name; use 'all', 'none',")
                .hasMessageContaining("'drop table'").hasMessageContaining("'truncate table'");
        assertThat(rule("shop", null, List.of(" Drop  Table "), null, Action.IGNORE).events()).hasSize(1);
    }

    @Test
    void aBadRegexAMissingSchemaPatternAndABadActionAreRefused() {
        assertThatThrownBy(() -> rule("shop", null, null, List.of("^DROP", "(unclosed"), Action.IGNORE))
                .hasMessageStartingWith("sqlPattern[1] is not a regular expression: Unclosed group");
        assertThatThrownBy(() -> rule(" ", null, null, null, Action.IGNORE))
                .hasMessageStartingWith("schemaPattern is missing");
        assertThatThrownBy(() -> Action.of("Skip"))
                .hasMessageStartingWith("action 'Skip' is not one of Ignore, Do, Error");
        assertThat(Action.of("ignore")).isEqualTo(Action.IGNORE);
    }
}
