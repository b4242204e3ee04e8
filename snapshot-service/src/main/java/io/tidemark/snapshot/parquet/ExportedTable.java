package io.tidemark.snapshot.parquet;

import io.tidemark.common.table.TableRef;

import java.time.Instant;
import java.util.List;

/**
 * A table whose part files and {@code _SUCCESS} are written: what the export's {@code export_tables_info} file says of
 * it.
 *
 * @param columns     each column with the type its files have (a DATETIME written as text in some file is listed
 *                    with its TIMESTAMP type, and in {@code textColumns})
 * @param textColumns the DATETIME and TIMESTAMP columns some part file holds as text
 */
public record ExportedTable(TableRef table, List<Column> columns, List<String> textColumns, long rows, long bytes,
                            int files, Instant started, Instant ended) {
    public ExportedTable {
        columns = List.copyOf(columns);
        textColumns = List.copyOf(textColumns);
    }

    /** a column as {@code schemaMetadata.originalTypeMappings} lists it */
    public record Column(SourceColumn source, String exportedType) {
    }
}
