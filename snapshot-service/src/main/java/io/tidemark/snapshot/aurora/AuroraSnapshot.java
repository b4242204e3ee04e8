package io.tidemark.snapshot.aurora;

import io.tidemark.common.command.AuroraExport;
import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.storage.Storage;
import io.tidemark.common.table.TableFilter;
import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.flavor.Flavor;
import io.tidemark.mysql.position.BinlogPositions;
import io.tidemark.mysql.precheck.source.SourceFacts;
import io.tidemark.snapshot.dump.DumpPrechecks;
import io.tidemark.snapshot.dump.SchemaFiles;
import io.tidemark.snapshot.dump.Source;
import io.tidemark.snapshot.dump.SourceSessions;
import io.tidemark.snapshot.parquet.ExportLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;

import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Engine aurora-export: the snapshot is an Aurora cluster snapshot that AWS exports to S3 as Parquet, bracketed by two
 * binlog positions of the writer. In order: the dump's prechecks and a writer-session check, position 1 (kept in
 * {@link ExportStart} before anything is asked of AWS), the tables' {@code CREATE} statements in Dumpling's
 * {@code --no-data} layout (the SQL dump's {@link SchemaFiles}), the cluster snapshot, position 2 once it is available,
 * the export into the request's location ({@code <location>/<export id>/<db>/<db>.<table>/…}, which the import reads
 * as an Aurora export), then the snapshot deleted unless kept. Replicating from position 1 in safe mode until position
 * 2 covers every write the snapshot may or may not hold. Names are derived from the migration and epoch
 * ({@link AwsNames}), so a redelivered request re-attaches to its snapshot and export. A snapshot the user names
 * ({@code snapshotArn}) is exported as it is, never taken nor deleted here: position 1 is then the one the user read
 * before taking it (the request's {@code start}; mode full has none and uses the writer's present one), position 2
 * the writer's once the snapshot is found available. AWS's progress goes to the {@link ExportListener} whenever it
 * changes. Stateless.
 */
public final class AuroraSnapshot {
    private static final Logger LOGGER = LoggerFactory.getLogger(AuroraSnapshot.class);

    /** how a run ended: the export is complete, or the user stopped it */
    public sealed interface Outcome permits Result, Stopped {
    }

    /** what the export holds and where the binlog stands around it */
    public record Result(BinlogPosition start, BinlogPosition end, List<TableRef> tables, String exportTask)
            implements Outcome {
        public Result {
            tables = List.copyOf(tables);
        }
    }

    /**
     * The user stopped the snapshot: its export, if one was started, has ended ({@code CANCELED}, or whatever it had
     * reached first), so no more files appear under the location.
     *
     * @param exportTask      the export task that was cancelled; null when none had been started
     * @param snapshotDeleted whether the cluster snapshot is gone (false when the spec keeps it)
     */
    public record Stopped(String exportTask, boolean snapshotDeleted) implements Outcome {
    }

    private final RdsProperties properties;
    private final AwsCredentialsProvider credentials;

    public AuroraSnapshot(RdsProperties properties, AwsCredentialsProvider credentials) {
        this.properties = properties;
        this.credentials = credentials;
    }

