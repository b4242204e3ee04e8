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
 */
record TableSchema(TableRef table, List<Column> columns, List<Integer> key, KeyKind keyKind) {
    enum KeyKind { PRIMARY, UNIQUE_NOT_NULL, ALL_COLUMNS }

    TableSchema {
        columns = List.copyOf(columns);
        key = List.copyOf(key);
    }
}
