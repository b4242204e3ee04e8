package io.tidemark.coordinator.api;

import io.tidemark.coordinator.config.GoDuration;

import io.tidemark.common.command.BinlogFilterRule;
import io.tidemark.common.command.AuroraExport;
import io.tidemark.common.command.DumpFormat;
import io.tidemark.common.command.RouteRule;
import io.tidemark.common.command.ImportOptions;
import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.command.SafeMode;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.endpoint.TlsSettings;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.migration.Mode;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.table.TableFilter;
import io.tidemark.coordinator.migration.ImportSource;
import io.tidemark.coordinator.migration.ImportChecksum;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.coordinator.migration.TargetTableSetup;
import io.tidemark.mysql.position.GtidSet;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a request into a {@link MigrationSpec}, rejecting the first bad field with a catalog error whose message
 * names the field, and sealing passwords and the keys in storage locations before anything else sees them.
 */
final class SpecValidator {
    /** what Dumpling selects by default: every non-system table */
    static final List<String> DEFAULT_FILTER = List.of("*.*");
    private static final int MAX_NAME = 200;

    private final SecretBox secrets;

    SpecValidator(SecretBox secrets) {
        this.secrets = secrets;
    }

    MigrationSpec validate(CreateMigrationRequest request) {
        if (request == null) {
            throw invalid("the request body is empty; send a JSON object with name, mode, source, target");
        }
        String name = request.name();
        if (name == null || name.isBlank()) {
            throw invalid("name is missing; give the migration a name, e.g. \"orders-to-tidb\"");
        }
        if (name.length() > MAX_NAME) {
            throw invalid("name is " + name.length() + " characters long, at most " + MAX_NAME + " are allowed");
        }
        if (request.mode() == null || request.mode().isBlank()) {
            throw invalid("mode is missing; use one of full, incremental, all, import");
        }
        Mode mode = Mode.of(request.mode());
        if (!mode.readsSource() && request.source() != null) {
            throw invalid("mode " + mode.code() + " reads no source database; remove source");
        }
        DatabaseEndpoint source = mode.readsSource() ? endpoint("source", request.source()) : null;
        DatabaseEndpoint target = endpoint("target", request.target());
        List<String> filter = filter(request.filter());
        SnapshotField.Engine engine = SnapshotField.parse(mode, request.snapshot(), request.storage());
        AuroraExport auroraExport = engine.export();
        // an Aurora export's files are read where AWS wrote them unless storage adds the services' parameters
        String storage = auroraExport != null && request.storage() == null ? auroraExport.s3()
                : mode.snapshots() || mode == Mode.IMPORT ? storage(mode, request.storage())
                : StorageField.optional(request.storage(), secrets);
        BinlogPosition start = auroraExport != null ? auroraStart(mode, auroraExport, request.start())
                : start(mode, request.start());
        TargetTableSetup targetTables = request.targetTables() == null ? TargetTableSetup.CREATE
                : TargetTableSetup.of(request.targetTables());
        DumpFormat format = auroraExport != null ? auroraFormat(request.format()) : format(mode, request.format());
        if (engine.restore() != null && Boolean.TRUE.equals(request.enableGtid())) {
            // the restore's crash-recovery event is the only point known, and it names a file and an offset
            throw invalid("enableGtid cannot start replication with snapshot.engine aurora-restore: Aurora logs the"
                    + " restore's \"Binlog position from crash recovery\" as a binlog file and offset, no GTID set;"
                    + " leave enableGtid out (replication resumes by file and offset)");
        }
        List<RouteRule> routes = routes(mode, request.routes());
        if (format == DumpFormat.PARQUET && routes.stream().anyMatch(RouteRule::extracts)) {
            throw invalid("routes fill columns (extractTable, extractSchema, extractSource), which a Parquet snapshot"
                    + " (format parquet, engine aurora-export) does not write yet; dump as sql or csv, or leave"
                    + " the extract rules out");
        }
        return new MigrationSpec(name.strip(), mode, source, target, filter, storage, start, targetTables,
                format, imports(mode, request), safeMode(mode, request),
                binlogFilters(mode, request.binlogFilters()), routes, auroraExport,
                checksum(mode, request.checksum()), enableGtid(mode, request.enableGtid()), engine.restore(),
                workerCount(mode, request.workerCount()));
    }

