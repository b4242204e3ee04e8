package io.tidemark.coordinator.migration;

import io.tidemark.common.command.BinlogFilterRule;
import io.tidemark.common.command.AuroraExport;
import io.tidemark.common.command.AuroraRestore;
import io.tidemark.common.command.DumpFormat;
import io.tidemark.common.command.RouteRule;
import io.tidemark.common.command.SafeMode;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.migration.Mode;
import io.tidemark.common.position.BinlogPosition;

import java.util.List;
import java.util.Objects;

/**
 * What the user asked for, validated, with passwords already sealed: safe to persist and to put into commands.
 *
 * @param source       null for mode {@code import}, which reads files, not a database
 * @param storage      the normalized storage URI: where dumps go (modes full and all), where the files to import are
 *                     (mode import); null for mode incremental
 * @param start        mode incremental only: where replication starts (DM's task {@code meta}); null = the
 *                     source's current position
 * @param targetTables who creates the target tables; {@link TargetTableSetup#CREATE} when not given (and in a spec
 *                     stored before the field existed)
 * @param format       how the snapshot writes table data (modes full and all; {@link DumpFormat#SQL} when not
 *                     given); null in the other modes
 * @param imports      mode import only: what is imported from the files at {@code storage}; null in the other modes
 * @param safeMode     modes that replicate: DM's safe mode settings ({@link SafeMode#DM_DEFAULT} when not given, and
 *                     in a spec stored before the field existed); null in the other modes
 * @param binlogFilters modes that replicate: DM's binlog event filter rules, in order; empty when none
 * @param routes       modes incremental, full and all: DM's table routing rules, applied by replication and (modes
 *                     full and all) by the import of the snapshot; empty when none
 * @param auroraExport modes full and all: the snapshot is an Aurora snapshot export driven through the RDS API
 *                     (spec {@code "snapshot": {"engine": "aurora-export"}}); null = Tidemark's own dump (engine
 *                     {@code dump}, and every spec stored before the field existed). With an existing
 *                     {@code snapshotArn} in mode all, {@code start} says where replication starts, as nothing
 *                     brackets that snapshot
 * @param checksum     modes that import: what the verification of the imported tables does
 *                     ({@link ImportChecksum#REQUIRED} when not given, and in a spec stored before the field existed);
 *                     null in mode incremental
 * @param enableGtid   modes that replicate: DM's {@code enable-gtid}, replication starts and resumes by GTID set;
 *                     false when not given (and in a spec stored before the field existed)
 * @param auroraRestore modes full and all: the snapshot is dumped from an Aurora cluster restored for it (spec
 *                     {@code "snapshot": {"engine": "aurora-restore"}}), and mode all replicates from production at the
 *                     restore's crash-recovery position; null = not (and every spec stored before the field existed)
 * @param relaySourceId modes that replicate: the DM source whose relay topic replication reads instead of the
 *                     source's binlog (a DM task of a source with {@code enable-relay: true}, or whose relay was
 *                     started); null = the source itself (and every spec stored before the field existed)
 * @param task         the DM task this migration is one source of (set by start-task, never by a posted spec): the
 *                     migrations of one task may share the target tables their routes merge (several sources into
 *                     one table); null for a migration of its own
 * @param workerCount  modes that replicate: DM's {@code syncers.worker-count}, the target sessions applying row changes
 *                     in parallel; null lets the dm-service choose (and in a spec stored before the field existed)
 */
