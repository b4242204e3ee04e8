package io.tidemark.coordinator.config.lightning;

import io.tidemark.common.table.TableRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.tidemark.coordinator.config.lightning.Toml.lineOf;
import static io.tidemark.coordinator.config.lightning.Toml.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The seed's two TiDB Lightning files (migrate-aurora-to-tidb, step 1.2 and 2.2), copied verbatim under
 * {@code lightning/seed-as-is/}, and the same with real values filled in and the quote fixed under
 * {@code lightning/seed-filled/}.
 */
class SeedLightningFilesTest {
    private static final String SEED_PATTERN =
            "(?i)^(?:[^/]*/)*([a-z0-9_]+)\\.([a-z0-9_]+)/(?:[^/]*/)*(?:[a-z0-9\\-_.]+\\.(parquet))$";

    @ParameterizedTest
    @ValueSource(strings = {"tidb-lightning-schema.toml", "tidb-lightning-data.toml"})
    void theSeedFilesAsTheyAreAreRefusedWithTheLineOfEveryParseErrorAndTheUnclosedQuoteNamed(String name) {
        String text = resource("seed-as-is/" + name);
        int userLine = lineOf(text, "user = \"${user_name}");

        LightningConfigException e = catchThrowableOfType(LightningConfigException.class,
                () -> LightningConfigs.parse(text, name));

        assertThat(e.problems()).extracting(p -> p.position().line(), Problem::key).containsExactly(
                tuple(lineOf(text, "host = ${host}"), "tidb.host"),
                tuple(lineOf(text, "port = ${port}"), "tidb.port"),
                tuple(userLine, "tidb.user"),
                tuple(lineOf(text, "status-port = ${status-port}"), "tidb.status-port"));
        Problem user = e.problems().get(2);
        assertThat(user.position()).isEqualTo(new Position(6, 21));
        assertThat(user.what()).contains("does not parse as TOML").contains("Unexpected end of line, expected \"");
        assertThat(user.fix()).contains("close the string")
                .contains("the seed's own `user = \"${user_name}` line lacks it");
        assertThat(e.getMessage()).contains("TM-10013 TiDB Lightning file " + name + " cannot be imported: ")
                .contains("line 6, column 21: `tidb.user`");
        Problem host = e.problems().getFirst();
        assertThat(host.what()).contains("expected ', \", ''', \"\"\", a number");
        assertThat(host.fix()).contains("the seed's placeholder ${host} is not a TOML value")
                .contains("host = \"10.0.1.5\"");
    }

