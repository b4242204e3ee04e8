package io.tidemark.snapshot.aurora;

import io.tidemark.common.command.AuroraRestore;
import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.snapshot.dump.DumpResult;
import io.tidemark.snapshot.dump.Source;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.rds.RdsClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Engine aurora-restore, as the snapshot service runs it for a {@link SnapshotRequest}: the request's
 * {@link AuroraRestore} turned into a {@link RestoreFlow.Plan} whose AWS names derive from the migration and epoch
 * ({@link AwsNames}), so a redelivered request finds its snapshot and restored cluster again. Stateless.
 */
public final class AuroraRestoreSnapshot {
    /**
     * How long an available restored instance may take to list its crash-recovery event: AWS lists events with a
     * delay, so ten polls (five minutes at the default 30 s) before the event counts as missing.
     */
    private static final int EVENT_POLLS = 10;
    /** how many earlier attempts' restored clusters a new attempt looks for */
    private static final int EARLIER_ATTEMPTS = 5;

    /** how a run ended: the restored instance is dumped, or the user stopped it while AWS restored */
    public sealed interface Outcome permits Result, Stopped {
    }

    /**
     * @param position the point in production's binlog the dump holds: replication from production starts there
     * @param dump     the dump of the restored instance
     */
    public record Result(BinlogPosition position, DumpResult dump) implements Outcome {
    }

    /** @param snapshotDeleted whether the cluster snapshot is gone (false when kept or not Tidemark's) */
    public record Stopped(boolean snapshotDeleted) implements Outcome {
    }

    /** dumps the restored instance, whose data holds production's binlog up to {@code position} */
    @FunctionalInterface
    public interface RestoredDump {
        DumpResult dump(Source restored, BinlogPosition position) throws InterruptedException;
    }

    private final RdsProperties properties;
    private final AwsCredentialsProvider credentials;

    public AuroraRestoreSnapshot(RdsProperties properties, AwsCredentialsProvider credentials) {
        this.properties = properties;
        this.credentials = credentials;
    }

    /**
     * @param production production's endpoint and account: its binlog is replicated, the restored instance is dumped
     *                   with the same account
     * @param stop       whether the user stopped the snapshot; looked at while AWS restores
     * @throws InterruptedException the wait was stopped; the request is redelivered and re-attaches by name
     */
    public Outcome run(SnapshotRequest request, Source production, RestoredDump dump, BooleanSupplier stop)
            throws InterruptedException {
        try (RdsClient rds = client(request)) {
            RestoreFlow.Plan plan = plan(request);
            RestoreFlow.Result r = flow(rds).run(plan, production, dump::dump, stop);
            // stopped: the flow has deleted what it created, as after any end short of the dump
            return r == null ? new Stopped(plan.takesSnapshot() && !plan.keepSnapshot())
                    : new Result(r.position(), r.dump());
        }
    }

    /**
     * The user's stop, after the run it stops: whatever the run left (it cleans up as it ends) is deleted by name.
     * Idempotent.
     */
    public Stopped stop(SnapshotRequest request) throws InterruptedException {
        try (RdsClient rds = client(request)) {
            return new Stopped(flow(rds).cleanUp(plan(request)));
        }
    }

    private RdsClient client(SnapshotRequest request) {
        return RdsClients.create(properties, properties.regionOf(request.auroraRestore()), credentials);
    }

    private RestoreFlow flow(RdsClient rds) {
        Duration poll = properties.pollInterval();
        return new RestoreFlow(new ExportDriver(rds, poll),
                new RestoreDriver(rds, poll, poll.multipliedBy(EVENT_POLLS)));
    }

    static RestoreFlow.Plan plan(SnapshotRequest request) {
        AuroraRestore r = request.auroraRestore();
        return new RestoreFlow.Plan(r.cluster(), r.snapshotArn(), r.keepSnapshot(),
                new RestoreTarget(r.instanceClass(), r.subnetGroup(), r.securityGroups(), r.clusterParameterGroup()),
                AwsNames.snapshotId(request.migrationId(), request.epoch()),
                AwsNames.restoredClusterId(request.migrationId(), request.epoch()),
                AwsNames.restoredInstanceId(request.migrationId(), request.epoch()), r.keepRestored(),
                earlier(request));
    }

    /**
     * The restored names of the request's earlier attempts, latest first; the last few only, each costing a describe
     * per run: a migration stopped and resumed more often than that leaves no restore of its own behind (its stop
     * deletes it, or the user keeps it with keepRestored and resumes soon after)
     */
    private static List<RestoreFlow.Restored> earlier(SnapshotRequest request) {
        List<RestoreFlow.Restored> names = new ArrayList<>();
        for (long e = request.epoch() - 1; e >= 1 && names.size() < EARLIER_ATTEMPTS; e--) {
            names.add(new RestoreFlow.Restored(AwsNames.restoredClusterId(request.migrationId(), e),
                    AwsNames.restoredInstanceId(request.migrationId(), e)));
        }
        return names;
    }
}
