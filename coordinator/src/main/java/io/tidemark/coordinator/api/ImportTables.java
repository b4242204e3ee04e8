package io.tidemark.coordinator.api;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.table.TableFilter;
import io.tidemark.common.table.TableRef;
import io.tidemark.coordinator.imports.FoundTables;
import io.tidemark.coordinator.imports.ImportFiles;
import io.tidemark.coordinator.migration.ImportSource;
import io.tidemark.coordinator.migration.MigrationSpec;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The tables of a mode-import spec, found in its files: its storage (and schema storage) listed once, each file read
 * by its layout, the filter applied.
 */
final class ImportTables {
    private static final int NAMED = 5;

    private ImportTables() {
    }

    /**
     * @throws TidemarkException what the storage says when a location cannot be listed (the prechecks then say it
     *                           again, with everything else they find)
     * @throws FieldException    INVALID_SPEC when the files hold no table the filter selects
     */
    static MigrationSpec resolve(MigrationSpec spec) {
        ImportSource source = spec.imports();
        ImportFiles data = ImportFiles.list(spec.storage());
        ImportFiles schema = source.schemaStorage() == null ? null : ImportFiles.list(source.schemaStorage());
        FoundTables found = FoundTables.of(data, schema, TableFilter.parse(spec.filter()));
        if (found.tables().isEmpty()) {
            throw none(data, found);
        }
        return spec.withImports(source.withTables(found.tables(), found.withoutSchema(), source.routes()));
    }

    private static FieldException none(ImportFiles data, FoundTables found) {
        if (!found.unselected().isEmpty()) {
            return new FieldException("filter", new TidemarkException(ErrorCode.INVALID_SPEC, "it selects none of"
                    + " the tables the files under " + data.shown() + " hold: " + named(found.unselected())
                    + "; write rules that select them, e.g. \"" + found.unselected().getFirst().schema() + ".*\""));
        }
        return new FieldException("storage", new TidemarkException(ErrorCode.INVALID_SPEC, "the files under "
                + data.shown() + " hold no table Tidemark's import reads (" + data.files().size() + " files): it"
                + " reads Dumpling's files (db.table-schema.sql, db.table.000000001.sql or .csv) and Aurora snapshot"
                + " exports (<db>/<db>.<table>/ folders of Parquet files); point storage at the folder the export or"
                + " dump wrote"));
    }

    private static String named(List<TableRef> tables) {
        return tables.stream().limit(NAMED).map(TableRef::toString).collect(Collectors.joining(", "))
                + (tables.size() > NAMED ? " and " + (tables.size() - NAMED) + " more" : "");
    }
}
