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
     * @param tables for RENAME_TABLE the pairs from, to, from, to …; otherwise the tables changed
     */
    record TableDdl(Kind kind, List<TableRef> tables, String sql) implements Ddl {
        public TableDdl {
            tables = List.copyOf(tables);
        }
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
