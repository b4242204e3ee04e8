package io.tidemark.common.table;

import io.tidemark.common.command.RouteRule;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * DM's table routing over a task's {@link RouteRule}s: a table goes where the first table rule matching it says
 * (schema and table patterns); failing that, where the first schema rule matching its schema says, under its own
 * name; failing both, it keeps its names. DM's order: a table rule wins over a schema rule. Names match
 * case-insensitively, as DM's default {@code case-sensitive: false}. Rules may merge several source tables into one
 * target table ({@link #merges}). Immutable and thread-safe.
 */
public final class TableRouter {
    private record Compiled(RouteRule rule, Pattern schema, Pattern table) {
    }

    private final List<Compiled> tableRules;
    private final List<Compiled> schemaRules;

    private TableRouter(List<Compiled> tableRules, List<Compiled> schemaRules) {
        this.tableRules = tableRules;
        this.schemaRules = schemaRules;
    }

    public static TableRouter of(List<RouteRule> rules) {
        List<Compiled> tables = new ArrayList<>();
        List<Compiled> schemas = new ArrayList<>();
        for (RouteRule r : rules) {
            Compiled c = new Compiled(r, Wildcards.compile(r.schemaPattern()),
                    r.tablePattern() == null ? null : Wildcards.compile(r.tablePattern()));
            (c.table() == null ? schemas : tables).add(c);
        }
        return new TableRouter(List.copyOf(tables), List.copyOf(schemas));
    }

    public boolean isEmpty() {
        return tableRules.isEmpty() && schemaRules.isEmpty();
    }

    /** where the source table's rows and statements go */
    public TableRef route(TableRef source) {
        for (Compiled c : tableRules) {
            if (c.schema().matcher(source.schema()).matches() && c.table().matcher(source.table()).matches()) {
                return TableRef.of(c.rule().targetSchema(),
                        c.rule().targetTable() == null ? source.table() : c.rule().targetTable());
            }
        }
        return TableRef.of(routeSchema(source.schema()), source.table());
    }

    /**
     * The columns the rule routing {@code source} fills (DM's extract-table, extract-schema, extract-source), each with
     * the value every row of the table gets, in that order; empty when the table's rule fills none.
     */
    public List<ExtractedColumn> extracted(TableRef source) {
        for (Compiled c : tableRules) {
            if (c.schema().matcher(source.schema()).matches() && c.table().matcher(source.table()).matches()) {
                RouteRule r = c.rule();
                List<ExtractedColumn> out = new ArrayList<>(3);
                if (r.extractTable() != null) {
                    out.add(new ExtractedColumn(r.extractTable().targetColumn(),
                            r.extractTable().valueOf(source.table())));
                }
                if (r.extractSchema() != null) {
                    out.add(new ExtractedColumn(r.extractSchema().targetColumn(),
                            r.extractSchema().valueOf(source.schema())));
                }
                if (r.extractSource() != null) {
                    out.add(new ExtractedColumn(r.extractSource().targetColumn(),
                            r.extractSource().valueOf(r.source())));
                }
                return List.copyOf(out);
            }
        }
        return List.of();
    }

    /**
     * The extract-source column of the rules writing {@code target}, with the value this router's rows get in it: the
     * one column that tells this source's rows of a table merged from several sources from the others'; empty when
     * no rule writing the table has one.
     */
    public Optional<ExtractedColumn> sourceColumn(TableRef target) {
        for (Compiled c : tableRules) {
            RouteRule r = c.rule();
            if (r.extractSource() != null && writes(r, target)) {
                return Optional.of(new ExtractedColumn(r.extractSource().targetColumn(),
                        r.extractSource().valueOf(r.source())));
            }
        }
        return Optional.empty();
    }

    /** the columns of {@code target} that the rules writing it fill themselves, in no order; empty when none */
    public Set<String> extractColumns(TableRef target) {
        Set<String> out = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (Compiled c : tableRules) {
            RouteRule r = c.rule();
            if (writes(r, target)) {
                for (RouteRule.Extract e : new RouteRule.Extract[]{r.extractTable(), r.extractSchema(),
                        r.extractSource()}) {
                    if (e != null) {
                        out.add(e.targetColumn());
                    }
                }
            }
        }
        return out;
    }

    private static boolean writes(RouteRule r, TableRef target) {
        return r.targetSchema().equalsIgnoreCase(target.schema()) && (r.targetTable() != null
                ? r.targetTable().equalsIgnoreCase(target.table())
                : Wildcards.compile(r.tablePattern()).matcher(target.table()).matches());
    }

    /** where a statement on the schema itself goes: the schema rules alone decide */
    public String routeSchema(String schema) {
        for (Compiled c : schemaRules) {
            if (c.schema().matcher(schema).matches()) {
                return c.rule().targetSchema();
            }
        }
        return schema;
    }

    /**
     * Whether the target table is one the rules merge several source tables into (DM's shard merge): the fixed
     * target of a table rule with a wildcard in a pattern, or of two table rules, or of a rule with extract-source
     * (which a DM task merging several sources into one table has on every rule writing it, each source's rules then
     * naming only its own tables). Schema rules, whose tables keep their names, are not counted as merging.
     */
    public boolean merges(TableRef target) {
        int rules = 0;
        for (Compiled c : tableRules) {
            RouteRule r = c.rule();
            if (r.targetTable() == null || !r.targetSchema().equalsIgnoreCase(target.schema())
                    || !r.targetTable().equalsIgnoreCase(target.table())) {
                continue;
            }
            if (Wildcards.has(r.schemaPattern()) || Wildcards.has(r.tablePattern()) || r.extractSource() != null
                    || ++rules > 1) {
                return true;
            }
        }
        return false;
    }

    /** DM's table-rule wildcards: {@code *} any run of characters, {@code ?} one; case-insensitive */
    static final class Wildcards {
        private Wildcards() {
        }

        static boolean has(String pattern) {
            return pattern != null && (pattern.contains("*") || pattern.contains("?"));
        }

        static Pattern compile(String pattern) {
            StringBuilder re = new StringBuilder();
            for (char c : pattern.toCharArray()) {
                switch (c) {
                    case '*' -> re.append("(?s).*");
                    case '?' -> re.append("(?s).");
                    default -> re.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        }
    }
}
