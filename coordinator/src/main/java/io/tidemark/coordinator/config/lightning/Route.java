package io.tidemark.coordinator.config.lightning;

import java.util.regex.Pattern;

/**
 * One {@code [[routes]]} rule (DM's and TiDB Lightning's table routing): the tables whose schema matches
 * {@code schemaPattern} — and, when it is given, whose name matches {@code tablePattern} — go to {@code targetSchema}
 * (and {@code targetTable}, when given). Patterns take {@code *} (any run, only at the end) and {@code ?} (one
 * character), matched regardless of case. A rule with a table pattern wins over one without; see
 * {@link LightningConfig#target}.
 *
 * @param index        the rule's place among the file's routes, from 1
 * @param tablePattern empty for a rule on whole schemas
 * @param targetTable  empty to keep the table's name
 */
public record Route(int index, String schemaPattern, String tablePattern, String targetSchema, String targetTable,
                    Origin origin) {
    public Route {
        Checks c = new Checks(origin);
        tablePattern = tablePattern == null ? "" : tablePattern;
        targetTable = targetTable == null ? "" : targetTable;
        if (schemaPattern == null || schemaPattern.isEmpty()) {
            c.fail("schema-pattern", null, "says which schemas the rule routes", "write schema-pattern = \"mydb_*\"");
        } else {
            checkPattern("schema-pattern", schemaPattern, c);
        }
        checkPattern("table-pattern", tablePattern, c);
        if (targetSchema == null || targetSchema.isEmpty()) {
            c.fail("target-schema", null, "says where the routed tables go", "write target-schema = \"mydb\"");
        }
        if (!targetTable.isEmpty() && tablePattern.isEmpty()) {
            c.fail("target-table", targetTable, "needs a table-pattern: a rule without one routes whole schemas and"
                    + " keeps the tables' names", "add table-pattern = \"orders_*\", or remove target-table");
        }
        c.done();
    }

    private static void checkPattern(String key, String pattern, Checks c) {
        int star = pattern.indexOf('*');
        if (star >= 0 && star != pattern.length() - 1) {
            c.fail(key, pattern, "has a * that is not at its end; route patterns take * only as their last"
                    + " character", "write a pattern such as \"shard_*\", or add one rule per name");
        }
    }

    /** whether the rule routes the table */
    public boolean matches(String schema, String table) {
        return wildcard(schemaPattern, schema) && (tablePattern.isEmpty() || wildcard(tablePattern, table));
    }

    /** whether the rule names tables, not whole schemas */
    public boolean forTables() {
        return !tablePattern.isEmpty();
    }

    private static boolean wildcard(String pattern, String name) {
        StringBuilder regex = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            regex.append(switch (ch) {
                case '*' -> ".*";
                case '?' -> ".";
                default -> Pattern.quote(String.valueOf(ch));
            });
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL)
                .matcher(name).matches();
    }

    /** how messages name the rule: {@code [[routes]] #1 (line 20)} */
    public String describe() {
        Position at = origin.header();
        return "[[routes]] #" + index + (at.known() ? " (line " + at.line() + ")" : "");
    }

    static Route read(int index, TomlSection s) {
        return new Route(index, s.string("schema-pattern").orElse(null), s.string("table-pattern").orElse(""),
                s.string("target-schema").orElse(null), s.string("target-table").orElse(""), s.origin());
    }
}
