package io.tidemark.common.layout;

import io.tidemark.common.table.TableRef;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A file of an import's layout compressed as a whole in a way Tidemark's import does not read, told by its name: a
 * Dumpling data or schema file ({@link DumpLayout}) ending in a compression TiDB Lightning knows and Tidemark does not
 * read ({@code .lz4}, {@code .xz}, {@code .lzo}) or one neither reads ({@code .bz2}, {@code .br}, {@code .lzma}), or a
 * Parquet file in an export's table folder ({@link ExportLayout}) compressed as a whole under any suffix, since Parquet
 * is read from its footer and compresses its pages inside the file. No layout reads such a file, so without this its
 * table would be left out of an import, or imported short, without a word: lightning-service and the coordinator
 * refuse it by this one rule.
 *
 * @param path        the file as listed
 * @param compression the suffix as written, e.g. {@code lz4}
 * @param table       the table the file belongs to; for a {@code CREATE DATABASE} file the database with an empty table
 * @param holds       what the file holds, for a message: "the rows of `db`.`t`"
 */
public record UnreadableCompression(String path, String compression, TableRef table, String holds) {
    private static final Set<String> UNREAD = Set.of("lz4", "xz", "lzo", "bz2", "br", "lzma");
    /** whole-file compressions the import reads for Dumpling's files, never for Parquet */
    private static final Set<String> READ = Set.of("gz", "gzip", "zst", "zstd", "snappy");
    private static final String PARQUET = ".parquet";

    /** the file's unreadable compression and table, or empty when its name says none (or it is no layout's file) */
    public static Optional<UnreadableCompression> of(String path) {
        int dot = path.lastIndexOf('.');
        if (dot < 0 || dot < path.lastIndexOf('/')) {
            return Optional.empty();
        }
        String suffix = path.substring(dot + 1);
        String word = suffix.toLowerCase(Locale.ROOT);
        String inner = path.substring(0, dot);
        if (inner.toLowerCase(Locale.ROOT).endsWith(PARQUET) && (UNREAD.contains(word) || READ.contains(word))) {
            return ExportLayout.tableFolderOf(path).map(f -> new UnreadableCompression(path, suffix, f.table(),
                    "the rows of " + f.table() + " (a Parquet file)"));
        }
        if (!UNREAD.contains(word)) {
            return Optional.empty();
        }
        Optional<TableRef> rows = DumpLayout.parseDataFile(inner).map(DumpLayout.DataFile::table);
        if (rows.isPresent()) {
            return Optional.of(new UnreadableCompression(path, suffix, rows.get(), "the rows of " + rows.get()));
        }
        Optional<TableRef> created = DumpLayout.parseTableSchemaFile(inner);
        if (created.isPresent()) {
            return Optional.of(new UnreadableCompression(path, suffix, created.get(), "the CREATE TABLE of "
                    + created.get()));
        }
        return DumpLayout.parseSchemaCreateFile(inner).map(db -> new UnreadableCompression(path, suffix,
                TableRef.of(db, ""), "the CREATE DATABASE of " + TableRef.quote(db)));
    }

    /** whether it is a Parquet file of an export's table folder (else one of Dumpling's files) */
    public boolean parquet() {
        return path.substring(0, path.length() - compression.length() - 1).toLowerCase(Locale.ROOT).endsWith(PARQUET);
    }

    /** whether it is the {@code CREATE DATABASE} file of {@link #table()}'s database */
    public boolean createsDatabase() {
        return table.table().isEmpty();
    }
}
