package io.tidemark.dm.sync;

import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.table.TableFilter;
import io.tidemark.common.table.TableRouter;
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
        return of(ddl, filter, points, at, ignored, TableRouter.of(List.of()));
    }

    /**
     * @param router where tables and schemas go on the target: names are rewritten to it (qualified), and a statement
     *               whose names cannot be rewritten fails with ROUTE_DDL_UNREWRITABLE
     */
    static DdlPlan of(Ddl ddl, TableFilter filter, TablePoints points, BinlogPosition at, Set<TableRef> ignored,
                      TableRouter router) {
        Predicate<TableRef> inDump = t -> at != null && points.inDump(t, at);
        Predicate<TableRef> selected = t -> filter.matches(t) && !ignored.contains(t);
        return switch (ddl) {
            case Ddl.Other o -> skip("not replicated: " + o.what());
            case Ddl.Unreadable u -> skip("unreadable: " + u.problem());
            case Ddl.SchemaDdl s -> schema(s, filter, at == null ? List.of() : points.dumpedAfter(s.schema(), at),
                    router, at);
            case Ddl.TableDdl t -> table(t, selected, inDump, router, at);
        };
    }

    private static final Set<Ddl.Kind> COORDINATED = Set.of(Ddl.Kind.ALTER_TABLE, Ddl.Kind.CREATE_INDEX,
            Ddl.Kind.DROP_INDEX);

    /**
     * The shard whose DDL this is, when it changes a table the routes merge several source tables into (DM's shard
     * merge) and is not already in the table's dump; null otherwise. With {@code shard-mode: pessimistic} such a DDL
     * waits for the other shards' instead of running ({@link #table} stops the task on it otherwise).
     */
    static TableRef mergedShard(Ddl ddl, TableFilter filter, TablePoints points, BinlogPosition at,
                                Set<TableRef> ignored, TableRouter router) {
        // only a change of the definition waits for the other shards: a shard's CREATE, DROP, TRUNCATE or RENAME
        // would act on every shard's rows of the merged table, and still stops the task (SHARD_DDL_NOT_IMPLEMENTED)
        if (!(ddl instanceof Ddl.TableDdl t) || !COORDINATED.contains(t.kind())) {
            return null;
        }
        for (TableRef r : t.tables()) {
            if (filter.matches(r) && !ignored.contains(r) && !(at != null && points.inDump(r, at))
                    && router.merges(router.route(r))) {
                return r;
            }
        }
        return null;
    }

    /**
     * A shard's DDL as it runs on the merged table: its one table routed
     *
     * @throws TidemarkException ROUTE_DDL_UNREWRITABLE when it names other tables too
     */
    static String shardStatement(Ddl.TableDdl t, TableRouter router, BinlogPosition at) {
        return routed(t, router, at);
    }

    /** the statement with its one table's name replaced by the routed one; unchanged when the route keeps it */
    private static String routed(Ddl.TableDdl t, TableRouter router, BinlogPosition at) {
        TableRef table = t.tables().getFirst();
        TableRef to = router.route(table);
        if (to.equals(table)) {
            return t.sql();
        }
        if (t.otherTables() || t.names().size() != 1) {
            throw unrewritable(t.sql(), at);
        }
        Ddl.Span name = t.names().getFirst();
        return t.sql().substring(0, name.start()) + to.quoted() + t.sql().substring(name.end());
    }

    private static TidemarkException unrewritable(String sql, BinlogPosition at) {
        String oneLine = sql.replaceAll("\\s+", " ");
        return new TidemarkException(ErrorCode.ROUTE_DDL_UNREWRITABLE, at,
                oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine);
    }

    private static DdlPlan schema(Ddl.SchemaDdl s, TableFilter filter, List<TableRef> dumpedAfter,
                                  TableRouter router, BinlogPosition at) {
        if (s.schema().isEmpty() || !filter.matchesSchema(s.schema())) {
            return skip("schema " + s.schema() + " is not selected by the filter");
        }
        if (s.kind() == Ddl.Kind.DROP_DATABASE && !dumpedAfter.isEmpty()) {
            return inDump("the dumps of " + dumpedAfter + " were taken after it (their table points are later)");
        }
        String to = router.routeSchema(s.schema());
        boolean moved = !to.equals(s.schema());
        return switch (s.kind()) {
            case CREATE_DATABASE -> run(CREATE_DB_HEAD.matcher(s.sql()).find() || moved
                    ? "CREATE DATABASE IF NOT EXISTS " + TableRef.quote(to) + s.sql().substring(s.nameEnd())
                    : s.sql());
            case DROP_DATABASE -> run("DROP DATABASE IF EXISTS " + TableRef.quote(to));
            default -> {
                if (!moved) {
                    yield run(s.sql());
                }
                if (s.nameEnd() < 0) {
                    throw unrewritable(s.sql(), at);
                }
                yield run("ALTER DATABASE " + TableRef.quote(to) + s.sql().substring(s.nameEnd()));
            }
        };
    }

    private static DdlPlan table(Ddl.TableDdl t, Predicate<TableRef> selected, Predicate<TableRef> inDump,
                                 TableRouter router, BinlogPosition at) {
        // one shard's DDL on a merged table must wait for the others' (DM's shard-mode pessimistic): not done yet,
        // so it stops here rather than changing the table under the shards that have not made it
        for (TableRef r : t.tables()) {
            if (selected.test(r) && !inDump.test(r) && router.merges(router.route(r))) {
                String oneLine = t.sql().replaceAll("\\s+", " ");
                throw new TidemarkException(ErrorCode.SHARD_DDL_NOT_IMPLEMENTED, at,
                        oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine, router.route(r));
            }
        }
        return switch (t.kind()) {
            case DROP_TABLE -> {
                List<String> kept = new ArrayList<>();
                List<TableRef> dumped = new ArrayList<>();
                for (TableRef r : t.tables()) {
                    if (selected.test(r) && inDump.test(r)) {
                        dumped.add(r);
                    } else if (selected.test(r)) {
                        kept.add(router.route(r).quoted());
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
                        kept.add(router.route(from).quoted() + " TO " + router.route(to).quoted());
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
                yield inDump.test(table) ? inDump(List.of(table)) : run(routed(t, router, at));
            }
        };
    }

    private static DdlPlan inDump(List<TableRef> tables) {
        return inDump("before the table point of " + (tables.size() == 1 ? tables.getFirst() : tables)
                + ": the dump, taken after it, already reflects it");
    }
}
