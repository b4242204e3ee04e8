package io.tidemark.coordinator.api;

import io.tidemark.common.command.AuroraExport;
import io.tidemark.common.command.DumpFormat;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The spec's {@code snapshot} field: engine dump by default, aurora-export with every AWS name checked. */
class SnapshotFieldTest {
    private static final CreateMigrationRequest.Endpoint SOURCE =
            new CreateMigrationRequest.Endpoint("orders.cluster-abc.us-east-1.rds.amazonaws.com", 3306, "dm", "pw");
    private static final CreateMigrationRequest.Endpoint TARGET =
            new CreateMigrationRequest.Endpoint("10.0.0.2", 4000, "root", "pw");
    private static final String ROLE = "arn:aws:iam::123456789012:role/rds-s3-export";
    private static final String KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final String SNAPSHOT_ARN = "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:orders-1201";
    private static final CreateMigrationRequest.Snapshot AURORA = new CreateMigrationRequest.Snapshot(
            "aurora-export", "orders-prod", "us-east-1", "s3://export-bucket/tidemark/orders", ROLE, KEY, null, null);

    private final SpecValidator validator = new SpecValidator(TestDatabases.secretBox());

    private static CreateMigrationRequest request(String mode, String storage, CreateMigrationRequest.Start start,
                                                  String format, CreateMigrationRequest.Snapshot snapshot) {
        return new CreateMigrationRequest("orders", mode, SOURCE, TARGET, List.of("shop.*"), storage, start, null,
                format, null, null, snapshot);
    }

    @Test
    void withoutSnapshotTheEngineIsTidemarksOwnDump() {
        MigrationSpec spec = validator.validate(request("all", "file:///var/dumps", null, null, null));
        assertThat(spec.auroraExport()).isNull();
        assertThat(spec.format()).isEqualTo(DumpFormat.SQL);
        MigrationSpec dump = validator.validate(request("all", "file:///var/dumps", null, null,
                new CreateMigrationRequest.Snapshot("dump", null, null, null, null, null, null, null)));
        assertThat(dump.auroraExport()).isNull();
    }

    @Test
    void anAuroraExportIsTakenWithItsBucketPrefixAndParquetAndStorageDefaultsToTheExport() {
        MigrationSpec spec = validator.validate(request("all", null, null, null, AURORA));
        AuroraExport export = spec.auroraExport();
        assertThat(export).isEqualTo(new AuroraExport("orders-prod", "us-east-1", "export-bucket", "tidemark/orders",
                ROLE, KEY, null, false));
        assertThat(export.takesSnapshot()).isTrue();
        assertThat(spec.format()).isEqualTo(DumpFormat.PARQUET);
        assertThat(spec.storage()).isEqualTo("s3://export-bucket/tidemark/orders");
        assertThat(spec.start()).isNull();
    }

    @Test
    void storageOnTheExportsBucketKeepsItsParameters() {
        MigrationSpec spec = validator.validate(request("full",
                "s3://export-bucket/tidemark/orders?region=us-east-1&force-path-style=true", null, "parquet", AURORA));
        assertThat(spec.storage()).contains("force-path-style=true");
        assertThat(spec.auroraExport().bucket()).isEqualTo("export-bucket");
    }

    @Test
    void anExistingSnapshotInModeAllReplicatesFromTheGivenStart() {
        var snapshot = new CreateMigrationRequest.Snapshot("aurora-export", null, null,
                "s3://export-bucket/x", ROLE, "alias/rds-export", SNAPSHOT_ARN, null);
        MigrationSpec spec = validator.validate(request("all", null,
                new CreateMigrationRequest.Start("mysql-bin-changelog.000042", 1234L, null), null, snapshot));
        assertThat(spec.auroraExport().takesSnapshot()).isFalse();
        assertThat(spec.auroraExport().region()).as("taken from the ARN").isEqualTo("us-east-1");
        assertThat(spec.start()).isEqualTo(BinlogPosition.of("mysql-bin-changelog.000042", 1234L, null));
    }

