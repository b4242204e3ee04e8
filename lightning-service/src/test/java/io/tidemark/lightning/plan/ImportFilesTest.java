package io.tidemark.lightning.plan;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.storage.LocalStorage;
import io.tidemark.common.table.TableRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A compression the import does not read stops the plan by name, instead of leaving the table out. */
class ImportFilesTest {
    private static final TableRef ORDERS = TableRef.of("shop", "orders");
    private static final TableRef USERS = TableRef.of("shop", "users");

    @TempDir
    Path dir;

    @Test
    void aDumpFileOfAWantedTableCompressedAsLz4StopsThePlanNamingFileCompressionAndTable() throws Exception {
        touch("shop.orders-schema.sql", "shop.orders.000000000.sql.gz", "shop.orders.000000001.sql.lz4",
                "shop.orders.000000002.csv.bz2", "shop.users.000000000.sql");

        for (List<TableRef> wanted : List.of(List.of(ORDERS), List.<TableRef>of())) {
            assertThatThrownBy(() -> ImportFiles.of(new LocalStorage(dir), wanted))
                    .isInstanceOfSatisfying(TidemarkException.class, e -> {
                        assertThat(e.error()).isEqualTo(ErrorCode.FILE_COMPRESSION_UNSUPPORTED);
                        assertThat(e.getMessage()).contains("file shop.orders.000000001.sql.lz4 (and 1 more:"
                                        + " shop.orders.000000002.csv.bz2) is compressed as lz4")
                                .contains("the rows of shop.orders, which the import would leave out");
                        assertThat(e.error().remedy()).contains("dumpling --compress gzip|zstd|snappy")
                                .contains("lz4 -d");
                    });
        }
        // a table not asked for keeps its files to itself
        assertThat(ImportFiles.of(new LocalStorage(dir), List.of(USERS)).files())
                .extracting(ImportFiles.DataFile::path).containsExactly("shop.users.000000000.sql");
    }

    @Test
    void aSchemaFileCompressedAsXzStopsThePlanToo() throws Exception {
        touch("shop-schema-create.sql.xz", "shop.users.000000000.sql");

        assertThatThrownBy(() -> ImportFiles.of(new LocalStorage(dir), List.of(USERS)))
                .isInstanceOfSatisfying(TidemarkException.class, e -> assertThat(e.getMessage())
                        .contains("file shop-schema-create.sql.xz is compressed as xz")
                        .contains("the CREATE DATABASE of `shop`"));
    }

    @Test
    void anExportsParquetFileCompressedAsAWholeStopsThePlan() throws Exception {
        touch("exp/shop/shop.orders/1/part-00000-a-c000.gz.parquet", "exp/shop/shop.orders/1/_SUCCESS",
                "exp/shop/shop.orders/2/part-00001-b-c000.gz.parquet.gz", "exp/shop/shop.orders/2/_SUCCESS");

        assertThatThrownBy(() -> ImportFiles.of(new LocalStorage(dir), List.of()))
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.error()).isEqualTo(ErrorCode.FILE_COMPRESSION_UNSUPPORTED);
                    assertThat(e.getMessage()).contains("file exp/shop/shop.orders/2/part-00001-b-c000.gz.parquet.gz"
                            + " is compressed as gz").contains("the rows of shop.orders (a Parquet file)");
                });
    }

    @Test
    void aSchemaLocationWhoseCreateTableIsLz4RefusesThatTable() throws Exception {
        touch("shop.orders-schema.sql.lz4", "shop.users-schema.sql");
        SchemaFiles schema = SchemaFiles.at(dir.toString(), 1 << 20);

        assertThat(schema.creates(USERS)).isTrue();
        assertThat(schema.creates(TableRef.of("shop", "other"))).isFalse();
        assertThatThrownBy(() -> schema.creates(ORDERS)).isInstanceOfSatisfying(TidemarkException.class,
                e -> assertThat(e.getMessage()).contains("file shop.orders-schema.sql.lz4 is compressed as lz4")
                        .contains("the CREATE TABLE of shop.orders"));
    }

    private void touch(String... files) throws Exception {
        for (String f : files) {
            Path p = dir.resolve(f);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "x");
        }
    }
}
