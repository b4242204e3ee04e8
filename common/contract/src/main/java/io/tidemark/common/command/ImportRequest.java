package io.tidemark.common.command;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.table.TableRef;

import java.util.List;
import java.util.Objects;

/**
 * Import the dump at {@code location} into the target: the planner creates schemas and splits the data files into
 * {@link ImportChunk}s for the worker group.
 */
public record ImportRequest(String messageId, MigrationId migrationId, long epoch, DatabaseEndpoint target,
                            String location, List<TableRef> tables) implements Command {
    public ImportRequest {
        Objects.requireNonNull(migrationId, "migrationId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(location, "location");
        tables = List.copyOf(tables);
    }

    public static String idFor(MigrationId migration, long epoch) {
        return migration + "/import/e" + epoch;
    }
}
