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
 * @param snapshot      modes full and all: which engine takes the snapshot ({@link SnapshotField})
 */
record CreateMigrationRequest(String name, String mode, Endpoint source, Endpoint target, List<String> filter,
                              String storage, Start start, String targetTables, String format, String schemaStorage,
                              String onDuplicate, Snapshot snapshot) {
    /** a request of the fields every mode knows */
    CreateMigrationRequest(String name, String mode, Endpoint source, Endpoint target, List<String> filter,
                           String storage, Start start, String targetTables) {
        this(name, mode, source, target, filter, storage, start, targetTables, null, null, null);
    }

    /** a request whose snapshot, if any, is Tidemark's own dump */
    CreateMigrationRequest(String name, String mode, Endpoint source, Endpoint target, List<String> filter,
                           String storage, Start start, String targetTables, String format, String schemaStorage,
                           String onDuplicate) {
        this(name, mode, source, target, filter, storage, start, targetTables, format, schemaStorage, onDuplicate,
                null);
    }

    /** {@code "snapshot": {"engine": "aurora-export", …}}: the fields as written; {@link SnapshotField} checks them */
    record Snapshot(String engine, String cluster, String region, String s3, String iamRole, String kmsKey,
                    String snapshotArn, Boolean keepSnapshot) {
    }

    record Endpoint(String host, Integer port, String user, String password) {
        @Override
        public String toString() {
            return user + "@" + host + ":" + port;
        }
    }

    /** DM's task {@code meta}: where incremental replication starts */
    record Start(String file, Long pos, String gtid) {
    }
}
