package io.tidemark.snapshot.parquet;

import io.tidemark.common.table.TableRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** An Aurora export's paths, names kept as they are wherever a path allows. */
class ExportLayoutTest {
    private final ExportLayout layout = new ExportLayout("shop-to-tidb-k3f9a");

    @Test
    void partFilesAndTheirSuccessFileSitInTheTablesFolderAsAwsPutsThem() {
        TableRef t = TableRef.of("shop", "orders");
        UUID job = UUID.fromString("0f8e2a60-1c1d-4c11-9a1e-5a9f2b8c7d6e");

        assertThat(layout.partFile(t, 12, job, ParquetCompression.GZIP)).isEqualTo(
                "shop-to-tidb-k3f9a/shop/shop.orders/1/part-00012-0f8e2a60-1c1d-4c11-9a1e-5a9f2b8c7d6e-c000.gz.parquet");
        assertThat(layout.partFile(t, 0, job, ParquetCompression.SNAPPY)).endsWith("-c000.snappy.parquet");
        assertThat(layout.successFile(t)).isEqualTo("shop-to-tidb-k3f9a/shop/shop.orders/_SUCCESS");
        assertThat(layout.exportInfoFile()).isEqualTo("shop-to-tidb-k3f9a/export_info_shop-to-tidb-k3f9a.json");
        assertThat(layout.tablesInfoFile(3))
                .isEqualTo("shop-to-tidb-k3f9a/export_tables_info_shop-to-tidb-k3f9a_from_1_to_3.json");
    }

    @ParameterizedTest(name = "{0}.{1} → {2}")
    @CsvSource(delimiter = '|', textBlock = """
            shop     | order items  | shop/shop.order items
            x.y      | z            | x.y/x.y.z
            x        | y.z          | x/x.y.z
            a/b      | c%d          | a%2Fb/a%2Fb.c%25d
            .hidden  | .t           | %2Ehidden/%2Ehidden.%2Et
            données  | 表`"q"       | données/données.表`"q"
            """)
    void namesStayAsTheyAreExceptWhatNoPathSegmentHolds(String db, String table, String folder) {
        assertThat(layout.tableFolder(TableRef.of(db, table))).isEqualTo("shop-to-tidb-k3f9a/" + folder);
    }

    @Test
    void theFilesOfAnyEarlierExportAreKnownForWhatTheyAre() {
        assertThat(ExportLayout.isExportFile("other-id/shop/shop.t/1/part-00000-x-c000.snappy.parquet")).isTrue();
        assertThat(ExportLayout.isExportFile("other-id/shop/shop.t/_SUCCESS")).isTrue();
        assertThat(ExportLayout.isExportFile("other-id/export_info_other-id.json")).isTrue();
        assertThat(ExportLayout.isExportFile("other-id/export_tables_info_other-id_from_1_to_9.json")).isTrue();
        assertThat(ExportLayout.isExportFile("shop.t-schema.sql")).isFalse();
        assertThat(ExportLayout.isExportFile("notes/README.txt")).isFalse();
        assertThat(ExportLayout.isExportFile("top-level.parquet")).isFalse();
    }
}
