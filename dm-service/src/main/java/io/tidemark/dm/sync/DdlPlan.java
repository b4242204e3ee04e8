package io.tidemark.dm.sync;

import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.table.TableFilter;
import io.tidemark.common.table.TableRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What to run on the target for a classified statement: nothing (filtered out or not a DDL) or a statement, made
 * idempotent where that is always safe (DROP … IF EXISTS, CREATE DATABASE IF NOT EXISTS). Filtering as DM's block-allow
 * list: table statements by the table, schema statements by {@link TableFilter#matchesSchema}; the meta and system
 * schemas are never touched.
 *
 * <p>A statement before a table's point is already in that table's dump, which was taken after it ({@link
 * TablePoints}): it is not run for that table. A statement on one table is skipped; DROP TABLE and RENAME TABLE keep
 * the tables (the pairs) whose dumps came before them; DROP DATABASE is skipped while a table of the schema was dumped
 * after it, since running it would drop that dump.
 */
record DdlPlan(String statement, String skipReason, boolean inDump) {
    /** MySQL errors that mean "this DDL already happened": tolerated on replay, never otherwise */
    static final Set<Integer> ALREADY_APPLIED = Set.of(
            1007, // database exists
            1008, // database doesn't exist
            1050, // table exists
            1051, // unknown table
            1146, // table doesn't exist
            1060, // duplicate column
            1061, // duplicate key name
            1068, // multiple primary key
            1091, // can't drop field or key
            1054, // unknown column
            1826); // duplicate foreign key

    private static final Pattern CREATE_DB_HEAD = Pattern.compile(
            "^\\s*CREATE\\s+(DATABASE|SCHEMA)\\s+(?!IF\\s+NOT\\s+EXISTS)", Pattern.CASE_INSENSITIVE);

    boolean apply() {
        return statement != null;
    }

    static DdlPlan skip(String reason) {
        return new DdlPlan(null, reason, false);
    }

    /** skipped because a table's dump, taken after the statement, already reflects it */
    static DdlPlan inDump(String reason) {
        return new DdlPlan(null, reason, true);
    }

    static DdlPlan run(String statement) {
        return new DdlPlan(statement, null, false);
    }

    static DdlPlan of(Ddl ddl, TableFilter filter) {
        return of(ddl, filter, TablePoints.none(), null);
    }

    /** @param at where the statement starts in the binlog, compared with the table points */
    static DdlPlan of(Ddl ddl, TableFilter filter, TablePoints points, BinlogPosition at) {
        return of(ddl, filter, points, at, Set.of());
    }

    /**
     * @param ignored tables a binlog event filter rule ignores this statement for: a DROP TABLE or RENAME TABLE of
     *                several keeps the others (DM splits such a statement per table)
     */
    static DdlPlan of(Ddl ddl, TableFilter filter, TablePoints points, BinlogPosition at, Set<TableRef> ignored) {
        Predicate<TableRef> inDump = t -> at != null && points.inDump(t, at);
        Predicate<TableRef> selected = t -> filter.matches(t) && !ignored.contains(t);
        return switch (ddl) {
            case Ddl.Other o -> skip("not replicated: " + o.what());
            case Ddl.Unreadable u -> skip("unreadable: " + u.problem());
            case Ddl.SchemaDdl s -> schema(s, filter, at == null ? List.of() : points.dumpedAfter(s.schema(), at));
            case Ddl.TableDdl t -> table(t, selected, inDump);
        };
    }

    private static DdlPlan schema(Ddl.SchemaDdl s, TableFilter filter, List<TableRef> dumpedAfter) {
        if (s.schema().isEmpty() || !filter.matchesSchema(s.schema())) {
            return skip("schema " + s.schema() + " is not selected by the filter");
        }
        if (s.kind() == Ddl.Kind.DROP_DATABASE && !dumpedAfter.isEmpty()) {
            return inDump("the dumps of " + dumpedAfter + " were taken after it (their table points are later)");
        }
        return switch (s.kind()) {
            case CREATE_DATABASE -> run(CREATE_DB_HEAD.matcher(s.sql()).find()
                    ? "CREATE DATABASE IF NOT EXISTS " + TableRef.quote(s.schema()) + s.sql().substring(s.nameEnd())
                    : s.sql());
            case DROP_DATABASE -> run("DROP DATABASE IF EXISTS " + TableRef.quote(s.schema()));
            default -> run(s.sql());
        };
    }

    private static DdlPlan table(Ddl.TableDdl t, Predicate<TableRef> selected, Predicate<TableRef> inDump) {
        return switch (t.kind()) {
            case DROP_TABLE -> {
                List<String> kept = new ArrayList<>();
                List<TableRef> dumped = new ArrayList<>();
                for (TableRef r : t.tables()) {
                    if (selected.test(r) && inDump.test(r)) {
                        dumped.add(r);
                    } else if (selected.test(r)) {
                        kept.add(r.quoted());
                    }
                }
                yield !kept.isEmpty() ? run("DROP TABLE IF EXISTS " + String.join(", ", kept))
                        : dumped.isEmpty() ? skip("no dropped table is selected by the filter") : inDump(dumped);
            }
            case RENAME_TABLE -> {
                List<String> kept = new ArrayList<>();
                List<TableRef> dumped = new ArrayList<>();
                for (int i = 0; i + 1 < t.tables().size(); i += 2) {
                    TableRef from = t.tables().get(i);
                    TableRef to = t.tables().get(i + 1);
                    if (!selected.test(from)) {
                        continue;
                    }
                    if (inDump.test(from) || inDump.test(to)) {
                        dumped.add(inDump.test(to) ? to : from);
                    } else {
                        kept.add(from.quoted() + " TO " + to.quoted());
                    }
                }
                yield !kept.isEmpty() ? run("RENAME TABLE " + String.join(", ", kept))
                        : dumped.isEmpty() ? skip("no renamed table is selected by the filter") : inDump(dumped);
            }
            default -> {
                TableRef table = t.tables().getFirst();
                if (!selected.test(table)) {
                    yield skip("table " + table + " is not selected by the filter");
                }
                yield inDump.test(table) ? inDump(List.of(table)) : run(t.sql());
            }
        };
    }

    private static DdlPlan inDump(List<TableRef> tables) {
        return inDump("before the table point of " + (tables.size() == 1 ? tables.getFirst() : tables)
                + ": the dump, taken after it, already reflects it");
    }
}
