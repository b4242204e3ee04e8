package io.tidemark.snapshot.aurora;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbClusterNotFoundException;
import software.amazon.awssdk.services.rds.model.DbClusterSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.Event;
import software.amazon.awssdk.services.rds.model.RestoreDbClusterFromSnapshotRequest;
import software.amazon.awssdk.services.rds.model.SourceType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives the restored-instance flow through the RDS API, by name as {@link ExportDriver} does: restore a cluster
 * snapshot into a new cluster with one instance, wait until it serves, read the binlog point its data holds from the
 * instance's "Binlog position from crash recovery" event, and delete instance and cluster afterwards. Each step first
 * asks whether what it would create exists (a restarted service re-attaches, never restoring twice). Every SDK
 * failure goes through {@link RdsErrors}. Blocking; interrupting the thread stops a wait, never AWS's work.
 */
final class RestoreDriver {
    private static final Logger LOGGER = LoggerFactory.getLogger(RestoreDriver.class);
    /** Aurora MySQL's message; the file and offset are those of the snapshotted cluster's binlog */
    private static final Pattern RECOVERY = Pattern.compile("Binlog position from crash recovery is (\\S+) (\\d+)");
    /** statuses a restore never leaves by itself: AWS could not make the cluster or instance serve */
    private static final Set<String> BROKEN = Set.of("failed", "incompatible-restore", "incompatible-parameters",
            "incompatible-network", "inaccessible-encryption-credentials", "storage-full", "incompatible-option-group");

    /** a restored cluster's one instance, serving: where to dump from */
    record RestoredInstance(String cluster, String instance, String host, int port, Instant clusterCreated) {
        String endpoint() {
            return host + ":" + port;
        }
    }

    private final RdsClient rds;
    private final Duration pollInterval;
    private final Duration eventWait;

    /**
     * @param eventWait how long an available instance may take to list its crash-recovery event before it counts as
     *                  missing (AWS lists events with a delay)
     */
    RestoreDriver(RdsClient rds, Duration pollInterval, Duration eventWait) {
        this.rds = rds;
        this.pollInterval = pollInterval;
        this.eventWait = eventWait;
    }

    /**
     * Restores {@code snapshot} (identifier or ARN) into the cluster {@code clusterId} with the instance
     * {@code instanceId}, each unless it exists, and returns once both are available; null once {@code stop} says the
     * user stopped the snapshot (the caller deletes what exists).
     */
    RestoredInstance restore(String snapshot, String clusterId, String instanceId, RestoreTarget target,
                             BooleanSupplier stop) throws InterruptedException {
        DBCluster cluster = describeCluster(clusterId).orElseGet(() -> restoreCluster(snapshot, clusterId, target));
        if (describeInstance(instanceId).isEmpty()) {
            LOGGER.info("creating instance {} ({}) in restored cluster {}", instanceId, target.instanceClass(),
                    clusterId);
            call("CreateDBInstance", "instance " + instanceId + " in cluster " + clusterId,
                    () -> rds.createDBInstance(r -> r.dbInstanceIdentifier(instanceId).dbClusterIdentifier(clusterId)
                            .engine(cluster.engine()).dbInstanceClass(target.instanceClass())));
        }
        while (true) {
            if (stop.getAsBoolean()) {
                return null;
            }
            DBCluster c = describeCluster(clusterId).orElseThrow(() -> gone("DescribeDBClusters", "cluster "
                    + clusterId));
            DBInstance i = describeInstance(instanceId).orElseThrow(() -> gone("DescribeDBInstances", "instance "
                    + instanceId));
            failIfBroken("cluster " + clusterId, c.status());
            failIfBroken("instance " + instanceId, i.dbInstanceStatus());
            if ("available".equals(c.status()) && "available".equals(i.dbInstanceStatus()) && i.endpoint() != null) {
                LOGGER.info("restored cluster {} serves at {}:{}", clusterId, i.endpoint().address(),
                        i.endpoint().port());
                return new RestoredInstance(clusterId, instanceId, i.endpoint().address(), i.endpoint().port(),
                        c.clusterCreateTime());
            }
            Thread.sleep(pollInterval.toMillis());
        }
    }

