package io.tidemark.common.table;

import java.util.Objects;

/**
 * A column of a routed table that the route fills (DM's extract-table, extract-schema, extract-source), with the
 * value every row of one source table gets in it.
 */
public record ExtractedColumn(String column, String value) {
    public ExtractedColumn {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(value, "value");
    }

    /** the value as a SQL string literal, for statements written in text */
    public String literal() {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** the column's name quoted for SQL */
    public String quotedColumn() {
        return "`" + column.replace("`", "``") + "`";
    }
}
