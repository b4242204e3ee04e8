package io.tidemark.common.command;

import com.fasterxml.jackson.annotation.JsonValue;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.position.TablePoint;
import io.tidemark.common.shard.ShardDdl;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The desired state of one replication task (DM's Sync unit), on a compacted topic keyed by task id: the dm-service
 * instance that is assigned the key's partition owns the task. A new owner resumes from the checkpoint on the target
 * and fences the old one out through the checkpoint's epoch.
 *
 * @param start        where to start when the target has no checkpoint yet; null means the source's current
 *                     position (DM's incremental task without {@code meta})
 * @param safeModeExit replay in safe mode (INSERT→REPLACE, UPDATE→DELETE+REPLACE) until past this position, where
 *                     the snapshot is known complete; null when no snapshot overlaps
 * @param serverId     the replica server id this task presents to the source
 * @param tablePoints  each table's exact snapshot point (DM's table point): the table's events before it are already
 *                     in the dump and are skipped; empty where the snapshot has none
 * @param safeMode     DM's safe mode settings, on top of the {@code safeModeExit} window; a message written before
 *                     the field existed reads as {@link SafeMode#DM_DEFAULT}
 * @param binlogFilters DM's binlog event filter rules, in the order written; empty when none (and in a message
 *                     written before the field existed)
 * @param routes       DM's table routing rules; empty when none (and in a message written before the field existed)
 * @param binlogOperation DM's {@code binlog skip|replace} for the event the task stopped on; null when none (and in a
 *                     message written before the field existed)
 * @param enableGtid   DM's {@code enable-gtid}: start and resume by the checkpoint's GTID set rather than its file and
 *                     offset, which survives a failover to a server whose binlog files are named otherwise; false in a
 *                     message written before the field existed
 * @param relaySourceId DM's {@code enable-relay}: the source-id whose relay topic the task reads instead of the
 *                     source's binlog (so a checkpoint the source already purged still resumes); null to read the source
 *                     itself (and in a message written before the field existed)
 * @param shardPessimistic DM's {@code shard-mode: pessimistic}: a shard's DDL on a merged table waits for the other
 *                     shards' instead of stopping the task; false in a message written before the field existed
 * @param shardDdlsGo  the coordinator's word on shard DDLs every shard of their table reached: which to run on the
 *                     target and which to pass over; empty when none (and in a message written before the field)
 * @param workerCount  DM's {@code syncers.worker-count}: how many target sessions apply the task's row changes in
 *                     parallel (changes of one key stay in order on one); null lets the dm-service choose
 *                     ({@code tidemark.dm.worker-count}), as in a message written before the field existed
 */
