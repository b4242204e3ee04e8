package io.tidemark.lightning.parquet;

import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.storage.LocalStorage;
import io.tidemark.common.table.TableRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The layout of an Aurora snapshot export as AWS writes it, read from a storage root. */
class AuroraExportTest {
    @TempDir
    Path root;

    @Test
    void findsEveryParquetFileUnderEachTableFolderWhateverItsNamingAndReadsTheMetadata() throws Exception {
        // given an export under a prefix: orders in today's batch folders, with gaps in the numbering;
        // customers in the earlier naming, straight under its folder; an empty table with only its _SUCCESS
        SparkExport export = new SparkExport(root.resolve("exports"), "export-tidemark-1");
        Path a = export.partFile("shop", "orders", 1, 0);
        Path b = export.partFile("shop", "orders", 1, 7);
        Path c = export.partFile("shop", "orders", 3, 2);
        for (Path p : List.of(a, b, c)) {
            ParquetRowsTest.writeNumbers(p, 10, 1024 * 1024);
        }
        SparkExport.success(a.getParent());
        SparkExport.success(c.getParent());
        Path old = export.oldPartFile("shop", "customers", 4);
        ParquetRowsTest.writeNumbers(old, 5, 1024 * 1024);
        SparkExport.success(old.getParent());
        SparkExport.success(export.tableFolder("crm", "empty_table"));
        export.exportInfo("COMPLETE");
        export.tablesInfo(List.of(Map.entry("shop.shop.orders", "COMPLETE"),
                Map.entry("shop.shop.customers", "COMPLETE"), Map.entry("crm.crm.empty_table", "COMPLETE")));
        ParquetRowsTest.writeNumbers(root.resolve("exports/loose.parquet"), 1, 1024 * 1024);

        // when the storage root above the export is scanned
        AuroraExport found = AuroraExport.scan(new LocalStorage(root));

        // then each table has all its files, its folder, and is complete
        assertThat(found.tables()).extracting(AuroraExport.Table::table).containsExactly(
                TableRef.of("crm", "empty_table"), TableRef.of("shop", "customers"), TableRef.of("shop", "orders"));
        AuroraExport.Table orders = found.table(TableRef.of("shop", "orders")).orElseThrow();
        assertThat(orders.folder()).isEqualTo("exports/export-tidemark-1/shop/shop.orders");
        assertThat(orders.files()).extracting(AuroraExport.DataFile::path).containsExactlyInAnyOrder(
                relative(a), relative(b), relative(c));
        assertThat(orders.bytes()).isEqualTo(Files.size(a) + Files.size(b) + Files.size(c));
        assertThat(found.table(TableRef.of("shop", "customers")).orElseThrow().files())
                .extracting(AuroraExport.DataFile::path).containsExactly(relative(old));
        assertThat(found.table(TableRef.of("crm", "empty_table")).orElseThrow().files()).isEmpty();
        assertThat(found.tables()).allMatch(AuroraExport.Table::succeeded);
        // and the metadata is read
        assertThat(found.exports()).singleElement().satisfies(info -> {
            assertThat(info.exportTaskIdentifier()).isEqualTo("export-tidemark-1");
            assertThat(info.complete()).isTrue();
            assertThat(info.percentProgress()).isEqualTo(100);
            assertThat(info.sourceArn()).startsWith("arn:aws:rds:");
        });
        assertThat(found.tableStatuses()).extracting(AuroraExport.TableStatus::target)
                .containsExactly("shop.shop.orders", "shop.shop.customers", "crm.crm.empty_table");
        assertThat(found.strayFiles()).containsExactly("exports/loose.parquet");
        found.requireComplete();
    }