    @Test
    void aFilledInSchemaFileThatKeepsTheSeedsMissingQuoteFailsOnThatLineAlone() {
        String text = resource("seed-filled/tidb-lightning-schema.toml")
                .replace("user = \"tidemark\"", "user = \"tidemark");

        LightningConfigException e = catchThrowableOfType(LightningConfigException.class,
                () -> LightningConfigs.parse(text, "tidb-lightning-schema.toml"));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("tidb.user");
            assertThat(p.position().line()).isEqualTo(6);
            assertThat(p.fix()).startsWith("close the string with the same quote it opens with");
        });
    }

    @Test
    void theFilledInSchemaFileParsesWithNotesOnEveryPhysicalImportKey() {
        String text = resource("seed-filled/tidb-lightning-schema.toml");

        LightningConfig config = LightningConfigs.parse(text, "tidb-lightning-schema.toml");

        assertThat(config.tidb()).extracting(Tidb::host, Tidb::port, Tidb::user, Tidb::password)
                .containsExactly("10.0.1.5", 4000, "tidemark", "s3cr3t-tidb");
        assertThat(config.mydumper().dataSourceDir().kind()).isEqualTo(DataSourceDir.Kind.S3);
        assertThat(config.mydumper().dataSourceDir().location()).isEqualTo("s3://my-bucket/schema-backup");
        assertThat(config.tikvImporter().backend()).isEqualTo(TikvImporter.Backend.LOCAL);
        assertThat(config.notes()).extracting(Note::key, Note::line).containsExactly(
                tuple("tidb.status-port", lineOf(text, "status-port")),
                tuple("tidb.pd-addr", lineOf(text, "pd-addr")),
                tuple("tikv-importer.backend", lineOf(text, "backend = \"local\"")),
                tuple("tikv-importer.sorted-kv-dir", lineOf(text, "sorted-kv-dir")));
        assertThat(config.notes().get(2).text()).contains("logically, through the target's SQL interface");
        assertThat(config.notes().get(3).text()).contains("sorts no key-value files");
        // no [[mydumper.files]]: TiDB Lightning's built-in rules read Dumpling's schema files
        assertThat(config.mydumper().files()).isEmpty();
        assertThat(config.mydumper().defaultFileRules()).isTrue();
        assertThat(config.fileRouter().route("mydb.orders-schema.sql")).get()
                .extracting(RoutedFile::schema, RoutedFile::table, RoutedFile::type)
                .containsExactly("mydb", "orders", SourceType.TABLE_SCHEMA);
        assertThat(config.mydumper().filter()).containsExactly("*.*");
        assertThat(config.onDuplicate()).isEqualTo(DuplicateBehaviour.REPLACE);
        assertThat(config.postRestore().checksum()).isEqualTo(PostRestore.Level.REQUIRED);
        assertThat(config.toString()).doesNotContain("s3cr3t-tidb");
    }

    @Test
    void theFilledInDataFileParsesWithTheSeedsParquetRuleExactlyAndTheFilter() {
        String text = resource("seed-filled/tidb-lightning-data.toml");
        String seedPatternLine = resource("seed-as-is/tidb-lightning-data.toml").lines()
                .filter(l -> l.startsWith("pattern = ")).findFirst().orElseThrow();

        LightningConfig config = LightningConfigs.parse(text, "tidb-lightning-data.toml");

        assertThat(config.mydumper().files()).singleElement().satisfies(rule -> {
            assertThat(seedPatternLine).isEqualTo("pattern = '" + rule.pattern() + "'");
            assertThat(rule.pattern()).isEqualTo(SEED_PATTERN);
            assertThat(rule).extracting(FileRule::schema, FileRule::table, FileRule::type)
                    .containsExactly("$1", "$2", "$3");
            assertThat(rule.origin().header().line()).isEqualTo(lineOf(text, "[[mydumper.files]]"));
        });
        assertThat(config.mydumper().defaultFileRules()).isFalse();
        assertThat(config.mydumper().filter()).containsExactly("my_db1.table[12]", "mydb.*");
        assertThat(config.mydumper().tableFilter().matches("my_db1", "table2")).isTrue();
        assertThat(config.mydumper().tableFilter().matches("my_db1", "table3")).isFalse();
        assertThat(config.mydumper().dataSourceDir().parameters()).containsEntry("region", "us-west-2");
        assertThat(config.notes()).extracting(Note::key).containsExactly("tidb.status-port", "tidb.pd-addr",
                "tikv-importer.backend", "tikv-importer.sorted-kv-dir");
    }

    @Test
    void theSeedsParquetRuleRoutesAuroraExportPathsOldAndNew() {
        FileRouter router = LightningConfigs.parse(resource("seed-filled/tidb-lightning-data.toml"), "data.toml")
                .fileRouter();

        assertThat(router.route("my-export/mydb/mydb.orders/1/part-00000-3d1e9f2a-4c5b-4e6f-9a0b-1c2d3e4f5a6b-c000"
                + ".gz.parquet")).get()
                .extracting(RoutedFile::schema, RoutedFile::table, RoutedFile::type, RoutedFile::compression)
                .containsExactly("mydb", "orders", SourceType.PARQUET, Compression.NONE);
        // before 2024 AWS wrote the part files straight under the table's folder
        assertThat(router.route("my-export/mydb/mydb.order_items/part-00003-7f1c.gz.parquet")).get()
                .extracting(RoutedFile::schema, RoutedFile::table).containsExactly("mydb", "order_items");
        assertThat(router.route("my-export/mydb/mydb.orders/_SUCCESS")).isEmpty();
        assertThat(router.route("my-export/export_info_my-export.json")).isEmpty();
        assertThat(router.route("my-export/export_tables_info_my-export_from_1_to_4.json")).isEmpty();
        // the seed's [a-z0-9_]+ does not admit a $: TiDB Lightning skips the table without a word
        assertThat(router.route("my-export/mydb/mydb.ta$ble/1/part-00000-5e6f.gz.parquet")).isEmpty();
    }

    @Test
    void aSelectedTableTheSeedsRuleCannotMatchIsNamedWithItsFilesAndTheFix() {
        String text = resource("seed-filled/tidb-lightning-data.toml");
        LightningConfig config = LightningConfigs.parse(text, "tidb-lightning-data.toml");
        TableRef orders = TableRef.of("mydb", "orders");
        TableRef dollar = TableRef.of("mydb", "ta$ble");
        List<String> paths = List.of(
                "my-export/export_info_my-export.json",
                "my-export/mydb/mydb.orders/1/part-00000-aa.gz.parquet",
                "my-export/mydb/mydb.orders/2/part-00001-bb.gz.parquet",
                "my-export/mydb/mydb.orders/_SUCCESS",
                "my-export/mydb/mydb.ta$ble/1/part-00000-cc.gz.parquet",
                "my-export/mydb/mydb.ta$ble/_SUCCESS");

        Coverage coverage = config.fileRouter().cover(List.of(orders, dollar), paths);

        assertThat(coverage.dataFiles(orders)).extracting(RoutedFile::path)
                .containsExactly(paths.get(1), paths.get(2));
        assertThat(coverage.withoutData()).containsExactly(dollar);
        assertThat(coverage.unmatchedLike(dollar)).containsExactly(paths.get(4), paths.get(5));
        LightningConfigException e = catchThrowableOfType(LightningConfigException.class, coverage::requireData);
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("mydumper.files[1].pattern");
            assertThat(p.position().line()).isEqualTo(lineOf(text, "pattern = "));
            assertThat(p.what()).contains("matches no data file of `mydb`.`ta$ble`, which the filter selects")
                    .contains(paths.get(4));
            assertThat(p.fix()).contains("the name holds `$`").contains("[^/.]+")
                    .contains("exclude the table from the filter (\"!mydb.ta$ble\")");
        });

        String widened = text.replace("([a-z0-9_]+)\\.([a-z0-9_]+)/", "([a-z0-9_]+)\\.([^/.]+)/");
        Coverage fixed = LightningConfigs.parse(widened, "tidb-lightning-data.toml").fileRouter()
                .cover(List.of(orders, dollar), paths);
        assertThat(fixed.withoutData()).isEmpty();
        assertThat(fixed.dataFiles(dollar)).extracting(RoutedFile::table).containsExactly("ta$ble");
    }
}
