package io.tidemark.coordinator.verify;

import java.util.List;

/**
 * What {@code tidemark verify} answers: per migrated table whether source and target hold the same rows, and every
 * chunk that differs.
 *
 * @param migration the migration verified
 * @param position  the source position replication had applied before the comparison ({@code FILE:POS})
 * @param locked    whether the source tables were read-locked from reading the position to the last chunk
 * @param equal     every table equal
 * @param tables    each migrated table, in source name order
 */
public record VerifyReport(String migration, String position, boolean locked, boolean equal,
                           List<TableReport> tables) {
    public VerifyReport {
        tables = List.copyOf(tables);
    }

    static VerifyReport of(String migration, String position, boolean locked, List<TableReport> tables) {
        return new VerifyReport(migration, position, locked, tables.stream().allMatch(TableReport::equal), tables);
    }
}
