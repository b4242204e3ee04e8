package io.tidemark.coordinator.api;

import java.util.List;

/**
 * The body of {@code POST /api/v1/migrations}, as the user wrote it: nothing is trusted until {@link SpecValidator}
 * has turned it into a spec. Its {@code toString} never shows a password.
 */
record CreateMigrationRequest(String name, String mode, Endpoint source, Endpoint target, List<String> filter,
                              String storage, Start start, String targetTables) {

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