    /**
     * @param storage the request's location, opened: the schema files go there and AWS writes the export below it
     * @throws InterruptedException the wait was stopped (the request is redelivered and re-attaches); the AWS task
     *                              goes on
     * @param stop    whether the user stopped the snapshot; looked at once the snapshot is available and at every poll
     *                of the export, and then the export is cancelled and the snapshot deleted as {@link #stop} does
     */
    public Outcome run(SnapshotRequest request, Source source, SourceSessions sessions, Storage storage,
                       ExportListener listener, BooleanSupplier stop) throws InterruptedException {
        AuroraExport export = request.auroraExport();
        AuroraExport target = exportInto(export, storage.root());
        String snapshotId = snapshotId(request);
        String exportId = AwsNames.exportTaskId(request.migrationId(), request.epoch());
        SourceFacts checked = DumpPrechecks.run(source, sessions, TableFilter.parse(request.filter()));
        Flavor flavor = checked.flavor();
        List<TableRef> tables = checked.tables().value().selected();
        List<String> exportOnly;
        BinlogPosition start;
        try (SourceSessions.Session session = sessions.open(source)) {
            Connection c = session.connection();
            BinlogPosition now = writerPosition(source, c, flavor);
            start = ExportStart.read(storage, request.messageId()).map(ExportStart::start).orElse(null);
            if (start == null) {
                clearOtherExports(storage, exportId);
                // a snapshot the user took holds the position the user read just before it (mode all gives it);
                // mode full replicates nothing, so the writer's present position only marks the export
                start = request.start() != null ? request.start() : now;
                // kept before the snapshot is asked for: a restart re-attaching to it must not take a later position
                new ExportStart(request.messageId(), snapshotId, start).write(storage);
            } else {
                LOGGER.info("re-attaching to snapshot {}: replication starts at {} recorded before it", snapshotId,
                        start);
            }
            listener.started(start, tables);
            SchemaFiles.write(source, c, storage, tables);
            exportOnly = ExportOnly.of(tables, baseTables(source, c, tables)).orElseGet(() -> {
                LOGGER.info("a selected name has characters AWS's ExportOnly refuses: exporting the whole cluster;"
                        + " the import takes only the selected tables");
                return List.of();
            });
        }
        try (RdsClient rds = RdsClients.create(properties, properties.regionOf(export), credentials)) {
            ExportDriver driver = new ExportDriver(rds, properties.pollInterval());
            DBClusterSnapshot snapshot = export.takesSnapshot() ? driver.snapshot(export.cluster(), snapshotId)
                    : driver.existingSnapshot(export.snapshotArn());
            BinlogPosition end;
            try (SourceSessions.Session session = sessions.open(source)) {
                // after the snapshot is available: every write it may hold is before here
                end = writerPosition(source, session.connection(), flavor);
            }
            LOGGER.info("snapshot {} available, between {} and {}", snapshotId, start, end);
            try {
                try (SourceSessions.Session session = sessions.open(source)) {
                    // before anything is exported: a schema file that no longer matches its data must not be
                    SchemaWindow.check(source, session.connection(), start, end, tables);
                }
                if (stop.getAsBoolean()) {
                    return stopped(driver, export, snapshotId, exportId);
                }
                driver.start(exportId, snapshot.dbClusterSnapshotArn(), target, exportOnly);
                if (driver.await(exportId, changes(listener), stop) == null) {
                    return stopped(driver, export, snapshotId, exportId);
                }
            } catch (TidemarkException e) {
                if (!e.retriable() && deletesSnapshot(export)) {
                    // the attempt is over (a retry takes a snapshot of its own): this one would only cost money
                    deleteQuietly(driver, snapshotId, e);
                }
                throw e;
            }
            if (deletesSnapshot(export)) {
                // the export's files hold the data now; a snapshot left over costs storage every month
                driver.deleteSnapshot(snapshotId);
            }
            return new Result(start, end, tables, exportId);
        }
    }

    /**
     * The user's stop of a request's snapshot, by the names derived from its migration and epoch: cancels its export
     * and waits until AWS has ended it, then deletes the snapshot unless the spec keeps it. Idempotent: what is
     * already cancelled or deleted needs nothing, so a redelivered stop changes nothing.
     */
    public Stopped stop(SnapshotRequest request) throws InterruptedException {
        AuroraExport export = request.auroraExport();
        try (RdsClient rds = RdsClients.create(properties, properties.regionOf(export), credentials)) {
            return stopped(new ExportDriver(rds, properties.pollInterval()), export, snapshotId(request),
                    AwsNames.exportTaskId(request.migrationId(), request.epoch()));
        }
    }

    private static Stopped stopped(ExportDriver driver, AuroraExport export, String snapshotId, String exportId)
            throws InterruptedException {
        LOGGER.info("the snapshot is stopped: cancelling export {}", exportId);
        String status = driver.cancelAndWait(exportId);
        boolean deleted = false;
        if (deletesSnapshot(export)) {
            // nothing will be exported from it any more: kept, it would only cost storage every month
            driver.deleteSnapshot(snapshotId);
            deleted = true;
        }
        return new Stopped(status == null ? null : exportId, deleted);
    }

    /**
     * AWS's progress to the listener, each value once: the export is polled every few seconds for hours, and a status
     * event per poll would only repeat itself on a public topic
     */
    private static Consumer<ExportDriver.Progress> changes(ExportListener listener) {
        AtomicReference<ExportDriver.Progress> last = new AtomicReference<>();
        return p -> {
            if (!p.equals(last.getAndSet(p))) {
                LOGGER.info("export {}: {} {}% ({} GB extracted)", p.exportTask(), p.status(), p.percent(),
                        p.extractedGb());
                listener.exportProgressed(p.exportTask(), p.status(), p.percent(), p.extractedGb());
            }
        };
    }