public record ReplicationTask(String messageId, MigrationId migrationId, long epoch, Desired desired,
                              DatabaseEndpoint source, DatabaseEndpoint target, List<String> filter,
                              BinlogPosition start, BinlogPosition safeModeExit, long serverId,
                              List<TablePoint> tablePoints, SafeMode safeMode,
                              List<BinlogFilterRule> binlogFilters, List<RouteRule> routes,
                              BinlogOperation binlogOperation, Boolean enableGtid, String relaySourceId,
                              Boolean shardPessimistic, List<ShardDdl.Go> shardDdlsGo, Integer workerCount)
        implements Command {
    /** each worker is a target session and a thread: a bound that keeps a typo from opening thousands */
    public static final int MAX_WORKER_COUNT = 64;

    public ReplicationTask {
        Objects.requireNonNull(migrationId, "migrationId");
        Objects.requireNonNull(desired, "desired");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        filter = List.copyOf(filter);
        tablePoints = tablePoints == null ? List.of() : List.copyOf(tablePoints);
        safeMode = safeMode == null ? SafeMode.DM_DEFAULT : safeMode;
        binlogFilters = binlogFilters == null ? List.of() : List.copyOf(binlogFilters);
        routes = routes == null ? List.of() : List.copyOf(routes);
        // boxed only so that a message written before the field existed reads (Jackson maps absent to null)
        enableGtid = Boolean.TRUE.equals(enableGtid);
        shardPessimistic = Boolean.TRUE.equals(shardPessimistic);
        shardDdlsGo = shardDdlsGo == null ? List.of() : List.copyOf(shardDdlsGo);
        if (workerCount != null && (workerCount < 1 || workerCount > MAX_WORKER_COUNT)) {
            throw new IllegalArgumentException("workerCount is " + workerCount + "; use 1 to " + MAX_WORKER_COUNT);
        }
    }

    /** a task whose shard DDLs, if any, stop it (no shard-mode), and whose dm-service chooses its worker count */
    public ReplicationTask(String messageId, MigrationId migrationId, long epoch, Desired desired,
                           DatabaseEndpoint source, DatabaseEndpoint target, List<String> filter,
                           BinlogPosition start, BinlogPosition safeModeExit, long serverId,
                           List<TablePoint> tablePoints, SafeMode safeMode,
                           List<BinlogFilterRule> binlogFilters, List<RouteRule> routes,
                           BinlogOperation binlogOperation, Boolean enableGtid, String relaySourceId) {
        this(messageId, migrationId, epoch, desired, source, target, filter, start, safeModeExit, serverId,
                tablePoints, safeMode, binlogFilters, routes, binlogOperation, enableGtid, relaySourceId, false,
                List.of(), null);
    }

    /** the same task with DM's shard-mode pessimistic ({@code pessimistic}) and the shard DDLs it may pass */
    public ReplicationTask withShardDdls(boolean pessimistic, List<ShardDdl.Go> go) {
        return new ReplicationTask(messageId, migrationId, epoch, desired, source, target, filter, start, safeModeExit,
                serverId, tablePoints, safeMode, binlogFilters, routes, binlogOperation, enableGtid, relaySourceId,
                pessimistic, go, workerCount);
    }

    /** a task that reads the source's binlog itself */
    public ReplicationTask(String messageId, MigrationId migrationId, long epoch, Desired desired,
                           DatabaseEndpoint source, DatabaseEndpoint target, List<String> filter,
                           BinlogPosition start, BinlogPosition safeModeExit, long serverId,
                           List<TablePoint> tablePoints, SafeMode safeMode,
                           List<BinlogFilterRule> binlogFilters, List<RouteRule> routes,
                           BinlogOperation binlogOperation, Boolean enableGtid) {
        this(messageId, migrationId, epoch, desired, source, target, filter, start, safeModeExit, serverId,
                tablePoints, safeMode, binlogFilters, routes, binlogOperation, enableGtid, null);
    }

    /** a task resumed by file and offset */
    public ReplicationTask(String messageId, MigrationId migrationId, long epoch, Desired desired,
                           DatabaseEndpoint source, DatabaseEndpoint target, List<String> filter,
                           BinlogPosition start, BinlogPosition safeModeExit, long serverId,
                           List<TablePoint> tablePoints, SafeMode safeMode,
                           List<BinlogFilterRule> binlogFilters, List<RouteRule> routes,
                           BinlogOperation binlogOperation) {
        this(messageId, migrationId, epoch, desired, source, target, filter, start, safeModeExit, serverId,
                tablePoints, safeMode, binlogFilters, routes, binlogOperation, false);
    }

    /** a task without a binlog operation */
    public ReplicationTask(String messageId, MigrationId migrationId, long epoch, Desired desired,
                           DatabaseEndpoint source, DatabaseEndpoint target, List<String> filter,
                           BinlogPosition start, BinlogPosition safeModeExit, long serverId,
                           List<TablePoint> tablePoints, SafeMode safeMode,
                           List<BinlogFilterRule> binlogFilters, List<RouteRule> routes) {
        this(messageId, migrationId, epoch, desired, source, target, filter, start, safeModeExit, serverId,
                tablePoints, safeMode, binlogFilters, routes, null);
    }

    /** a task without routes */
    public ReplicationTask(String messageId, MigrationId migrationId, long epoch, Desired desired,
                           DatabaseEndpoint source, DatabaseEndpoint target, List<String> filter,
                           BinlogPosition start, BinlogPosition safeModeExit, long serverId,
                           List<TablePoint> tablePoints, SafeMode safeMode, List<BinlogFilterRule> binlogFilters) {
        this(messageId, migrationId, epoch, desired, source, target, filter, start, safeModeExit, serverId,
                tablePoints, safeMode, binlogFilters, List.of());
    }

    /** a task without binlog event filters */
    public ReplicationTask(String messageId, MigrationId migrationId, long epoch, Desired desired,
                           DatabaseEndpoint source, DatabaseEndpoint target, List<String> filter,
                           BinlogPosition start, BinlogPosition safeModeExit, long serverId,
                           List<TablePoint> tablePoints, SafeMode safeMode) {
        this(messageId, migrationId, epoch, desired, source, target, filter, start, safeModeExit, serverId,
                tablePoints, safeMode, List.of(), List.of());
    }

    /** a task with DM's default safe mode */
    public ReplicationTask(String messageId, MigrationId migrationId, long epoch, Desired desired,
                           DatabaseEndpoint source, DatabaseEndpoint target, List<String> filter,
                           BinlogPosition start, BinlogPosition safeModeExit, long serverId,
                           List<TablePoint> tablePoints) {
        this(messageId, migrationId, epoch, desired, source, target, filter, start, safeModeExit, serverId,
                tablePoints, SafeMode.DM_DEFAULT, List.of(), List.of());
    }

    /** the same task with other safe mode settings */
    public ReplicationTask withSafeMode(SafeMode settings) {
        return new ReplicationTask(messageId, migrationId, epoch, desired, source, target, filter, start, safeModeExit,
                serverId, tablePoints, settings, binlogFilters, routes, binlogOperation, enableGtid, relaySourceId,
                shardPessimistic, shardDdlsGo, workerCount);
    }

    /** the same task with other binlog event filter rules */
    public ReplicationTask withBinlogFilters(List<BinlogFilterRule> rules) {
        return new ReplicationTask(messageId, migrationId, epoch, desired, source, target, filter, start, safeModeExit,
                serverId, tablePoints, safeMode, rules, routes, binlogOperation, enableGtid, relaySourceId,
                shardPessimistic, shardDdlsGo, workerCount);
    }

    /** the same task with other routes */
    public ReplicationTask withRoutes(List<RouteRule> rules) {
        return new ReplicationTask(messageId, migrationId, epoch, desired, source, target, filter, start, safeModeExit,
                serverId, tablePoints, safeMode, binlogFilters, rules, binlogOperation, enableGtid, relaySourceId,
                shardPessimistic, shardDdlsGo, workerCount);
    }

    /** the same task with another binlog operation (null: none) */
    public ReplicationTask withBinlogOperation(BinlogOperation operation) {
        return new ReplicationTask(messageId, migrationId, epoch, desired, source, target, filter, start, safeModeExit,
                serverId, tablePoints, safeMode, binlogFilters, routes, operation, enableGtid, relaySourceId,
                shardPessimistic, shardDdlsGo, workerCount);
    }

    /** the same task resumed by GTID set (true) or by file and offset (false) */
    public ReplicationTask withEnableGtid(boolean gtid) {
        return new ReplicationTask(messageId, migrationId, epoch, desired, source, target, filter, start, safeModeExit,
                serverId, tablePoints, safeMode, binlogFilters, routes, binlogOperation, gtid, relaySourceId,
                shardPessimistic, shardDdlsGo, workerCount);
    }

    /** the same task with another worker count (null: the dm-service's own) */
    public ReplicationTask withWorkerCount(Integer count) {
        return new ReplicationTask(messageId, migrationId, epoch, desired, source, target, filter, start, safeModeExit,
                serverId, tablePoints, safeMode, binlogFilters, routes, binlogOperation, enableGtid, relaySourceId,
                shardPessimistic, shardDdlsGo, count);
    }

    /** the same task reading the relay of source {@code sourceId} (null: the source itself) */
    public ReplicationTask withRelay(String sourceId) {
        return new ReplicationTask(messageId, migrationId, epoch, desired, source, target, filter, start, safeModeExit,
                serverId, tablePoints, safeMode, binlogFilters, routes, binlogOperation, enableGtid, sourceId,
                shardPessimistic, shardDdlsGo, workerCount);
    }

    /** a task without table points (incremental mode, or a snapshot that had none) */
    public ReplicationTask(String messageId, MigrationId migrationId, long epoch, Desired desired,
                           DatabaseEndpoint source, DatabaseEndpoint target, List<String> filter,
                           BinlogPosition start, BinlogPosition safeModeExit, long serverId) {
        this(messageId, migrationId, epoch, desired, source, target, filter, start, safeModeExit, serverId, List.of());
    }

    /** one task per migration for now; the id leaves room for shards (DM's one task per source) */
    public static String idFor(MigrationId migration) {
        return migration + "/replication";
    }

    public enum Desired {
        RUNNING, STOPPED;

        @JsonValue
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