    @Test
    void anExistingSnapshotInModeFullNeedsNoPositionAndWithoutOneModeAllIsRefusedNamingBothFieldsAndTheFix() {
        var snapshot = new CreateMigrationRequest.Snapshot("aurora-export", null, null,
                "s3://export-bucket/x", ROLE, "alias/rds-export", SNAPSHOT_ARN, null);
        MigrationSpec full = validator.validate(request("full", null, null, null, snapshot));
        assertThat(full.auroraExport().snapshotArn()).isEqualTo(SNAPSHOT_ARN);
        assertThat(full.start()).isNull();

        Throwable refused = catchThrowable(() -> validator.validate(request("all", null, null, null, snapshot)));
        assertThat(refused).isInstanceOf(TidemarkException.class)
                .hasMessageContaining("start is missing").hasMessageContaining("snapshot.snapshotArn")
                .hasMessageContaining("SHOW MASTER STATUS").hasMessageContaining("mode full");
        assertThat(((TidemarkException) refused).error()).isEqualTo(ErrorCode.INVALID_SPEC);
    }

    @Test
    void theJsonFieldIsReadAndAnUnknownKeyInItIsRefused() {
        String json = """
                {"name": "orders", "mode": "all",
                 "source": {"host": "orders.cluster-abc.us-east-1.rds.amazonaws.com", "port": 3306, "user": "dm"},
                 "target": {"host": "10.0.0.2", "port": 4000, "user": "root"},
                 "snapshot": {"engine": "aurora-export", "cluster": "orders-prod", "region": "us-east-1",
                              "s3": "s3://export-bucket/orders", "iamRole": "%s", "kmsKey": "alias/rds-export",
                              "keepSnapshot": true%s}}
                """;
        MigrationSpec spec = validator.validate(SpecJson.read(json.formatted(ROLE, "").getBytes()));
        assertThat(spec.auroraExport().keepSnapshot()).isTrue();
        assertThat(spec.auroraExport().kmsKey()).isEqualTo("alias/rds-export");
        Throwable thrown = catchThrowable(() -> SpecJson.read(json.formatted(ROLE, ", \"snapshotId\": \"x\"").getBytes()));
        assertThat(thrown).isInstanceOf(TidemarkException.class).hasMessageContaining("snapshotId");
    }

