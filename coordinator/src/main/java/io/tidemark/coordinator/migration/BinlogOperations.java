package io.tidemark.coordinator.migration;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tidemark.common.command.BinlogOperation;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.shard.ShardDdl;

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
public record BinlogOperations(BinlogOperation pending, List<Requested> requested,
                               @JsonInclude(JsonInclude.Include.NON_NULL) ShardDdls shard) {
    public static final BinlogOperations NONE = new BinlogOperations(null, List.of());

    public BinlogOperations {
        requested = requested == null ? List.of() : List.copyOf(requested);
        // none is not written, so that a value stays as it was before the field existed
        shard = shard == null || shard.equals(ShardDdls.NONE) ? null : shard;
    }

    /** the shard DDL state, none when there is none */
    public ShardDdls shardDdls() {
        return shard == null ? ShardDdls.NONE : shard;
    }

    public BinlogOperations(BinlogOperation pending, List<Requested> requested) {
        this(pending, requested, ShardDdls.NONE);
    }

    /**
     * DM's shard-mode pessimistic on a migration: the shard DDLs its replication last reported waiting at, and the
     * coordinator's word on the ones every shard reached (which this migration runs on the target, which it passes
     * over), carried by its replication task. A value written before the field existed reads as none.
     */
    public record ShardDdls(List<ShardDdl> waiting, List<ShardDdl.Go> go) {
        public static final ShardDdls NONE = new ShardDdls(List.of(), List.of());

        public ShardDdls {
            waiting = waiting == null ? List.of() : List.copyOf(waiting);
            go = go == null ? List.of() : List.copyOf(go);
        }
    }

    /** replication reports waiting at {@code waiting} now */
    BinlogOperations waiting(List<ShardDdl> waiting) {
        return new BinlogOperations(pending, requested, new ShardDdls(waiting, shardDdls().go()));
    }

    /** the coordinator's word on shard DDLs, added to what the task carries */
    BinlogOperations go(List<ShardDdl.Go> more) {
        List<ShardDdl.Go> all = new ArrayList<>(shardDdls().go());
        more.stream().filter(g -> !all.contains(g)).forEach(all::add);
        return new BinlogOperations(pending, requested, new ShardDdls(shardDdls().waiting(), all));
    }

    /** an operation as asked for, and when */
    public record Requested(BinlogOperation operation, Instant at) {
    }

    BinlogOperations requested(BinlogOperation operation, Instant at) {
        List<Requested> all = new ArrayList<>(requested);
        all.add(new Requested(operation, at));
        return new BinlogOperations(operation, all, shard);
    }

    /** replication reported {@code position}: an operation on an event before it was consumed */
    BinlogOperations reached(BinlogPosition position) {
        return pending != null && pending.position().isBefore(position) ? new BinlogOperations(null, requested, shard)
                : this;
    }
}
