package io.tidemark.coordinator.api;

import io.tidemark.common.table.TableRef;
import io.tidemark.coordinator.imports.FoundTables;
import io.tidemark.coordinator.imports.ImportFiles;
import io.tidemark.coordinator.migration.ImportSource;
import io.tidemark.mysql.precheck.PrecheckReport;

import java.util.List;

/**
 * What {@code POST /api/v1/imports/check} answers: whether the import would be accepted, every precheck with its
 * state, the notes on the file's keys, and the tables found in the files with their files — nothing is created.
 *
 * @param passed true when no check failed (warnings allowed)
 * @param tables empty when the files could not be listed (a failed check then says why)
 */
record ImportCheck(boolean passed, List<CheckView> checks, List<ImportView.NoteView> notes, List<FoundTable> tables) {
    /**
     * One table the import takes.
     *
     * @param table       as the files name it
     * @param target      where its rows go, after {@code [[routes]]}
     * @param dataFiles   its data files, under data-source-dir
     * @param schemaFiles its {@code CREATE TABLE} files
     * @param bytes       the size of its data files
     */
    record FoundTable(String table, String target, List<String> dataFiles, List<String> schemaFiles, long bytes) {
    }

    static ImportCheck of(PrecheckReport report, List<ImportView.NoteView> notes, ImportSource source,
                          FoundTables found, ImportFiles files) {
        List<FoundTable> tables = found == null ? List.of() : found.tables().stream()
                .map(t -> table(t, source, found, files)).toList();
        return new ImportCheck(report.failures().isEmpty(), report.results().stream().map(CheckView::of).toList(),
                notes, tables);
    }

    private static FoundTable table(TableRef t, ImportSource source, FoundTables found, ImportFiles files) {
        List<String> data = found.dataFiles(t);
        long bytes = data.stream().mapToLong(f -> files.files().getOrDefault(f, 0L)).sum();
        return new FoundTable(t.toString(), source.targetOf(t).toString(), data, found.schemaFiles(t), bytes);
    }
}
