package io.tidemark.coordinator.api;

import io.tidemark.common.command.ImportOptions;
import io.tidemark.common.migration.Mode;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.storage.LocationKeys;
import io.tidemark.common.storage.Storages;
import io.tidemark.common.table.TableRef;
import io.tidemark.coordinator.config.lightning.LightningConfig;
import io.tidemark.coordinator.config.lightning.LightningConfigException;
import io.tidemark.coordinator.config.lightning.LightningConfigs;
import io.tidemark.coordinator.config.lightning.Note;
import io.tidemark.coordinator.imports.FoundTables;
import io.tidemark.coordinator.imports.ImportFiles;
import io.tidemark.coordinator.migration.ImportChecksum;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.coordinator.migration.TargetTableSetup;
import io.tidemark.storage.s3.S3Credentials;
import io.tidemark.storage.s3.S3Storage;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** What each key of a TiDB Lightning file becomes in the migration it describes. */
class LightningSpecsTest {
    private static final LightningSpecs SPECS = new LightningSpecs(TestDatabases.secretBox());

    private static LightningConfig config(String more) {
        return LightningConfigs.parse(text(more), "/home/dba/import-orders.toml");
    }

    private static String text(String more) {
        return """
                [tidb]
                host = " 10.0.1.5 "
                port = 4000
                user = "tidemark"
                password = "s3cr3t-tidb"

                [mydumper]
                data-source-dir = "/data/export"
                """ + more;
    }

    @Test
    void theTargetStorageFilterAndSettingsBecomeAnImportNamedAfterTheFile() {
        MigrationSpec spec = SPECS.spec(config("""
                filter = ['shop.*']
                no-schema = true

                [conflict]
                strategy = "ignore"
                """));

        assertThat(spec.name()).isEqualTo("import-orders");
        assertThat(spec.mode()).isEqualTo(Mode.IMPORT);
        assertThat(spec.source()).isNull();
        assertThat(spec.target().host()).isEqualTo("10.0.1.5");
        assertThat(spec.target().password().value()).doesNotContain("s3cr3t");
        assertThat(TestDatabases.secretBox().open(spec.target().password())).isEqualTo("s3cr3t-tidb");
        assertThat(spec.storage()).isEqualTo("file:///data/export");
        assertThat(spec.filter()).containsExactly("shop.*");
        assertThat(spec.targetTables()).isEqualTo(TargetTableSetup.PRE_CREATED);
        assertThat(spec.imports().onDuplicate()).isEqualTo(ImportOptions.OnDuplicate.IGNORE);
    }

    @Test
    void postRestoreChecksumBecomesTheImportsVerificationLevelRequiredWhenNotGiven() {
        assertThat(SPECS.spec(config("")).checksum()).isEqualTo(ImportChecksum.REQUIRED);
        assertThat(SPECS.spec(config("\n[post-restore]\nchecksum = \"optional\"\n")).checksum())
                .isEqualTo(ImportChecksum.OPTIONAL);
        assertThat(SPECS.spec(config("\n[post-restore]\nchecksum = false\n")).checksum())
                .isEqualTo(ImportChecksum.OFF);
    }

    @Test
    void strictFormatReachesTheImportSoCsvFilesMayBeCutAndIsOffWhenNotGiven() {
        MigrationSpec strict = SPECS.spec(config("""
                strict-format = true

                [mydumper.csv]
                terminator = "\\n"
                """));
        MigrationSpec plain = SPECS.spec(config(""));

        assertThat(strict.imports().strictFormat()).isTrue();
        assertThat(strict.imports().withTables(List.of(), List.of(), List.of()).strictFormat())
                .as("kept when the tables are resolved from the files").isTrue();
        assertThat(plain.imports().strictFormat()).isFalse();
    }

