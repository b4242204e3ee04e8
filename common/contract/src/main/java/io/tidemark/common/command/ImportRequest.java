package io.tidemark.common.command;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.table.TableRef;

import java.util.List;
import java.util.Objects;

/**
 * Import the files at {@code location} into the target: the planner creates schemas and splits the data files into
 * {@link ImportChunk}s for the worker group. The files are a Tidemark or Dumpling dump (SQL, CSV), or an Aurora
 * snapshot export (Parquet), told apart by their layout.
 *
 * @param tables  the tables to import, named as in the files (before {@link ImportOptions#routes()}); empty: every
 *                table the files hold
 * @param options how to read and write; {@link ImportOptions#defaults()} when null (and in a request from before the
 *                field existed)
 */
public record ImportRequest(String messageId, MigrationId migrationId, long epoch, DatabaseEndpoint target,
                            String location, List<TableRef> tables, ImportOptions options) implements Command {
    public ImportRequest {
        Objects.requireNonNull(migrationId, "migrationId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(location, "location");
        tables = List.copyOf(tables);
        options = options == null ? ImportOptions.defaults() : options;
    }

    /** the import of a Tidemark migration's own dump */
    public ImportRequest(String messageId, MigrationId migrationId, long epoch, DatabaseEndpoint target,
                         String location, List<TableRef> tables) {
        this(messageId, migrationId, epoch, target, location, tables, ImportOptions.defaults());
    }

    public static String idFor(MigrationId migration, long epoch) {
        return migration + "/import/e" + epoch;
    }
}
