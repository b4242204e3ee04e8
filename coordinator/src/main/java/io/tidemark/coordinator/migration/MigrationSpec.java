package io.tidemark.coordinator.migration;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.migration.Mode;
import io.tidemark.common.position.BinlogPosition;

import java.util.List;
import java.util.Objects;

/**
 * What the user asked for, validated, with passwords already sealed: safe to persist and to put into commands.
 *
 * @param storage the normalized storage URI dumps go under; null for mode incremental
 * @param start        mode incremental only: where replication starts (DM's task {@code meta}); null = the
 *                     source's current position
 * @param targetTables who creates the target tables; {@link TargetTableSetup#CREATE} when not given (and in a spec
 *                     stored before the field existed)
 */
public record MigrationSpec(String name, Mode mode, DatabaseEndpoint source, DatabaseEndpoint target,
                            List<String> filter, String storage, BinlogPosition start,
                            TargetTableSetup targetTables) {
    public MigrationSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        filter = List.copyOf(filter);
        targetTables = targetTables == null ? TargetTableSetup.CREATE : targetTables;
    }
}
