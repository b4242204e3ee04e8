package io.tidemark.common.table;

import io.tidemark.common.error.TidemarkException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableFilterTest {
    private final TableFilter seedFilter = TableFilter.parse("my_db1.table[12]", "mydb.*");

    @ParameterizedTest(name = "{0}.{1} -> {2}")
    @CsvSource({
            "my_db1, table1, true",
            "my_db1, table2, true",
            "my_db1, table3, false",
            "mydb, anything, true",
            "MYDB, Anything, true",
            "other, t, false",
    })
    void theSeedsDumplingFilterSelectsWhatDumplingWould(String schema, String table, boolean selected) {
        assertThat(seedFilter.matches(schema, table)).isEqualTo(selected);
    }

    @Test
    void theLastMatchingRuleDecidesSoAnExclusionAfterAnInclusionWins() {
        TableFilter f = TableFilter.parse("db.*", "!db.tmp_*");
        assertThat(f.matches("db", "orders")).isTrue();
        assertThat(f.matches("db", "tmp_x")).isFalse();
        TableFilter reinclude = TableFilter.parse("db.*", "!db.tmp_*", "db.tmp_keep");
        assertThat(reinclude.matches("db", "tmp_keep")).isTrue();
    }

    @Test
    void wildcardsQuestionMarkAndNegatedClassesWork() {
        TableFilter one = TableFilter.parse("shop.t?");
        assertThat(one.matches("shop", "t1")).isTrue();
        assertThat(one.matches("shop", "t12")).isFalse();
        TableFilter negated = TableFilter.parse("shop.[!a-m]*");
        assertThat(negated.matches("shop", "zebra")).isTrue();
        assertThat(negated.matches("shop", "apple")).isFalse();
    }

    @Test
    void quotedNamesAndRegexRules() {
        TableFilter f = TableFilter.parse("`my.db`.\"a*b\"", "/^logs_\\d+$/.*");
        assertThat(f.matches("my.db", "a*b")).isTrue();
        assertThat(f.matches("my.db", "axb")).isFalse();
        assertThat(f.matches("logs_2026", "x")).isTrue();
        assertThat(f.matches("logs_x", "x")).isFalse();
    }

    @Test
    void systemSchemasAreNeverSelected() {
        TableFilter f = TableFilter.parse("*.*");
        assertThat(f.matches("mysql", "user")).isFalse();
        assertThat(f.matches("INFORMATION_SCHEMA", "TABLES")).isFalse();
        assertThat(f.matches("tidemark_meta", "import_chunks")).isFalse();
        assertThat(f.matches("app", "user")).isTrue();
    }

    @Test
    void schemaLevelMatching() {
        TableFilter f = TableFilter.parse("db.*", "!db.tmp_*", "!junk.*");
        assertThat(f.matchesSchema("db")).isTrue();
        assertThat(f.matchesSchema("junk")).isFalse();
        assertThat(f.matchesSchema("other")).isFalse();
    }

    @Test
    void commentsAndBlankLinesAreSkippedAsInAFilterFile() {
        TableFilter f = TableFilter.parse(List.of("# comment", "", "  db.t  "));
        assertThat(f.rules()).containsExactly("db.t");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "db| expected 'schema.table'",
            "db.t.x| unexpected text after the table pattern",
            ".t| empty schema or table pattern",
            "db.[abc| unterminated [ ]",
            "/(/.t| Unclosed group",
    })
    void aBadRuleIsNamedWithTheProblem(String rule, String problem) {
        assertThatThrownBy(() -> TableFilter.parse(rule))
                .isInstanceOf(TidemarkException.class)
                .hasMessageContaining("TM-10003")
                .hasMessageContaining("'" + rule + "'")
                .hasMessageContaining(problem);
    }

    @Test
    void noRuleAtAllIsAnError() {
        assertThatThrownBy(() -> TableFilter.parse(List.of()))
                .hasMessageContaining("at least one rule is needed");
    }
}
