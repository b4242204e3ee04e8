package io.tidemark.coordinator.api;

import io.tidemark.common.command.AuroraRestore;
import io.tidemark.common.command.DumpFormat;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
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

/** The spec's {@code "snapshot": {"engine": "aurora-restore"}}: every RDS setting checked at POST, by name. */
class AuroraRestoreFieldTest {
    private static final CreateMigrationRequest.Endpoint SOURCE =
            new CreateMigrationRequest.Endpoint("orders.cluster-abc.us-east-1.rds.amazonaws.com", 3306, "dm", "pw");
    private static final CreateMigrationRequest.Endpoint TARGET =
            new CreateMigrationRequest.Endpoint("10.0.0.2", 4000, "root", "pw");
    private static final String SNAPSHOT_ARN = "arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:orders-1201";
    private static final String PARAMS = "aurora-mysql8-binlog-row";
    private static final CreateMigrationRequest.Snapshot RESTORE = restore("orders-prod", "us-east-1", null,
            "db.r6g.large", "tidemark-subnets", List.of("sg-0123456789abcdef0"), PARAMS, null, null);

    private final SpecValidator validator = new SpecValidator(TestDatabases.secretBox());

    private static CreateMigrationRequest.Snapshot restore(String cluster, String region, String snapshotArn,
                                                           String instanceClass, String subnetGroup,
                                                           List<String> securityGroups, String parameterGroup,
                                                           Boolean keepRestored, Boolean keepSnapshot) {
        return new CreateMigrationRequest.Snapshot("aurora-restore", cluster, region, null, null, null, snapshotArn,
                keepSnapshot, instanceClass, subnetGroup, securityGroups, parameterGroup, keepRestored);
    }

    private static CreateMigrationRequest request(String mode, CreateMigrationRequest.Start start,
                                                  CreateMigrationRequest.Snapshot snapshot) {
        return new CreateMigrationRequest("orders", mode, SOURCE, TARGET, List.of("shop.*"), "file:///var/dumps",
                start, null, null, null, null, snapshot);
    }

    @Test
    void aRestoreOfASnapshotTidemarkTakesIsDumpedToStorageInDumplingsLayout() {
        MigrationSpec spec = validator.validate(request("all", null, RESTORE));

        assertThat(spec.auroraRestore()).isEqualTo(new AuroraRestore("orders-prod", "us-east-1", null,
                "db.r6g.large", "tidemark-subnets", List.of("sg-0123456789abcdef0"), PARAMS, false, false));
        assertThat(spec.auroraRestore().takesSnapshot()).isTrue();
        assertThat(spec.auroraExport()).isNull();
        assertThat(spec.storage()).startsWith("file:///var/dumps");
        assertThat(spec.format()).isEqualTo(DumpFormat.SQL);
        assertThat(spec.start()).as("the restore's crash-recovery event says where replication starts").isNull();
    }

    @Test
    void aGivenSnapshotNeedsNoStartAsTheRestoreLogsItsPosition() {
        MigrationSpec spec = validator.validate(request("all", null,
                restore(null, null, SNAPSHOT_ARN, "db.serverless", null, null, PARAMS, true, null)));

        AuroraRestore restore = spec.auroraRestore();
        assertThat(restore.takesSnapshot()).isFalse();
        assertThat(restore.region()).as("taken from the ARN").isEqualTo("eu-west-1");
        assertThat(restore.keepRestored()).isTrue();
        assertThat(restore.keepSnapshot()).isFalse();
        assertThat(restore.securityGroups()).isEmpty();
        assertThat(spec.start()).isNull();
    }

    @Test
    void theJsonFieldsAreReadAndAnUnknownKeyInThemIsRefused() {
        String json = """
                {"name": "orders", "mode": "full", "storage": "file:///var/dumps",
                 "source": {"host": "orders.cluster-abc.us-east-1.rds.amazonaws.com", "port": 3306, "user": "dm"},
                 "target": {"host": "10.0.0.2", "port": 4000, "user": "root"},
                 "snapshot": {"engine": "aurora-restore", "cluster": "orders-prod", "instanceClass": "db.r6g.large",
                              "subnetGroup": "tidemark-subnets",
                              "securityGroups": ["sg-0123456789abcdef0", "sg-89abcdef"],
                              "clusterParameterGroup": "aurora-mysql8-binlog-row", "keepSnapshot": true%s}}
                """;
        MigrationSpec spec = validator.validate(SpecJson.read(json.formatted("").getBytes()));
        assertThat(spec.auroraRestore().securityGroups()).containsExactly("sg-0123456789abcdef0", "sg-89abcdef");
        assertThat(spec.auroraRestore().keepSnapshot()).isTrue();
        assertThat(spec.auroraRestore().region()).as("the snapshot service's default region").isNull();

        Throwable thrown = catchThrowable(() -> SpecJson.read(json.formatted(", \"instanceType\": \"x\"").getBytes()));
        assertThat(thrown).isInstanceOf(TidemarkException.class).hasMessageContaining("instanceType");
    }

