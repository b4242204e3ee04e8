package io.tidemark.coordinator.imports;

import io.tidemark.common.layout.DumpLayout;
import io.tidemark.common.layout.ExportLayout;
import io.tidemark.common.table.TableRef;

import java.util.Optional;

/**
 * How Tidemark's import (the lightning-service) reads a file of an import's location: by its layout, not by TiDB
 * Lightning's {@code [[mydumper.files]]} rules.
 * <ul>
 * <li>Dumpling's names ({@link DumpLayout}): {@code db-schema-create.sql}, {@code db.table-schema.sql},
 *     {@code db.table.000000001.sql} or {@code .csv}, each (schema files too) also compressed whole as
 *     {@code .gz}/{@code .gzip}, {@code .zst}/{@code .zstd} or {@code .snappy} (framed), the suffixes TiDB Lightning
 *     reads.</li>
 * <li>An Aurora snapshot export (and Tidemark's own Parquet dump):
 *     {@code [prefix/]<export-id>/<db>/<db>.<table>/[<batch>/]part-….parquet} — every Parquet file under the deepest
 *     pair of folders {@code <db>} and {@code <db>.<table>} on its path holds rows of that table.</li>
 * </ul>
 * Every other file (Aurora's {@code _SUCCESS} and {@code export_*.json}, Dumpling's {@code metadata}) belongs to no
 * table. The Aurora folder rule is the contract's {@link ExportLayout}, the one lightning-service reads by.
 */
public final class Layout {
    private static final String PARQUET = ".parquet";

    private Layout() {
    }

    /** what a file holds */
    public enum Kind {
        /** rows of a table */
        DATA,
        /** a {@code CREATE TABLE} statement */
        TABLE_SCHEMA,
        /** a {@code CREATE DATABASE} statement; {@link Read#table()} then names the schema with an empty table */
        SCHEMA_CREATE
    }

    /**
     * A file as the import reads it.
     *
     * @param how which layout took it, for messages: "Dumpling's file name" or "the Aurora export folder x/y.z"
     */
    public record Read(String path, Kind kind, TableRef table, String how) {
    }

    /** the table a file belongs to and what it holds, or empty when the import reads no table from it */
    public static Optional<Read> of(String path) {
        if (path.endsWith(PARQUET)) {
            return auroraFolder(path).map(f -> new Read(path, Kind.DATA, f.table(), "the Aurora export folder "
                    + f.path()));
        }
        String dumpling = "Dumpling's file name";
        Optional<Read> data = DumpLayout.parseDataFile(path)
                .map(d -> new Read(path, Kind.DATA, d.table(), dumpling));
        if (data.isPresent()) {
            return data;
        }
        Optional<Read> table = DumpLayout.parseTableSchemaFile(path)
                .map(t -> new Read(path, Kind.TABLE_SCHEMA, t, dumpling));
        if (table.isPresent()) {
            return table;
        }
        return DumpLayout.parseSchemaCreateFile(path)
                .map(s -> new Read(path, Kind.SCHEMA_CREATE, TableRef.of(s, ""), dumpling));
    }

    private static Optional<ExportLayout.TableFolder> auroraFolder(String path) {
        return ExportLayout.tableFolderOf(path);
    }
}
