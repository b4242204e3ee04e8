package io.tidemark.snapshot.aurora;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.testkit.rds.FakeRds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.rds.RdsClient;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The restored-instance flow's control plane driven through the SDK against the fake RDS: restore once by name (a
 * restarted driver re-attaches), the crash-recovery position read from the instance's event, instance and cluster
 * deleted in that order, and the errors a user's restore settings cause.
 */
class RestoreDriverIT {
    private static final RestoreTarget TARGET = new RestoreTarget("db.r6g.large", "tidemark-subnets",
            List.of("sg-0a1b", "sg-0c2d"), "aurora-mysql8-binlog");

    private FakeRds rds;
    private RdsClient client;
    private String snapshotArn;

    @BeforeEach
    void start() throws Exception {
        // the restored database's data is the engine's test's concern: here it only reports where it listens
        rds = FakeRds.start("us-east-1", (cluster, id) -> new FakeRds.TakenSnapshot() {
            @Override
            public void export(FakeRds.ExportJob job) {
                throw new UnsupportedOperationException("restore only");
            }

            @Override
            public FakeRds.Restored restore(String restoredCluster) {
                return new FakeRds.Restored(restoredCluster + ".cluster-c1.us-east-1.rds.amazonaws.com", 3306,
                        "mysql-bin-changelog.000003", 23910021);
            }
        });
        client = client();
        snapshotArn = new ExportDriver(client, Duration.ofMillis(20)).snapshot("orders-prod", "tidemark-m1-e1")
                .dbClusterSnapshotArn();
    }

