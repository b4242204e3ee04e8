package io.tidemark.coordinator.imports;

import io.tidemark.common.table.TableRef;
import io.tidemark.coordinator.config.lightning.LightningConfig;
import io.tidemark.coordinator.config.lightning.LightningConfigException;
import io.tidemark.coordinator.config.lightning.LightningConfigs;
import io.tidemark.coordinator.config.lightning.Problem;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The seed's TiDB Lightning files set against listings of the files they would import. */
class LightningFilesTest {
    private static final String EXPORT = "my-export/mydb/mydb.";
    private static final String PART = "/1/part-00000-3d1e9f2a-c000.gz.parquet";

    private static String seed(String name) {
        try (InputStream in = LightningFilesTest.class.getResourceAsStream("/lightning/seed-filled/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static LightningConfig data(String replace, String with) {
        return LightningConfigs.parse(seed("tidb-lightning-data.toml").replace(replace, with),
                "tidb-lightning-data.toml");
    }

    private static ImportFiles files(String... paths) {
        Map<String, Long> files = new TreeMap<>();
        for (String p : paths) {
            files.put(p, 100L);
        }
        return new ImportFiles("s3://my-bucket/aurora-export", new TreeMap<>(files));
    }

    private static Problem onlyProblem(LightningConfig config, ImportFiles files) {
        LightningConfigException e = catchThrowableOfType(LightningConfigException.class,
                () -> LightningFiles.check(config, files));
        assertThat(e).as("the check should fail").isNotNull();
        assertThat(e.problems()).hasSize(1);
        return e.problems().getFirst();
    }

    @Test
    void theSeedsParquetRuleAgreesWithTheAuroraLayoutAndTheFilterSelects() {
        FoundTables found = LightningFiles.check(data("", ""), files(
                "my-export/export_info_my-export.json", EXPORT + "orders" + PART, EXPORT + "orders/_SUCCESS",
                "my-export/my_db1/my_db1.table1" + PART, "my-export/my_db1/my_db1.table3" + PART));

        assertThat(found.anyData()).isTrue();
        assertThat(found.tables()).containsExactly(TableRef.of("my_db1", "table1"), TableRef.of("mydb", "orders"));
        assertThat(found.withoutSchema()).isEqualTo(found.tables());
        assertThat(found.dataFiles(TableRef.of("mydb", "orders"))).containsExactly(EXPORT + "orders" + PART);
        assertThat(found.unselected()).containsExactly(TableRef.of("my_db1", "table3"));
    }

    @Test
    void aRuleThatRoutesADataFileToAnotherTableThanItsFolderIsRefusedNamingRuleFileAndBothTables() {
        // the schema and table groups swapped: orders' files would go to `orders`.`mydb`
        LightningConfig swapped = data("schema = '$1'\ntable = '$2'", "schema = '$2'\ntable = '$1'");

        Problem p = onlyProblem(swapped, files(EXPORT + "orders" + PART, EXPORT + "orders/2/part-1.parquet"));

        assertThat(p.key()).isEqualTo("mydumper.files[1].pattern");
        assertThat(p.position().line()).isEqualTo(31);
        assertThat(p.what()).contains("[[mydumper.files]] #1 (line 29) routes the data file " + EXPORT + "orders"
                        + PART + " (and 1 more files like it) to `orders`.`mydb`")
                .contains("by its layout (the Aurora export folder my-export/mydb/mydb.orders) as rows of"
                        + " `mydb`.`orders`");
        assertThat(p.fix()).contains("make the rule name the table the layout does").contains("schema = '$1'");
    }

    @Test
    void theBuiltInRulesOnAnAuroraExportAreRefusedWithTheSeedsRuleAsTheFix() {
        // the data file without its [[mydumper.files]] rule: Lightning's built-in rule takes part-….gz for a table
        String text = seed("tidb-lightning-data.toml");
        LightningConfig noRule = LightningConfigs.parse(text.substring(0, text.indexOf("[[mydumper.files]]")),
                "tidb-lightning-data.toml");

        Problem p = onlyProblem(noRule, files(EXPORT + "orders" + PART));

        assertThat(p.key()).isEqualTo("mydumper.files");
        assertThat(p.what()).startsWith("is not set, so TiDB Lightning's built-in rule")
                .contains("to `part-00000-3d1e9f2a-c000`.`gz`").contains("as rows of `mydb`.`orders`");
        assertThat(p.fix()).startsWith("add the seed's rule for Aurora snapshot exports: [[mydumper.files]] pattern");
    }

    @Test
    void filesWithoutRowsMakeASchemaImportOfTheTablesWithCreateTableFiles() {
        LightningConfig schema = LightningConfigs.parse(seed("tidb-lightning-schema.toml"),
                "tidb-lightning-schema.toml");

        FoundTables found = LightningFiles.check(schema, files("metadata", "mydb-schema-create.sql",
                "mydb.orders-schema.sql", "my_db1.table1-schema.sql"));

        assertThat(found.anyData()).isFalse();
        assertThat(found.tables()).containsExactly(TableRef.of("my_db1", "table1"), TableRef.of("mydb", "orders"));
        assertThat(found.withoutSchema()).isEmpty();

        // and with no-schema = true there is nothing to do
        LightningConfig noSchema = LightningConfigs.parse(seed("tidb-lightning-schema.toml")
                .replace("[mydumper]", "[mydumper]\nno-schema = true"), "tidb-lightning-schema.toml");
        Problem p = onlyProblem(noSchema, files("mydb.orders-schema.sql"));
        assertThat(p.key()).isEqualTo("mydumper.no-schema");
        assertThat(p.what()).contains("leaves nothing to import").contains("hold no rows, only CREATE statements");
    }

    @Test
    void compressedSchemaFilesMakeTheSameSchemaImportAsPlainOnes() {
        // Dumpling's --no-data --compress gz: Lightning's built-in rules route them, and the layout reads them alike
        LightningConfig schema = LightningConfigs.parse(seed("tidb-lightning-schema.toml"),
                "tidb-lightning-schema.toml");

        FoundTables found = LightningFiles.check(schema, files("metadata", "mydb-schema-create.sql.gz",
                "mydb.orders-schema.sql.gz", "my_db1.table1-schema.sql.zst"));

        assertThat(found.anyData()).isFalse();
        assertThat(found.tables()).containsExactly(TableRef.of("my_db1", "table1"), TableRef.of("mydb", "orders"));
        assertThat(found.schemaFiles(TableRef.of("mydb", "orders"))).containsExactly("mydb.orders-schema.sql.gz");
        assertThat(Layout.of("mydb-schema-create.sql.snappy")).get().extracting(Layout.Read::kind)
                .isEqualTo(Layout.Kind.SCHEMA_CREATE);
    }

    @Test
    void filesCompressedAsTheImportDoesNotReadAreRefusedByNameNotRoutedAway() {
        // the built-in rules route .lz4 as Lightning does and cannot take .bz2 at all; neither may hide the table;
        // my_db1.table3 is a table the data file's filter leaves out
        LightningConfig schema = LightningConfigs.parse(seed("tidb-lightning-schema.toml").replace("[mydumper]",
                "[mydumper]\nfilter = ['my_db1.table[12]', 'mydb.*']"), "tidb-lightning-schema.toml");

        Problem p = onlyProblem(schema, files("mydb.orders-schema.sql", "mydb.orders.000000001.sql.lz4",
                "mydb.orders.000000002.csv.bz2", "my_db1.table3.000000001.sql.lz4"));

        assertThat(p.key()).isEqualTo("mydumper.data-source-dir");
        assertThat(p.what()).contains("holds mydb.orders.000000001.sql.lz4 (and 1 more: mydb.orders.000000002.csv.bz2),"
                + " compressed as lz4, which Tidemark's import does not read: it holds the rows of mydb.orders")
                .contains("TM-40014").doesNotContain("table3");
        assertThat(p.fix()).contains("dumpling --compress gzip|zstd|snappy").contains("lz4 -d")
                .doesNotContain("retry");

        // and the seed's Parquet rule does not let a Parquet file compressed as a whole pass unseen
        Problem parquet = onlyProblem(data("", ""), files(EXPORT + "orders" + PART, EXPORT + "orders/2/part-1.parquet.gz",
                EXPORT + "orders/_SUCCESS"));
        assertThat(parquet.what()).contains("holds " + EXPORT + "orders/2/part-1.parquet.gz, compressed as gz")
                .contains("(a Parquet file)");
    }

    @Test
    void aFilterThatSelectsNoTableOfTheFilesNamesTheTablesThere() {
        Problem p = onlyProblem(data("", ""), files(EXPORT.replace("mydb", "crm") + "users" + PART));

        assertThat(p.key()).isEqualTo("mydumper.filter");
        assertThat(p.what()).contains("selects none of the tables the files under s3://my-bucket/aurora-export hold:"
                + " crm.users");
        assertThat(p.fix()).contains("filter = ['crm.*']");
    }

    @Test
    void aCsvFormatLoadDataReadsIsTakenAndOneItCannotReadIsRefused() {
        LightningConfig pipes = LightningConfigs.parse(seed("tidb-lightning-schema.toml")
                + "\n[mydumper.csv]\nseparator = '|'\ndelimiter = \"'\"\nheader = false\nnull = 'NULL'\n"
                + "terminator = \"\\r\\n\"\n", "tidb-lightning-csv.toml");
        assertThat(LightningFiles.check(pipes, files("mydb.orders-schema.sql", "mydb.orders.000000001.csv"))
                .tables()).containsExactly(TableRef.of("mydb", "orders"));
        assertThat(pipes.mydumper().csv().format())
                .isEqualTo(new io.tidemark.common.command.CsvFormat("|", "'", "\r\n", false, List.of("NULL"), true));

        LightningConfig twoNulls = LightningConfigs.parse(seed("tidb-lightning-schema.toml")
                + "\n[mydumper.csv]\nnull = ['\\N', 'NA']\n", "tidb-lightning-csv.toml");
        Problem p = onlyProblem(twoNulls, files("mydb.orders-schema.sql", "mydb.orders.000000001.csv"));
        assertThat(p.key()).isEqualTo("mydumper.csv");
        assertThat(p.what()).contains("cannot read with LOAD DATA").contains("2 NULL markers").contains("TM-40015");
        LightningConfig trim = LightningConfigs.parse(seed("tidb-lightning-schema.toml")
                + "\n[mydumper.csv]\ntrim-last-separator = true\n", "tidb-lightning-csv.toml");
        assertThat(onlyProblem(trim, files("mydb.orders.000000001.csv")).what()).contains("trim-last-separator");
        // and SQL files are not read as CSV
        assertThat(LightningFiles.check(twoNulls, files("mydb.orders-schema.sql", "mydb.orders.000000001.sql"))
                .tables()).containsExactly(TableRef.of("mydb", "orders"));
    }

    @Test
    void theLayoutReadsDumplingNamesAndAuroraFoldersAndNothingElse() {
        assertThat(Layout.of("mydb.orders.000000001.sql")).get().extracting(Layout.Read::kind, Layout.Read::table)
                .containsExactly(Layout.Kind.DATA, TableRef.of("mydb", "orders"));
        assertThat(Layout.of("my%2Edb.or%2Eders-schema.sql")).get().extracting(Layout.Read::table)
                .isEqualTo(TableRef.of("my.db", "or.ders"));
        // the deepest <db>/<db>.<table> pair: an export folder named with a dot is no table
        assertThat(Layout.of("exp.2024/mydb/mydb.orders/1/part-0.parquet")).get().extracting(Layout.Read::table)
                .isEqualTo(TableRef.of("mydb", "orders"));
        assertThat(Layout.of("my-export/mydb/mydb.orders/_SUCCESS")).isEmpty();
        assertThat(Layout.of("stray/part-0.parquet")).isEmpty();
        // compressed data files are read as lightning-service reads them; a compression it cannot read is no table's
        assertThat(Layout.of("mydb.orders.000000001.sql.gz")).get().extracting(Layout.Read::kind, Layout.Read::table)
                .containsExactly(Layout.Kind.DATA, TableRef.of("mydb", "orders"));
        assertThat(Layout.of("mydb.orders.000000001.csv.zst")).get().extracting(Layout.Read::kind)
                .isEqualTo(Layout.Kind.DATA);
        assertThat(Layout.of("mydb.orders.000000001.sql.lz4")).isEmpty();
        assertThat(List.of("metadata", "my-export/export_info_my-export.json"))
                .allSatisfy(p -> assertThat(Layout.of(p)).isEmpty());
    }
}
