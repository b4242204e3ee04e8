package io.tidemark.snapshot.aurora;

import io.tidemark.common.command.AuroraExport;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DbClusterSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.ExportTask;
import software.amazon.awssdk.services.rds.model.ExportTaskNotFoundException;
import software.amazon.awssdk.services.rds.model.StartExportTaskRequest;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Drives one Aurora snapshot export through the RDS API, by name: every step first asks whether what it would create
 * exists already (a restarted service re-attaches to its snapshot and its export, never starting a second one), then
 * creates it and polls until AWS is done. Every SDK failure goes through {@link RdsErrors}. Blocking; interrupting the
 * thread stops a wait, never the AWS task (that is {@link #cancel}).
 */
final class ExportDriver {
    private static final Logger LOGGER = LoggerFactory.getLogger(ExportDriver.class);
    private static final List<String> ENDED = List.of("COMPLETE", "FAILED", "CANCELED");

    /** progress of a running export, as AWS reports it */
    record Progress(String exportTask, String status, int percent, long extractedGb) {
    }

    private final RdsClient rds;
    private final Duration pollInterval;

    ExportDriver(RdsClient rds, Duration pollInterval) {
        this.rds = rds;
        this.pollInterval = pollInterval;
    }

    /** the cluster snapshot {@code snapshotId} of the cluster, taken now unless it exists; returns once available */
    DBClusterSnapshot snapshot(String cluster, String snapshotId) throws InterruptedException {
        DBClusterSnapshot s = describeSnapshot(snapshotId).orElseGet(() -> {
            LOGGER.info("creating cluster snapshot {} of {}", snapshotId, cluster);
            return call("CreateDBClusterSnapshot", "cluster " + cluster + ", snapshot " + snapshotId,
                    () -> rds.createDBClusterSnapshot(r -> r.dbClusterIdentifier(cluster)
                            .dbClusterSnapshotIdentifier(snapshotId)).dbClusterSnapshot());
        });
        return awaitAvailable(s, snapshotId, "it was deleted while being created");
    }

    /**
     * The cluster snapshot the user named (identifier or ARN), never created here; returns once available (one the
     * user has just asked for may still be creating)
     */
    DBClusterSnapshot existingSnapshot(String snapshot) throws InterruptedException {
        DBClusterSnapshot s = describeSnapshot(snapshot).orElseThrow(() -> new TidemarkException(
                ErrorCode.RDS_SNAPSHOT_NOT_FOUND, "DescribeDBClusterSnapshots (snapshot " + snapshot + ")",
                "no such cluster snapshot in the region"));
        return awaitAvailable(s, snapshot, "it was deleted while Tidemark waited for it to become available");
    }

    private DBClusterSnapshot awaitAvailable(DBClusterSnapshot s, String snapshot, String gone)
            throws InterruptedException {
        while (!"available".equals(s.status())) {
            Thread.sleep(pollInterval.toMillis());
            s = describeSnapshot(snapshot).orElseThrow(() -> new TidemarkException(ErrorCode.RDS_SNAPSHOT_NOT_FOUND,
                    "DescribeDBClusterSnapshots (snapshot " + snapshot + ")", gone));
        }
        return s;
    }

    /**
     * Starts the export {@code exportTaskId} of the snapshot unless it exists (then re-attaches to it); while AWS's
     * limit of concurrent exports is reached, waits and asks again.
     *
     * @param exportOnly the names to export; empty = the whole snapshot
     */
    ExportTask start(String exportTaskId, String snapshotArn, AuroraExport export, List<String> exportOnly)
            throws InterruptedException {
        while (true) {
            Optional<ExportTask> existing = describeExport(exportTaskId);
            if (existing.isPresent()) {
                LOGGER.info("export {} exists ({}): re-attaching", exportTaskId, existing.get().status());
                return existing.get();
            }
            StartExportTaskRequest.Builder request = StartExportTaskRequest.builder()
                    .exportTaskIdentifier(exportTaskId).sourceArn(snapshotArn).s3BucketName(export.bucket())
                    .iamRoleArn(export.iamRole()).kmsKeyId(export.kmsKey());
            if (!export.prefix().isEmpty()) {
                request.s3Prefix(export.prefix());
            }
            if (!exportOnly.isEmpty()) {
                // an empty list would be sent as an empty parameter: leave it out for a whole export
                request.exportOnly(exportOnly);
            }
            try {
                var started = rds.startExportTask(request.build());
                LOGGER.info("started export {} of {} ({} names)", exportTaskId, snapshotArn, exportOnly.size());
                return describeExport(exportTaskId).orElseThrow(() -> new TidemarkException(ErrorCode.INTERNAL,
                        "export " + exportTaskId + " started (" + started.status() + ") but is not listed"));
            } catch (SdkException e) {
                TidemarkException mapped = RdsErrors.classify("StartExportTask", "export " + exportTaskId, e);
                if (mapped.error() != ErrorCode.AURORA_EXPORTS_AT_LIMIT) {
                    throw mapped;
                }
                LOGGER.info("export {} queued: {}", exportTaskId, mapped.detail());
                Thread.sleep(pollInterval.toMillis());
            }
        }
    }

    /**
     * Polls until the export ends. A {@code FAILED} export fails with AWS's cause; one that completed with a warning
     * (tables AWS skipped) fails naming them, since a migration never completes without a table it selected.
     */
    ExportTask await(String exportTaskId, Consumer<Progress> progress) throws InterruptedException {
        return await(exportTaskId, progress, () -> false);
    }

    /**
     * As {@link #await(String, Consumer)}, but returns null, leaving the export as it is, once {@code stop} says the
     * user stopped the snapshot: the caller cancels it.
     */
    ExportTask await(String exportTaskId, Consumer<Progress> progress, BooleanSupplier stop)
            throws InterruptedException {
        while (true) {
            if (stop.getAsBoolean()) {
                return null;
            }
            ExportTask t = describeExport(exportTaskId).orElseThrow(() -> new TidemarkException(
                    ErrorCode.RDS_REQUEST_REJECTED, "DescribeExportTasks (export " + exportTaskId + ")",
                    "the export task no longer exists"));
            String status = t.status();
            progress.accept(new Progress(exportTaskId, status, t.percentProgress() == null ? 0 : t.percentProgress(),
                    t.totalExtractedDataInGB() == null ? 0 : t.totalExtractedDataInGB()));
            if (ENDED.contains(status)) {
                return switch (status) {
                    case "FAILED" -> throw new TidemarkException(ErrorCode.AURORA_EXPORT_FAILED, exportTaskId,
                            t.failureCause() == null ? "AWS gave no cause" : t.failureCause());
                    case "CANCELED" -> throw new TidemarkException(ErrorCode.EXPORT_INCOMPLETE,
                            "s3://" + t.s3Bucket() + "/" + t.s3Prefix(), "export " + exportTaskId + " was cancelled");
                    default -> {
                        if (t.warningMessage() != null && !t.warningMessage().isBlank()) {
                            throw new TidemarkException(ErrorCode.EXPORT_INCOMPLETE, "s3://" + t.s3Bucket() + "/"
                                    + t.s3Prefix(), "AWS's export " + exportTaskId + " skipped tables: "
                                    + t.warningMessage());
                        }
                        yield t;
                    }
                };
            }
            Thread.sleep(pollInterval.toMillis());
        }
    }

    /** cancels the export if it still runs; one that ended or never started needs nothing */
    void cancel(String exportTaskId) {
        Optional<ExportTask> t = describeExport(exportTaskId);
        if (t.isPresent() && !ENDED.contains(t.get().status()) && !"CANCELING".equals(t.get().status())) {
            call("CancelExportTask", "export " + exportTaskId,
                    () -> rds.cancelExportTask(r -> r.exportTaskIdentifier(exportTaskId)));
        }
    }

    /**
     * Cancels the export if it still runs and waits until AWS has ended it ({@code CANCELING → CANCELED}): only then
     * are no more files written under its prefix.
     *
     * @return the export's last status, or null when there is no such export
     */
    String cancelAndWait(String exportTaskId) throws InterruptedException {
        cancel(exportTaskId);
        while (true) {
            Optional<ExportTask> t = describeExport(exportTaskId);
            if (t.isEmpty() || ENDED.contains(t.get().status())) {
                String status = t.map(ExportTask::status).orElse(null);
                LOGGER.info("export {} ended: {}", exportTaskId, status == null ? "none was started" : status);
                return status;
            }
            Thread.sleep(pollInterval.toMillis());
        }
    }

    /** deletes the snapshot Tidemark took; one already gone needs nothing */
    void deleteSnapshot(String snapshotId) {
        if (describeSnapshot(snapshotId).isPresent()) {
            call("DeleteDBClusterSnapshot", "snapshot " + snapshotId,
                    () -> rds.deleteDBClusterSnapshot(r -> r.dbClusterSnapshotIdentifier(snapshotId)));
        }
    }

    private Optional<DBClusterSnapshot> describeSnapshot(String snapshotId) {
        try {
            return rds.describeDBClusterSnapshots(r -> r.dbClusterSnapshotIdentifier(snapshotId))
                    .dbClusterSnapshots().stream().findFirst();
        } catch (DbClusterSnapshotNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw RdsErrors.classify("DescribeDBClusterSnapshots", "snapshot " + snapshotId, e);
        }
    }

    private Optional<ExportTask> describeExport(String exportTaskId) {
        try {
            return rds.describeExportTasks(r -> r.exportTaskIdentifier(exportTaskId)).exportTasks().stream()
                    .findFirst();
        } catch (ExportTaskNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw RdsErrors.classify("DescribeExportTasks", "export " + exportTaskId, e);
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
