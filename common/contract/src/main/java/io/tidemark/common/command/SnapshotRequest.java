package io.tidemark.common.command;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.position.BinlogPosition;

import java.util.List;
import java.util.Objects;

/**
 * Dump the tables the filter selects from the source to {@code location} in Dumpling's layout, recording the
 * binlog position before and after.
 *
 * @param location      the directory of this dump (storage URI)
 * @param threads       tables dumped at once
 * @param fileSizeBytes a data file is closed and the next one started past this size (Dumpling {@code --filesize})
 * @param format        how data files are written; {@link DumpFormat#SQL} when null (and in a request from before
 *                      the field existed)
 * @param auroraExport  the snapshot is an Aurora snapshot export driven through the RDS API instead of a dump; null =
 *                      a dump (and in a request from before the field existed)
 * @param auroraRestore the snapshot is dumped from an Aurora cluster restored from a snapshot, and its position is the
 *                      restore's crash-recovery point in production's binlog; null = not (and in a request from
 *                      before the field existed). At most one of {@code auroraExport} and {@code auroraRestore}
 * @param desired       the same desired-state signal as a replication task's: {@code stopped} is the user's stop of
 *                      this epoch's snapshot (a running Aurora export is cancelled and its snapshot deleted, nothing
 *                      is imported); null = running (and in a request from before the field existed)
 * @param start         engine aurora-export of an existing {@code snapshotArn}: the binlog position that snapshot holds,
 *                      as the user read it ({@code SHOW MASTER STATUS} just before taking it; spec {@code start}),
 *                      where replication starts; null in every other case (mode full needs none)
 */
public record SnapshotRequest(String messageId, MigrationId migrationId, long epoch, DatabaseEndpoint source,
                              List<String> filter, String location, int threads, long fileSizeBytes,
                              DumpFormat format, AuroraExport auroraExport,
                              ReplicationTask.Desired desired, AuroraRestore auroraRestore, BinlogPosition start)
        implements Command {
    public SnapshotRequest {
        Objects.requireNonNull(migrationId, "migrationId");
        Objects.requireNonNull(source, "source");
        filter = List.copyOf(filter);
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        if (fileSizeBytes < 1024) {
            throw new IllegalArgumentException("fileSizeBytes must be at least 1024, was " + fileSizeBytes);
        }
        format = format == null ? DumpFormat.SQL : format;
        desired = desired == null ? ReplicationTask.Desired.RUNNING : desired;
        if (auroraExport != null && auroraRestore != null) {
            throw new IllegalArgumentException("a snapshot is an Aurora export or an Aurora restore, not both");
        }
        if (start != null && (auroraExport == null || auroraExport.takesSnapshot())) {
            // a snapshot Tidemark takes or dumps records its own position: a given one would contradict it
            throw new IllegalArgumentException("start is only for the export of an existing snapshot (snapshotArn)");
        }
    }

    /** a snapshot that is no export of an existing Aurora snapshot */
    public SnapshotRequest(String messageId, MigrationId migrationId, long epoch, DatabaseEndpoint source,
                           List<String> filter, String location, int threads, long fileSizeBytes,
                           DumpFormat format, AuroraExport auroraExport, ReplicationTask.Desired desired,
                           AuroraRestore auroraRestore) {
        this(messageId, migrationId, epoch, source, filter, location, threads, fileSizeBytes, format, auroraExport,
                desired, auroraRestore, null);
    }

    /** a snapshot that is no Aurora restore */
    public SnapshotRequest(String messageId, MigrationId migrationId, long epoch, DatabaseEndpoint source,
                           List<String> filter, String location, int threads, long fileSizeBytes,
                           DumpFormat format, AuroraExport auroraExport, ReplicationTask.Desired desired) {
        this(messageId, migrationId, epoch, source, filter, location, threads, fileSizeBytes, format, auroraExport,
                desired, null);
    }

    /** a snapshot to run */
    public SnapshotRequest(String messageId, MigrationId migrationId, long epoch, DatabaseEndpoint source,
                           List<String> filter, String location, int threads, long fileSizeBytes,
                           DumpFormat format, AuroraExport auroraExport) {
        this(messageId, migrationId, epoch, source, filter, location, threads, fileSizeBytes, format, auroraExport,
                ReplicationTask.Desired.RUNNING);
    }

    /** a dump, by Tidemark itself, in the given format */
    public SnapshotRequest(String messageId, MigrationId migrationId, long epoch, DatabaseEndpoint source,
                           List<String> filter, String location, int threads, long fileSizeBytes, DumpFormat format) {
        this(messageId, migrationId, epoch, source, filter, location, threads, fileSizeBytes, format, null);
    }

    /** a dump in Dumpling's SQL layout */
    public SnapshotRequest(String messageId, MigrationId migrationId, long epoch, DatabaseEndpoint source,
                           List<String> filter, String location, int threads, long fileSizeBytes) {
        this(messageId, migrationId, epoch, source, filter, location, threads, fileSizeBytes, DumpFormat.SQL);
    }

    public static String idFor(MigrationId migration, long epoch) {
        return migration + "/snapshot/e" + epoch;
    }

    /** whether this is the user's stop of the snapshot rather than the snapshot to run */
    public boolean stopRequested() {
        return desired == ReplicationTask.Desired.STOPPED;
    }

    /** the stop of this request's snapshot: the same work, desired stopped, under an id of its own */
    public SnapshotRequest stopped() {
        return new SnapshotRequest(stopIdFor(migrationId, epoch), migrationId, epoch, source, filter, location,
                threads, fileSizeBytes, format, auroraExport, ReplicationTask.Desired.STOPPED, auroraRestore, start);
    }

    public static String stopIdFor(MigrationId migration, long epoch) {
        return idFor(migration, epoch) + "/stop";
    }
}
