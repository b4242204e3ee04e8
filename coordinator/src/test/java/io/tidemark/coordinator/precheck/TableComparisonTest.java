package io.tidemark.coordinator.precheck;

import io.tidemark.common.table.TableRef;
import io.tidemark.coordinator.precheck.TableDefinition.Column;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What differs between a source table and an existing target table, by position and by name. */
class TableComparisonTest {
    private static final TableRef ORDERS = TableRef.of("shop", "orders");

    private static TableDefinition table(List<Column> columns, List<String> primaryKey, List<List<String>> unique) {
        return new TableDefinition(ORDERS, columns, primaryKey, unique, "InnoDB", null);
    }

    private static Column col(String name, String type, boolean nullable) {
        return new Column(name, type, nullable, nullable);
    }

    private static final TableDefinition SOURCE = table(List.of(col("id", "int(11)", false),
            col("name", "varchar(40)", true), col("total", "decimal(10,2)", true)), List.of("id"), List.of());

    @Test
    void theSameTableDefinedByAnotherServerIsTheSame() {
        TableDefinition mysql8 = table(List.of(col("ID", "int", false), col("name", "VARCHAR(40)", true),
                col("total", "decimal(10,2)", true)), List.of("ID"), List.of());

        assertThat(TableComparison.exact(SOURCE, mysql8).same()).isTrue();
        assertThat(TableComparison.byName(SOURCE, mysql8).same()).isTrue();
    }

    @Test
    void byPositionTheOrderTypesNullabilityAndKeysMustBeTheSources() {
        TableDefinition reordered = table(List.of(col("id", "int(11)", false), col("total", "decimal(10,2)", true),
                col("name", "varchar(40)", true)), List.of("id"), List.of(List.of("name")));
        TableDefinition wider = table(List.of(col("id", "bigint", false), col("name", "varchar(40)", false),
                col("total", "decimal(10,2)", true)), List.of(), List.of());

        assertThat(TableComparison.exact(SOURCE, reordered).refusals()).containsExactly(
                "the columns are in another order: (`id`, `name`, `total`) on the source, (`id`, `total`, `name`) on"
                        + " the target (rows are written by position)",
                "the unique keys are none on the source but (`name`) on the target");
        assertThat(TableComparison.exact(SOURCE, wider).refusals()).containsExactly(
                "column `id` is int(11) on the source but bigint on the target",
                "column `name` allows NULL on the source but is NOT NULL on the target",
                "the primary key is (`id`) on the source but none on the target");
    }

    @Test
    void byNameWiderColumnsOtherOrderAndOptionalExtrasFitAndOtherKeysAreOnlyNoted() {
        TableDefinition handMade = table(List.of(col("total", "decimal(12,2)", true), col("id", "bigint", false),
                col("note", "text", true), new Column("created", "datetime", false, true),
                col("name", "varchar(80)", true)), List.of("id", "created"), List.of());

        TableComparison c = TableComparison.byName(SOURCE, handMade);

        assertThat(c.refusals()).isEmpty();
        assertThat(c.notes()).containsExactly("the primary key is (`id`) on the source but (`id`, `created`) on the"
                + " target");
    }

    @Test
    void byNameAMissingColumnANarrowerTypeAndARequiredExtraColumnAreRefused() {
        TableDefinition narrow = table(List.of(col("id", "int", false), col("total", "int", true),
                new Column("region", "char(2)", false, false)), List.of("id"), List.of());

        assertThat(TableComparison.byName(SOURCE, narrow).refusals()).containsExactly(
                "column `name` varchar(40) is not on the target",
                "column `total` is decimal(10,2) on the source but int on the target, which does not hold every value"
                        + " of it",
                "column `region` char(2) is not on the source and the target needs a value for it (NOT NULL, no"
                        + " default)");
    }

    @Test
    void aTableIdentifiesItsRowsByAPrimaryKeyOrAUniqueKeyOfNotNullColumns() {
        List<Column> columns = List.of(col("a", "int", false), col("b", "int", true));
        assertThat(table(columns, List.of("a"), List.of()).identifiesRows()).isTrue();
        assertThat(table(columns, List.of(), List.of(List.of("a"))).identifiesRows()).isTrue();
        assertThat(table(columns, List.of(), List.of(List.of("a", "b"))).identifiesRows()).isFalse();
        assertThat(table(columns, List.of(), List.of()).identifiesRows()).isFalse();
    }
}
