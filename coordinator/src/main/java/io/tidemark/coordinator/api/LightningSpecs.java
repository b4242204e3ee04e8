package io.tidemark.coordinator.api;

import io.tidemark.common.command.ImportOptions;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.migration.Mode;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.storage.Storages;
import io.tidemark.common.table.TableRef;
import io.tidemark.coordinator.config.lightning.LightningConfig;
import io.tidemark.coordinator.config.lightning.LightningConfigException;
import io.tidemark.coordinator.config.lightning.Note;
import io.tidemark.coordinator.config.lightning.Origin;
import io.tidemark.coordinator.config.lightning.PostRestore;
import io.tidemark.coordinator.config.lightning.Problem;
import io.tidemark.coordinator.config.lightning.Tidb;
import io.tidemark.coordinator.imports.FoundTables;
import io.tidemark.coordinator.migration.ImportSource;
import io.tidemark.coordinator.migration.ImportChecksum;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.coordinator.migration.TargetTableSetup;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A TiDB Lightning file as a mode-import migration: {@code [tidb]} is the target (its password sealed at once, as the
 * JSON spec's is), {@code [mydumper] data-source-dir} the storage (under the JSON spec's rules: keys in an S3 URI are
 * sealed at once too), {@code filter} the filter, {@code no-schema} pre-created target tables, {@code on-duplicate} or
 * {@code [conflict] strategy} what a duplicate key does, and {@code [[routes]]} each table's target — resolved per
 * table once the tables are known from the files. The migration is named after the file.
 */
final class LightningSpecs {
    static final String DEFAULT_FILE_NAME = "lightning.toml";
    private static final int MAX_NAME = 200;
    private static final String EMPTY_TABLES_ONLY = "Tidemark imports into empty tables only: the prechecks refuse a"
            + " target table that holds rows, and each table's count is checked against its files' rows after the"
            + " import";

    private final SecretBox secrets;

    LightningSpecs(SecretBox secrets) {
        this.secrets = secrets;
    }

    /**
     * The migration the file describes, its tables not yet known.
     *
     * @throws LightningConfigException when data-source-dir is not a storage the services may be given (a sealed key
     *                                   that does not open with this coordinator's secret key)
     */
    MigrationSpec spec(LightningConfig config) {
        Tidb tidb = config.tidb();
        DatabaseEndpoint target = new DatabaseEndpoint(tidb.host().strip(), tidb.port(), tidb.user(),
                secrets.seal(tidb.password()));
        String storage = storage(config);
        TargetTableSetup tables = config.mydumper().noSchema() ? TargetTableSetup.PRE_CREATED : TargetTableSetup.CREATE;
        ImportOptions.OnDuplicate onDuplicate = ImportOptions.OnDuplicate.of(config.onDuplicate().word());
        return new MigrationSpec(name(config.fileName()), Mode.IMPORT, null, target, config.mydumper().filter(),
                storage, null, tables, null, new ImportSource(null, onDuplicate, List.of(), List.of(), List.of(),
                config.mydumper().strictFormat(), config.mydumper().csv().format()), null, List.of(), List.of(), null,
                checksum(config.postRestore().checksum()));
    }

    /** {@code [post-restore] checksum}: the same three levels, the same meaning */
    private static ImportChecksum checksum(PostRestore.Level level) {
        return switch (level) {
            case REQUIRED -> ImportChecksum.REQUIRED;
            case OPTIONAL -> ImportChecksum.OPTIONAL;
            case OFF -> ImportChecksum.OFF;
        };
    }

    /**
     * The spec with the tables found in the files and where {@code [[routes]]} sends each.
     *
     * @throws LightningConfigException when two route rules of one kind match a table
     */
    static MigrationSpec withTables(MigrationSpec spec, LightningConfig config, FoundTables found) {
        List<ImportOptions.TableRoute> routes = new ArrayList<>();
        for (TableRef table : found.tables()) {
            TableRef target = config.target(table);
            if (!target.equals(table)) {
                routes.add(new ImportOptions.TableRoute(table, target));
            }
        }
        return spec.withImports(spec.imports().withTables(found.tables(), found.withoutSchema(), routes));
    }

    /**
     * What Tidemark does instead of the keys the file sets: the parser's notes, and one on an incremental import,
     * which Tidemark does not do.
     */
    static List<Note> notes(LightningConfig config) {
        List<Note> notes = new ArrayList<>(config.notes());
        if (config.tikvImporter().incrementalImport()) {
            Origin o = config.tikvImporter().origin();
            String key = o.has("parallel-import") ? "parallel-import" : "incremental-import";
            notes.add(new Note(o.path(key), o.at(key).line(), EMPTY_TABLES_ONLY));
        }
        notes.sort(Comparator.comparingInt(Note::line));
        return List.copyOf(notes);
    }

    /** data-source-dir as the workers take it: its keys sealed, as a JSON spec's storage's are */
    private String storage(LightningConfig config) {
        Origin o = config.mydumper().origin();
        try {
            return Objects.requireNonNull(StorageField.optional(config.mydumper().dataSourceDir().location(),
                    secrets));
        } catch (FieldException e) {
            throw new LightningConfigException(List.of(new Problem(o.file(), o.path("data-source-dir"),
                    o.at("data-source-dir"), "\"" + Storages.redact(config.mydumper().dataSourceDir().uri())
                    + "\"", e.error().detail(), e.error().error().remedy())));
        }
    }

    /** the file's name without its folders and its extension: tidb-lightning-data.toml → tidb-lightning-data */
    static String name(String fileName) {
        String base = fileName == null ? "" : fileName.strip();
        base = base.substring(Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\')) + 1);
        int dot = base.lastIndexOf('.');
        String stem = (dot >= 0 ? base.substring(0, dot) : base).strip();
        if (stem.isEmpty()) {
            stem = name(DEFAULT_FILE_NAME);
        }
        return stem.length() > MAX_NAME ? stem.substring(0, MAX_NAME) : stem;
    }
}
