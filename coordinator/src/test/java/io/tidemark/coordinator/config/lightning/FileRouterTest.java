package io.tidemark.coordinator.config.lightning;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static io.tidemark.coordinator.config.lightning.Toml.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class FileRouterTest {
    private static FileRouter router(String rules) {
        return LightningConfigs.parse(valid(rules), "rules.toml").fileRouter();
    }

    /** with no [[mydumper.files]], TiDB Lightning's built-in rules read Dumpling's file names */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            mydb-schema-create.sql                   | mydb | ''        | schema-schema | ''        | NONE
            mydb.orders-schema.sql                   | mydb | orders    | table-schema  | ''        | NONE
            mydb.orders-schema.sql.gz                | mydb | orders    | table-schema  | ''        | GZIP
            mydb.v_orders-schema-view.sql            | mydb | v_orders  | view-schema   | ''        | NONE
            dump/mydb.orders.000000001.sql           | mydb | orders    | sql           | 000000001 | NONE
            mydb.orders.000000002.csv.gz             | mydb | orders    | csv           | 000000002 | GZIP
            mydb.orders.0001.csv.zst                 | mydb | orders    | csv           | 0001      | ZSTD
            mydb.orders.parquet                      | mydb | orders    | parquet       | ''        | NONE
            mydb.ta%24ble.000000001.sql              | mydb | ta$ble    | sql           | 000000001 | NONE
            mydb.orders-schema-trigger.sql           | ''   | ''        | ignore        | ''        | NONE
            mydb.orders.000000001.sql.bak            | ''   | ''        | ignore        | ''        | NONE
            """)
    void dumplingsFileNamesGoToTheirTablesByTheBuiltInRules(String path, String schema, String table, String type,
                                                            String key, Compression compression) {
        Optional<RoutedFile> routed = router("").route(path);

        assertThat(routed).get().satisfies(f -> {
            assertThat(f.schema()).isEqualTo(schema);
            assertThat(f.table()).isEqualTo(table);
            assertThat(f.type().word()).isEqualTo(type);
            assertThat(f.key()).isEqualTo(key);
            assertThat(f.compression()).isEqualTo(compression);
            assertThat(f.rule().builtIn()).isTrue();
        });
    }

    @Test
    void filesNoRuleMatchesBelongToNoTable() {
        assertThat(router("").route("metadata")).isEmpty();
        assertThat(router("").route("mydb/_SUCCESS")).isEmpty();
    }

    @Test
    void theFilesOwnRulesComeFirstAndTheBuiltInOnesOnlyWhenAskedFor() {
        String rule = "[[mydumper.files]]\npattern = '^(\\w+)\\.(\\w+)\\.dat$'\nschema = '$1'\ntable = '$2'\n"
                + "type = 'csv'\n";

        assertThat(router(rule).route("mydb.orders.dat")).get().extracting(RoutedFile::type)
                .isEqualTo(SourceType.CSV);
        assertThat(router(rule).route("mydb.orders-schema.sql")).isEmpty();
        FileRouter both = router(rule.replace("[[mydumper.files]]", "default-file-rules = true\n[[mydumper.files]]"));
        assertThat(both.route("mydb.orders-schema.sql")).get().extracting(RoutedFile::type)
                .isEqualTo(SourceType.TABLE_SCHEMA);
        assertThat(both.rules()).hasSize(1 + FileRouter.BUILT_IN.size());
    }

    @Test
    void theFirstMatchingRuleDecidesAndAnIgnoreRuleSkipsTheFile() {
        FileRouter router = router("""
                [[mydumper.files]]
                pattern = '(?i)/tmp_[^/]*$'
                type = 'ignore'
                [[mydumper.files]]
                pattern = '(?i)^(\\w+)/(\\w+)\\.csv$'
                schema = '$1'
                table = '$2'
                type = 'csv'
                """);

        assertThat(router.route("shop/tmp_orders.csv")).get().satisfies(f -> {
            assertThat(f.type()).isEqualTo(SourceType.IGNORE);
            assertThat(f.rule().index()).isEqualTo(1);
        });
        assertThat(router.route("shop/orders.csv")).get().extracting(RoutedFile::schema, RoutedFile::table)
                .containsExactly("shop", "orders");
    }

    @Test
    void templatesExpandAsGoDoes() {
        FileRouter router = router("""
                [[mydumper.files]]
                pattern = '^(?P<db>[[:alpha:]]+)-(\\d+)/(\\w+)\\.sql$'
                schema = '${db}_${2}'
                table = '$$$3'
                type = 'sql'
                """);

        assertThat(router.route("shop-7/orders.sql")).get().extracting(RoutedFile::schema, RoutedFile::table)
                .containsExactly("shop_7", "$orders");
        assertThat(router.route("shop1-7/orders.sql")).as("[[:alpha:]] is letters only, as in Go").isEmpty();
    }

    @Test
    void aPathRuleMatchesThatFileAndTakesDollarsLiterally() {
        FileRouter router = router("""
                [[mydumper.files]]
                path = 'extra/orders$1.csv'
                schema = 'shop'
                table = 'orders$1'
                type = 'csv'
                """);

        assertThat(router.route("extra/orders$1.csv")).get().extracting(RoutedFile::table).isEqualTo("orders$1");
        assertThat(router.route("extra/orders$1Xcsv")).isEmpty();
    }

    @Test
    void aTypeTemplateThatCapturesNoTypeFailsNamingRuleFileAndValue() {
        String rules = """
                [[mydumper.files]]
                pattern = '^(\\w+)\\.(\\w+)\\.(\\w+)$'
                schema = '$1'
                table = '$2'
                type = '$3'
                """;
        FileRouter router = router(rules);

        assertThat(router.route("shop.orders.csv")).get().extracting(RoutedFile::type).isEqualTo(SourceType.CSV);
        LightningConfigException e = catchThrowableOfType(LightningConfigException.class,
                () -> router.route("shop.orders.json"));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("mydumper.files[1].type");
            assertThat(p.position().line()).isEqualTo(13);
            assertThat(p.what()).contains("made \"json\" of the file shop.orders.json, which is no type of file");
        });
    }

    @Test
    void percentEscapesDecodeAsGoDecodesThem() {
        assertThat(FileRouter.pathUnescape("ta%24ble")).isEqualTo("ta$ble");
        assertThat(FileRouter.pathUnescape("%E6%97%A5%E6%9C%AC")).isEqualTo("日本");
        assertThat(FileRouter.pathUnescape("a+b")).isEqualTo("a+b");
        assertThat(FileRouter.pathUnescape("100%zz")).as("malformed: kept as it is").isEqualTo("100%zz");
    }
}
