package io.tidemark.common.command;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.table.TableRef;

import java.util.Objects;

/**
 * One unit of import work: one data file of one table. Its {@link #messageId()} is the chunk id and its Kafka key;
 * workers checkpoint progress under it in the target's meta schema, so a redelivered chunk resumes, never repeats.
 */
public record ImportChunk(String messageId, MigrationId migrationId, long epoch, DatabaseEndpoint target,
                          String location, TableRef table, String file, long sizeBytes) implements Command {
    public ImportChunk {
        Objects.requireNonNull(migrationId, "migrationId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(file, "file");
    }

    public static String idFor(MigrationId migration, long epoch, String file) {
        return migration + "/import/e" + epoch + "/" + file;
    }
}
