package io.tidemark.coordinator.migration;

import io.tidemark.common.command.CsvFormat;
import io.tidemark.common.command.ImportOptions;
import io.tidemark.common.table.TableRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a mode {@code import} migration imports besides where its files are ({@link MigrationSpec#storage()}): resolved
 * from the files when the migration was accepted, so that every later step — the import request, the prechecks, which
 * target tables it holds, its view — works from the same tables.
 *
 * @param schemaStorage where the {@code CREATE TABLE} files are when not beside the data; null: beside the data
 * @param onDuplicate   what a row whose key the target holds does
 * @param routes        source table to target table, one entry per table that changes its name ({@code [[routes]]}
 *                      resolved per table)
 * @param tables        the tables to import, named as in the files (before routing), sorted
 * @param withoutSchema those of {@code tables} no {@code CREATE TABLE} file was found for: the target must have them
 *                      already (an Aurora snapshot export holds no schema)
 * @param strictFormat  TiDB Lightning's {@code strict-format = true}: no CSV value holds a line break, so CSV files
 *                      may be cut into byte ranges; false when not given (and in a spec stored before the field)
 * @param csv           how the CSV files are written ({@code [mydumper.csv]}); Dumpling's defaults when not given (and
 *                      in a spec stored before the field)
 */
public record ImportSource(String schemaStorage, ImportOptions.OnDuplicate onDuplicate,
                           List<ImportOptions.TableRoute> routes, List<TableRef> tables,
                           List<TableRef> withoutSchema, Boolean strictFormat, CsvFormat csv) {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_$]+");

    public ImportSource {
        onDuplicate = onDuplicate == null ? ImportOptions.OnDuplicate.REPLACE : onDuplicate;
        strictFormat = Boolean.TRUE.equals(strictFormat);
        csv = csv == null ? CsvFormat.dumpling() : csv;
        routes = routes == null ? List.of() : List.copyOf(routes);
        tables = tables == null ? List.of() : List.copyOf(new TreeSet<>(tables));
        withoutSchema = withoutSchema == null ? List.of() : List.copyOf(new TreeSet<>(withoutSchema));
        for (TableRef t : withoutSchema) {
            if (!tables.contains(t)) {
                throw new IllegalArgumentException("table " + t + " lacks a schema file but is not imported");
            }
        }
    }

    /** a source whose CSV files are as Dumpling writes them */
    public ImportSource(String schemaStorage, ImportOptions.OnDuplicate onDuplicate,
                        List<ImportOptions.TableRoute> routes, List<TableRef> tables, List<TableRef> withoutSchema,
                        Boolean strictFormat) {
        this(schemaStorage, onDuplicate, routes, tables, withoutSchema, strictFormat, null);
    }

    /** a source whose CSV files are never cut (no {@code strict-format}) */
    public ImportSource(String schemaStorage, ImportOptions.OnDuplicate onDuplicate,
                        List<ImportOptions.TableRoute> routes, List<TableRef> tables, List<TableRef> withoutSchema) {
        this(schemaStorage, onDuplicate, routes, tables, withoutSchema, false);
    }

    /** where the rows of {@code table} (named as in the files) go */
    public TableRef targetOf(TableRef table) {
        Objects.requireNonNull(table, "table");
        return routes.stream().filter(r -> r.source().equals(table)).map(ImportOptions.TableRoute::target)
                .findFirst().orElse(table);
    }

    /** the target tables the import writes, each once (routing may merge tables), sorted */
    public List<TableRef> targets() {
        return List.copyOf(new TreeSet<>(tables.stream().map(this::targetOf).toList()));
    }

    /** the target tables that must exist before the import: no {@code CREATE TABLE} file creates them */
    public List<TableRef> targetsWithoutSchema() {
        return List.copyOf(new TreeSet<>(withoutSchema.stream().map(this::targetOf).toList()));
    }

    /** the same source with the tables resolved from the files */
    public ImportSource withTables(List<TableRef> resolved, List<TableRef> resolvedWithoutSchema,
                                   List<ImportOptions.TableRoute> resolvedRoutes) {
        return new ImportSource(schemaStorage, onDuplicate, resolvedRoutes, resolved, resolvedWithoutSchema,
                strictFormat, csv);
    }

    /** every table the import writes, as a filter rule that names it exactly ({@code shop.orders}, {@code `a.b`.c}) */
    List<String> targetRules() {
        List<String> rules = new ArrayList<>();
        for (TableRef t : targets()) {
            rules.add(exact(t.schema()) + "." + exact(t.table()));
        }
        return rules;
    }

    /** a name as the table filter matches it alone: as it is when plain, else quoted (no wildcard works inside) */
    private static String exact(String name) {
        if (PLAIN.matcher(name).matches()) {
            return name;
        }
        return name.indexOf('`') < 0 ? "`" + name + "`" : "\"" + name + "\"";
    }
}
