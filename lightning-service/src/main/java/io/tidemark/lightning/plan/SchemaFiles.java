package io.tidemark.lightning.plan;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.layout.DumpLayout;
import io.tidemark.common.layout.UnreadableCompression;
import io.tidemark.common.storage.Storage;
import io.tidemark.common.storage.Storages;
import io.tidemark.common.table.ExtractedColumn;
import io.tidemark.common.table.TableRef;
import io.tidemark.lightning.sql.StatementSplitter;
import io.tidemark.lightning.storage.FileCompression;
import io.tidemark.lightning.target.SessionText;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The schema files of an import, named as Dumpling names them ({@code <db>-schema-create.sql},
 * {@code <db>.<table>-schema.sql}), where they lie: beside the data, or at a schema location of their own (an Aurora
 * export holds none: they come from a Dumpling {@code --no-data} dump). Each may be compressed whole as Dumpling's
 * {@code --compress} writes it ({@link FileCompression}: {@code .gz}, {@code .zst}, {@code .snappy}); a damaged one is
 * a corrupt dump file, as a damaged data file is. When a file is there both plain and compressed, the plain one is
 * read. Gives each file's statements as the planner runs them, renamed for a route. A snapshot of the listing; one
 * plan, one thread.
 */
final class SchemaFiles {
    private final Storage storage;
    private final String location;
    /** table (as in the files) -> its CREATE TABLE file, as listed */
    private final Map<TableRef, String> tableFiles = new HashMap<>();
    /** database (as in the files) -> its CREATE DATABASE file, as listed */
    private final Map<String, String> databaseFiles = new HashMap<>();
    /** table (a database with an empty table) -> its file compressed as the import does not read */
    private final Map<TableRef, UnreadableCompression> unreadable = new HashMap<>();
    private final int maxStatementBytes;

    private SchemaFiles(Storage storage, String location, List<String> names, int maxStatementBytes) {
        this.storage = storage;
        this.location = location;
        this.maxStatementBytes = maxStatementBytes;
        // the listing is sorted, so a plain name comes before its compressed forms and wins
        for (String name : names) {
            DumpLayout.parseTableSchemaFile(name).ifPresent(t -> tableFiles.putIfAbsent(t, name));
            DumpLayout.parseSchemaCreateFile(name).ifPresent(d -> databaseFiles.putIfAbsent(d, name));
            UnreadableCompression.of(name).ifPresent(u -> unreadable.putIfAbsent(u.table(), u));
        }
    }

    /** lists the files at {@code location} (with its credentials, as the request carries it) */
    static SchemaFiles at(String location, int maxStatementBytes) {
        Storage storage = Storages.open(location);
        try {
            return new SchemaFiles(storage, location, storage.list(""), maxStatementBytes);
        } catch (IOException e) {
            throw new TidemarkException(ErrorCode.STORAGE_IO, e, storage.root(), "cannot list its schema files: "
                    + e.getMessage());
        }
    }

    /** where the files were looked for, credentials redacted: fit for an error message */
    String where() {
        return Storages.redact(location);
    }

    /**
     * Whether a CREATE TABLE file of {@code table} (named as in the files) is there.
     *
     * @throws TidemarkException {@link ErrorCode#FILE_COMPRESSION_UNSUPPORTED} when its only file is compressed as the
     *                           import does not read: the table would otherwise be taken as one without a file
     */
    boolean creates(TableRef table) {
        return tableFiles.containsKey(table) || refuse(table);
    }

    private boolean refuse(TableRef table) {
        UnreadableCompression u = unreadable.get(table);
        if (u != null) {
            throw UnreadableFiles.refusal(List.of(u));
        }
        return false;
    }

    /**
     * The statements creating database {@code target}: the CREATE DATABASE file of the first of {@code sources} (the
     * databases routed into it, as in the files) that has one, renamed to {@code target}, so its character set and
     * collation carry over; a plain CREATE DATABASE when none has.
     */
    Statements createDatabase(String target, Collection<String> sources) {
        String quoted = SessionText.utf8(TableRef.quote(target));
        for (String source : sources.stream().sorted().toList()) {
            String file = databaseFiles.get(source);
            if (file == null) {
                refuse(TableRef.of(source, ""));
            }
            if (file != null) {
                List<String> statements = new ArrayList<>();
                for (String sql : read(file, "the CREATE DATABASE of " + TableRef.quote(source))) {
                    statements.add(SchemaStatements.creatingDatabase(sql, quoted));
                }
                return new Statements(file, statements);
            }
        }
        return new Statements("(none: " + DumpLayout.schemaCreateFile(target) + " is not there)",
                List.of(SessionText.utf8("CREATE DATABASE ") + quoted));
    }

    /**
     * The statements creating {@code target} from the CREATE TABLE file of {@code source}: USE of the target's
     * database, then the file's statements, its CREATE TABLE renamed when the table is routed.
     */
    Statements createTable(TableRef source, TableRef target) {
        return createTable(source, target, List.of());
    }

    /**
     * As {@link #createTable(TableRef, TableRef)}, the table given the columns its route fills ({@code filled},
     * DM's extract-*) after the file's own
     */
    Statements createTable(TableRef source, TableRef target, List<ExtractedColumn> filled) {
        String file = tableFiles.getOrDefault(source, DumpLayout.tableSchemaFile(source));
        List<String> statements = new ArrayList<>();
        statements.add(SessionText.utf8("USE " + TableRef.quote(target.schema())));
        String quoted = SessionText.utf8(TableRef.quote(target.table()));
        List<String> columns = filled.stream().map(c -> SessionText.utf8(c.quotedColumn())).toList();
        for (String sql : read(file, "the CREATE TABLE of " + source)) {
            String renamed = source.equals(target) ? sql : SchemaStatements.creatingTable(sql, quoted);
            statements.add(columns.isEmpty() ? renamed : SchemaStatements.addingColumns(renamed, columns));
        }
        return new Statements(file, statements);
    }

    private List<String> read(String file, String holds) {
        return StatementSplitter.readAll(storage, file, holds, maxStatementBytes);
    }

    /** @param file the schema file they come from, for errors */
    record Statements(String file, List<String> sql) {
        Statements {
            sql = List.copyOf(sql);
        }
    }
}
