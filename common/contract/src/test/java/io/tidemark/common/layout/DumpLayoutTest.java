package io.tidemark.common.layout;

import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.table.TableRef;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DumpLayoutTest {
    @Test
    void namesFollowDumpling() {
        TableRef t = TableRef.of("shop", "orders");
        assertThat(DumpLayout.schemaCreateFile("shop")).isEqualTo("shop-schema-create.sql");
        assertThat(DumpLayout.tableSchemaFile(t)).isEqualTo("shop.orders-schema.sql");
        assertThat(DumpLayout.dataFile(t, 3, "sql")).isEqualTo("shop.orders.000000003.sql");
        assertThat(DumpLayout.parseDataFile("dir/shop.orders.000000003.sql"))
                .contains(new DumpLayout.DataFile(t, 3, "sql"));
        assertThat(DumpLayout.parseTableSchemaFile("shop.orders-schema.sql")).contains(t);
        assertThat(DumpLayout.parseSchemaCreateFile("shop-schema-create.sql")).contains("shop");
        assertThat(DumpLayout.parseDataFile("shop.orders-schema.sql")).isEmpty();
        assertThat(DumpLayout.parseDataFile("metadata")).isEmpty();
    }

    @Test
    void compressedDataFilesKeepTheirTableAndSayTheirCompression() {
        TableRef t = TableRef.of("shop", "orders");
        assertThat(DumpLayout.parseDataFile("shop.orders.000000001.sql.gz"))
                .contains(new DumpLayout.DataFile(t, 1, "sql", "gz"));
        assertThat(DumpLayout.parseDataFile("d/shop.orders.000000002.csv.zst"))
                .contains(new DumpLayout.DataFile(t, 2, "csv", "zst"));
        assertThat(DumpLayout.parseDataFile("shop.orders.000000002.csv.snappy")).map(DumpLayout.DataFile::compression)
                .contains("snappy");
        // a suffix the import cannot read is no data file of its layout
        assertThat(DumpLayout.parseDataFile("shop.orders.000000001.sql.lz4")).isEmpty();
        assertThat(DumpLayout.parseDataFile("shop.orders-schema.sql.gz")).isEmpty();
    }

    @Test
    void compressedSchemaFilesKeepTheirTableAndDatabase() {
        // Dumpling's --compress compresses db-schema-create.sql and db.tbl-schema.sql as well
        TableRef t = TableRef.of("shop", "orders");
        for (String suffix : new String[]{".gz", ".gzip", ".zst", ".zstd", ".snappy"}) {
            assertThat(DumpLayout.parseTableSchemaFile("shop.orders-schema.sql" + suffix)).contains(t);
            assertThat(DumpLayout.parseSchemaCreateFile("d/shop-schema-create.sql" + suffix)).contains("shop");
            assertThat(DumpLayout.parseTableSchemaFile("shop-schema-create.sql" + suffix)).isEmpty();
        }
        assertThat(DumpLayout.parseTableSchemaFile("shop.orders-schema.sql.lz4")).isEmpty();
        assertThat(DumpLayout.parseSchemaCreateFile("shop-schema-create.sql.xz")).isEmpty();
    }

    @Test
    void namesAreEscapedAsDumplingEscapesThem() {
        // Dumpling's fn: control characters and % " * . / : < > ? \ | as %XX, "-schema" as "%2Dschema"
        assertThat(DumpLayout.escape("数据库.表")).isEqualTo("数据库%2E表");
        assertThat(DumpLayout.escape("表-schema")).isEqualTo("表%2Dschema");
        assertThat(DumpLayout.escape("a-SCHEMA-b")).isEqualTo("a%2DSCHEMA-b");
        assertThat(DumpLayout.escape("a/b")).isEqualTo("a%2Fb");
        assertThat(DumpLayout.escape("50%")).isEqualTo("50%25");
        assertThat(DumpLayout.escape("\"*:<>?\\|")).isEqualTo("%22%2A%3A%3C%3E%3F%5C%7C");
        assertThat(DumpLayout.escape("tab\there\n")).isEqualTo("tab%09here%0A");
        // what a file name may hold stays readable
        assertThat(DumpLayout.escape("a b`c'd-e_f ünï 中文")).isEqualTo("a b`c'd-e_f ünï 中文");
        assertThat(DumpLayout.dataFile(TableRef.of("x", "y.z"), 0, "sql")).isEqualTo("x.y%2Ez.000000000.sql");
        assertThat(DumpLayout.dataFile(TableRef.of("x.y", "z"), 0, "sql")).isEqualTo("x%2Ey.z.000000000.sql");
        assertThat(DumpLayout.tableSchemaFile(TableRef.of("s", "a/b"))).isEqualTo("s.a%2Fb-schema.sql");
        assertThat(DumpLayout.schemaCreateFile("s.t")).isEqualTo("s%2Et-schema-create.sql");
    }

    @Test
    void everyLegalIdentifierGetsItsOwnFileAndReadsBackToItsTable() {
        List<String> names = List.of("t", "x", "y", "x.y", "y.z", "x.y.z", "a/b", "../etc", "a b", "a`b", "a``b",
                "a'b", "a\"b", "50%", "50%25", "x%2Ey", "%", "%%", "%2", "%zz", "a\\b", "a:b*c?d<e>f|g", "t-schema",
                "t-schema-create", "t%2Dschema", "-schema", "000000001", "1.000000001", "ünïcødé", "表.名", "表",
                "tab\tnew\nline", "x".repeat(64), ".".repeat(64), "长".repeat(64), "a.b-".repeat(16));
        Set<String> files = new HashSet<>();
        for (String schema : List.of("db", "db.x", "db/x", "数据", "db-schema", "50%")) {
            for (String table : names) {
                TableRef t = TableRef.of(schema, table);
                String data = DumpLayout.dataFile(t, 7, "sql");
                String csv = DumpLayout.dataFile(t, 0, "csv");
                String tableSchema = DumpLayout.tableSchemaFile(t);
                for (String file : List.of(data, csv, tableSchema)) {
                    assertThat(file).as("a file name, never a path").doesNotContain("/");
                    assertThat(files.add(file)).as("%s gets a file of its own", file).isTrue();
                }
                assertThat(DumpLayout.parseDataFile(data)).contains(new DumpLayout.DataFile(t, 7, "sql"));
                assertThat(DumpLayout.parseDataFile("some/dir/" + csv)).contains(new DumpLayout.DataFile(t, 0, "csv"));
                assertThat(DumpLayout.parseTableSchemaFile(tableSchema)).contains(t);
                assertThat(DumpLayout.parseDataFile(tableSchema)).isEmpty();
                assertThat(DumpLayout.parseSchemaCreateFile(tableSchema)).isEmpty();
                assertThat(DumpLayout.parseTableSchemaFile(data)).isEmpty();
                assertThat(DumpLayout.unescape(DumpLayout.escape(table))).isEqualTo(table);
            }
            String create = DumpLayout.schemaCreateFile(schema);
            assertThat(files.add(create)).isTrue();
            assertThat(DumpLayout.parseSchemaCreateFile(create)).contains(schema);
            assertThat(DumpLayout.parseTableSchemaFile(create)).isEmpty();
        }
    }

    @Test
    void aPercentThatStartsNoEscapeIsReadAsItIsLikeLightning() {
        assertThat(DumpLayout.parseDataFile("db.50%.000000000.sql"))
                .contains(new DumpLayout.DataFile(TableRef.of("db", "50%"), 0, "sql"));
        assertThat(DumpLayout.unescape("a%2")).isEqualTo("a%2");
        assertThat(DumpLayout.unescape("a%2e%E4%B8%AD")).isEqualTo("a.中");
    }

    @Test
    void metadataReadsBackAsDumplingWritesIt() {
        DumpMetadata m = new DumpMetadata(LocalDateTime.of(2026, 11, 21, 10, 40, 19),
                BinlogPosition.of("mysql-bin.000001", 2251, "0-1-5"), LocalDateTime.of(2026, 11, 21, 10, 40, 20));
        String text = m.render();
        assertThat(text).contains("SHOW MASTER STATUS:\n\tLog: mysql-bin.000001\n\tPos: 2251\n\tGTID:0-1-5\n");
        assertThat(DumpMetadata.parsePosition(text)).contains(m.position());
    }

    @Test
    void aDumplingMetadataWithoutGtidParses() {
        String dumpling = "Started dump at: 2020-11-10 10:40:19\nSHOW MASTER STATUS:\n\tLog: mysql-bin.000004\n"
                + "\tPos: 109227\n\tGTID:\n\nFinished dump at: 2020-11-10 10:40:20\n";
        assertThat(DumpMetadata.parsePosition(dumpling))
                .contains(BinlogPosition.ofFilePosition("mysql-bin.000004", 109227));
    }
}