    private RdsClient client() {
        RdsProperties properties = new RdsProperties(rds.endpoint(), "us-east-1", Duration.ofMillis(20),
                Duration.ofSeconds(2), Duration.ofSeconds(10));
        return RdsClients.create(properties, "us-east-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    }

    @AfterEach
    void stop() {
        client.close();
        rds.close();
    }

    private RestoreDriver driver(RdsClient c) {
        return new RestoreDriver(c, Duration.ofMillis(20), Duration.ofMillis(300));
    }

    @Test
    void restoresOnceReadsTheCrashRecoveryPositionAndDeletesInstanceThenCluster() throws Exception {
        rds.restorePolls(3);
        RestoreDriver first = driver(client);
        RestoreDriver.RestoredInstance restored = first.restore(snapshotArn, "tidemark-m1-e1-r", "tidemark-m1-e1-r1",
                TARGET, () -> false);
        assertThat(restored.endpoint()).isEqualTo("tidemark-m1-e1-r.cluster-c1.us-east-1.rds.amazonaws.com:3306");

        // the service restarts: a new client and driver, the same names, nothing restored twice
        BinlogPosition position;
        try (RdsClient again = client()) {
            RestoreDriver second = driver(again);
            RestoreDriver.RestoredInstance same = second.restore(snapshotArn, "tidemark-m1-e1-r",
                    "tidemark-m1-e1-r1", TARGET, () -> false);
            assertThat(same.endpoint()).isEqualTo(restored.endpoint());
            position = second.recoveryPosition(same);
        }
        assertThat(position).isEqualTo(BinlogPosition.ofFilePosition("mysql-bin-changelog.000003", 23910021));

        assertThat(rds.calls("RestoreDBClusterFromSnapshot")).singleElement().satisfies(call -> {
            assertThat(call.param("SnapshotIdentifier")).isEqualTo(snapshotArn);
            assertThat(call.param("DBClusterIdentifier")).isEqualTo("tidemark-m1-e1-r");
            assertThat(call.param("Engine")).isEqualTo("aurora-mysql");
            assertThat(call.param("DBSubnetGroupName")).isEqualTo("tidemark-subnets");
            assertThat(call.param("DBClusterParameterGroupName")).isEqualTo("aurora-mysql8-binlog");
            assertThat(call.members("VpcSecurityGroupIds", "VpcSecurityGroupId")).containsExactly("sg-0a1b",
                    "sg-0c2d");
        });
        assertThat(rds.calls("CreateDBInstance")).singleElement().satisfies(call -> {
            assertThat(call.param("DBInstanceIdentifier")).isEqualTo("tidemark-m1-e1-r1");
            assertThat(call.param("DBClusterIdentifier")).isEqualTo("tidemark-m1-e1-r");
            assertThat(call.param("DBInstanceClass")).isEqualTo("db.r6g.large");
        });
        assertThat(rds.calls("DescribeEvents")).first().satisfies(call -> {
            assertThat(call.param("SourceType")).isEqualTo("db-instance");
            assertThat(call.param("SourceIdentifier")).isEqualTo("tidemark-m1-e1-r1");
        });

        first.delete("tidemark-m1-e1-r", "tidemark-m1-e1-r1");
        first.delete("tidemark-m1-e1-r", "tidemark-m1-e1-r1");
        assertThat(rds.calls().stream().map(FakeRds.RdsCall::action)
                .filter(a -> a.startsWith("Delete")).toList())
                .as("the instance first (AWS refuses a cluster with instances), each once")
                .containsExactly("DeleteDBInstance", "DeleteDBCluster");
        assertThat(rds.calls("DeleteDBCluster").getFirst().param("SkipFinalSnapshot")).isEqualTo("true");
        assertThat(rds.clusterIds()).isEmpty();
        assertThat(rds.instanceIds()).isEmpty();
        assertThat(rds.snapshotIds()).as("the snapshot is the caller's to delete").hasSize(1);
    }

    @Test
    void aRestoreWithTheBinlogOffHasNoPositionAndSaysWhichParameterGroupToUse() throws Exception {
        rds.binlogOffIn("default.aurora-mysql8.0");
        RestoreDriver d = driver(client);
        RestoreDriver.RestoredInstance restored = d.restore(snapshotArn, "tidemark-m2-e1-r", "tidemark-m2-e1-r1",
                new RestoreTarget("db.r6g.large", null, List.of(), "default.aurora-mysql8.0"), () -> false);

        TidemarkException missing = catchThrowableOfType(TidemarkException.class, () -> d.recoveryPosition(restored));

        assertThat(missing.error()).isEqualTo(ErrorCode.AURORA_RESTORE_NO_RECOVERY_EVENT);
        assertThat(missing.getMessage()).contains("TM-20040", "restored instance tidemark-m2-e1-r1",
                "db-cluster tidemark-m2-e1-r", "binlog_format=ROW", "snapshot.clusterParameterGroup");
        assertThat(rds.calls("DescribeEvents")).extracting(c -> c.param("SourceType"))
                .contains("db-instance", "db-cluster");
        assertThat(rds.calls("RestoreDBClusterFromSnapshot").getFirst().params())
                .doesNotContainKeys("DBSubnetGroupName", "VpcSecurityGroupIds.VpcSecurityGroupId.1");
    }

    @Test
    void aMissingSubnetGroupIsNamedAndAStoppedRestoreReturnsAtOnce() throws Exception {
        rds.failNext("RestoreDBClusterFromSnapshot", 404, "DBSubnetGroupNotFoundFault",
                "DBSubnetGroup 'tidemark-subnets' not found.");
        TidemarkException bad = catchThrowableOfType(TidemarkException.class, () -> driver(client)
                .restore(snapshotArn, "tidemark-m3-e1-r", "tidemark-m3-e1-r1", TARGET, () -> false));
        assertThat(bad.error()).isEqualTo(ErrorCode.AURORA_RESTORE_SETTING_INVALID);
        assertThat(bad.getMessage()).contains("RestoreDBClusterFromSnapshot (cluster tidemark-m3-e1-r from snapshot",
                "DBSubnetGroup 'tidemark-subnets' not found. [DBSubnetGroupNotFoundFault, HTTP 404",
                "snapshot.subnetGroup");
        assertThat(rds.calls("CreateDBInstance")).isEmpty();

        rds.restorePolls(1000);
        assertThat(driver(client).restore(snapshotArn, "tidemark-m3-e2-r", "tidemark-m3-e2-r1", TARGET, () -> true))
                .as("stopped while AWS restores").isNull();
        assertThat(rds.clusterIds()).containsExactly("tidemark-m3-e2-r");
    }
}
