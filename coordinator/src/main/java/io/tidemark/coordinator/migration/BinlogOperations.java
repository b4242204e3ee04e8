package io.tidemark.coordinator.migration;

import io.tidemark.common.command.BinlogOperation;
import io.tidemark.common.position.BinlogPosition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * DM's {@code binlog skip|replace} on a migration: every operation asked for (what, where, when), and the one the
 * replication task still carries. One-shot: once replication reports a position past the operation's event, the
 * event was applied, skipped or replaced, and the task is published without it from then on.
 *
 * @param pending   the operation the next replication task carries; null when none
 * @param requested every operation asked for, oldest first
 */
public record BinlogOperations(BinlogOperation pending, List<Requested> requested) {
    public static final BinlogOperations NONE = new BinlogOperations(null, List.of());

    public BinlogOperations {
        requested = requested == null ? List.of() : List.copyOf(requested);
    }

    /** an operation as asked for, and when */
    public record Requested(BinlogOperation operation, Instant at) {
    }

    BinlogOperations requested(BinlogOperation operation, Instant at) {
        List<Requested> all = new ArrayList<>(requested);
        all.add(new Requested(operation, at));
        return new BinlogOperations(operation, all);
    }

    /** replication reported {@code position}: an operation on an event before it was consumed */
    BinlogOperations reached(BinlogPosition position) {
        return pending != null && pending.position().isBefore(position) ? new BinlogOperations(null, requested) : this;
    }
}
