package io.tidemark.coordinator.config.lightning;

import io.tidemark.common.table.TableRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

import static io.tidemark.coordinator.config.lightning.Toml.failure;
import static io.tidemark.coordinator.config.lightning.Toml.lineOf;
import static io.tidemark.coordinator.config.lightning.Toml.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

class LightningConfigTest {
    /** every key Tidemark reads, each set away from its default */
    private static final String EVERY_KEY = """
            [lightning]
            level = "info"
            file = "tidb-lightning.log"
            max-size = 128
            max-days = 28
            max-backups = 14
            region-concurrency = 16
            table-concurrency = 4
            max-error = 10
            check-requirements = false

            [tidb]
            host = "tidb.internal"
            port = 4001
            user = "importer"
            password = "pw-tidb"
            status-port = 10080
            pd-addr = "pd.internal:2379"
            log-level = "error"
            tls = "false"

            [tidb.security]
            ca-path = ""
            cert-path = ""
            key-path = ""

            [security]
            ca-path = ""

            [mydumper]
            data-source-dir = "s3://exports/shop?endpoint=http://127.0.0.1:9090&force-path-style=true&region=eu-west-1&access-key=AKIAEXAMPLE&secret-access-key=pw-s3&sse=aws:kms"
            filter = ['shop.*', '!shop.tmp_*']
            no-schema = true
            character-set = "utf8mb4"
            strict-format = true
            default-file-rules = true

            [mydumper.csv]
            separator = '|'
            delimiter = "'"
            terminator = "\\n"
            header = false
            not-null = false
            null = ['\\N', 'NULL']
            backslash-escape = false
            trim-last-separator = true

            [[mydumper.files]]
            pattern = '(?i)^(?:[^/]*/)*(?P<db>[a-z0-9_]+)\\.(?P<tbl>[a-z0-9_]+)\\.(\\d+)\\.(csv)(?:\\.(gz))?$'
            schema = '${db}'
            table = '${tbl}'
            type = '$4'
            key = '$3'
            compression = '$5'

            [[mydumper.files]]
            path = 'extra/orders_$1.csv'
            schema = 'shop'
            table = 'orders'
            type = 'csv'

            [tikv-importer]
            backend = "tidb"
            on-duplicate = "ignore"
            incremental-import = true
            parallel-import = true

            [conflict]
            strategy = "ignore"

            [checkpoint]
            enable = true
            driver = "mysql"
            schema = "lightning_cp"
            dsn = "root:pw-dsn@tcp(127.0.0.1:4000)/"
            keep-after-success = "origin"

            [post-restore]
            checksum = "optional"
            analyze = false

            [cron]
            switch-mode = "5m"
            log-progress = "1m30s"
            check-disk-quota = "60s"

            [[routes]]
            schema-pattern = "shop_*"
            target-schema = "shop"

            [[routes]]
            schema-pattern = "shop_*"
            table-pattern = "orders_?"
            target-schema = "shop"
            target-table = "orders"
            """;

    @Test
    void everyKeyTidemarkReadsIsReadIntoItsRecord() {
        LightningConfig c = LightningConfigs.parse(EVERY_KEY, "every.toml");

        assertThat(c.lightning()).extracting(Lightning::regionConcurrency, Lightning::tableConcurrency,
                Lightning::maxTypeErrors, Lightning::checkRequirements)
                .containsExactly(OptionalInt.of(16), OptionalInt.of(4), 10L, false);
        assertThat(c.tidb()).extracting(Tidb::host, Tidb::port, Tidb::user, Tidb::password)
                .containsExactly("tidb.internal", 4001, "importer", "pw-tidb");
        Mydumper m = c.mydumper();
        assertThat(m.filter()).containsExactly("shop.*", "!shop.tmp_*");
        assertThat(m.tableFilter().matches("shop", "tmp_1")).isFalse();
        assertThat(m).extracting(Mydumper::noSchema, Mydumper::characterSet, Mydumper::strictFormat,
                Mydumper::defaultFileRules).containsExactly(true, Mydumper.CharacterSet.UTF8MB4, true, true);
        assertThat(m.csv()).extracting(Csv::separator, Csv::delimiter, Csv::terminator, Csv::header, Csv::notNull,
                Csv::nulls, Csv::backslashEscape, Csv::trimLastSeparator)
                .containsExactly("|", "'", "\n", false, false, List.of("\\N", "NULL"), false, true);
        assertThat(m.files()).extracting(FileRule::index, FileRule::path).containsExactly(tuple(1, null),
                tuple(2, "extra/orders_$1.csv"));
        assertThat(c.tikvImporter()).extracting(TikvImporter::backend, TikvImporter::incrementalImport)
                .containsExactly(TikvImporter.Backend.TIDB, true);
        assertThat(c.onDuplicate()).isEqualTo(DuplicateBehaviour.IGNORE);
        assertThat(c.onDuplicateSetBy()).contains("conflict.strategy");
        assertThat(c.checkpoint()).extracting(Checkpoint::enable, Checkpoint::driver, Checkpoint::schema,
                Checkpoint::keepAfterSuccess).containsExactly(true, Checkpoint.Driver.MYSQL, "lightning_cp",
                Checkpoint.KeepAfterSuccess.ORIGIN);
        assertThat(c.postRestore()).extracting(PostRestore::checksum, PostRestore::analyze)
                .containsExactly(PostRestore.Level.OPTIONAL, PostRestore.Level.OFF);
        assertThat(c.cron().logProgress()).contains(Duration.ofSeconds(90));
        assertThat(c.routes()).hasSize(2);
    }