    /**
     * The point in the snapshotted cluster's binlog that the restored data holds, from the instance's events (the
     * cluster's as well, where some engine versions log it); waits up to the event wait for AWS to list it.
     */
    BinlogPosition recoveryPosition(RestoredInstance restored) throws InterruptedException {
        // events are kept 14 days and listed from an hour back by default: ask from the restore on
        Instant since = restored.clusterCreated() == null ? Instant.now().minus(Duration.ofDays(1))
                : restored.clusterCreated().minus(Duration.ofMinutes(1));
        long deadline = System.nanoTime() + eventWait.toNanos();
        while (true) {
            Optional<BinlogPosition> found = recovery(SourceType.DB_INSTANCE, restored.instance(), since)
                    .or(() -> recovery(SourceType.DB_CLUSTER, restored.cluster(), since));
            if (found.isPresent()) {
                LOGGER.info("restored instance {} holds the source's binlog up to {}", restored.instance(),
                        found.get());
                return found.get();
            }
            if (System.nanoTime() > deadline) {
                throw new TidemarkException(ErrorCode.AURORA_RESTORE_NO_RECOVERY_EVENT, restored.instance(),
                        "DescribeEvents of db-instance " + restored.instance() + " and db-cluster "
                                + restored.cluster() + " since " + since + ", waited " + eventWait.toSeconds() + " s");
            }
            Thread.sleep(pollInterval.toMillis());
        }
    }

    /** deletes the instance, then the cluster without a final snapshot, and waits until both are gone */
    void delete(String clusterId, String instanceId) throws InterruptedException {
        Optional<DBInstance> i = describeInstance(instanceId);
        if (i.isPresent() && !"deleting".equals(i.get().dbInstanceStatus())) {
            awaitSettled(instanceId, () -> describeInstance(instanceId).map(DBInstance::dbInstanceStatus));
            LOGGER.info("deleting restored instance {}", instanceId);
            deleted("DeleteDBInstance", "instance " + instanceId, () -> rds.deleteDBInstance(r -> r
                    .dbInstanceIdentifier(instanceId).skipFinalSnapshot(true)));
        }
        while (describeInstance(instanceId).isPresent()) {
            Thread.sleep(pollInterval.toMillis());
        }
        Optional<DBCluster> c = describeCluster(clusterId);
        if (c.isPresent() && !"deleting".equals(c.get().status())) {
            awaitSettled(clusterId, () -> describeCluster(clusterId).map(DBCluster::status));
            LOGGER.info("deleting restored cluster {}", clusterId);
            deleted("DeleteDBCluster", "cluster " + clusterId, () -> rds.deleteDBCluster(r -> r
                    .dbClusterIdentifier(clusterId).skipFinalSnapshot(true)));
        }
        while (describeCluster(clusterId).isPresent()) {
            Thread.sleep(pollInterval.toMillis());
        }
    }

    /** whether the cluster exists, in whatever state */
    boolean exists(String clusterId) {
        return describeCluster(clusterId).isPresent();
    }

    /** whether the cluster exists and can still serve: neither being deleted nor broken by its restore */
    boolean reusable(String clusterId) {
        return describeCluster(clusterId).map(DBCluster::status)
                .filter(s -> !"deleting".equals(s) && !BROKEN.contains(s)).isPresent();
    }

    /** AWS refuses to delete what is still being created: wait for it to settle (or break) first */
    private void awaitSettled(String id, Supplier<Optional<String>> status) throws InterruptedException {
        while (status.get().filter(s -> s.equals("creating") || s.equals("backing-up") || s.equals("modifying"))
                .isPresent()) {
            LOGGER.info("{} is still being created: deleting it once it is", id);
            Thread.sleep(pollInterval.toMillis());
        }
    }

