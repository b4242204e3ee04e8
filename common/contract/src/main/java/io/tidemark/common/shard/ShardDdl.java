package io.tidemark.common.shard;

import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.table.TableRef;

import java.util.Objects;

/**
 * One shard's DDL on a merged table (DM's {@code shard-mode: pessimistic}), as the shard's replication reached it and
 * waits: the shard's changes after it are held back until every shard of the target table has reached the same DDL.
 *
 * @param table     the shard: the source table the DDL changes
 * @param target    the merged target table it is routed to
 * @param position  where the DDL starts in the shard's source binlog
 * @param statement the DDL as it would run on the target (its table's name routed), on one line
 */
public record ShardDdl(TableRef table, TableRef target, BinlogPosition position, String statement) {
    public ShardDdl {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(statement, "statement");
    }

    /** the shard's DDL resolved: run on the target by this shard ({@code apply}), or passed over (another shard ran it) */
    public record Go(TableRef table, BinlogPosition position, boolean apply) {
        public Go {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(position, "position");
        }

        public boolean matches(TableRef t, BinlogPosition at) {
            return table.equals(t) && position.file().equals(at.file()) && position.pos() == at.pos();
        }
    }
}
