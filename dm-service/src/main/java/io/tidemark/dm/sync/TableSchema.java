package io.tidemark.dm.sync;

import io.tidemark.common.table.TableRef;

import java.util.List;

/**
 * A target table's columns (in ordinal order, matching the binlog's column order because DDL is replayed in binlog
 * order) and the key a row is found by.
 *
 * @param key     ordinals of the key columns: the primary key, else a unique key over NOT NULL columns, else every
 *                written column
 * @param keyKind which of the three the key is; without a real key, statements compare with {@code <=>} and touch
 *                one row ({@code LIMIT 1}), as duplicates are indistinguishable
 * @param uniques ordinals of every unique index the target has (the primary key first), nullable columns included:
 *                the values two row changes must not reorder across parallel workers ({@link Causality}); empty
 *                when one of them is on a column prefix, which keeps the table's changes on one session
 */
record TableSchema(TableRef table, List<Column> columns, List<Integer> key, KeyKind keyKind,
                   List<List<Integer>> uniques) {
    enum KeyKind { PRIMARY, UNIQUE_NOT_NULL, ALL_COLUMNS }

    TableSchema {
        columns = List.copyOf(columns);
        key = List.copyOf(key);
        uniques = uniques.stream().map(List::copyOf).toList();
    }

    /** a table whose only unique index is its key (none when it has no real key) */
    TableSchema(TableRef table, List<Column> columns, List<Integer> key, KeyKind keyKind) {
        this(table, columns, key, keyKind, keyKind == KeyKind.ALL_COLUMNS ? List.of() : List.of(key));
    }
}
