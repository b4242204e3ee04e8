package io.tidemark.common.position;

import io.tidemark.common.table.TableRef;

import java.util.Objects;

/**
 * DM's "table point": where in the source's binlog one table's snapshot was taken. The table's dump holds exactly
 * the transactions committed before {@code position}; replication skips that table's events before it and applies
 * those after it once, which keeps even a table without a primary or unique key exact.
 */
public record TablePoint(TableRef table, BinlogPosition position) {
    public TablePoint {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(position, "position");
    }
}