    /** modes that import: Lightning's {@code [post-restore] checksum} levels */
    private static ImportChecksum checksum(Mode mode, String checksum) {
        if (checksum == null) {
            return null;
        }
        if (!mode.imports()) {
            throw invalid("checksum is only for modes full, all and import, which import tables; mode "
                    + mode.code() + " imports nothing, so leave checksum out");
        }
        return ImportChecksum.of(checksum);
    }

    /** DM's syncers.worker-count: only where replication runs, within what a target and a service can take */
    private static Integer workerCount(Mode mode, Integer workerCount) {
        if (workerCount == null) {
            return null;
        }
        if (!mode.replicates()) {
            throw invalid("workerCount is only for modes incremental and all; mode " + mode.code()
                    + " replicates nothing, so leave workerCount out");
        }
        if (workerCount < 1 || workerCount > ReplicationTask.MAX_WORKER_COUNT) {
            throw invalid("workerCount is " + workerCount + "; use 1 (every change on one session, in binlog order) to "
                    + ReplicationTask.MAX_WORKER_COUNT + " (parallel sessions, changes of one key in order), or"
                    + " leave it out for the dm-service's tidemark.dm.worker-count");
        }
        return workerCount;
    }

    /** DM's enable-gtid: only where replication runs, which then starts and resumes by GTID set */
    private static boolean enableGtid(Mode mode, Boolean enableGtid) {
        if (Boolean.TRUE.equals(enableGtid) && !mode.replicates()) {
            throw invalid("enableGtid is only for modes incremental and all; mode " + mode.code()
                    + " replicates nothing, so leave enableGtid out");
        }
        return Boolean.TRUE.equals(enableGtid);
    }

