package io.tidemark.lightning.plan;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.layout.DumpLayout;
import io.tidemark.common.layout.UnreadableCompression;
import io.tidemark.common.storage.Storage;
import io.tidemark.common.table.TableRef;
import io.tidemark.lightning.parquet.AuroraExport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tables an import location holds and the data files of each, in whichever of the two layouts it is in: an Aurora
 * snapshot export ({@link AuroraExport}: Parquet files under {@code <export>/<db>/<db>.<table>/}), or else a Dumpling
 * or Tidemark dump ({@link DumpLayout}'s flat names). Tables are named as in the files, before any route. A file of
 * those tables compressed as the import does not read stops it ({@link UnreadableFiles}).
 *
 * @param layout what the location was read as, for logs
 * @param tables the tables to import, sorted: those asked for, or every table the location holds
 * @param files  the data files of those tables, in a stable order (so the same location plans the same chunks)
 */
record ImportFiles(String layout, List<TableRef> tables, List<DataFile> files) {
    ImportFiles {
        tables = List.copyOf(tables);
        files = List.copyOf(files);
    }

    /** one data file: its table (as in the files), its path under the location, its size */
    record DataFile(TableRef table, String path, long size) {
    }

    /**
     * Reads the location's listing.
     *
     * @param wanted the tables asked for; empty: all. An export must hold each (else
     *               {@link ErrorCode#EXPORT_INCOMPLETE}); a dump may lack a table's files, whose table then only has to
     *               exist on the target
     */
    static ImportFiles of(Storage storage, List<TableRef> wanted) {
        Optional<AuroraExport> export = AuroraExport.detect(storage);
        return export.isPresent() ? ofExport(export.get(), wanted) : ofDump(storage, wanted);
    }

    private static ImportFiles ofExport(AuroraExport export, List<TableRef> wanted) {
        UnreadableFiles.refuse(export.compressedWhole(), wanted);
        export.requireComplete();
        List<TableRef> tables = new ArrayList<>();
        List<DataFile> files = new ArrayList<>();
        for (AuroraExport.Table t : export.select(wanted)) {
            tables.add(t.table());
            for (AuroraExport.DataFile f : t.files()) {
                files.add(new DataFile(t.table(), f.path(), f.size()));
            }
        }
        return new ImportFiles("Aurora snapshot export", tables.stream().sorted().toList(), files);
    }

    private static ImportFiles ofDump(Storage storage, List<TableRef> wanted) {
        Set<String> names = new TreeSet<>(list(storage));
        UnreadableFiles.refuse(names.stream().flatMap(n -> UnreadableCompression.of(n).stream()).toList(), wanted);
        Set<TableRef> tables = new TreeSet<>(wanted);
        if (wanted.isEmpty()) {
            for (String name : names) {
                DumpLayout.parseTableSchemaFile(name).ifPresent(tables::add);
                DumpLayout.parseDataFile(name).ifPresent(d -> tables.add(d.table()));
            }
        }
        List<DataFile> files = new ArrayList<>();
        for (String name : names) {
            Optional<DumpLayout.DataFile> data = DumpLayout.parseDataFile(name);
            if (data.isPresent() && tables.contains(data.get().table())) {
                files.add(new DataFile(data.get().table(), name, size(storage, name)));
            }
        }
        return new ImportFiles("Dumpling dump", List.copyOf(tables), files);
    }

    private static List<String> list(Storage storage) {
        try {
            return storage.list("");
        } catch (IOException e) {
            throw new TidemarkException(ErrorCode.STORAGE_IO, e, storage.root(), "cannot list: " + e.getMessage());
        }
    }

    private static long size(Storage storage, String file) {
        try {
            return storage.size(file);
        } catch (IOException e) {
            throw new TidemarkException(ErrorCode.STORAGE_IO, e, storage.root(), "cannot stat " + file + ": " + e);
        }
    }
}
