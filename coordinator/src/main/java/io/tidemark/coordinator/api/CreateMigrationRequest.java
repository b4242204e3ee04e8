package io.tidemark.coordinator.api;

import java.util.List;

/**
 * The body of {@code POST /api/v1/migrations}, as the user wrote it: nothing is trusted until {@link SpecValidator}
 * has turned it into a spec. Its {@code toString} never shows a password.
 *
 * @param format        modes full and all: {@code sql} (Dumpling's layout, the default) or {@code parquet} (an Aurora
 *                      snapshot export's)
 * @param schemaStorage mode import: where the {@code CREATE TABLE} files are, when not beside the data
 * @param onDuplicate   mode import: {@code replace} (the default), {@code ignore} or {@code error}
 * @param safeMode      modes incremental and all: DM's {@code safe-mode}, true keeps safe mode on always
 * @param safeModeDuration modes incremental and all: DM's {@code safe-mode-duration}, a Go duration such as
 *                      {@code "60s"} (the default) or {@code "1m30s"}; {@code "0s"} turns the window after a start off
 * @param binlogFilters modes incremental and all: DM's binlog event filter rules, in order
 * @param routes        mode incremental: DM's table routing rules
 * @param snapshot      modes full and all: which engine takes the snapshot ({@link SnapshotField})
 * @param checksum      modes that import: {@code required} (the default), {@code optional} or {@code off}, as TiDB
 *                      Lightning's {@code [post-restore] checksum}
 * @param enableGtid    modes incremental and all: DM's source {@code enable-gtid}, replication starts and resumes by
 *                      GTID set (the checkpoint's, else {@code start.gtid}) instead of binlog file and offset
 * @param workerCount   modes incremental and all: DM's {@code syncers.worker-count}, 1 to 64 target sessions applying
 *                      row changes in parallel; absent lets the dm-service choose ({@code tidemark.dm.worker-count})
 */
