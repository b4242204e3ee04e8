package io.tidemark.common.command;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.table.ExtractedColumn;
import io.tidemark.common.table.TableRef;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How an import reads its files and writes its rows, beyond where the files are: what a TiDB Lightning configuration
 * file says besides its target. A Tidemark migration's own import uses {@link #defaults()}.
 *
 * @param schemaLocation where the {@code CREATE DATABASE}/{@code CREATE TABLE} files are when not beside the data
 *                       (an Aurora export holds none); null: with the data, or nowhere
 * @param createSchema   false for TiDB Lightning's {@code no-schema = true}: the target's tables exist, create none
 * @param onDuplicate    what a row whose key the target already holds does
 * @param routes         source table to target table, one entry per table that changes its name ({@code [[routes]]},
 *                       resolved by the coordinator); a table without an entry keeps its name
 * @param strictFormat   TiDB Lightning's {@code strict-format = true}: no CSV value holds a raw line feed, so an
 *                       uncompressed CSV file may be cut into byte ranges at line ends; false (also when absent): one
 *                       chunk per CSV file. A Boolean so that a request from before the field existed (no such
 *                       key) reads as false rather than failing
 * @param csv            how the CSV files are written ({@code [mydumper.csv]}); null (also when absent): as Dumpling
 *                       writes them by default
 */
public record ImportOptions(String schemaLocation, boolean createSchema, OnDuplicate onDuplicate,
                            List<TableRoute> routes, Boolean strictFormat, CsvFormat csv) {
    public ImportOptions {
        onDuplicate = onDuplicate == null ? OnDuplicate.REPLACE : onDuplicate;
        csv = csv == null ? CsvFormat.dumpling() : csv;
        routes = routes == null ? List.of() : List.copyOf(routes);
        strictFormat = Boolean.TRUE.equals(strictFormat);
        Map<TableRef, TableRef> seen = new HashMap<>();
        for (TableRoute r : routes) {
            TableRef before = seen.put(r.source(), r.target());
            if (before != null && !before.equals(r.target())) {
                throw new IllegalArgumentException("table " + r.source() + " is routed twice: to " + before
                        + " and to " + r.target());
            }
        }
    }

    /** CSV files as Dumpling writes them */
    public ImportOptions(String schemaLocation, boolean createSchema, OnDuplicate onDuplicate,
                         List<TableRoute> routes, Boolean strictFormat) {
        this(schemaLocation, createSchema, onDuplicate, routes, strictFormat, null);
    }

    /** without strict-format: CSV files are never cut */
    public ImportOptions(String schemaLocation, boolean createSchema, OnDuplicate onDuplicate,
                         List<TableRoute> routes) {
        this(schemaLocation, createSchema, onDuplicate, routes, false);
    }

    /** a Tidemark dump: schema files beside the data, tables created, duplicates replaced, names kept */
    public static ImportOptions defaults() {
        return new ImportOptions(null, true, OnDuplicate.REPLACE, List.of());
    }

    /** where the rows of the source's {@code table} go */
    public TableRef targetOf(TableRef table) {
        return routes.stream().filter(r -> r.source().equals(table)).map(TableRoute::target).findFirst()
                .orElse(table);
    }

    /** the columns the route of the source's {@code table} fills (extract-*), with their values; empty when none */
    public List<ExtractedColumn> filledOf(TableRef table) {
        return routes.stream().filter(r -> r.source().equals(table)).map(TableRoute::filled).findFirst()
                .orElse(List.of());
    }

    /**
     * one table renamed on its way: {@code [[routes]]} resolved for one table
     *
     * @param filled the target's columns the route fills for this table's rows (DM's extract-table, extract-schema,
     *               extract-source), with their values; empty when none (and in a request from before the field)
     */
    public record TableRoute(TableRef source, TableRef target, List<ExtractedColumn> filled) {
        public TableRoute {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(target, "target");
            filled = filled == null ? List.of() : List.copyOf(filled);
        }

        public TableRoute(TableRef source, TableRef target) {
            this(source, target, List.of());
        }
    }

    /**
     * What a row whose primary or unique key the target already holds does: TiDB Lightning's logical-import
     * {@code on-duplicate} (up to v7) and {@code [conflict] strategy} (v8 on).
     */
    public enum OnDuplicate {
        /** the file's row replaces the target's ({@code REPLACE INTO}) */
        REPLACE("replace"),
        /** the target's row stays, the file's is dropped ({@code INSERT IGNORE}) */
        IGNORE("ignore"),
        /** the import stops at the first such row, naming it ({@code INSERT}) */
        ERROR("error");

        private final String code;

        OnDuplicate(String code) {
            this.code = code;
        }

        @JsonValue
        public String code() {
            return code;
        }

        @JsonCreator
        public static OnDuplicate of(String code) {
            return Arrays.stream(values())
                    .filter(d -> d.code.equals(code == null ? null : code.strip().toLowerCase(Locale.ROOT)))
                    .findFirst()
                    .orElseThrow(() -> new TidemarkException(ErrorCode.INVALID_SPEC,
                            "onDuplicate '" + code + "' is not one of replace, ignore, error"));
        }
    }
}
