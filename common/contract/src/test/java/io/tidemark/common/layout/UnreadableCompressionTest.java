package io.tidemark.common.layout;

import io.tidemark.common.table.TableRef;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class UnreadableCompressionTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            shop.orders.000000001.sql.lz4              | lz4    | shop.orders | the rows of shop.orders
            dump/shop.orders.000000001.csv.xz          | xz     | shop.orders | the rows of shop.orders
            shop.orders.000000002.sql.lzo              | lzo    | shop.orders | the rows of shop.orders
            shop.orders.000000001.csv.BZ2              | BZ2    | shop.orders | the rows of shop.orders
            shop.orders.000000001.sql.br               | br     | shop.orders | the rows of shop.orders
            shop.orders-schema.sql.lz4                 | lz4    | shop.orders | the CREATE TABLE of shop.orders
            shop-schema-create.sql.xz                  | xz     | shop.       | the CREATE DATABASE of `shop`
            exp/shop/shop.orders/1/part-0.parquet.lz4  | lz4    | shop.orders | the rows of shop.orders (a Parquet file)
            exp/shop/shop.orders/part-0.gz.parquet.gz  | gz     | shop.orders | the rows of shop.orders (a Parquet file)
            exp/shop/shop.orders/part-0.parquet.snappy | snappy | shop.orders | the rows of shop.orders (a Parquet file)
            """)
    void aLayoutFileCompressedAsTheImportCannotReadNamesItsCompressionAndTable(String path, String compression,
                                                                               String table, String holds) {
        String[] t = table.split("\\.", -1);
        assertThat(UnreadableCompression.of(path)).contains(
                new UnreadableCompression(path, compression, TableRef.of(t[0], t[1]), holds));
        assertThat(UnreadableCompression.of(path).orElseThrow().parquet()).isEqualTo(path.startsWith("exp/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"shop.orders.000000001.sql.gz", "shop.orders.000000001.csv.zst",
            "shop.orders-schema.sql.snappy", "shop.orders.000000001.sql", "exp/shop/shop.orders/1/part-0.gz.parquet",
            "notes.txt.xz", "stray/part-0.parquet.lz4", "metadata", "archive.lz4", "dir.lz4/metadata",
            "shop.orders.sql.lz4"})
    void aReadableOrForeignFileIsNotRefused(String path) {
        assertThat(UnreadableCompression.of(path)).isEmpty();
    }
}
