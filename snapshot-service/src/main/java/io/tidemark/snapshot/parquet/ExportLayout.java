package io.tidemark.snapshot.parquet;

import io.tidemark.common.table.TableRef;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Where an Amazon RDS / Aurora snapshot export keeps its files, relative to the dump's root:
 * <pre>{@code
 * <export-id>/export_info_<export-id>.json
 * <export-id>/export_tables_info_<export-id>_from_1_to_<N>.json
 * <export-id>/<db>/<db>.<table>/1/part-00000-<uuid>-c000.gz.parquet     (part-00001-… past the file size)
 * <export-id>/<db>/<db>.<table>/_SUCCESS                                 (once the table is complete)
 * }</pre>
 * Database and table names go into the folder names as they are — dots, spaces, quotes and any letter included, since
 * a reader takes the database from the parent folder and the table from what follows {@code <db>.} — except for what
 * cannot be a path segment: '/' becomes {@code %2F}, a leading '.' (a hidden name) {@code %2E}, and '%' itself
 * {@code %25}, so no two names share a folder. Immutable.
 */
public record ExportLayout(String exportId) {
    /** the batch folder AWS writes today's exports into */
    static final String BATCH = "1";
    public static final String SUCCESS = io.tidemark.common.layout.ExportLayout.SUCCESS;
    private static final Pattern METADATA =
            Pattern.compile("export_info_.+\\.json|export_tables_info_.+_from_[0-9]+_to_[0-9]+\\.json");

    public ExportLayout {
        if (exportId == null || exportId.isBlank() || exportId.contains("/") || exportId.startsWith(".")) {
            throw new IllegalArgumentException("export id '" + exportId + "' must be one folder name");
        }
    }

    /** {@code <export-id>/<db>/<db>.<table>} */
    public String tableFolder(TableRef table) {
        return io.tidemark.common.layout.ExportLayout.tableFolder(exportId, table);
    }

    /** the {@code index}-th part file of a table, named as Spark names them for one write job */
    String partFile(TableRef table, int index, UUID job, ParquetCompression compression) {
        return String.format(Locale.ROOT, "%s/%s/part-%05d-%s-c000.%s.parquet", tableFolder(table), BATCH, index, job,
                compression.extension());
    }

    public String successFile(TableRef table) {
        return tableFolder(table) + "/" + SUCCESS;
    }

    public String exportInfoFile() {
        return exportId + "/export_info_" + exportId + ".json";
    }

    /** AWS numbers the tables a tables-info file lists: one file here, tables 1 to {@code tables} */
    public String tablesInfoFile(int tables) {
        return exportId + "/export_tables_info_" + exportId + "_from_1_to_" + tables + ".json";
    }

    /** a name as part of a folder name: see the contract's ExportLayout, which reads it back */
    static String segment(String name) {
        return io.tidemark.common.layout.ExportLayout.encode(name);
    }

    /**
     * Whether a file below the dump's root belongs to an export: a part file, a {@code _SUCCESS} or an export's JSON in
     * a folder. What an earlier dump into the same place left is cleared by this, whatever its export id.
     */
    public static boolean isExportFile(String path) {
        int slash = path.lastIndexOf('/');
        if (slash < 0) {
            return false;
        }
        String name = path.substring(slash + 1);
        return name.endsWith(".parquet") || name.equals(SUCCESS) || METADATA.matcher(name).matches();
    }
}
