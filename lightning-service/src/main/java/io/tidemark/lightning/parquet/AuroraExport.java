package io.tidemark.lightning.parquet;

import io.tidemark.common.layout.ExportLayout;
import io.tidemark.common.layout.UnreadableCompression;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.storage.Storage;
import io.tidemark.common.table.TableRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An Amazon RDS / Aurora snapshot export as AWS lays it out under a storage root:
 * <pre>{@code
 * [prefix/]<export-id>/export_info_<export-id>.json
 * [prefix/]<export-id>/export_tables_info_<export-id>_from_1_to_N.json
 * [prefix/]<export-id>/<db>/<db>.<table>/<batch>/part-<partition>-<uuid>-c000.gz.parquet   (today)
 * [prefix/]<export-id>/<db>/<db>.<table>/part-<partition>-<uuid>-c000.gz.parquet           (before)
 * ... and an empty _SUCCESS in each table folder, or in each batch folder, once that part is complete
 * }</pre>
 * A table folder is a folder named {@code <db>.<table>} inside a folder named {@code <db>}; every {@code *.parquet}
 * under it, at any depth and whatever its name or numbering (AWS leaves gaps, and says the naming may change), holds
 * rows of that table. A table is complete when a {@code _SUCCESS} stands in its folder or beside each of its files.
 * AWS writes names with {@code \ ` "} and spaces in them with '_' in their place, so a folder may name a table
 * slightly differently than the source does.
 * <p>
 * A snapshot of the listing at {@link #scan} time; immutable, thread-safe.
 */
public final class AuroraExport {
    private static final Logger LOGGER = LoggerFactory.getLogger(AuroraExport.class);
    static final String SUCCESS = ExportLayout.SUCCESS;
    private static final String COMPLETE = "COMPLETE";

    private final String root;
    private final List<Table> tables;
    private final List<Info> exports;
    private final List<TableStatus> statuses;
    private final List<String> strayFiles;
    private final List<UnreadableCompression> compressedWhole;

    /** a table's folder and its data files */
    public record Table(TableRef table, String folder, List<DataFile> files, boolean succeeded) {
        public Table {
            files = List.copyOf(files);
        }

        public long bytes() {
            return files.stream().mapToLong(DataFile::size).sum();
        }
    }

    /** a Parquet file of a table: its path relative to the storage root, and its size */
    public record DataFile(String path, long size) {
    }

    /** what {@code export_info_<id>.json} says of the export task */
    public record Info(String file, String exportTaskIdentifier, String status, double percentProgress,
                       String sourceArn, String snapshotTime, double totalExtractedDataInGb) {
        public boolean complete() {
            return COMPLETE.equalsIgnoreCase(status);
        }
    }

    /**
     * One {@code perTableStatus} entry of {@code export_tables_info_*.json}: {@code target} names the table as
     * {@code <db>.<schema>.<table>} or {@code <db>.<table>}; an entry with only a warning is something AWS skipped.
     */
    public record TableStatus(String file, String target, String status, String warningMessage, double sizeGb) {
        public boolean complete() {
            return COMPLETE.equalsIgnoreCase(status);
        }
    }

    private AuroraExport(String root, List<Table> tables, List<Info> exports, List<TableStatus> statuses,
                         List<String> strayFiles, List<UnreadableCompression> compressedWhole) {
        this.root = root;
        this.tables = List.copyOf(tables);
        this.exports = List.copyOf(exports);
        this.statuses = List.copyOf(statuses);
        this.strayFiles = List.copyOf(strayFiles);
        this.compressedWhole = List.copyOf(compressedWhole);
    }

    /** the export under {@code storage}, when there is one: a table folder or an {@code export_info} file */
    public static Optional<AuroraExport> detect(Storage storage) {
        AuroraExport export = scan(storage);
        return export.tables.isEmpty() && export.exports.isEmpty() && export.compressedWhole.isEmpty()
                ? Optional.empty() : Optional.of(export);
    }

    /** lists the storage and reads the export's metadata; an empty export when the layout is not there */
    public static AuroraExport scan(Storage storage) {
        SortedMap<String, Long> files = listing(storage);
        Map<String, TableFolder> folders = new TreeMap<>();
        List<Info> exports = new ArrayList<>();
        List<TableStatus> statuses = new ArrayList<>();
        List<String> stray = new ArrayList<>();
        List<UnreadableCompression> compressedWhole = new ArrayList<>();
        for (Map.Entry<String, Long> f : files.entrySet()) {
            String path = f.getKey();
            if (ExportMetadata.isMetadata(path)) {
                ExportMetadata.exportInfo(storage, path, f.getValue()).ifPresent(exports::add);
                statuses.addAll(ExportMetadata.tableStatuses(storage, path, f.getValue()));
                continue;
            }
            boolean parquet = path.endsWith(".parquet");
            boolean success = baseName(path).equals(SUCCESS);
            if (!parquet && !success) {
                UnreadableCompression.of(path).filter(UnreadableCompression::parquet).ifPresent(compressedWhole::add);
                continue;
            }
            Optional<TableFolder> folder = tableFolderOf(path);
            if (folder.isEmpty()) {
                if (parquet) {
                    stray.add(path);
                }
                continue;
            }
            TableFolder t = folders.computeIfAbsent(folder.get().path, k -> folder.get());
            if (parquet) {
                t.files.add(new DataFile(path, f.getValue()));
            } else {
                t.successFolders.add(parent(path));
            }
        }
        List<Table> tables = new ArrayList<>();
        for (TableFolder t : folders.values()) {
            tables.add(new Table(t.table, t.path, t.files, t.succeeded()));
        }
        AuroraExport export = new AuroraExport(storage.root().toString(), tables, exports, statuses, stray,
                compressedWhole);
        if (!stray.isEmpty()) {
            LOGGER.warn("{} Parquet files under {} are in no <db>/<db>.<table>/ folder and belong to no table, e.g. {}",
                    stray.size(), export.root, stray.getFirst());
        }
        return export;
    }

    public List<Table> tables() {
        return tables;
    }

    public Optional<Table> table(TableRef table) {
        return tables.stream().filter(t -> t.table().equals(table)).findFirst();
    }

    /**
     * The export's folders of {@code wanted}, in the export's order; all its tables when {@code wanted} is empty.
     * Stops with one error naming every wanted table the export holds no folder for.
     */
    public List<Table> select(Collection<TableRef> wanted) {
        if (wanted.isEmpty()) {
            return tables;
        }
        Set<TableRef> want = new LinkedHashSet<>(wanted);
        List<Table> out = tables.stream().filter(t -> want.contains(t.table())).toList();
        List<String> missing = want.stream().filter(w -> table(w).isEmpty()).map(TableRef::toString).toList();
        if (!missing.isEmpty()) {
            List<String> held = tables.stream().map(t -> t.table().toString()).distinct().toList();
            throw ParquetErrors.incomplete(root, "it holds no folder <db>/<db>.<table>/ for table"
                    + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing) + " (it holds "
                    + (held.isEmpty() ? "no table" : String.join(", ", held.subList(0, Math.min(10, held.size())))
                    + (held.size() > 10 ? " and " + (held.size() - 10) + " more" : "")) + "; AWS writes \\ ` \""
                    + " and spaces in a name as _): export those tables too, or leave them out of the import");
        }
        return out;
    }

    /** every {@code export_info_*.json} found (one per export under the root) */
    public List<Info> exports() {
        return exports;
    }

    /** every {@code perTableStatus} entry of every {@code export_tables_info_*.json} found */
    public List<TableStatus> tableStatuses() {
        return statuses;
    }

    /**
     * Parquet files in a table folder compressed as a whole ({@code part-0.parquet.gz}, {@code .lz4}, …), which are
     * not read: the import refuses them rather than leave their rows out
     */
    public List<UnreadableCompression> compressedWhole() {
        return compressedWhole;
    }

    /** Parquet files outside any table folder: no table can be named for them */
    public List<String> strayFiles() {
        return strayFiles;
    }

    /**
     * Stops with one error naming everything that is not complete: an export whose task did not complete, a table
     * AWS reports not complete, a table folder without {@code _SUCCESS} (its files may be partial or missing), a
     * table found in two folders (two exports under one root).
     */
    public void requireComplete() {
        List<String> problems = new ArrayList<>();
        for (Info info : exports) {
            if (!info.complete()) {
                problems.add("export " + info.exportTaskIdentifier() + " has status " + (info.status().isEmpty()
                        ? "(none)" : info.status()) + " in " + info.file() + ": wait until its task is COMPLETE"
                        + " (aws rds describe-export-tasks), or start a new export");
            }
        }
        for (TableStatus s : statuses) {
            if (!s.target().isEmpty() && !s.status().isEmpty() && !s.complete()) {
                problems.add("table " + s.target() + " has status " + s.status() + " in " + s.file()
                        + (s.warningMessage().isEmpty() ? "" : " (" + s.warningMessage() + ")")
                        + ": export that table again");
            }
        }
        Map<TableRef, String> seen = new LinkedHashMap<>();
        for (Table t : tables) {
            if (!t.succeeded()) {
                problems.add("table folder " + t.folder() + " has no " + SUCCESS + ", so its export of "
                        + t.table() + " did not finish and its files may be partial: wait for the export to"
                        + " complete, or export the table again");
            }
            String other = seen.putIfAbsent(t.table(), t.folder());
            if (other != null) {
                problems.add("table " + t.table() + " is in two folders, " + other + " and " + t.folder()
                        + ": point the import at one export, not at the folder above several");
            }
        }
        if (!problems.isEmpty()) {
            throw ParquetErrors.incomplete(root, String.join("; ", problems));
        }
    }

    /**
     * Every file under the storage's root at any depth, with its size: one listing by prefix on S3, however deep the
     * export nests its files; hidden files (a name starting with '.') left out, as the storage leaves them out.
     */
    private static SortedMap<String, Long> listing(Storage storage) {
        try {
            return storage.walk("");
        } catch (IOException | UncheckedIOException e) {
            throw new TidemarkException(ErrorCode.STORAGE_IO, e, storage.root(), "cannot list its files: " + e);
        }
    }

    /**
     * The table folder a file lies in: the deepest {@code <db>/<db>.<table>} pair of folders on its path, so a
     * database or export folder whose name happens to hold a '.' is never taken for a table.
     */
    static Optional<TableFolder> tableFolderOf(String path) {
        return ExportLayout.tableFolderOf(path).map(f -> new TableFolder(f.path(), f.table()));
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** a table folder while the listing is read */
    static final class TableFolder {
        final String path;
        final TableRef table;
        final List<DataFile> files = new ArrayList<>();
        final Set<String> successFolders = new TreeSet<>();

        TableFolder(String path, TableRef table) {
            this.path = path;
            this.table = table;
        }

        /** a _SUCCESS in the table folder, or beside every file of it */
        boolean succeeded() {
            if (successFolders.contains(path)) {
                return true;
            }
            if (successFolders.isEmpty()) {
                return false;
            }
            return files.stream().allMatch(f -> successFolders.contains(parent(f.path())));
        }
    }

    @Override
    public String toString() {
        return "Aurora export under " + root + " (" + tables.size() + " tables)";
    }
}
