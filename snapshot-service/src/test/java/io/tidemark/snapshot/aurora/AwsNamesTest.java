package io.tidemark.snapshot.aurora;

import io.tidemark.common.id.MigrationId;
import io.tidemark.common.table.TableRef;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Identifiers Tidemark gives AWS resources, and the ExportOnly list AWS accepts. */
class AwsNamesTest {
    private static final String RDS_ID = "[A-Za-z](?:-?[A-Za-z0-9])*";

    @Test
    void anIdIsTheMigrationAndItsAttemptAndFollowsRdsRules() {
        MigrationId m = MigrationId.of("orders-to-tidb-k3f9a");
        assertThat(AwsNames.exportTaskId(m, 1)).isEqualTo("tidemark-orders-to-tidb-k3f9a-e1");
        assertThat(AwsNames.snapshotId(m, 2)).isEqualTo("tidemark-orders-to-tidb-k3f9a-e2");
        assertThat(AwsNames.exportTaskId(m, 1)).as("stable: a restart finds its export again")
                .isEqualTo(AwsNames.exportTaskId(MigrationId.of("orders-to-tidb-k3f9a"), 1));
        assertThat(AwsNames.exportTaskId(m, 2)).isNotEqualTo(AwsNames.exportTaskId(m, 1));
    }

    @Test
    void theRestoredClusterAndInstanceAreNamedByAttemptWithin63() {
        MigrationId m = MigrationId.of("orders-to-tidb-k3f9a");
        assertThat(AwsNames.restoredClusterId(m, 1)).isEqualTo("tidemark-orders-to-tidb-k3f9a-e1-r");
        assertThat(AwsNames.restoredInstanceId(m, 1)).isEqualTo("tidemark-orders-to-tidb-k3f9a-e1-r1");
        MigrationId longest = MigrationId.of("b".repeat(48) + "-shared-prefix");
        assertThat(AwsNames.restoredInstanceId(longest, 12345)).hasSizeLessThanOrEqualTo(63).matches(RDS_ID)
                .endsWith("-e12345-r1");
        assertThat(AwsNames.restoredClusterId(longest, 12345)).isNotEqualTo(AwsNames.restoredClusterId(
                MigrationId.of("b".repeat(48) + "-shared-prefiy"), 12345));
    }

    @Test
    void aLongIdIsShortenedTo60WithAHashThatKeepsMigrationsApart() {
        String base = "a".repeat(45) + "-shared-prefix-"; // 63, the longest migration id, once suffixed
        MigrationId one = MigrationId.of(base + "x1");
        MigrationId two = MigrationId.of(base + "x2");
        String a = AwsNames.exportTaskId(one, 12345);
        String b = AwsNames.exportTaskId(two, 12345);
        assertThat(a).hasSizeLessThanOrEqualTo(60).matches(RDS_ID).endsWith("-e12345").startsWith("tidemark-aaaa");
        assertThat(b).hasSizeLessThanOrEqualTo(60).matches(RDS_ID);
        assertThat(a).isNotEqualTo(b);
        assertThat(AwsNames.snapshotId(one, 1)).as("255 leaves room for the whole id")
                .isEqualTo("tidemark-" + one.value() + "-e1");
    }

    @Test
    void doubledOrTrailingHyphensAreFoldedAndTheIdStaysUnique() {
        MigrationId doubled = MigrationId.of("orders--x-");
        MigrationId single = MigrationId.of("orders-x");
        assertThat(AwsNames.exportTaskId(doubled, 1)).matches(RDS_ID)
                .isNotEqualTo(AwsNames.exportTaskId(single, 1));
        assertThat(AwsNames.exportTaskId(MigrationId.of("9-lives"), 1)).matches(RDS_ID);
    }

    @Test
    void exportOnlyNamesWholeSchemasWhenEveryTableIsSelectedAndTablesOtherwise() {
        List<TableRef> all = List.of(TableRef.of("shop", "orders"), TableRef.of("shop", "items"),
                TableRef.of("crm", "users"), TableRef.of("crm", "tmp_x"));
        assertThat(ExportOnly.of(List.of(TableRef.of("shop", "orders"), TableRef.of("shop", "items"),
                TableRef.of("crm", "users")), all)).hasValue(List.of("crm.users", "shop"));
        assertThat(ExportOnly.of(List.of(TableRef.of("shop", "items")), all)).hasValue(List.of("shop.items"));
        assertThat(ExportOnly.of(List.of(TableRef.of("s$1", "t_2")), List.of(TableRef.of("s$1", "t_2"),
                TableRef.of("s$1", "u")))).hasValue(List.of("s$1.t_2"));
    }

    @Test
    void aNameAwsRefusesFallsBackToAFullExport() {
        List<TableRef> all = List.of(TableRef.of("shop", "order-lines"), TableRef.of("shop", "items"),
                TableRef.of("my-db", "t"));
        assertThat(ExportOnly.of(List.of(TableRef.of("shop", "order-lines")), all)).isEqualTo(Optional.empty());
        assertThat(ExportOnly.of(List.of(TableRef.of("shop", "order-lines"), TableRef.of("shop", "items")), all))
                .as("even when the schema could be named whole").isEmpty();
        assertThat(ExportOnly.of(List.of(TableRef.of("my-db", "t")), all)).isEmpty();
    }
}
