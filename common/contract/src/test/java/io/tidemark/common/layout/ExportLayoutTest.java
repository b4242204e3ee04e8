package io.tidemark.common.layout;

import io.tidemark.common.table.TableRef;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExportLayoutTest {
    @Test
    void everyNameWrittenIntoAFolderReadsBackToItsTable() {
        List<TableRef> tables = List.of(TableRef.of("shop", "orders"), TableRef.of("x.y", "z"), TableRef.of("x", "y.z"),
                TableRef.of("a/b", "c/d"), TableRef.of(".hidden", ".t"), TableRef.of("p%25", "100%"),
                TableRef.of("渋谷", "tab le`\"'"), TableRef.of("s", "%2F"));
        for (TableRef t : tables) {
            String file = ExportLayout.tableFolder("exp-1", t) + "/1/part-00000-u-c000.gz.parquet";
            assertThat(file.split("/")).as(file).hasSize(5);
            assertThat(ExportLayout.tableFolderOf("prefix/" + file)).as(file).get()
                    .extracting(ExportLayout.TableFolder::table).isEqualTo(t);
        }
    }

    @Test
    void theDeepestPairOfFoldersNamesTheTableAndAFolderWithADotAboveItDoesNot() {
        assertThat(ExportLayout.tableFolderOf("my.exports/exp/shop/shop.orders/1/part-1.parquet")).get()
                .isEqualTo(new ExportLayout.TableFolder("my.exports/exp/shop/shop.orders",
                        TableRef.of("shop", "orders")));
        assertThat(ExportLayout.tableFolderOf("exp/shop/part-1.parquet")).isEmpty();
        assertThat(ExportLayout.tableFolderOf("export_info_exp.json")).isEmpty();
    }
}
