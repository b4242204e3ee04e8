package io.tidemark.coordinator.precheck;

import io.tidemark.common.table.TableRef;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A table as {@code information_schema} describes it, as far as deciding whether rows of one table fit another
 * needs. An immutable value.
 *
 * @param columns    in their order in the table
 * @param primaryKey the primary key's columns in key order; empty when there is none
 * @param uniqueKeys every other unique key's columns in key order
 * @param engine     {@code ENGINE} of {@code information_schema.TABLES}, e.g. {@code InnoDB}; null when unknown
 * @param hasRows    whether the table holds a row; null where it was not looked at (the source)
 * @param autoIncrementKey the primary key's one column when it is auto-increment; null otherwise
 * @param keyRange   the lowest and highest value of {@code autoIncrementKey}, read for the shards of a merged table
 *                   only; null elsewhere, and for an empty table
 */
record TableDefinition(TableRef table, List<Column> columns, List<String> primaryKey, List<List<String>> uniqueKeys,
                       String engine, Boolean hasRows, String autoIncrementKey, KeyRange keyRange) {
    /**
     * The engines whose tables a consistent-snapshot transaction reads as of one binlog position, which the source
     * then names (MariaDB's {@code Binlog_snapshot_file}/{@code _position}, or a brief {@code LOCK TABLES ... READ}
     * while the transaction opens on MySQL and Aurora): InnoDB (XtraDB calls itself InnoDB too).
     */
    private static final String SNAPSHOT_ENGINE = "InnoDB";

    TableDefinition {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        uniqueKeys = uniqueKeys.stream().map(List::copyOf).toList();
    }

    /**
     * @param type       {@code COLUMN_TYPE} as the server writes it, e.g. {@code decimal(10,2) unsigned}
     * @param hasDefault whether an INSERT may leave it out: a default, auto-increment or a generated column
     */
    record Column(String name, String type, boolean nullable, boolean hasDefault) {
    }

    TableDefinition(TableRef table, List<Column> columns, List<String> primaryKey, List<List<String>> uniqueKeys,
                    String engine, Boolean hasRows) {
        this(table, columns, primaryKey, uniqueKeys, engine, hasRows, null, null);
    }

    /** the values an auto-increment key holds, both ends included */
    record KeyRange(long min, long max) {
        boolean overlaps(KeyRange o) {
            return min <= o.max && o.min <= max;
        }

        @Override
        public String toString() {
            return min + "–" + max;
        }
    }

    TableDefinition withRows(boolean rows) {
        return new TableDefinition(table, columns, primaryKey, uniqueKeys, engine, rows, autoIncrementKey, keyRange);
    }

    TableDefinition withKeyRange(KeyRange range) {
        return new TableDefinition(table, columns, primaryKey, uniqueKeys, engine, hasRows, autoIncrementKey, range);
    }

    /** column names compare without case, as MySQL and TiDB compare them */
    Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
    }

    /**
     * Whether a row can be told apart from every other by its values: a primary key, or a unique key whose columns
     * are all NOT NULL (NULLs never collide in a unique key, so such a key lets duplicates in).
     */
    boolean identifiesRows() {
        return !primaryKey.isEmpty() || uniqueKeys.stream().anyMatch(key -> key.stream()
                .allMatch(name -> column(name).map(c -> !c.nullable()).orElse(false)));
    }

    /**
     * Whether the table's dump can be given an exact binlog point of its own: its engine reads a consistent snapshot.
     * A non-transactional engine (MyISAM, Aria, MEMORY, ...) is read as it is at each moment of the dump, so no one
     * position describes what was read.
     */
    boolean snapshotsAtAPoint() {
        return SNAPSHOT_ENGINE.equalsIgnoreCase(engine);
    }

    /** {@code schema.table} without case: how a target table is found for a source table */
    String key() {
        return key(table);
    }

    static String key(TableRef table) {
        return (table.schema() + "." + table.table()).toLowerCase(Locale.ROOT);
    }
}