    @Test
    void gtidModeIsRefusedAsTheRestoreLogsAFileAndOffset() {
        var request = new CreateMigrationRequest("orders", "all", SOURCE, TARGET, List.of("shop.*"),
                "file:///var/dumps", null, null, null, null, null, null, null, null, null, RESTORE, true);

        Throwable thrown = catchThrowable(() -> validator.validate(request));

        assertThat(thrown).isInstanceOf(TidemarkException.class)
                .hasMessageContaining("enableGtid cannot start replication with snapshot.engine aurora-restore");
    }

    static Stream<Arguments> refusals() {
        var r = RESTORE;
        return Stream.of(
                Arguments.of("all", null, restore(null, "us-east-1", null, "db.r6g.large", null, null, PARAMS, null,
                        null), "snapshot.cluster is missing; give the Aurora DB cluster identifier to snapshot"),
                Arguments.of("all", null, restore(r.cluster(), null, null, null, null, null, PARAMS, null, null),
                        "snapshot.instanceClass is missing"),
                Arguments.of("all", null, restore(r.cluster(), null, null, "r6g.large", null, null, PARAMS, null,
                        null), "snapshot.instanceClass 'r6g.large' is not a DB instance class"),
                Arguments.of("all", null, restore(r.cluster(), null, null, "db.r6g.large", null, null, null, null,
                        null), "snapshot.clusterParameterGroup is missing; give a DB cluster parameter group with"
                        + " binlog_format=ROW"),
                Arguments.of("all", null, restore(r.cluster(), null, null, "db.r6g.large", null, null,
                        "default.aurora-mysql8.0", null, null),
                        "'default.aurora-mysql8.0' is AWS's default group, whose binlog_format is OFF"),
                Arguments.of("all", null, restore(r.cluster(), null, null, "db.r6g.large", null,
                        List.of("sg-0123456789abcdef0", "tidemark-db"), PARAMS, null, null),
                        "snapshot.securityGroups[1] 'tidemark-db' is not a VPC security group id"),
                Arguments.of("all", null, restore(r.cluster(), null, null, "db.r6g.large", "subnets/a", null, PARAMS,
                        null, null), "snapshot.subnetGroup 'subnets/a' is not a DB subnet group name"),
                Arguments.of("all", null, restore(null, "us-east-1", SNAPSHOT_ARN, "db.r6g.large", null, null, PARAMS,
                        null, null), "snapshot.region 'us-east-1' differs from the region of snapshot.snapshotArn"),
                Arguments.of("all", null, restore(null, null, SNAPSHOT_ARN, "db.r6g.large", null, null, PARAMS,
                        null, false), "snapshot.keepSnapshot is only for a snapshot Tidemark takes"),
                Arguments.of("all", null, new CreateMigrationRequest.Snapshot("aurora-restore", "orders-prod", null,
                        "s3://export-bucket/x", null, null, null, null, "db.r6g.large", null, null, PARAMS, null),
                        "snapshot.s3 is only for engine aurora-export, not aurora-restore"),
                Arguments.of("all", null, new CreateMigrationRequest.Snapshot("aurora-export", "orders-prod", null,
                        "s3://export-bucket/x", "arn:aws:iam::123456789012:role/x", "alias/k", null, null,
                        "db.r6g.large", null, null, null, null),
                        "snapshot.instanceClass is only for engine aurora-restore, not aurora-export"),
                Arguments.of("all", null, new CreateMigrationRequest.Snapshot(null, null, null, null, null, null,
                        null, null, null, null, null, null, true), "snapshot.keepRestored is only for engine"
                        + " aurora-restore, not dump"),
                Arguments.of("incremental", null, r, "snapshot is only for modes full and all"),
                Arguments.of("all", new CreateMigrationRequest.Start("mysql-bin.000001", 4L, null), r,
                        "start is only for mode incremental"));
    }

    @ParameterizedTest(name = "{3}")
    @MethodSource("refusals")
    void eachBadFieldIsNamed(String mode, CreateMigrationRequest.Start start, CreateMigrationRequest.Snapshot snapshot,
                             String message) {
        Throwable thrown = catchThrowable(() -> validator.validate(request(mode, start, snapshot)));
        assertThat(thrown).isInstanceOf(TidemarkException.class).hasMessageContaining(message);
        assertThat(((TidemarkException) thrown).error()).isEqualTo(ErrorCode.INVALID_SPEC);
    }
}
