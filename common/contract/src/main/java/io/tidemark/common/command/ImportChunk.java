package io.tidemark.common.command;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.table.TableRef;

import java.util.Objects;

/**
 * One unit of import work: one data file of one table. Its {@link #messageId()} is the chunk id and its Kafka key;
 * workers checkpoint progress under it in the target's meta schema, so a redelivered chunk resumes, never repeats.
 *
 * @param table       the target table the rows go to (after routing; a SQL file's own INSERTs may name another)
 * @param onDuplicate what a row whose key the target holds does; {@link ImportOptions.OnDuplicate#REPLACE} when null
 *                    (and in a chunk from before the field existed)
 */
public record ImportChunk(String messageId, MigrationId migrationId, long epoch, DatabaseEndpoint target,
                          String location, TableRef table, String file, long sizeBytes,
                          ImportOptions.OnDuplicate onDuplicate) implements Command {
    public ImportChunk {
        Objects.requireNonNull(migrationId, "migrationId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(file, "file");
        onDuplicate = onDuplicate == null ? ImportOptions.OnDuplicate.REPLACE : onDuplicate;
    }

    /** a chunk of a Tidemark migration's own dump: rows replace what the target holds, as TiDB Lightning's do */
    public ImportChunk(String messageId, MigrationId migrationId, long epoch, DatabaseEndpoint target,
                       String location, TableRef table, String file, long sizeBytes) {
        this(messageId, migrationId, epoch, target, location, table, file, sizeBytes,
                ImportOptions.OnDuplicate.REPLACE);
    }

    public static String idFor(MigrationId migration, long epoch, String file) {
        return migration + "/import/e" + epoch + "/" + file;
    }
}