    static Stream<Arguments> refusals() {
        var a = AURORA;
        return Stream.of(
                Arguments.of("incremental", null, null, null, a, "snapshot is only for modes full and all"),
                Arguments.of("all", null, null, null, new CreateMigrationRequest.Snapshot("aurora", a.cluster(),
                        a.region(), a.s3(), ROLE, KEY, null, null), "snapshot.engine 'aurora' is unknown"),
                Arguments.of("all", "file:///d", null, null, new CreateMigrationRequest.Snapshot("dump", null, null,
                        null, ROLE, null, null, null), "snapshot.iamRole is only for engine aurora-export"),
                Arguments.of("all", null, null, null, new CreateMigrationRequest.Snapshot("aurora-export", null,
                        a.region(), a.s3(), ROLE, KEY, null, null), "snapshot.cluster is missing"),
                Arguments.of("all", null, null, null, new CreateMigrationRequest.Snapshot("aurora-export",
                        "orders.cluster-abc.us-east-1.rds.amazonaws.com", a.region(), a.s3(), ROLE, KEY, null, null),
                        "snapshot.cluster 'orders.cluster-abc.us-east-1.rds.amazonaws.com' is not a DB cluster identifier"),
                Arguments.of("all", null, null, null, new CreateMigrationRequest.Snapshot("aurora-export",
                        a.cluster(), "US East", a.s3(), ROLE, KEY, null, null), "snapshot.region 'US East'"),
                Arguments.of("all", null, null, null, new CreateMigrationRequest.Snapshot("aurora-export",
                        a.cluster(), a.region(), null, ROLE, KEY, null, null), "snapshot.s3 is missing"),
                Arguments.of("all", null, null, null, new CreateMigrationRequest.Snapshot("aurora-export",
                        a.cluster(), a.region(), "/var/dumps", ROLE, KEY, null, null),
                        "snapshot.s3 '/var/dumps' is not an S3 location"),
                Arguments.of("all", null, null, null, new CreateMigrationRequest.Snapshot("aurora-export",
                        a.cluster(), a.region(), "s3://b/p?region=us-east-1", ROLE, KEY, null, null),
                        "bucket and a prefix only"),
                Arguments.of("all", null, null, null, new CreateMigrationRequest.Snapshot("aurora-export",
                        a.cluster(), a.region(), "s3://Export_Bucket/p", ROLE, KEY, null, null),
                        "bucket 'Export_Bucket' is not an S3 bucket name"),
                Arguments.of("all", "s3://other-bucket/p", null, null, a, "storage must be on the export's bucket"),
                Arguments.of("all", "file:///var/dumps", null, null, a, "storage must be on the export's bucket"),
                Arguments.of("all", null, null, null, new CreateMigrationRequest.Snapshot("aurora-export",
                        a.cluster(), a.region(), a.s3(), null, KEY, null, null), "snapshot.iamRole is missing"),
                Arguments.of("all", null, null, null, new CreateMigrationRequest.Snapshot("aurora-export",
                        a.cluster(), a.region(), a.s3(), "rds-s3-export", KEY, null, null),
                        "snapshot.iamRole 'rds-s3-export' is not an IAM role ARN"),
                Arguments.of("all", null, null, null, new CreateMigrationRequest.Snapshot("aurora-export",
                        a.cluster(), a.region(), a.s3(), ROLE, " ", null, null), "snapshot.kmsKey is missing"),
                Arguments.of("all", null, null, null, new CreateMigrationRequest.Snapshot("aurora-export",
                        a.cluster(), a.region(), a.s3(), ROLE, KEY, "rds:orders-1201", null),
                        "snapshot.snapshotArn 'rds:orders-1201' is not a DB cluster snapshot ARN"),
                Arguments.of("all", null, null, null, new CreateMigrationRequest.Snapshot("aurora-export",
                        null, "eu-west-1", a.s3(), ROLE, KEY, SNAPSHOT_ARN, null),
                        "snapshot.region 'eu-west-1' differs from the region of snapshot.snapshotArn"),
                Arguments.of("all", null, null, null, new CreateMigrationRequest.Snapshot("aurora-export",
                        null, null, a.s3(), ROLE, KEY, SNAPSHOT_ARN, null), "start is missing; mode all with"
                        + " snapshot.snapshotArn"),
                Arguments.of("full", null, null, null, new CreateMigrationRequest.Snapshot("aurora-export",
                        null, null, a.s3(), ROLE, KEY, SNAPSHOT_ARN, true), "snapshot.keepSnapshot is only for"),
                Arguments.of("all", null, new CreateMigrationRequest.Start("mysql-bin.000001", 4L, null), null, a,
                        "start is only for mode incremental"),
                Arguments.of("all", null, null, "sql", a, "format sql cannot be written by snapshot.engine aurora-export"));
    }

    @ParameterizedTest(name = "{5}")
    @MethodSource("refusals")
    void eachBadFieldIsNamed(String mode, String storage, CreateMigrationRequest.Start start, String format,
                             CreateMigrationRequest.Snapshot snapshot, String message) {
        Throwable thrown = catchThrowable(() -> validator.validate(request(mode, storage, start, format, snapshot)));
        assertThat(thrown).isInstanceOf(TidemarkException.class).hasMessageContaining(message);
        assertThat(((TidemarkException) thrown).error()).isEqualTo(ErrorCode.INVALID_SPEC);
    }
}