record CreateMigrationRequest(String name, String mode, Endpoint source, Endpoint target, List<String> filter,
                              String storage, Start start, String targetTables, String format, String schemaStorage,
                              String onDuplicate, Boolean safeMode, String safeModeDuration,
                              List<BinlogFilter> binlogFilters, List<Route> routes, Snapshot snapshot,
                              String checksum, Boolean enableGtid, Integer workerCount) {
    /** a request leaving its worker count to the dm-service */
    CreateMigrationRequest(String name, String mode, Endpoint source, Endpoint target, List<String> filter,
                           String storage, Start start, String targetTables, String format, String schemaStorage,
                           String onDuplicate, Boolean safeMode, String safeModeDuration,
                           List<BinlogFilter> binlogFilters, List<Route> routes, Snapshot snapshot,
                           String checksum, Boolean enableGtid) {
        this(name, mode, source, target, filter, storage, start, targetTables, format, schemaStorage, onDuplicate,
                safeMode, safeModeDuration, binlogFilters, routes, snapshot, checksum, enableGtid, null);
    }

    /** a request verifying its import as the default does */
    CreateMigrationRequest(String name, String mode, Endpoint source, Endpoint target, List<String> filter,
                           String storage, Start start, String targetTables, String format, String schemaStorage,
                           String onDuplicate, Boolean safeMode, String safeModeDuration,
                           List<BinlogFilter> binlogFilters, List<Route> routes, Snapshot snapshot,
                           Boolean enableGtid) {
        this(name, mode, source, target, filter, storage, start, targetTables, format, schemaStorage, onDuplicate,
                safeMode, safeModeDuration, binlogFilters, routes, snapshot, null, enableGtid);
    }

    /** a request resuming by binlog file and offset */
    CreateMigrationRequest(String name, String mode, Endpoint source, Endpoint target, List<String> filter,
                           String storage, Start start, String targetTables, String format, String schemaStorage,
                           String onDuplicate, Boolean safeMode, String safeModeDuration,
                           List<BinlogFilter> binlogFilters, List<Route> routes, Snapshot snapshot) {
        this(name, mode, source, target, filter, storage, start, targetTables, format, schemaStorage, onDuplicate,
                safeMode, safeModeDuration, binlogFilters, routes, snapshot, null);
    }

    /** a request whose snapshot, if any, is Tidemark's own dump */
    CreateMigrationRequest(String name, String mode, Endpoint source, Endpoint target, List<String> filter,
                           String storage, Start start, String targetTables, String format, String schemaStorage,
                           String onDuplicate, Boolean safeMode, String safeModeDuration,
                           List<BinlogFilter> binlogFilters, List<Route> routes) {
        this(name, mode, source, target, filter, storage, start, targetTables, format, schemaStorage, onDuplicate,
                safeMode, safeModeDuration, binlogFilters, routes, null);
    }

    /** a request without routes */
    CreateMigrationRequest(String name, String mode, Endpoint source, Endpoint target, List<String> filter,
                           String storage, Start start, String targetTables, String format, String schemaStorage,
                           String onDuplicate, Boolean safeMode, String safeModeDuration,
                           List<BinlogFilter> binlogFilters) {
        this(name, mode, source, target, filter, storage, start, targetTables, format, schemaStorage, onDuplicate,
                safeMode, safeModeDuration, binlogFilters, null);
    }

    /** a request without binlog event filters */
    CreateMigrationRequest(String name, String mode, Endpoint source, Endpoint target, List<String> filter,
                           String storage, Start start, String targetTables, String format, String schemaStorage,
                           String onDuplicate, Boolean safeMode, String safeModeDuration) {
        this(name, mode, source, target, filter, storage, start, targetTables, format, schemaStorage, onDuplicate,
                safeMode, safeModeDuration, null);
    }

    /** a request without the replication settings, with the snapshot engine */
    CreateMigrationRequest(String name, String mode, Endpoint source, Endpoint target, List<String> filter,
                           String storage, Start start, String targetTables, String format, String schemaStorage,
                           String onDuplicate, Snapshot snapshot) {
        this(name, mode, source, target, filter, storage, start, targetTables, format, schemaStorage, onDuplicate,
                null, null, null, null, snapshot);
    }

    /** a request without the replication settings */
    CreateMigrationRequest(String name, String mode, Endpoint source, Endpoint target, List<String> filter,
                           String storage, Start start, String targetTables, String format, String schemaStorage,
                           String onDuplicate) {
        this(name, mode, source, target, filter, storage, start, targetTables, format, schemaStorage, onDuplicate,
                (Snapshot) null);
    }

    /** a request of the fields every mode knows */
    CreateMigrationRequest(String name, String mode, Endpoint source, Endpoint target, List<String> filter,
                           String storage, Start start, String targetTables) {
        this(name, mode, source, target, filter, storage, start, targetTables, null, null, null);
    }


    /**
     * {@code "snapshot": {"engine": "aurora-export" | "aurora-restore", …}}: the fields as written;
     * {@link SnapshotField} checks them. {@code s3}, {@code iamRole} and {@code kmsKey} are aurora-export's;
     * {@code instanceClass}, {@code subnetGroup}, {@code securityGroups}, {@code clusterParameterGroup} and
     * {@code keepRestored} aurora-restore's.
     */
    record Snapshot(String engine, String cluster, String region, String s3, String iamRole, String kmsKey,
                    String snapshotArn, Boolean keepSnapshot, String instanceClass, String subnetGroup,
                    List<String> securityGroups, String clusterParameterGroup, Boolean keepRestored) {
        /** a snapshot without aurora-restore's fields */
        Snapshot(String engine, String cluster, String region, String s3, String iamRole, String kmsKey,
                 String snapshotArn, Boolean keepSnapshot) {
            this(engine, cluster, region, s3, iamRole, kmsKey, snapshotArn, keepSnapshot, null, null, null, null,
                    null);
        }
    }

    /** @param tls TLS to this database, or null for none ({@link Tls}) */
    record Endpoint(String host, Integer port, String user, String password, Tls tls) {
        Endpoint(String host, Integer port, String user, String password) {
            this(host, port, user, password, null);
        }

        @Override
        public String toString() {
            return user + "@" + host + ":" + port;
        }
    }

    /**
     * An endpoint's TLS: {@code mode} disabled, preferred, required, verify-ca or verify-full; {@code ca} and
     * {@code cert} PEM text or absolute paths on the services' hosts; {@code key} the same (sealed on arrival).
     */
    record Tls(String mode, String ca, String cert, String key) {
        @Override
        public String toString() {
            return "tls " + mode; // never the key
        }
    }

    /** one rule of DM's {@code routes} */
    record Route(String schemaPattern, String tablePattern, String targetSchema, String targetTable,
                 Extract extractTable, Extract extractSchema, Extract extractSource, String source) {
    }

    /** DM's extract-table, extract-schema, extract-source: the regexp over the name, and the column it fills */
    record Extract(String regexp, String targetColumn) {
    }

    /** one rule of DM's {@code filters}: {@code action} is Ignore, Do or Error */
    record BinlogFilter(String schemaPattern, String tablePattern, List<String> events, List<String> sqlPattern,
                        String action) {
    }

    /** DM's task {@code meta}: where incremental replication starts */
    record Start(String file, Long pos, String gtid) {
    }
}
