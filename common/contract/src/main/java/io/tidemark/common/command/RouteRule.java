package io.tidemark.common.command;

/**
 * One table routing rule, as DM's ({@code routes} in a task file): source schemas (and tables) matching the patterns
 * are written to the target schema (and table). Evaluated by {@link io.tidemark.common.table.TableRouter}.
 *
 * @param schemaPattern source schemas, with the wildcards {@code *} and {@code ?}
 * @param tablePattern  source tables, the same way; null: a schema rule, which routes the schema and keeps the
 *                      tables' names
 * @param targetSchema  the schema written to
 * @param targetTable   the table written to; null keeps the source table's name
 */
public record RouteRule(String schemaPattern, String tablePattern, String targetSchema, String targetTable) {
    public RouteRule {
        if (schemaPattern == null || schemaPattern.isBlank()) {
            throw new IllegalArgumentException("schemaPattern is missing; give the source schemas the rule routes,"
                    + " e.g. \"shop*\"");
        }
        if (targetSchema == null || targetSchema.isBlank()) {
            throw new IllegalArgumentException("targetSchema is missing; give the target schema to write to");
        }
        tablePattern = tablePattern == null || tablePattern.isEmpty() ? null : tablePattern;
        targetTable = targetTable == null || targetTable.isEmpty() ? null : targetTable;
        if (tablePattern == null && targetTable != null) {
            throw new IllegalArgumentException("targetTable needs a tablePattern: a rule without one routes a whole"
                    + " schema and keeps its tables' names");
        }
    }
}
