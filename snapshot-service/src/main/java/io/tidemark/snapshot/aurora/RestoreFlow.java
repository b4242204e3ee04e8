package io.tidemark.snapshot.aurora;

import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.snapshot.dump.DumpResult;
import io.tidemark.snapshot.dump.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The restored-instance flow of the zh seed, one attempt: a cluster snapshot (taken now, or the one named), restored
 * into a cluster of its own, dumped from there — production is not read for data — and the point in production's
 * binlog that the data holds, as the restored instance logged it. The restored instance and cluster are deleted
 * whatever happened (they cost money and hold a copy of production's data), and the snapshot too when Tidemark took
 * it and was not asked to keep it.
 */
final class RestoreFlow {
    private static final Logger LOGGER = LoggerFactory.getLogger(RestoreFlow.class);

    /**
     * One attempt's AWS side, every name derived beforehand ({@link AwsNames}) so a restart finds them again.
     *
     * @param cluster      production's DB cluster identifier; used only when {@code snapshotArn} is null
     * @param snapshotArn  an existing cluster snapshot to restore; null = Tidemark takes {@code snapshotId}
     * @param keepSnapshot keep the snapshot Tidemark took (one named by {@code snapshotArn} is never deleted)
     * @param keepRestored keep the restored cluster and instance, also after a failure (a retry re-attaches by name)
     * @param earlier      the restored cluster and instance names of the migration's earlier attempts, latest first: a
     *                     resumed or retried migration re-attaches to one that still exists instead of restoring a
     *                     second cluster, and deletes them with its own unless it keeps them
     */
    record Plan(String cluster, String snapshotArn, boolean keepSnapshot, RestoreTarget target, String snapshotId,
                String clusterId, String instanceId, boolean keepRestored, List<Restored> earlier) {
        Plan {
            earlier = List.copyOf(earlier);
        }

        /** a first attempt's plan */
        Plan(String cluster, String snapshotArn, boolean keepSnapshot, RestoreTarget target, String snapshotId,
             String clusterId, String instanceId, boolean keepRestored) {
            this(cluster, snapshotArn, keepSnapshot, target, snapshotId, clusterId, instanceId, keepRestored,
                    List.of());
        }

        /** a first attempt's plan deleting the restored cluster afterwards */
        Plan(String cluster, String snapshotArn, boolean keepSnapshot, RestoreTarget target, String snapshotId,
             String clusterId, String instanceId) {
            this(cluster, snapshotArn, keepSnapshot, target, snapshotId, clusterId, instanceId, false);
        }

        boolean takesSnapshot() {
            return snapshotArn == null;
        }

        Restored own() {
            return new Restored(clusterId, instanceId);
        }
    }

    /** the names of one attempt's restored cluster and its one instance */
    record Restored(String clusterId, String instanceId) {
    }

    /**
     * @param position where replication from production starts: the restored data holds every change before it
     * @param dump     the dump of the restored instance (its own binlog positions mean nothing to production)
     */
    record Result(BinlogPosition position, DumpResult dump) {
    }

    /**
     * Dumps the restored instance; {@code restored} is production's account on the restored endpoint, and
     * {@code position} the point in production's binlog its data holds (read before the dump starts).
     */
    @FunctionalInterface
    interface RestoredDump {
        DumpResult dump(Source restored, BinlogPosition position) throws InterruptedException;
    }

    private final ExportDriver snapshots;
    private final RestoreDriver restores;

    RestoreFlow(ExportDriver snapshots, RestoreDriver restores) {
        this.snapshots = snapshots;
        this.restores = restores;
    }

    /** @return the result, or null when {@code stop} said the user stopped the snapshot while AWS restored */
    Result run(Plan plan, Source production, RestoredDump dump, BooleanSupplier stop) throws InterruptedException {
        Restored into = reattachable(plan).orElse(plan.own());
        // a cluster that exists needs no snapshot: restore only reads it to create a cluster
        String snapshot = restores.exists(into.clusterId()) ? null : plan.takesSnapshot()
                ? snapshots.snapshot(plan.cluster(), plan.snapshotId()).dbClusterSnapshotArn()
                : plan.snapshotArn();
        boolean cleaned = false;
        try {
            RestoreDriver.RestoredInstance restored = restores.restore(snapshot, into.clusterId(), into.instanceId(),
                    plan.target(), stop);
            if (restored == null) {
                return null;
            }
            // read before the dump: a restore that cannot say where it stands is not worth dumping
            BinlogPosition position = restores.recoveryPosition(restored);
            Source from = production.at(restored.host(), restored.port());
            LOGGER.info("dumping restored instance {} at {}; replication from production starts at {}",
                    restored.instance(), restored.endpoint(), position);
            DumpResult result = dump.dump(from, position);
            cleanUp(plan);
            cleaned = true;
            return new Result(position, result);
        } finally {
            if (!cleaned) {
                cleanUpAfterFailure(plan);
            }
        }
    }

    /**
     * Deletes what the plan created and does not keep; idempotent (what is gone needs nothing), so the user's stop
     * can call it after the attempt already cleaned up.
     *
     * @return whether the snapshot is gone (false when the plan keeps it or did not take it)
     */
    boolean cleanUp(Plan plan) throws InterruptedException {
        if (!plan.keepRestored()) {
            restores.delete(plan.clusterId(), plan.instanceId());
            for (Restored r : plan.earlier()) {
                // one an earlier attempt kept (its clean-up failed) or this attempt re-attached to
                restores.delete(r.clusterId(), r.instanceId());
            }
        }
        if (plan.takesSnapshot() && !plan.keepSnapshot()) {
            snapshots.deleteSnapshot(plan.snapshotId());
            return true;
        }
        return false;
    }

    /**
     * An earlier attempt's restored cluster that still serves or is still being created, unless this attempt's own
     * exists (a restart of this attempt re-attaches to that): a stopped migration resumed, or a failed one retried,
     * under a new epoch must not pay for a second restore of the same data.
     */
    private Optional<Restored> reattachable(Plan plan) {
        if (restores.exists(plan.clusterId())) {
            return Optional.empty();
        }
        for (Restored r : plan.earlier()) {
            if (restores.reusable(r.clusterId())) {
                LOGGER.info("restored cluster {} of an earlier attempt still exists: re-attaching to it instead of"
                        + " restoring {}", r.clusterId(), plan.clusterId());
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** the attempt's own failure is what the user must see; a failed clean-up is logged beside it */
    private void cleanUpAfterFailure(Plan plan) {
        boolean interrupted = Thread.interrupted();
        try {
            cleanUp(plan);
        } catch (TidemarkException | InterruptedException e) {
            LOGGER.warn("restored cluster {} or snapshot {} could not be deleted; delete them in the RDS console",
                    plan.clusterId(), plan.snapshotId(), e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
