package io.tidemark.common.command;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.table.ExtractedColumn;
import io.tidemark.common.table.TableRef;

import java.util.List;
import java.util.Objects;

/**
 * One unit of import work: one data file of one table. Its {@link #messageId()} is the chunk id and its Kafka key;
 * workers checkpoint progress under it in the target's meta schema, so a redelivered chunk resumes, never repeats.
 *
 * @param table       the target table the rows go to (after routing; a SQL file's own INSERTs may name another)
 * @param onDuplicate what a row whose key the target holds does; {@link ImportOptions.OnDuplicate#REPLACE} when null
 *                    (and in a chunk from before the field existed)
 * @param rowGroups   the Parquet row groups of the file this chunk imports; null: the whole file (and in a chunk
 *                    from before the field existed)
 * @param byteRange   the bytes of an uncompressed CSV file this chunk imports, cut at row ends; null: the whole file
 *                    (and in a chunk from before the field existed)
 * @param csv         how a CSV file is written; Dumpling's defaults when null (and in a chunk from before the field
 *                    existed)
 */
public record ImportChunk(String messageId, MigrationId migrationId, long epoch, DatabaseEndpoint target,
                          String location, TableRef table, String file, long sizeBytes,
                          ImportOptions.OnDuplicate onDuplicate, RowGroups rowGroups,
                          ByteRange byteRange, CsvFormat csv, List<ExtractedColumn> filled) implements Command {
    public ImportChunk {
        csv = csv == null ? CsvFormat.dumpling() : csv;
        filled = filled == null ? List.of() : List.copyOf(filled);
        Objects.requireNonNull(migrationId, "migrationId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(file, "file");
        onDuplicate = onDuplicate == null ? ImportOptions.OnDuplicate.REPLACE : onDuplicate;
        if (rowGroups != null && byteRange != null) {
            throw new IllegalArgumentException("chunk " + messageId + " has both row groups and a byte range");
        }
    }

    /** rows filling no column of their own route (extract-*) */
    public ImportChunk(String messageId, MigrationId migrationId, long epoch, DatabaseEndpoint target,
                       String location, TableRef table, String file, long sizeBytes,
                       ImportOptions.OnDuplicate onDuplicate, RowGroups rowGroups, ByteRange byteRange,
                       CsvFormat csv) {
        this(messageId, migrationId, epoch, target, location, table, file, sizeBytes, onDuplicate, rowGroups,
                byteRange, csv, null);
    }

    /** a CSV file as Dumpling writes it, or not a CSV file */
    public ImportChunk(String messageId, MigrationId migrationId, long epoch, DatabaseEndpoint target,
                       String location, TableRef table, String file, long sizeBytes,
                       ImportOptions.OnDuplicate onDuplicate, RowGroups rowGroups, ByteRange byteRange) {
        this(messageId, migrationId, epoch, target, location, table, file, sizeBytes, onDuplicate, rowGroups,
                byteRange, null);
    }

    /** the whole file, or a run of its Parquet row groups */
    public ImportChunk(String messageId, MigrationId migrationId, long epoch, DatabaseEndpoint target,
                       String location, TableRef table, String file, long sizeBytes,
                       ImportOptions.OnDuplicate onDuplicate, RowGroups rowGroups) {
        this(messageId, migrationId, epoch, target, location, table, file, sizeBytes, onDuplicate, rowGroups, null);
    }

    /** the whole file */
    public ImportChunk(String messageId, MigrationId migrationId, long epoch, DatabaseEndpoint target,
                       String location, TableRef table, String file, long sizeBytes,
                       ImportOptions.OnDuplicate onDuplicate) {
        this(messageId, migrationId, epoch, target, location, table, file, sizeBytes, onDuplicate, null);
    }

    /** row groups {@code [from, to)} of a Parquet file, counted from 0 as its footer lists them */
    public record RowGroups(int from, int to) {
        public RowGroups {
            if (from < 0 || to <= from) {
                throw new IllegalArgumentException("row groups [" + from + ", " + to + ") is no range");
            }
        }
    }

    /**
     * Bytes {@code [from, to)} of a CSV file: {@code from} is 0 or just after a line feed, {@code to} just after one
     * or the file's end, so no row is cut. Only the range from 0 holds the header line.
     */
    public record ByteRange(long from, long to) {
        public ByteRange {
            if (from < 0 || to <= from) {
                throw new IllegalArgumentException("bytes [" + from + ", " + to + ") is no range");
            }
        }

        public long length() {
            return to - from;
        }
    }

    /** the chunk of bytes {@code range} of {@code file}; its own id, so each checkpoints apart */
    public static String idFor(MigrationId migration, long epoch, String file, ByteRange range) {
        return idFor(migration, epoch, file) + "#bytes-" + range.from() + "-" + (range.to() - 1);
    }

    /** the chunk of row groups {@code rowGroups} of {@code file}; its own id, so each checkpoints apart */
    public static String idFor(MigrationId migration, long epoch, String file, RowGroups rowGroups) {
        return idFor(migration, epoch, file) + "#row-groups-" + rowGroups.from() + "-" + (rowGroups.to() - 1);
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