    /** the snapshot Tidemark takes for the request, named by its migration and epoch; or the one the user named */
    private static String snapshotId(SnapshotRequest request) {
        AuroraExport export = request.auroraExport();
        return export.takesSnapshot() ? AwsNames.snapshotId(request.migrationId(), request.epoch())
                : export.snapshotArn();
    }

    /** only a snapshot Tidemark took is ever deleted, and only when the spec does not keep it */
    private static boolean deletesSnapshot(AuroraExport export) {
        return export.takesSnapshot() && !export.keepSnapshot();
    }

    private static void deleteQuietly(ExportDriver driver, String snapshotId, TidemarkException cause) {
        try {
            driver.deleteSnapshot(snapshotId);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            LOGGER.warn("snapshot {} of the failed export could not be deleted; delete it in the RDS console: {}",
                    snapshotId, e.getMessage());
        }
    }

    /**
     * The export's S3 destination: the request's location, so that AWS writes below where the import reads. The spec
     * keeps that location on the export's bucket.
     */
    static AuroraExport exportInto(AuroraExport export, URI root) {
        if (!"s3".equals(root.getScheme()) || !export.bucket().equals(root.getAuthority())) {
            throw new TidemarkException(ErrorCode.INVALID_SPEC, "the snapshot location " + root + " is not on the"
                    + " export's bucket s3://" + export.bucket() + "; give storage on that bucket, or leave it out");
        }
        String prefix = root.getPath() == null ? "" : root.getPath().replaceAll("^/+|/+$", "");
        return new AuroraExport(export.cluster(), export.region(), export.bucket(), prefix, export.iamRole(),
                export.kmsKey(), export.snapshotArn(), export.keepSnapshot());
    }

    /**
     * The writer's binlog position. An Aurora reader answers {@code SHOW MASTER STATUS} with no row, like a server
     * with binary logging off; being read-only tells the two apart, so the error says which endpoint to use.
     */
    static BinlogPosition writerPosition(Source source, Connection c, Flavor flavor) {
        try {
            return BinlogPositions.current(c, flavor, source.endpoint().describe());
        } catch (TidemarkException e) {
            if (e.error() == ErrorCode.BINLOG_DISABLED && readOnly(source, c)) {
                throw new TidemarkException(ErrorCode.AURORA_READER_ENDPOINT, source.endpoint().describe());
            }
            throw e;
        } catch (SQLException e) {
            throw source.failed(e, flavor.binlogStatusStatement());
        }
    }

    private static boolean readOnly(Source source, Connection c) {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT @@global.innodb_read_only, @@global.read_only")) {
            return rs.next() && (rs.getInt(1) == 1 || rs.getInt(2) == 1);
        } catch (SQLException e) {
            throw source.failed(e, "reading innodb_read_only and read_only");
        }
    }

    /** every base table of the selected tables' schemas: a schema selected whole is named whole in ExportOnly */
    private static List<TableRef> baseTables(Source source, Connection c, List<TableRef> selected) {
        Set<String> schemas = new TreeSet<>();
        selected.forEach(t -> schemas.add(t.schema()));
        List<TableRef> all = new ArrayList<>();
        String sql = "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?"
                + " AND TABLE_TYPE = 'BASE TABLE'";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (String schema : schemas) {
                ps.setString(1, schema);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        all.add(new TableRef(schema, rs.getString(1)));
                    }
                }
            }
        } catch (SQLException e) {
            throw source.failed(e, "listing the tables of " + schemas);
        }
        return all;
    }

    /**
     * An export of an earlier attempt under the same location would be imported beside this one (every table twice):
     * its files go, this export's own (a re-attach) stay.
     */
    private static void clearOtherExports(Storage storage, String exportId) {
        try {
            for (String file : storage.walk("").keySet()) {
                if (ExportLayout.isExportFile(file) && !file.startsWith(exportId + "/")) {
                    storage.delete(file);
                }
            }
        } catch (IOException e) {
            throw new TidemarkException(ErrorCode.STORAGE_IO, e, storage.root(), "clearing an earlier export: "
                    + e.getMessage());
        }
    }
}
