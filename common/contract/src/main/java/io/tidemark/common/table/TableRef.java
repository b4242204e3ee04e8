package io.tidemark.common.table;

import java.util.Objects;

/** A table by schema and name, as the source names it. */
public record TableRef(String schema, String table) implements Comparable<TableRef> {
    public TableRef {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
    }

    public static TableRef of(String schema, String table) {
        return new TableRef(schema, table);
    }

    /** {@code `schema`.`table`}, safe to splice into SQL */
    public String quoted() {
        return quote(schema) + "." + quote(table);
    }

    /** an identifier in backticks, backticks inside doubled */
    public static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    @Override
    public int compareTo(TableRef o) {
        int c = schema.compareTo(o.schema);
        return c != 0 ? c : table.compareTo(o.table);
    }

    /** {@code schema.table}, the form filters and logs use */
    @Override
    public String toString() {
        return schema + "." + table;
    }
}
