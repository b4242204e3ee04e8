package io.tidemark.dm.sync;

import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.table.ExtractedColumn;
import io.tidemark.common.table.TableRef;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A shard's binlog row widened into a merged table whose route fills columns (DM's extract-*), wherever they stand. */
class ExtractedRowsTest {
    private static final TableRef MERGED = TableRef.of("merged", "t");
    private static final TableRef SHARD = TableRef.of("shop", "t_1");

    private static Column column(String name) {
        return new Column(name, "int", "int(11)", null, true, false);
    }

    @Test
    void theBinlogRowIsReadWithoutTheFilledColumnsAndWidenedWithTheShardsValuesInThem() {
        // the key (c_source, id) was made by hand, the filled column first, as DM's fix for colliding keys has it
        TableSchema target = new TableSchema(MERGED, List.of(column("c_source"), column("id"), column("v"),
                column("C_TABLE")), List.of(0, 1), TableSchema.KeyKind.PRIMARY);

        ExtractedRows rows = ExtractedRows.of(target, SHARD, List.of(new ExtractedColumn("c_table", "1"),
                new ExtractedColumn("c_source", "mysql-01")));

        assertThat(rows.sourceSchema().columns()).extracting(Column::name).containsExactly("id", "v");
        assertThat(rows.widen(new Object[]{7L, 42L})).containsExactly("mysql-01", 7L, 42L, "1");
        assertThat(rows.widen(new Object[]{8L, null})).as("each row its own copy")
                .containsExactly("mysql-01", 8L, null, "1");
    }

    @Test
    void aMergedTableWithoutAFilledColumnStopsNamingItAndHowToAddIt() {
        TableSchema target = new TableSchema(MERGED, List.of(column("id")), List.of(0), TableSchema.KeyKind.PRIMARY);

        assertThatThrownBy(() -> ExtractedRows.of(target, SHARD, List.of(new ExtractedColumn("c_source", "x"))))
                .isInstanceOfSatisfying(TidemarkException.class, e -> assertThat(e.error().code())
                        .isEqualTo("TM-30003"))
                .hasMessageContaining("the route of shop.t_1 fills column `c_source`")
                .hasMessageContaining("ALTER TABLE `merged`.`t` ADD COLUMN `c_source` VARCHAR(255)");
    }
}