public record MigrationSpec(String name, Mode mode, DatabaseEndpoint source, DatabaseEndpoint target,
                            List<String> filter, String storage, BinlogPosition start,
                            TargetTableSetup targetTables, DumpFormat format, ImportSource imports,
                            SafeMode safeMode, List<BinlogFilterRule> binlogFilters, List<RouteRule> routes,
                            AuroraExport auroraExport, ImportChecksum checksum, Boolean enableGtid,
                            AuroraRestore auroraRestore, String relaySourceId, String task,
                            Boolean shardPessimistic, Integer workerCount) {
    public MigrationSpec {
        shardPessimistic = Boolean.TRUE.equals(shardPessimistic);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        if (mode.readsSource()) {
            Objects.requireNonNull(source, "source");
        } else if (source != null) {
            throw new IllegalArgumentException("mode " + mode.code() + " reads no source database");
        }
        Objects.requireNonNull(target, "target");
        filter = List.copyOf(filter);
        targetTables = targetTables == null ? TargetTableSetup.CREATE : targetTables;
        format = mode.snapshots() && format == null ? DumpFormat.SQL : mode.snapshots() ? format : null;
        if (mode == Mode.IMPORT) {
            Objects.requireNonNull(storage, "storage");
            imports = imports == null ? new ImportSource(null, null, null, null, null) : imports;
        } else {
            imports = null;
        }
        safeMode = !mode.replicates() ? null : safeMode == null ? SafeMode.DM_DEFAULT : safeMode;
        binlogFilters = binlogFilters == null || !mode.replicates() ? List.of() : List.copyOf(binlogFilters);
        routes = routes == null ? List.of() : List.copyOf(routes);
        if (!routes.isEmpty() && !mode.readsSource()) {
            throw new IllegalArgumentException("routes of mode " + mode.code() + " are its files' [[routes]]");
        }
        if (auroraExport != null && !mode.snapshots()) {
            throw new IllegalArgumentException("mode " + mode.code() + " takes no snapshot to export");
        }
        if (auroraRestore != null && (!mode.snapshots() || auroraExport != null)) {
            throw new IllegalArgumentException("mode " + mode.code() + " with engine aurora-restore: only modes full"
                    + " and all take a snapshot, and it is either an Aurora export or an Aurora restore");
        }
        checksum = !mode.imports() ? null : checksum == null ? ImportChecksum.REQUIRED : checksum;
        // boxed only so that a spec stored before the field existed reads (Jackson maps absent to null)
        enableGtid = Boolean.TRUE.equals(enableGtid);
        if (enableGtid && !mode.replicates()) {
            throw new IllegalArgumentException("mode " + mode.code() + " replicates nothing to resume by GTID");
        }
        if (relaySourceId != null && !mode.replicates()) {
            throw new IllegalArgumentException("mode " + mode.code() + " replicates nothing to read from a relay");
        }
        if (workerCount != null && !mode.replicates()) {
            throw new IllegalArgumentException("mode " + mode.code() + " replicates nothing to apply with workers");
        }
    }

    /**
     * A migration of its own (not one source of a DM task), replicating, if at all, from the source's own binlog, with
     * {@code workerCount} apply workers (null: as many as its dm-service chooses)
     */
    public MigrationSpec(String name, Mode mode, DatabaseEndpoint source, DatabaseEndpoint target,
                         List<String> filter, String storage, BinlogPosition start, TargetTableSetup targetTables,
                         DumpFormat format, ImportSource imports, SafeMode safeMode,
                         List<BinlogFilterRule> binlogFilters, List<RouteRule> routes, AuroraExport auroraExport,
                         ImportChecksum checksum, Boolean enableGtid, AuroraRestore auroraRestore,
                         Integer workerCount) {
        this(name, mode, source, target, filter, storage, start, targetTables, format, imports, safeMode,
                binlogFilters, routes, auroraExport, checksum, enableGtid, auroraRestore, null, null, false,
                workerCount);
    }

    /** a migration of its own, replicating, if at all, from the source's binlog with the dm-service's worker count */
    public MigrationSpec(String name, Mode mode, DatabaseEndpoint source, DatabaseEndpoint target,
                         List<String> filter, String storage, BinlogPosition start, TargetTableSetup targetTables,
                         DumpFormat format, ImportSource imports, SafeMode safeMode,
                         List<BinlogFilterRule> binlogFilters, List<RouteRule> routes, AuroraExport auroraExport,
                         ImportChecksum checksum, Boolean enableGtid, AuroraRestore auroraRestore) {
        this(name, mode, source, target, filter, storage, start, targetTables, format, imports, safeMode,
                binlogFilters, routes, auroraExport, checksum, enableGtid, auroraRestore, null, null, false, null);
    }

    /** a spec whose snapshot is no Aurora restore */
    public MigrationSpec(String name, Mode mode, DatabaseEndpoint source, DatabaseEndpoint target,
                         List<String> filter, String storage, BinlogPosition start, TargetTableSetup targetTables,
                         DumpFormat format, ImportSource imports, SafeMode safeMode,
                         List<BinlogFilterRule> binlogFilters, List<RouteRule> routes, AuroraExport auroraExport,
                         ImportChecksum checksum, Boolean enableGtid) {
        this(name, mode, source, target, filter, storage, start, targetTables, format, imports, safeMode,
                binlogFilters, routes, auroraExport, checksum, enableGtid, null);
    }

    /** a spec replicating, if at all, by binlog file and offset */
    public MigrationSpec(String name, Mode mode, DatabaseEndpoint source, DatabaseEndpoint target,
                         List<String> filter, String storage, BinlogPosition start, TargetTableSetup targetTables,
                         DumpFormat format, ImportSource imports, SafeMode safeMode,
                         List<BinlogFilterRule> binlogFilters, List<RouteRule> routes, AuroraExport auroraExport,
                         ImportChecksum checksum) {
        this(name, mode, source, target, filter, storage, start, targetTables, format, imports, safeMode,
                binlogFilters, routes, auroraExport, checksum, false);
    }

    /** a spec whose import, if any, is verified as Lightning's default does (required) */
    public MigrationSpec(String name, Mode mode, DatabaseEndpoint source, DatabaseEndpoint target,
                         List<String> filter, String storage, BinlogPosition start, TargetTableSetup targetTables,
                         DumpFormat format, ImportSource imports, SafeMode safeMode,
                         List<BinlogFilterRule> binlogFilters, List<RouteRule> routes, AuroraExport auroraExport,
                         Boolean enableGtid) {
        this(name, mode, source, target, filter, storage, start, targetTables, format, imports, safeMode,
                binlogFilters, routes, auroraExport, null, enableGtid);
    }

    /** a spec verifying its import as Lightning's default does and replicating by binlog file and offset */
    public MigrationSpec(String name, Mode mode, DatabaseEndpoint source, DatabaseEndpoint target,
                         List<String> filter, String storage, BinlogPosition start, TargetTableSetup targetTables,
                         DumpFormat format, ImportSource imports, SafeMode safeMode,
                         List<BinlogFilterRule> binlogFilters, List<RouteRule> routes, AuroraExport auroraExport) {
        this(name, mode, source, target, filter, storage, start, targetTables, format, imports, safeMode,
                binlogFilters, routes, auroraExport, null, false);
    }

    /** a spec whose snapshot, if any, is Tidemark's own dump */
    public MigrationSpec(String name, Mode mode, DatabaseEndpoint source, DatabaseEndpoint target,
                         List<String> filter, String storage, BinlogPosition start, TargetTableSetup targetTables,
                         DumpFormat format, ImportSource imports, SafeMode safeMode,
                         List<BinlogFilterRule> binlogFilters, List<RouteRule> routes) {
        this(name, mode, source, target, filter, storage, start, targetTables, format, imports, safeMode,
                binlogFilters, routes, null);
    }

    /** a spec without routes */
    public MigrationSpec(String name, Mode mode, DatabaseEndpoint source, DatabaseEndpoint target,
                         List<String> filter, String storage, BinlogPosition start, TargetTableSetup targetTables,
                         DumpFormat format, ImportSource imports, SafeMode safeMode,
                         List<BinlogFilterRule> binlogFilters) {
        this(name, mode, source, target, filter, storage, start, targetTables, format, imports, safeMode,
                binlogFilters, List.of());
    }

    /** a spec with DM's default safe mode where it replicates */
    public MigrationSpec(String name, Mode mode, DatabaseEndpoint source, DatabaseEndpoint target,
                         List<String> filter, String storage, BinlogPosition start, TargetTableSetup targetTables,
                         DumpFormat format, ImportSource imports) {
        this(name, mode, source, target, filter, storage, start, targetTables, format, imports, null, List.of(),
                List.of());
    }

    /** a spec of mode full, incremental or all, its snapshot in Dumpling's SQL layout */
    public MigrationSpec(String name, Mode mode, DatabaseEndpoint source, DatabaseEndpoint target,
                         List<String> filter, String storage, BinlogPosition start, TargetTableSetup targetTables) {
        this(name, mode, source, target, filter, storage, start, targetTables, null, null);
    }

    /** the same spec importing the tables resolved from its files */
    public MigrationSpec withImports(ImportSource resolved) {
        return new MigrationSpec(name, mode, source, target, filter, storage, start, targetTables, format, resolved,
                safeMode, binlogFilters, routes, auroraExport, checksum, enableGtid, auroraRestore, relaySourceId, task,
                shardPessimistic, workerCount);
    }

    /** the same spec replicating from the relay of DM source {@code sourceId} (null: from the source itself) */
    public MigrationSpec withRelay(String sourceId) {
        return new MigrationSpec(name, mode, source, target, filter, storage, start, targetTables, format, imports,
                safeMode, binlogFilters, routes, auroraExport, checksum, enableGtid, auroraRestore, sourceId, task,
                shardPessimistic, workerCount);
    }

    /** the same spec as one source of the DM task {@code taskName}, with its shard-mode pessimistic or none */
    public MigrationSpec withTask(String taskName, boolean pessimistic) {
        return new MigrationSpec(name, mode, source, target, filter, storage, start, targetTables, format, imports,
                safeMode, binlogFilters, routes, auroraExport, checksum, enableGtid, auroraRestore, relaySourceId,
                taskName, pessimistic, workerCount);
    }

    /** whether this spec and {@code other} are two sources of one DM task, which may share merged tables */
    public boolean sameTask(MigrationSpec other) {
        return task != null && task.equals(other.task());
    }

    /**
     * The target tables the migration writes, as filter rules: the filter itself, as source and target names are the
     * same, except for an import, whose routed tables are named exactly (they are known from its files), and for
     * routes, whose targets are added to the filter: every table a route may write to counts, so two migrations
     * that may write one table are caught (in doubt, they may).
     */
    public List<String> targetFilter() {
        if (imports != null && !imports.tables().isEmpty()) {
            return imports.targetRules();
        }
        if (routes.isEmpty()) {
            return filter;
        }
        List<String> rules = new java.util.ArrayList<>(filter);
        for (RouteRule r : routes) {
            rules.add("`" + r.targetSchema().replace("`", "``") + "`." + (r.targetTable() != null
                    ? "`" + r.targetTable().replace("`", "``") + "`" : r.tablePattern() != null ? r.tablePattern() : "*"));
        }
        return rules;
    }
}
