package io.tidemark.snapshot.aurora;

import io.tidemark.common.command.AuroraRestore;
import io.tidemark.common.command.DumpFormat;
import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.id.MigrationId;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A request's aurora-restore becomes the plan of one attempt, every AWS name derived from migration and epoch. */
class AuroraRestoreSnapshotTest {
    private static SnapshotRequest request(long epoch, AuroraRestore restore) {
        MigrationId id = MigrationId.of("orders-1a2b");
        return new SnapshotRequest(SnapshotRequest.idFor(id, epoch), id, epoch,
                new DatabaseEndpoint("orders.cluster-abc.us-east-1.rds.amazonaws.com", 3306, "dm",
                        TestDatabases.secretBox().seal("pw")),
                List.of("shop.*"), "file:///var/dumps/orders-1a2b", 2, 1 << 20, DumpFormat.SQL, null,
                ReplicationTask.Desired.RUNNING, restore);
    }

    @Test
    void thePlanNamesWhatItCreatesByMigrationAndEpochAndCarriesTheSpecsSettings() {
        AuroraRestore restore = new AuroraRestore("orders-prod", "us-east-1", null, "db.r6g.large", "subnets",
                List.of("sg-0123456789abcdef0"), "aurora-mysql8-binlog-row", true, false);

        RestoreFlow.Plan plan = AuroraRestoreSnapshot.plan(request(3, restore));

        assertThat(plan.cluster()).isEqualTo("orders-prod");
        assertThat(plan.takesSnapshot()).isTrue();
        assertThat(plan.snapshotId()).isEqualTo("tidemark-orders-1a2b-e3");
        assertThat(plan.clusterId()).isEqualTo("tidemark-orders-1a2b-e3-r");
        assertThat(plan.instanceId()).isEqualTo("tidemark-orders-1a2b-e3-r1");
        assertThat(plan.keepRestored()).isTrue();
        assertThat(plan.keepSnapshot()).isFalse();
        assertThat(plan.target()).isEqualTo(new RestoreTarget("db.r6g.large", "subnets",
                List.of("sg-0123456789abcdef0"), "aurora-mysql8-binlog-row"));
        assertThat(AuroraRestoreSnapshot.plan(request(4, restore)).clusterId())
                .as("a new attempt restores under a name of its own").isEqualTo("tidemark-orders-1a2b-e4-r");
    }

    @Test
    void aLaterAttemptKnowsTheRestoredNamesOfTheLastFewEarlierOnesLatestFirst() {
        AuroraRestore restore = new AuroraRestore("orders-prod", "us-east-1", null, "db.r6g.large", null, null,
                "aurora-mysql8-binlog-row", true, false);

        assertThat(AuroraRestoreSnapshot.plan(request(1, restore)).earlier()).isEmpty();
        assertThat(AuroraRestoreSnapshot.plan(request(3, restore)).earlier()).containsExactly(
                new RestoreFlow.Restored("tidemark-orders-1a2b-e2-r", "tidemark-orders-1a2b-e2-r1"),
                new RestoreFlow.Restored("tidemark-orders-1a2b-e1-r", "tidemark-orders-1a2b-e1-r1"));
        assertThat(AuroraRestoreSnapshot.plan(request(12, restore)).earlier()).hasSize(5).first()
                .isEqualTo(new RestoreFlow.Restored("tidemark-orders-1a2b-e11-r", "tidemark-orders-1a2b-e11-r1"));
    }

    @Test
    void aGivenSnapshotIsRestoredAsNamed() {
        String arn = "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:orders-1201";
        RestoreFlow.Plan plan = AuroraRestoreSnapshot.plan(request(1, new AuroraRestore(null, null, arn,
                "db.serverless", null, null, "aurora-mysql8-binlog-row", false, false)));

        assertThat(plan.takesSnapshot()).isFalse();
        assertThat(plan.snapshotArn()).isEqualTo(arn);
        assertThat(plan.target().securityGroups()).isEmpty();
    }
}
