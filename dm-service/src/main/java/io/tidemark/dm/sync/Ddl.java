package io.tidemark.dm.sync;

import io.tidemark.common.table.TableRef;

import java.util.List;

/** What a QUERY event of the binlog is, as far as replication cares. */
sealed interface Ddl {
    String sql();

    enum Kind {
        CREATE_TABLE, ALTER_TABLE, DROP_TABLE, RENAME_TABLE, TRUNCATE_TABLE, CREATE_INDEX, DROP_INDEX,
        CREATE_DATABASE, DROP_DATABASE, ALTER_DATABASE;

        /** DM's binlog event name of the statement: {@code create table}, {@code drop database} … */
        String event() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    /**
     * A statement on tables, names resolved against the session's default schema.
     *
     * @param tables      for RENAME_TABLE the pairs from, to, from, to …; otherwise the tables changed
     * @param names       where each of {@code tables} is written in {@code sql}, for routing to rewrite it
     * @param otherTables the statement names tables beyond {@code tables} (LIKE, REFERENCES, ALTER … RENAME,
     *                    … SELECT), which routing cannot rewrite
     */
    record TableDdl(Kind kind, List<TableRef> tables, String sql, List<Span> names, boolean otherTables)
            implements Ddl {
        public TableDdl {
            tables = List.copyOf(tables);
            names = List.copyOf(names);
        }

        TableDdl(Kind kind, List<TableRef> tables, String sql) {
            this(kind, tables, sql, List.of(), false);
        }
    }

    /** a name's characters in the statement, {@code [start, end)} */
    record Span(int start, int end) {
    }

    record SchemaDdl(Kind kind, String schema, int nameEnd, String sql) implements Ddl {
    }

    /** transaction control, account management, routines, views, temporary tables: nothing to replay */
    record Other(String what, String sql) implements Ddl {
    }

    /** a statement a DDL could not be read from: its name is in the message, replication stops on it */
    record Unreadable(String problem, String sql) implements Ddl {
    }
}
