package io.tidemark.dm.sync;

import io.tidemark.common.table.TableRef;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RowStatementsTest {
    private static final TableRef T = TableRef.of("db", "t");

    private static Column c(String name, boolean nullable) {
        return new Column(name, "int", "int(11)", null, nullable, false);
    }

    private static RowStatements statements(List<Column> columns, Map<String, List<String>> uniqueKeys) {
        return new RowStatements(SchemaCache.choose(T, columns, uniqueKeys));
    }

    @Test
    void normalModeInsertsAndAddressesRowsByPrimaryKey() {
        RowStatements rs = statements(List.of(c("id", false), c("a", true), c("b", true)),
                Map.of("PRIMARY", List.of("id")));
        Object[] before = {1L, 2L, null};
        Object[] after = {1L, 3L, 4L};
        assertThat(rs.insert(after, false)).singleElement().satisfies(s -> {
            assertThat(s.sql()).isEqualTo("INSERT INTO `db`.`t` (`id`, `a`, `b`) VALUES (?, ?, ?)");
            assertThat(s.params()).containsExactly(1L, 3L, 4L);
        });
        assertThat(rs.update(before, after, false)).singleElement().satisfies(s -> {
            assertThat(s.sql()).isEqualTo("UPDATE `db`.`t` SET `id` = ?, `a` = ?, `b` = ? WHERE `id` = ?");
            assertThat(s.params()).containsExactly(1L, 3L, 4L, 1L);
        });
        assertThat(rs.delete(before)).singleElement().satisfies(s -> {
            assertThat(s.sql()).isEqualTo("DELETE FROM `db`.`t` WHERE `id` = ?");
            assertThat(s.params()).containsExactly(1L);
        });
    }

    @Test
    void safeModeReplacesAndTurnsUpdatesIntoDeletePlusReplace() {
        RowStatements rs = statements(List.of(c("id", false), c("a", true)), Map.of("PRIMARY", List.of("id")));
        assertThat(rs.insert(new Object[]{1L, 2L}, true)).singleElement()
                .satisfies(s -> assertThat(s.sql()).startsWith("REPLACE INTO `db`.`t`"));
        assertThat(rs.update(new Object[]{1L, 2L}, new Object[]{5L, 2L}, true)).satisfiesExactly(
                del -> {
                    assertThat(del.sql()).isEqualTo("DELETE FROM `db`.`t` WHERE `id` = ?");
                    assertThat(del.params()).containsExactly(1L);
                },
                rep -> {
                    assertThat(rep.sql()).isEqualTo("REPLACE INTO `db`.`t` (`id`, `a`) VALUES (?, ?)");
                    assertThat(rep.params()).containsExactly(5L, 2L);
                });
        assertThat(rs.delete(new Object[]{1L, 2L})).singleElement()
                .satisfies(s -> assertThat(s.sql()).startsWith("DELETE FROM"));
    }

    @Test
    void withoutPrimaryKeyANotNullUniqueKeyAddressesRows() {
        RowStatements rs = statements(List.of(c("a", true), c("b", false), c("c", false)),
                Map.of("uk_a", List.of("a"), "uk_bc", List.of("b", "c")));
        assertThat(rs.schema().keyKind()).isEqualTo(TableSchema.KeyKind.UNIQUE_NOT_NULL);
        assertThat(rs.delete(new Object[]{1L, 2L, 3L}).getFirst().sql())
                .isEqualTo("DELETE FROM `db`.`t` WHERE `b` = ? AND `c` = ?");
    }

    @Test
    void withoutAnyKeyEveryColumnIsComparedNullSafelyAndOneRowTouched() {
        RowStatements rs = statements(List.of(c("x", true), c("y", true)), Map.of());
        Object[] before = {1L, null};
        assertThat(rs.update(before, new Object[]{1L, 2L}, false)).singleElement().satisfies(s -> {
            assertThat(s.sql()).isEqualTo("UPDATE `db`.`t` SET `x` = ?, `y` = ? WHERE `x` <=> ? AND `y` <=> ? LIMIT 1");
            assertThat(s.params()).containsExactly(1L, 2L, 1L, null);
        });
        assertThat(rs.delete(before).getFirst().sql())
                .isEqualTo("DELETE FROM `db`.`t` WHERE `x` <=> ? AND `y` <=> ? LIMIT 1");
    }

    @Test
    void generatedColumnsAreNeitherWrittenNorCompared() {
        List<Column> columns = new ArrayList<>(List.of(c("x", true)));
        columns.add(new Column("g", "int", "int(11)", null, true, true));
        RowStatements rs = statements(columns, Map.of());
        assertThat(rs.insert(new Object[]{1L, 2L}, false).getFirst().sql())
                .isEqualTo("INSERT INTO `db`.`t` (`x`) VALUES (?)");
        assertThat(rs.delete(new Object[]{1L, 2L}).getFirst().params()).isEqualTo(Arrays.asList(1L));
    }
}
