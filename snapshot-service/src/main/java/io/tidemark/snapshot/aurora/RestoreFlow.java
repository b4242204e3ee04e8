package io.tidemark.snapshot.aurora;

import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.snapshot.dump.DumpResult;
import io.tidemark.snapshot.dump.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
     */
    record Plan(String cluster, String snapshotArn, boolean keepSnapshot, RestoreTarget target, String snapshotId,
                String clusterId, String instanceId, boolean keepRestored) {
        /** a plan deleting the restored cluster afterwards */
        Plan(String cluster, String snapshotArn, boolean keepSnapshot, RestoreTarget target, String snapshotId,
             String clusterId, String instanceId) {
            this(cluster, snapshotArn, keepSnapshot, target, snapshotId, clusterId, instanceId, false);
        }

        boolean takesSnapshot() {
            return snapshotArn == null;
        }
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
        String snapshot = plan.takesSnapshot()
                ? snapshots.snapshot(plan.cluster(), plan.snapshotId()).dbClusterSnapshotArn()
                : plan.snapshotArn();
        boolean cleaned = false;
        try {
            RestoreDriver.RestoredInstance restored = restores.restore(snapshot, plan.clusterId(), plan.instanceId(),
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
        }
        if (plan.takesSnapshot() && !plan.keepSnapshot()) {
            snapshots.deleteSnapshot(plan.snapshotId());
            return true;
        }
        return false;
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
