package io.tidemark.common.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One table routing rule, as DM's ({@code routes} in a task file): source schemas (and tables) matching the patterns
 * are written to the target schema (and table). Evaluated by {@link io.tidemark.common.table.TableRouter}.
 *
 * @param schemaPattern source schemas, with the wildcards {@code *} and {@code ?}
 * @param tablePattern  source tables, the same way; null: a schema rule, which routes the schema and keeps the
 *                      tables' names
 * @param targetSchema  the schema written to
 * @param targetTable   the table written to; null keeps the source table's name
 * @param extractTable  DM's {@code extract-table}: a column of the target table filled from the source table's name;
 *                      null when none
 * @param extractSchema DM's {@code extract-schema}: a column filled from the source schema's name; null when none
 * @param extractSource DM's {@code extract-source}: a column filled from the source's name (its {@code source-id});
 *                      null when none
 * @param source        the source's name that {@code extractSource} reads: the {@code source-id} of the DM task's
 *                      {@code mysql-instances} entry the rule is used by; null when there is no extractSource
 */
public record RouteRule(String schemaPattern, String tablePattern, String targetSchema, String targetTable,
                        Extract extractTable, Extract extractSchema, Extract extractSource, String source) {
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
        if ((extractTable != null || extractSchema != null || extractSource != null) && tablePattern == null) {
            throw new IllegalArgumentException("extractTable, extractSchema and extractSource need a tablePattern:"
                    + " they fill columns of the tables a table rule writes");
        }
        if (extractSource != null && (source == null || source.isBlank())) {
            throw new IllegalArgumentException("extractSource needs source: the name (source-id) its sourceRegexp"
                    + " reads, e.g. \"source\": \"mysql-01\"");
        }
        List<String> columns = new ArrayList<>();
        for (Extract e : new Extract[]{extractTable, extractSchema, extractSource}) {
            if (e != null && columns.stream().anyMatch(c -> c.equalsIgnoreCase(e.targetColumn()))) {
                throw new IllegalArgumentException("targetColumn `" + e.targetColumn() + "` is filled by two"
                        + " extract rules of one route; give each its own column");
            }
            if (e != null) {
                columns.add(e.targetColumn());
            }
        }
    }

    /** a rule that fills no column */
    public RouteRule(String schemaPattern, String tablePattern, String targetSchema, String targetTable) {
        this(schemaPattern, tablePattern, targetSchema, targetTable, null, null, null, null);
    }

    /** whether the rule fills a column of its target table (DM's extract-table, extract-schema, extract-source) */
    public boolean extracts() {
        return extractTable != null || extractSchema != null || extractSource != null;
    }

    /** the same rule with extractSource reading {@code sourceId} */
    public RouteRule withSource(String sourceId) {
        return new RouteRule(schemaPattern, tablePattern, targetSchema, targetTable, extractTable, extractSchema,
                extractSource, sourceId);
    }

    /**
     * One of DM's extract rules: the name it reads, matched by {@code regexp}, gives the value of {@code targetColumn}:
     * the text of the regexp's capturing groups, joined (DM's table router), or the empty string when it does not
     * match.
     *
     * @param regexp       DM's {@code table-regexp}, {@code schema-regexp} or {@code source-regexp}: a Java regular
     *                     expression, searched for in the name
     * @param targetColumn the target table's column the value goes to
     */
    public record Extract(String regexp, String targetColumn) {
        public Extract {
            if (regexp == null || regexp.isEmpty()) {
                throw new IllegalArgumentException("the extract rule's regexp is missing; give one with a capturing"
                        + " group, e.g. \"t_(.*)\"");
            }
            if (targetColumn == null || targetColumn.isBlank()) {
                throw new IllegalArgumentException("the extract rule's targetColumn is missing; name the target"
                        + " table's column to fill, e.g. \"c_table\"");
            }
            try {
                Pattern.compile(regexp);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("the extract rule's regexp \"" + regexp + "\" is not a regular"
                        + " expression: " + e.getDescription());
            }
        }

        /** the value the name gives: DM joins the text of every capturing group of the first match */
        public String valueOf(String name) {
            Matcher m = Pattern.compile(regexp).matcher(Objects.requireNonNull(name, "name"));
            if (!m.find()) {
                return "";
            }
            StringBuilder value = new StringBuilder();
            for (int g = 1; g <= m.groupCount(); g++) {
                if (m.group(g) != null) {
                    value.append(m.group(g));
                }
            }
            return value.toString();
        }
    }
}