    @Test
    void keysTidemarkHandlesItsOwnWayAreNotedWhereTheyAreWritten() {
        LightningConfig c = LightningConfigs.parse(EVERY_KEY, "every.toml");

        assertThat(c.notes()).extracting(Note::key).containsExactly("lightning.level", "lightning.file",
                "lightning.max-size", "lightning.max-days", "lightning.max-backups", "tidb.status-port",
                "tidb.pd-addr", "tidb.log-level", "mydumper.data-source-dir", "checkpoint.schema", "checkpoint.dsn",
                "cron.switch-mode", "cron.check-disk-quota");
        assertThat(c.notes()).allSatisfy(n -> assertThat(EVERY_KEY.lines().toList().get(n.line() - 1).strip())
                .startsWith(n.key().substring(n.key().lastIndexOf('.') + 1)));
        assertThat(c.notes()).filteredOn(n -> n.key().equals("mydumper.data-source-dir")).singleElement()
                .extracting(Note::text).asString().contains("the URI parameter sse shapes objects written to S3");
        assertThat(c.notes()).filteredOn(n -> n.key().equals("checkpoint.dsn")).singleElement()
                .extracting(Note::text).asString().contains("tidemark_meta").doesNotContain("pw-dsn");
    }

    @Test
    void secretsNeverShowInTheConfigsText() {
        LightningConfig c = LightningConfigs.parse(EVERY_KEY, "every.toml");

        assertThat(c.toString()).doesNotContain("pw-tidb").doesNotContain("pw-s3").doesNotContain("AKIAEXAMPLE")
                .doesNotContain("pw-dsn").contains("secret-access-key=***");
        DataSourceDir dir = c.mydumper().dataSourceDir();
        assertThat(dir.parameters()).containsEntry("secret-access-key", "pw-s3")
                .containsEntry("endpoint", "http://127.0.0.1:9090").containsEntry("force-path-style", "true");
        assertThat(dir.location()).isEqualTo(dir.uri());
    }

    @Test
    void aFileWithOnlyTheTargetAndTheSourceHoldsTiDBLightningsDefaults() {
        LightningConfig c = LightningConfigs.parse(valid(""), "minimal.toml");

        assertThat(c.lightning()).extracting(Lightning::regionConcurrency, Lightning::maxTypeErrors,
                Lightning::checkRequirements).containsExactly(OptionalInt.empty(), 0L, true);
        assertThat(c.mydumper().dataSourceDir().location()).isEqualTo("file:///data/export");
        assertThat(c.mydumper().csv()).extracting(Csv::separator, Csv::delimiter, Csv::header, Csv::nulls,
                Csv::backslashEscape).containsExactly(",", "\"", true, List.of("\\N"), true);
        assertThat(c.mydumper().filter()).containsExactly("*.*");
        assertThat(c.mydumper().characterSet()).isEqualTo(Mydumper.CharacterSet.AUTO);
        assertThat(c.tikvImporter().backend()).isEqualTo(TikvImporter.Backend.LOCAL);
        assertThat(c.onDuplicate()).isEqualTo(DuplicateBehaviour.REPLACE);
        assertThat(c.onDuplicateSetBy()).isEmpty();
        assertThat(c.checkpoint()).extracting(Checkpoint::enable, Checkpoint::schema)
                .containsExactly(true, "tidb_lightning_checkpoint");
        assertThat(c.postRestore()).extracting(PostRestore::checksum, PostRestore::analyze)
                .containsExactly(PostRestore.Level.REQUIRED, PostRestore.Level.OPTIONAL);
        assertThat(c.notes()).isEmpty();
    }

