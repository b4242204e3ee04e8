package io.tidemark.coordinator.imports;

import io.tidemark.common.table.TableFilter;
import io.tidemark.common.table.TableRef;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The tables an import's files hold, read as Tidemark's import reads them ({@link Layout}), and those of them the
 * filter selects. An import of files that hold rows takes every selected table with a data file, and every selected
 * table with only a {@code CREATE TABLE} file (Dumpling writes no data file for an empty table): it is created empty.
 * An import of files that hold no rows at all is a schema import (the seed's step 1, a Dumpling {@code --no-data}
 * export): it takes the selected tables with a {@code CREATE TABLE} file. Immutable.
 */
public final class FoundTables {
    private final SortedMap<TableRef, List<String>> dataFiles = new TreeMap<>();
    private final SortedMap<TableRef, List<String>> schemaFiles = new TreeMap<>();
    private final TreeSet<TableRef> unselected = new TreeSet<>();
    private final boolean anyData;

    private FoundTables(ImportFiles data, ImportFiles schema, TableFilter filter) {
        boolean rows = false;
        for (String path : data.files().keySet()) {
            rows |= take(path, filter, true);
        }
        if (schema != null) {
            schema.files().keySet().forEach(path -> take(path, filter, false));
        }
        this.anyData = rows;
    }

    /**
     * @param schema where the {@code CREATE TABLE} files are when not beside the data; null when they are (or there
     *               are none)
     */
    public static FoundTables of(ImportFiles data, ImportFiles schema, TableFilter filter) {
        return new FoundTables(data, schema, filter);
    }

    /** @return whether the file holds rows (of any table, selected or not) */
    private boolean take(String path, TableFilter filter, boolean dataAllowed) {
        Layout.Read read = Layout.of(path).orElse(null);
        if (read == null || read.kind() == Layout.Kind.SCHEMA_CREATE
                || (!dataAllowed && read.kind() == Layout.Kind.DATA)) {
            return false;
        }
        if (!filter.matches(read.table())) {
            unselected.add(read.table());
            return read.kind() == Layout.Kind.DATA;
        }
        (read.kind() == Layout.Kind.DATA ? dataFiles : schemaFiles).computeIfAbsent(read.table(),
                t -> new ArrayList<>()).add(path);
        return read.kind() == Layout.Kind.DATA;
    }

    /** whether the data location holds a file of rows at all, the filter aside: if not, it is a schema import */
    public boolean anyData() {
        return anyData;
    }

    /** the selected tables with a data file */
    public List<TableRef> dataTables() {
        return List.copyOf(dataFiles.keySet());
    }

    /** the selected tables with a {@code CREATE TABLE} file */
    public List<TableRef> schemaTables() {
        return List.copyOf(schemaFiles.keySet());
    }

    /** what the import takes: see the class comment */
    public List<TableRef> tables() {
        TreeSet<TableRef> tables = new TreeSet<>(schemaFiles.keySet());
        if (anyData) {
            tables.addAll(dataFiles.keySet());
        }
        return List.copyOf(tables);
    }

    /** the tables taken that no {@code CREATE TABLE} file creates: the target must have them */
    public List<TableRef> withoutSchema() {
        return tables().stream().filter(t -> !schemaFiles.containsKey(t)).toList();
    }

    /** the table's data files, as paths under the data location */
    public List<String> dataFiles(TableRef table) {
        return List.copyOf(dataFiles.getOrDefault(table, List.of()));
    }

    /** the table's {@code CREATE TABLE} files, as paths under the location that holds them */
    public List<String> schemaFiles(TableRef table) {
        return List.copyOf(schemaFiles.getOrDefault(table, List.of()));
    }

    /** the tables the files hold that the filter leaves out */
    public List<TableRef> unselected() {
        return List.copyOf(unselected);
    }
}
