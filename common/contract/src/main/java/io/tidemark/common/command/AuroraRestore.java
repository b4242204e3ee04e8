package io.tidemark.common.command;

import java.util.List;
import java.util.Objects;

/**
 * A snapshot read from an Aurora cluster restored for the purpose (spec {@code "snapshot": {"engine":
 * "aurora-restore"}}, the zh seed's small-data procedure): AWS restores a cluster snapshot into a cluster of its own,
 * Tidemark dumps that cluster instead of production, and replication from production starts at the restore's
 * "Binlog position from crash recovery". Every value is already validated; the names follow the RDS API's
 * parameters they are sent as.
 *
 * @param cluster               production's DB cluster identifier to snapshot ({@code CreateDBClusterSnapshot});
 *                              null when {@code snapshotArn} names an existing snapshot
 * @param region                the cluster's AWS region; null = the snapshot service's {@code tidemark.aws.rds.region}
 * @param snapshotArn           an existing cluster snapshot to restore instead of taking one (never deleted); null =
 *                              Tidemark takes one
 * @param instanceClass         {@code DBInstanceClass} of the instance created in the restored cluster
 * @param subnetGroup           {@code DBSubnetGroupName}; null = the default VPC's
 * @param securityGroups        {@code VpcSecurityGroupIds}; empty = the VPC's default
 * @param clusterParameterGroup {@code DBClusterParameterGroupName}: one with the binlog on, or the restore logs no
 *                              crash-recovery position
 * @param keepRestored          keep the restored cluster and its instance after the dump (they are deleted otherwise)
 * @param keepSnapshot          keep the snapshot Tidemark took (one named by {@code snapshotArn} is never deleted)
 */
public record AuroraRestore(String cluster, String region, String snapshotArn, String instanceClass,
                            String subnetGroup, List<String> securityGroups, String clusterParameterGroup,
                            boolean keepRestored, boolean keepSnapshot) {
    public AuroraRestore {
        if (cluster == null && snapshotArn == null) {
            throw new IllegalArgumentException("an Aurora restore needs a cluster to snapshot or a snapshotArn");
        }
        Objects.requireNonNull(instanceClass, "instanceClass");
        Objects.requireNonNull(clusterParameterGroup, "clusterParameterGroup");
        securityGroups = securityGroups == null ? List.of() : List.copyOf(securityGroups);
        if (snapshotArn != null && keepSnapshot) {
            throw new IllegalArgumentException("a snapshot named by snapshotArn is never deleted:"
                    + " keepSnapshot is moot");
        }
    }

    /** whether Tidemark takes the snapshot itself (and so deletes it afterwards unless kept) */
    public boolean takesSnapshot() {
        return snapshotArn == null;
    }
}