    @Test
    void tidbDefaultsToTiDBLightningsHostAndUserButNeedsAPort() {
        LightningConfigException e = failure("[mydumper]\ndata-source-dir = \"/x\"\n");

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("tidb.port");
            assertThat(p.position().known()).isFalse();
            assertThat(p.what()).startsWith("is not set");
        });
        assertThat(LightningConfigs.parse("[tidb]\nport = 4000\n[mydumper]\ndata-source-dir = \"/x\"\n", "t")
                .tidb()).extracting(Tidb::host, Tidb::user).containsExactly("127.0.0.1", "root");
    }

    @Test
    void maxErrorTakesTiDBLightningsForms() {
        assertThat(maxError("[lightning]\nmax-error = 3\n")).isEqualTo(3);
        assertThat(maxError("[lightning]\nmax-error = { type = 5 }\n")).isEqualTo(5);
        assertThat(maxError("[lightning.max-error]\ntype = 7\nsyntax = 0\n")).isEqualTo(7);
    }

    private static long maxError(String section) {
        return LightningConfigs.parse(valid(section), "t").lightning().maxTypeErrors();
    }

    @Test
    void onDuplicateAndConflictStrategyAreOneSetting() {
        LightningConfig lightning7 = LightningConfigs.parse(valid("[tikv-importer]\non-duplicate = \"error\"\n"), "t");
        assertThat(lightning7.onDuplicate()).isEqualTo(DuplicateBehaviour.ERROR);
        assertThat(lightning7.onDuplicateSetBy()).contains("tikv-importer.on-duplicate");

        LightningConfig agreeing = LightningConfigs.parse(valid("[tikv-importer]\non-duplicate = \"ignore\"\n"
                + "[conflict]\nstrategy = \"ignore\"\n"), "t");
        assertThat(agreeing.onDuplicate()).isEqualTo(DuplicateBehaviour.IGNORE);

        // as in TiDB Lightning v8, strategy = "" leaves the choice to on-duplicate
        LightningConfig empty = LightningConfigs.parse(valid("[tikv-importer]\non-duplicate = \"error\"\n"
                + "[conflict]\nstrategy = \"\"\n"), "t");
        assertThat(empty.onDuplicate()).isEqualTo(DuplicateBehaviour.ERROR);
    }

    @Test
    void checkpointSettingsTidemarkDoesNotFollowAreNoted() {
        String toml = valid("[checkpoint]\nenable = false\ndriver = \"file\"\n");
        LightningConfig c = LightningConfigs.parse(toml, "t");

        assertThat(c.checkpoint().enable()).isFalse();
        assertThat(c.notes()).extracting(Note::key, Note::line).containsExactly(
                tuple("checkpoint.enable", lineOf(toml, "enable")), tuple("checkpoint.driver", lineOf(toml, "driver")));
        assertThat(c.notes().getFirst().text()).contains("always checkpoints each chunk");
        assertThat(c.notes().get(1).text()).contains("not in a local file");
    }

    @Test
    void routesSendATableToTheMostSpecificRuleAndRefuseTwoEquallySpecificOnes() {
        LightningConfig c = LightningConfigs.parse(EVERY_KEY, "every.toml");

        assertThat(c.target(TableRef.of("shop_eu", "orders_1"))).isEqualTo(TableRef.of("shop", "orders"));
        assertThat(c.target(TableRef.of("SHOP_EU", "items"))).isEqualTo(TableRef.of("shop", "items"));
        assertThat(c.target(TableRef.of("other", "orders_1"))).isEqualTo(TableRef.of("other", "orders_1"));

        String twice = valid("[[routes]]\nschema-pattern = \"shop_*\"\ntarget-schema = \"a\"\n"
                + "[[routes]]\nschema-pattern = \"shop_e?\"\ntarget-schema = \"b\"\n");
        LightningConfig clash = LightningConfigs.parse(twice, "routes.toml");
        LightningConfigException e = catchThrowableOfType(LightningConfigException.class,
                () -> clash.target(TableRef.of("shop_eu", "t")));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("routes[2].schema-pattern");
            assertThat(p.position().line()).isEqualTo(lineOf(twice, "schema-pattern = \"shop_e?\""));
            assertThat(p.what()).contains("routes `shop_eu`.`t` as [[routes]] #1 (line 9) does");
        });
    }

    @Test
    void localPathsAreAbsoluteAndTakeTiDBLightningsSchemes() {
        assertThat(dir("/data/export").location()).isEqualTo("file:///data/export");
        assertThat(dir("file:///data/export").location()).isEqualTo("file:///data/export");
        assertThat(dir("local:///data/export").location()).isEqualTo("file:///data/export");
        assertThat(dir("s3://bucket/prefix").kind()).isEqualTo(DataSourceDir.Kind.S3);
    }

    private static DataSourceDir dir(String uri) {
        return LightningConfigs.parse(valid("").replace("/data/export", uri), "t").mydumper().dataSourceDir();
    }

    @Test
    void everyProblemOfAFileComesAtOnceInTheFilesOrderAndEachKeyOnce() {
        String toml = """
                [tidb]
                host = "10.0.1.5"
                port = "${port}"
                user = "${user_name}"
                password = "${password}"

                [mydumper]
                data-source-dir = "gs://bucket/x"
                data-sorce-dir = "/x"

                [tikv-importer]
                backend = "tikv"
                """;

        LightningConfigException e = failure(toml);

        assertThat(e.problems()).extracting(Problem::key, p -> p.position().line()).containsExactly(
                tuple("tidb.port", 3), tuple("tidb.user", 4), tuple("tidb.password", 5),
                tuple("mydumper.data-source-dir", 8), tuple("mydumper.data-sorce-dir", 9),
                tuple("tikv-importer.backend", 12));
        assertThat(e.problems().getFirst().what()).contains("still holds the seed's placeholder ${port}");
        assertThat(e.problems().get(2).value()).isEqualTo("(hidden)");
        assertThat(e.getMessage()).startsWith("TM-10013").contains("6 problems");
    }
}
