package io.tidemark.common.table;

import io.tidemark.common.command.BinlogFilterRule;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * DM's binlog event filter over a task's {@link BinlogFilterRule}s. The rules that cover an event's schema and table
 * are taken in the order written; the first that decides, decides:
 * <ul>
 * <li>by event type (row events and the DDL Tidemark tells apart): a rule whose events match gives Ignore or Error;
 *     a Do rule whose events do not match gives Ignore (Do means "only these");</li>
 * <li>then, for a DDL, by its text: a rule with sqlPattern that matches gives Ignore or Error, a Do rule whose
 *     sqlPattern does not match gives Ignore.</li>
 * </ul>
 * Anything no rule decides is applied. A rule without a table pattern covers the schema's own statements and every
 * table in it; one with a table pattern covers only its tables. Names match case-insensitively, as DM's default
 * {@code case-sensitive: false}. Immutable and thread-safe.
 */
public final class BinlogEventFilter {
    /** the event names a rule may list: DM's, except its finer ALTER classifications, which Tidemark does not draw */
    public static final List<String> EVENTS = List.of("all", "none", "all dml", "none dml", "all ddl", "none ddl",
            "insert", "update", "delete", "create database", "drop database", "alter database", "create schema",
            "drop schema", "alter schema", "create table", "drop table", "truncate table", "rename table",
            "alter table", "create index", "drop index", "create view", "drop view");
    private static final Set<String> DML = Set.of("insert", "update", "delete");

    /** what to do with an event, and the rule that said so ({@code binlogFilters[i]}); rule -1 when none did */
    public record Decision(BinlogFilterRule.Action action, int rule) {
        static final Decision APPLY = new Decision(BinlogFilterRule.Action.DO, -1);

        public boolean ignored() {
            return action == BinlogFilterRule.Action.IGNORE;
        }

        public boolean refused() {
            return action == BinlogFilterRule.Action.ERROR;
        }

        /** {@code binlogFilters[2]}, naming the rule in logs and errors */
        public String ruleName() {
            return "binlogFilters[" + rule + "]";
        }
    }

    private record Compiled(int index, BinlogFilterRule rule, Pattern schema, Pattern table, Set<String> events,
                            Pattern sql) {
    }

    private final List<Compiled> rules;

    private BinlogEventFilter(List<Compiled> rules) {
        this.rules = rules;
    }

    public static BinlogEventFilter of(List<BinlogFilterRule> rules) {
        List<Compiled> out = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            BinlogFilterRule r = rules.get(i);
            out.add(new Compiled(i, r, TableRouter.Wildcards.compile(r.schemaPattern()), r.tablePattern() == null ? null
                    : TableRouter.Wildcards.compile(r.tablePattern()), Set.copyOf(r.events().stream().map(BinlogEventFilter::normalize)
                    .toList()), sql(r.sqlPattern())));
        }
        return new BinlogEventFilter(List.copyOf(out));
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * Refuses a rule that cannot be evaluated, naming the field: an event name DM does not have (with the valid
     * ones), a regular expression that does not compile. Called by the rule's constructor.
     */
    public static void check(List<String> events, List<String> sqlPattern) {
        for (int i = 0; i < events.size(); i++) {
            String e = events.get(i);
            if (e == null || !EVENTS.contains(normalize(e))) {
                throw new IllegalArgumentException("events[" + i + "] '" + e + "' is not a binlog event name; use "
                        + String.join(", ", EVENTS.stream().map(n -> "'" + n + "'").toList()));
            }
        }
        for (int i = 0; i < sqlPattern.size(); i++) {
            try {
                Pattern.compile(sqlPattern.get(i));
            } catch (PatternSyntaxException | NullPointerException ex) {
                throw new IllegalArgumentException("sqlPattern[" + i + "] is not a regular expression: "
                        + (ex instanceof PatternSyntaxException p ? p.getDescription() + " near index " + p.getIndex()
                        : "it is null"));
            }
        }
    }

    /** @param event insert, update or delete */
    public Decision row(TableRef table, String event) {
        return decide(table.schema(), table.table(), event, null);
    }

    /**
     * @param table null for a statement on the schema itself
     * @param event the DDL's event name ({@link #EVENTS}), null for a statement Tidemark does not classify (only
     *              sqlPattern can match it, as DM's "null event")
     */
    public Decision ddl(String schema, String table, String event, String sql) {
        return decide(schema, table, event, sql);
    }

    private Decision decide(String schema, String table, String event, String sql) {
        for (Compiled r : rules) {
            if (!covers(r, schema, table)) {
                continue;
            }
            BinlogFilterRule.Action action = r.rule().action();
            if (event != null) {
                boolean matched = matchesEvent(r.events(), event);
                if (matched && action != BinlogFilterRule.Action.DO) {
                    return new Decision(action, r.index());
                }
                if (!matched && action == BinlogFilterRule.Action.DO) {
                    return new Decision(BinlogFilterRule.Action.IGNORE, r.index());
                }
            }
            if (sql != null && !sql.isEmpty() && r.sql() != null) {
                boolean matched = r.sql().matcher(sql).find();
                if (matched && action != BinlogFilterRule.Action.DO) {
                    return new Decision(action, r.index());
                }
                if (!matched && action == BinlogFilterRule.Action.DO) {
                    return new Decision(BinlogFilterRule.Action.IGNORE, r.index());
                }
            }
        }
        return Decision.APPLY;
    }

    private static boolean covers(Compiled r, String schema, String table) {
        if (!r.schema().matcher(schema == null ? "" : schema).matches()) {
            return false;
        }
        return r.table() == null || table != null && r.table().matcher(table).matches();
    }

    /** DM's order of tests within a rule's list: "all"/"none" first, then the kind's "all"/"none", then the name */
    private static boolean matchesEvent(Set<String> events, String event) {
        boolean dml = DML.contains(event);
        if (events.contains("all")) {
            return true;
        }
        if (events.contains("none")) {
            return false;
        }
        if (events.contains(dml ? "all dml" : "all ddl")) {
            return true;
        }
        if (events.contains(dml ? "none dml" : "none ddl")) {
            return false;
        }
        return events.contains(event) || events.contains(alias(event));
    }

    private static String alias(String event) {
        return event.replace("database", "schema");
    }

    private static String normalize(String event) {
        return event.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    private static Pattern sql(List<String> patterns) {
        return patterns.isEmpty() ? null : Pattern.compile(String.join("|", patterns),
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }
}
