package io.tidemark.common.command;

import com.fasterxml.jackson.annotation.JsonValue;
import io.tidemark.common.position.BinlogPosition;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * DM's {@code binlog skip|replace|inject} for a task stopped on a statement the target rejected: when replication
 * reaches the binlog event that starts at exactly {@code position} again, that event is not applied ({@link Op#SKIP}),
 * the given statements run on the target instead ({@link Op#REPLACE}), or they run first and the event after them
 * ({@link Op#INJECT}); everything after it replicates normally. One-shot: once the checkpoint is past the position the
 * operation can never match again.
 *
 * @param op       skip, replace or inject
 * @param position the start of the event (file and offset; a GTID set is not compared)
 * @param sql      the statements that replace the event, or run before it, in order; empty for skip
 */
public record BinlogOperation(Op op, BinlogPosition position, List<String> sql) {
    public BinlogOperation {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(position, "position");
        sql = sql == null ? List.of() : sql.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (op != Op.SKIP && sql.isEmpty()) {
            throw new IllegalArgumentException("binlog " + op.code() + " at " + position
                    + " needs at least one statement");
        }
        if (op == Op.SKIP && !sql.isEmpty()) {
            throw new IllegalArgumentException("binlog skip at " + position + " takes no statements");
        }
    }

    /** whether the event starting at {@code eventStart} is the one this operation is for */
    public boolean matches(BinlogPosition eventStart) {
        return position.file().equals(eventStart.file()) && position.pos() == eventStart.pos();
    }

    public enum Op {
        SKIP, REPLACE, INJECT;

        @JsonValue
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** the op as the API and CLI spell it, null when it is neither */
        public static Op parse(String text) {
            for (Op op : values()) {
                if (op.code().equals(text)) {
                    return op;
                }
            }
            return null;
        }
    }
}