    private DBCluster restoreCluster(String snapshot, String clusterId, RestoreTarget target) {
        DBClusterSnapshot s = describeSnapshot(snapshot);
        RestoreDbClusterFromSnapshotRequest.Builder request = RestoreDbClusterFromSnapshotRequest.builder()
                .dbClusterIdentifier(clusterId).snapshotIdentifier(snapshot).engine(s.engine())
                .engineVersion(s.engineVersion());
        if (target.subnetGroup() != null) {
            request.dbSubnetGroupName(target.subnetGroup());
        }
        if (!target.securityGroups().isEmpty()) {
            request.vpcSecurityGroupIds(target.securityGroups());
        }
        if (target.clusterParameterGroup() != null) {
            request.dbClusterParameterGroupName(target.clusterParameterGroup());
        }
        LOGGER.info("restoring snapshot {} into cluster {}", snapshot, clusterId);
        return call("RestoreDBClusterFromSnapshot", "cluster " + clusterId + " from snapshot " + snapshot,
                () -> rds.restoreDBClusterFromSnapshot(request.build()).dbCluster());
    }

    private Optional<BinlogPosition> recovery(SourceType type, String id, Instant since) {
        List<Event> events = call("DescribeEvents", type + " " + id, () -> rds.describeEvents(r -> r
                .sourceType(type).sourceIdentifier(id).startTime(since)).events());
        for (Event e : events) {
            Matcher m = RECOVERY.matcher(e.message() == null ? "" : e.message());
            if (m.find()) {
                return Optional.of(BinlogPosition.ofFilePosition(m.group(1), Long.parseLong(m.group(2))));
            }
        }
        return Optional.empty();
    }

    private static void failIfBroken(String what, String status) {
        if (status != null && BROKEN.contains(status)) {
            throw new TidemarkException(ErrorCode.AURORA_RESTORE_FAILED, what, status);
        }
    }

    private static TidemarkException gone(String action, String what) {
        return new TidemarkException(ErrorCode.RDS_REQUEST_REJECTED, action + " (" + what + ")",
                "it was deleted while being restored");
    }

    private DBClusterSnapshot describeSnapshot(String snapshot) {
        try {
            return rds.describeDBClusterSnapshots(r -> r.dbClusterSnapshotIdentifier(snapshot)).dbClusterSnapshots()
                    .stream().findFirst().orElseThrow(() -> DbClusterSnapshotNotFoundException.builder()
                            .message("DBClusterSnapshot " + snapshot + " not found.").build());
        } catch (SdkException e) {
            throw RdsErrors.classify("DescribeDBClusterSnapshots", "snapshot " + snapshot, e);
        }
    }

    private Optional<DBCluster> describeCluster(String clusterId) {
        try {
            return rds.describeDBClusters(r -> r.dbClusterIdentifier(clusterId)).dbClusters().stream().findFirst();
        } catch (DbClusterNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw RdsErrors.classify("DescribeDBClusters", "cluster " + clusterId, e);
        }
    }

    private Optional<DBInstance> describeInstance(String instanceId) {
        try {
            return rds.describeDBInstances(r -> r.dbInstanceIdentifier(instanceId)).dbInstances().stream()
                    .findFirst();
        } catch (DbInstanceNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw RdsErrors.classify("DescribeDBInstances", "instance " + instanceId, e);
        }
    }

    /** a delete whose target went meanwhile (the user, or a stop's clean-up beside it) has what it wanted */
    private static void deleted(String action, String subject, Supplier<?> delete) {
        try {
            delete.get();
        } catch (DbInstanceNotFoundException | DbClusterNotFoundException e) {
            LOGGER.info("{} is gone already", subject);
        } catch (SdkException e) {
            throw RdsErrors.classify(action, subject, e);
        }
    }

    private static <T> T call(String action, String subject, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw RdsErrors.classify(action, subject, e);
        }
    }
}