    /**
     * Modes incremental, full and all: DM's routes, applied by replication and by the import of the snapshot (each
     * dumped table imported under its routed name). Rules may merge tables into one (DM's shard merge): the shards'
     * dumps are imported into the one table, their row changes replicated into it; a DDL on it stops replication
     * (SHARD_DDL_NOT_IMPLEMENTED). Mode import routes by its files' own {@code [[routes]]}.
     */
    private static List<RouteRule> routes(Mode mode, List<CreateMigrationRequest.Route> routes) {
        if (routes == null) {
            return List.of();
        }
        if (!mode.readsSource()) {
            throw invalid("routes are for modes incremental, full and all, which read a source; mode " + mode.code()
                    + " imports files, whose TiDB Lightning configuration routes them ([[routes]]), so leave"
                    + " routes out");
        }
        List<RouteRule> out = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            CreateMigrationRequest.Route r = routes.get(i);
            if (r == null) {
                throw invalid("routes[" + i + "] is null; give an object with schemaPattern and targetSchema");
            }
            try {
                out.add(new RouteRule(r.schemaPattern(), r.tablePattern(), r.targetSchema(), r.targetTable(),
                        extract(r.extractTable()), extract(r.extractSchema()), extract(r.extractSource()), r.source()));
            } catch (IllegalArgumentException e) {
                throw invalid("routes[" + i + "]." + e.getMessage());
            }
        }
        return out;
    }

    private static RouteRule.Extract extract(CreateMigrationRequest.Extract e) {
        return e == null ? null : new RouteRule.Extract(e.regexp(), e.targetColumn());
    }

    /** modes that replicate: DM's binlog event filter rules, each checked whole (event names, regexes, action) */
    private static List<BinlogFilterRule> binlogFilters(Mode mode, List<CreateMigrationRequest.BinlogFilter> rules) {
        if (rules == null) {
            return List.of();
        }
        if (!mode.replicates()) {
            throw invalid("binlogFilters is only for modes incremental and all, which replicate the binlog; mode "
                    + mode.code() + " replicates nothing, so leave binlogFilters out");
        }
        List<BinlogFilterRule> out = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            CreateMigrationRequest.BinlogFilter r = rules.get(i);
            if (r == null) {
                throw invalid("binlogFilters[" + i + "] is null; give an object with schemaPattern, events, action");
            }
            try {
                out.add(new BinlogFilterRule(r.schemaPattern(), r.tablePattern(), r.events(), r.sqlPattern(),
                        BinlogFilterRule.Action.of(r.action())));
            } catch (IllegalArgumentException e) {
                throw invalid("binlogFilters[" + i + "]." + e.getMessage());
            }
        }
        return out;
    }

    /** modes that replicate: DM's safe-mode and safe-mode-duration, each defaulting as DM's */
    private static SafeMode safeMode(Mode mode, CreateMigrationRequest request) {
        if (!mode.replicates()) {
            for (String field : new String[]{request.safeMode() != null ? "safeMode" : null,
                    request.safeModeDuration() != null ? "safeModeDuration" : null}) {
                if (field != null) {
                    throw invalid(field + " is only for modes incremental and all, which replicate the binlog; mode "
                            + mode.code() + " replicates nothing, so leave " + field + " out");
                }
            }
            return null;
        }
        boolean always = Boolean.TRUE.equals(request.safeMode());
        String duration = request.safeModeDuration();
        if (duration == null || duration.isBlank()) {
            return SafeMode.of(always, SafeMode.DM_DEFAULT.afterStart());
        }
        try {
            return SafeMode.of(always, GoDuration.parse(duration));
        } catch (IllegalArgumentException e) {
            throw invalid("safeModeDuration \"" + duration + "\" " + e.getMessage() + "; write a duration as DM does,"
                    + " e.g. \"60s\" (the default), \"1m30s\" or \"0s\" (no safe mode after a start)");
        }
    }

    /** AWS exports Parquet only */
    private static DumpFormat auroraFormat(String format) {
        if (format != null && DumpFormat.of(format) != DumpFormat.PARQUET) {
            throw invalid("format " + format + " cannot be written by snapshot.engine aurora-export, which AWS"
                    + " exports as Parquet; leave format out or use engine dump");
        }
        return DumpFormat.PARQUET;
    }

    /**
     * A snapshot Tidemark takes is bracketed by two positions it records, so no start; an existing snapshotArn holds
     * an unknown point, so mode all must be told where replication starts.
     */
    private static BinlogPosition auroraStart(Mode mode, AuroraExport export, CreateMigrationRequest.Start start) {
        if (export.takesSnapshot() || !mode.replicates()) {
            return start(mode, start);
        }
        if (start == null) {
            throw invalid("start is missing; mode all with snapshot.snapshotArn replicates from the binlog position"
                    + " the snapshot holds, which Tidemark cannot know: give \"start\": {\"file\", \"pos\"} as"
                    + " SHOW MASTER STATUS on the writer answered just before the snapshot was taken (or the"
                    + " \"Binlog position from crash recovery\" event of a cluster restored from it); or use mode"
                    + " full, which needs no position; or leave snapshotArn out so that Tidemark takes the snapshot"
                    + " and records the position itself");
        }
        return start(Mode.INCREMENTAL, start);
    }

    /** modes full and all: how their snapshot writes table data */
    private static DumpFormat format(Mode mode, String format) {
        if (format == null) {
            return null;
        }
        if (!mode.snapshots()) {
            throw invalid("format is only for modes full and all, whose snapshot it shapes (\"sql\": Dumpling's"
                    + " files, \"parquet\": an Aurora snapshot export's); mode " + mode.code() + " dumps nothing,"
                    + " so leave format out");
        }
        return DumpFormat.of(format);
    }

    /**
     * Mode import: where the schema files are and what a duplicate key does; its tables are found in the files
     * afterwards ({@link ImportTables}). The fields are refused in the other modes, whose import is of their own dump.
     */
    private ImportSource imports(Mode mode, CreateMigrationRequest request) {
        if (mode != Mode.IMPORT) {
            for (String field : new String[]{request.schemaStorage() != null ? "schemaStorage" : null,
                    request.onDuplicate() != null ? "onDuplicate" : null}) {
                if (field != null) {
                    throw invalid(field + " is only for mode import, which imports files exported already; mode "
                            + mode.code() + " imports its own dump, so leave " + field + " out");
                }
            }
            return null;
        }
        String schemaStorage = StorageField.optional("schemaStorage", request.schemaStorage(), secrets);
        ImportOptions.OnDuplicate onDuplicate = request.onDuplicate() == null ? ImportOptions.OnDuplicate.REPLACE
                : ImportOptions.OnDuplicate.of(request.onDuplicate());
        return new ImportSource(schemaStorage, onDuplicate, List.of(), List.of(), List.of());
    }

    private DatabaseEndpoint endpoint(String field, CreateMigrationRequest.Endpoint e) {
        if (e == null) {
            throw invalid(field + " is missing; give {\"host\", \"port\", \"user\", \"password\"}");
        }
        if (e.host() == null || e.host().isBlank()) {
            throw invalid(field + ".host is missing");
        }
        if (e.port() == null) {
            throw invalid(field + ".port is missing; MySQL listens on 3306, TiDB on 4000");
        }
        if (e.port() < 1 || e.port() > 65535) {
            throw invalid(field + ".port " + e.port() + " is not in 1..65535");
        }
        if (e.user() == null || e.user().isBlank()) {
            throw invalid(field + ".user is missing");
        }
        // an account without a password is legal in MySQL; a missing field means that, not an error
        CreateMigrationRequest.Tls t = e.tls();
        return new DatabaseEndpoint(e.host().strip(), e.port(), e.user(),
                secrets.seal(e.password() == null ? "" : e.password()),
                t == null ? TlsSettings.DISABLED : TlsFields.settings(field + ".tls", t.mode(), t.ca(), t.cert(),
                        t.key(), secrets));
    }

    private static List<String> filter(List<String> rules) {
        if (rules == null) {
            return DEFAULT_FILTER;
        }
        try {
            return TableFilter.parse(rules).rules();
        } catch (TidemarkException e) {
            throw new FieldException("filter", e);
        }
    }

    private String storage(Mode mode, String location) {
        if (location == null || location.isBlank()) {
            throw invalid(mode == Mode.IMPORT
                    ? "storage is missing; mode import reads the files to import from it, e.g."
                    + " \"s3://my-bucket/aurora-export?region=us-east-1\" or \"/data/dumpling-export\""
                    : "storage is missing; mode full and all dump to it, e.g. \"file:///var/lib/tidemark/dumps\" or"
                    + " \"s3://my-bucket/dumps?region=us-east-1\"");
        }
        return StorageField.optional(location, secrets);
    }

    private static BinlogPosition start(Mode mode, CreateMigrationRequest.Start start) {
        if (start == null) {
            return null;
        }
        if (mode != Mode.INCREMENTAL) {
            throw invalid("start is only for mode incremental; mode " + mode.code() + (mode.replicates()
                    ? " starts replication where its own snapshot began" : " replicates nothing")
                    + ", so leave start out");
        }
        if (start.file() == null || start.file().isBlank()) {
            throw invalid("start.file is missing; give the binlog file, e.g. \"mysql-bin.000003\" from SHOW MASTER STATUS");
        }
        if (start.pos() == null) {
            throw invalid("start.pos is missing; give the binlog offset from SHOW MASTER STATUS");
        }
        if (start.pos() < 4) {
            throw invalid("start.pos " + start.pos() + " is before the first event of a binlog file (4)");
        }
        if (start.gtid() != null && !start.gtid().isBlank()) {
            // TM-30030 naming what is wrong: a set that only fails at the source would fail the task after it began
            GtidSet.parse(start.gtid());
        }
        return BinlogPosition.of(start.file().strip(), start.pos(), start.gtid());
    }

    private static TidemarkException invalid(String detail) {
        return new TidemarkException(ErrorCode.INVALID_SPEC, detail);
    }
}
