package io.tidemark.lightning.parquet;

import io.tidemark.common.storage.LocalStorage;
import io.tidemark.common.table.TableRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Choosing the tables of an export to import: all of them, some, or some it does not hold. */
class AuroraExportSelectionTest {
    @TempDir
    Path root;

    @Test
    void nothingAskedSelectsEveryTableAndTablesAskedForComeInTheExportsOrder() throws Exception {
        AuroraExport export = exportOf("a", "b", "c");

        assertThat(export.select(List.of())).extracting(AuroraExport.Table::table)
                .containsExactly(TableRef.of("shop", "a"), TableRef.of("shop", "b"), TableRef.of("shop", "c"));
        assertThat(export.select(List.of(TableRef.of("shop", "c"), TableRef.of("shop", "a"))))
                .extracting(AuroraExport.Table::table)
                .containsExactly(TableRef.of("shop", "a"), TableRef.of("shop", "c"));
    }

    @Test
    void everyTableAskedForThatTheExportLacksIsNamedInOneError() throws Exception {
        AuroraExport export = exportOf("a");

        assertThatThrownBy(() -> export.select(List.of(TableRef.of("shop", "a"), TableRef.of("shop", "my table"),
                TableRef.of("crm", "x"))))
                .hasMessageContaining("TM-40012")
                .hasMessageContaining("holds no folder <db>/<db>.<table>/ for tables shop.my table, crm.x")
                .hasMessageContaining("(it holds shop.a; AWS writes \\ ` \" and spaces in a name as _)");
    }

    private AuroraExport exportOf(String... tables) throws Exception {
        SparkExport export = new SparkExport(root, "e1");
        for (String t : tables) {
            Path file = export.partFile("shop", t, 1, 0);
            ParquetRowsTest.writeNumbers(file, 1, 1024 * 1024);
            SparkExport.success(file.getParent());
        }
        return AuroraExport.scan(new LocalStorage(root));
    }
}