    @Test
    void routesAreResolvedPerTableFoundAndATableNoRuleMatchesKeepsItsName() {
        LightningConfig config = config("""
                [[routes]]
                schema-pattern = "shop_*"
                target-schema = "shop"
                """);
        ImportFiles files = new ImportFiles("file:///data/export", new TreeMap<>(Map.of(
                "shop_1.orders.000000001.sql", 1L, "shop_2.orders.000000001.sql", 1L, "crm.users.000000001.sql",
                1L)));
        FoundTables found = FoundTables.of(files, null, config.mydumper().tableFilter());

        MigrationSpec spec = LightningSpecs.withTables(SPECS.spec(config), config, found);

        assertThat(spec.imports().tables()).containsExactly(TableRef.of("crm", "users"),
                TableRef.of("shop_1", "orders"), TableRef.of("shop_2", "orders"));
        assertThat(spec.imports().routes()).containsExactly(
                new ImportOptions.TableRoute(TableRef.of("shop_1", "orders"), TableRef.of("shop", "orders")),
                new ImportOptions.TableRoute(TableRef.of("shop_2", "orders"), TableRef.of("shop", "orders")));
        assertThat(spec.imports().targets()).containsExactly(TableRef.of("crm", "users"),
                TableRef.of("shop", "orders"));
    }

    @Test
    void keysInAnS3DataSourceDirAreSealedAsTheJsonSpecsAre() {
        MigrationSpec spec = SPECS.spec(LightningConfigs.parse(text("").replace("\"/data/export\"",
                "\"s3://b/x?access-key=AKIAEXAMPLE&secret-access-key=FwoGZXIvYXdz&region=eu-west-1\""), "keys.toml"));

        assertThat(spec.storage()).startsWith("s3://b/x?access-key=sealed:v1:").contains("&secret-access-key=sealed:v1:")
                .endsWith("&region=eu-west-1").doesNotContain("AKIAEXAMPLE").doesNotContain("FwoGZXIvYXdz");
        try (LocationKeys.Registration ignored = LocationKeys.openWith(TestDatabases.secretBox())) {
            assertThat(((S3Storage) Storages.open(spec.storage())).location().options().credentials())
                    .isEqualTo(new S3Credentials.Keys("AKIAEXAMPLE", "FwoGZXIvYXdz", null));
        }
    }

    @Test
    void aKeySealedUnderAnotherSecretKeyIsRefusedOnItsLineAndAnIncrementalImportIsNoted() {
        String sealedElsewhere = LocationKeys.seal("s3://b/x?access-key=AKIAEXAMPLE&secret-access-key=FwoGZXIvYXdz",
                SecretBox.fromBase64Key(SecretBox.generateKey()));
        LightningConfigException e = catchThrowableOfType(LightningConfigException.class, () -> SPECS.spec(
                LightningConfigs.parse(text("").replace("\"/data/export\"", "\"" + sealedElsewhere + "\""),
                        "keys.toml")));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("mydumper.data-source-dir");
            assertThat(p.position().line()).isEqualTo(8);
            assertThat(p.value()).isEqualTo("\"s3://b/x?access-key=***&secret-access-key=***\"");
            assertThat(p.what()).contains("the sealed access-key of storage location s3://b/x does not open");
            assertThat(p.fix()).contains("same tidemark.secret-key");
        });
        assertThat(e.getMessage()).doesNotContain("sealed:v1:");

        List<Note> notes = LightningSpecs.notes(config("\n[tikv-importer]\nbackend = \"tidb\"\nparallel-import = true\n"));
        assertThat(notes).singleElement().satisfies(n -> {
            assertThat(n.key()).isEqualTo("tikv-importer.parallel-import");
            assertThat(n.text()).contains("empty tables only");
        });
    }

    @Test
    void aMigrationIsNamedAfterTheFilesStem() {
        assertThat(LightningSpecs.name("tidb-lightning-data.toml")).isEqualTo("tidb-lightning-data");
        assertThat(LightningSpecs.name("C:\\dba\\schema.toml")).isEqualTo("schema");
        assertThat(LightningSpecs.name(".toml")).isEqualTo("lightning");
    }
}
