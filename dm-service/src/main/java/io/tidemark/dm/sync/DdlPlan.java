package io.tidemark.dm.sync;

import io.tidemark.common.table.TableFilter;
import io.tidemark.common.table.TableRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What to run on the target for a classified statement: nothing (filtered out or not a DDL) or a statement, made
 * idempotent where that is always safe (DROP … IF EXISTS, CREATE DATABASE IF NOT EXISTS). Filtering as DM's block-allow
 * list: table statements by the table, schema statements by {@link TableFilter#matchesSchema}; the meta and system
 * schemas are never touched.
 */
record DdlPlan(String statement, String skipReason) {
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
        return new DdlPlan(null, reason);
    }

    static DdlPlan run(String statement) {
        return new DdlPlan(statement, null);
    }

    static DdlPlan of(Ddl ddl, TableFilter filter) {
        return switch (ddl) {
            case Ddl.Other o -> skip("not replicated: " + o.what());
            case Ddl.Unreadable u -> skip("unreadable: " + u.problem());
            case Ddl.SchemaDdl s -> schema(s, filter);
            case Ddl.TableDdl t -> table(t, filter);
        };
    }

    private static DdlPlan schema(Ddl.SchemaDdl s, TableFilter filter) {
        if (s.schema().isEmpty() || !filter.matchesSchema(s.schema())) {
            return skip("schema " + s.schema() + " is not selected by the filter");
        }
        return switch (s.kind()) {
            case CREATE_DATABASE -> run(CREATE_DB_HEAD.matcher(s.sql()).find()
                    ? "CREATE DATABASE IF NOT EXISTS " + TableRef.quote(s.schema()) + s.sql().substring(s.nameEnd())
                    : s.sql());
            case DROP_DATABASE -> run("DROP DATABASE IF EXISTS " + TableRef.quote(s.schema()));
            default -> run(s.sql());
        };
    }

    private static DdlPlan table(Ddl.TableDdl t, TableFilter filter) {
        return switch (t.kind()) {
            case DROP_TABLE -> {
                List<String> kept = new ArrayList<>();
                for (TableRef r : t.tables()) {
                    if (filter.matches(r)) {
                        kept.add(r.quoted());
                    }
                }
                yield kept.isEmpty() ? skip("no dropped table is selected by the filter")
                        : run("DROP TABLE IF EXISTS " + String.join(", ", kept));
            }
            case RENAME_TABLE -> {
                List<String> kept = new ArrayList<>();
                for (int i = 0; i + 1 < t.tables().size(); i += 2) {
                    if (filter.matches(t.tables().get(i))) {
                        kept.add(t.tables().get(i).quoted() + " TO " + t.tables().get(i + 1).quoted());
                    }
                }
                yield kept.isEmpty() ? skip("no renamed table is selected by the filter")
                        : run("RENAME TABLE " + String.join(", ", kept));
            }
            default -> filter.matches(t.tables().getFirst()) ? run(t.sql())
                    : skip("table " + t.tables().getFirst() + " is not selected by the filter");
        };
    }
}