    @Test
    void aTableFolderWithoutSuccessIsIncompleteAndNamed() throws Exception {
        // given one table with no _SUCCESS at all, one with a _SUCCESS beside only some of its files
        SparkExport export = new SparkExport(root, "exp2");
        ParquetRowsTest.writeNumbers(export.partFile("db1", "unfinished", 1, 0), 3, 1024 * 1024);
        Path done = export.partFile("db1", "half", 1, 0);
        ParquetRowsTest.writeNumbers(done, 3, 1024 * 1024);
        SparkExport.success(done.getParent());
        ParquetRowsTest.writeNumbers(export.partFile("db1", "half", 2, 0), 3, 1024 * 1024);
        export.exportInfo("COMPLETE");

        AuroraExport found = AuroraExport.scan(new LocalStorage(root));

        assertThat(found.tables()).extracting(AuroraExport.Table::succeeded).containsExactly(false, false);
        assertThatThrownBy(found::requireComplete)
                .isInstanceOfSatisfying(TidemarkException.class, e -> assertThat(e.retriable()).isFalse())
                .hasMessageStartingWith("TM-40012 the snapshot export under " + root.toUri() + " is not complete: ")
                .hasMessageContaining("remedy: wait until the export task is COMPLETE")
                .hasMessageContaining("table folder exp2/db1/db1.unfinished has no _SUCCESS")
                .hasMessageContaining("table folder exp2/db1/db1.half has no _SUCCESS");
    }

    @Test
    void anExportStillRunningATableAwsFailedAndATableInTwoExportsAreEachNamed() throws Exception {
        SparkExport running = new SparkExport(root, "exp-a");
        running.exportInfo("IN_PROGRESS");
        running.tablesInfo(List.of(Map.entry("db.db.broken", "FAILED")));
        Path first = running.partFile("db", "t", 1, 0);
        ParquetRowsTest.writeNumbers(first, 1, 1024 * 1024);
        SparkExport.success(first.getParent());
        SparkExport other = new SparkExport(root, "exp-b");
        Path second = other.partFile("db", "t", 1, 0);
        ParquetRowsTest.writeNumbers(second, 1, 1024 * 1024);
        SparkExport.success(second.getParent());

        assertThatThrownBy(() -> AuroraExport.scan(new LocalStorage(root)).requireComplete())
                .hasMessageContaining("export exp-a has status IN_PROGRESS")
                .hasMessageContaining("table db.db.broken has status FAILED")
                .hasMessageContaining("table db.t is in two folders, exp-a/db/db.t and exp-b/db/db.t");
    }

    @Test
    void aDumplingDumpIsNoExportAndATableFolderIsTheDeepestDbDotTablePair() throws Exception {
        Files.writeString(root.resolve("shop.orders.000000000.sql"), "INSERT INTO `orders` VALUES (1);\n");
        Files.writeString(root.resolve("shop.orders-schema.sql"), "CREATE TABLE `orders` (`id` int);\n");
        assertThat(AuroraExport.detect(new LocalStorage(root))).isEmpty();

        // an export folder or database whose name has a '.' is not taken for a table folder
        assertThat(AuroraExport.tableFolderOf("x/x.y/x.y.t/1/part-0.gz.parquet")).hasValueSatisfying(f -> {
            assertThat(f.path).isEqualTo("x/x.y/x.y.t");
            assertThat(f.table).isEqualTo(TableRef.of("x.y", "t"));
        });
        assertThat(AuroraExport.tableFolderOf("exp/db/db.t.with.dots/part-0.gz.parquet"))
                .hasValueSatisfying(f -> assertThat(f.table).isEqualTo(TableRef.of("db", "t.with.dots")));
        assertThat(AuroraExport.tableFolderOf("exp/db/other.t/part-0.gz.parquet")).isEmpty();
    }

    @Test
    void metadataThatIsNotAwsJsonIsNamed() throws Exception {
        Files.createDirectories(root.resolve("e"));
        Files.writeString(root.resolve("e/export_info_e.json"), "{\"status\": ");

        assertThatThrownBy(() -> AuroraExport.scan(new LocalStorage(root)))
                .hasMessageStartingWith("TM-40002 dump file e/export_info_e.json is unreadable")
                .hasMessageContaining("not the JSON AWS writes");
    }

    private String relative(Path p) {
        return root.relativize(p).toString();
    }
}
