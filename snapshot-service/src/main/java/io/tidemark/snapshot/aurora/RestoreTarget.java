package io.tidemark.snapshot.aurora;

import java.util.List;
import java.util.Objects;

/**
 * Where and how a snapshot is restored for the restored-instance flow: the settings
 * {@code RestoreDBClusterFromSnapshot} and {@code CreateDBInstance} take. Null = AWS's default (the default VPC's subnet group and security group, the
 * engine's default parameter group — which has the binlog off, so the restore would log no crash-recovery position).
 *
 * @param instanceClass         {@code DBInstanceClass} of the instance created in the restored cluster
 * @param subnetGroup           {@code DBSubnetGroupName}
 * @param securityGroups        {@code VpcSecurityGroupIds}; empty = the VPC's default
 * @param clusterParameterGroup {@code DBClusterParameterGroupName}: one with {@code binlog_format=ROW}
 */
record RestoreTarget(String instanceClass, String subnetGroup, List<String> securityGroups,
                     String clusterParameterGroup) {
    RestoreTarget {
        Objects.requireNonNull(instanceClass, "instanceClass");
        securityGroups = securityGroups == null ? List.of() : List.copyOf(securityGroups);
    }
}
