package io.tidemark.coordinator.shard;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.shard.ShardDdl;
import io.tidemark.common.table.TableRef;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.migration.TableProgress;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A shard DDL lock (DM's {@code shard-ddl-lock}) on one merged target table of one DM task (or of one migration that
 * merges its own shards): which shards have reached which DDL, and which the lock still waits for. Derived from the
 * migrations' persisted state on every look (their replication's last reported waiting DDLs, the snapshot's tables),
 * never kept apart from it. Immutable.
 *
 * @param id         {@code TASK-schema.table}, as dmctl names a lock by its task and target
 * @param task       the DM task, or the migration id of a migration of its own
 * @param target     the merged table
 * @param reached    the shards waiting at a DDL, by migration, each migration's in binlog order
 * @param waitingFor the shards of the table known from the snapshot that have not reached it; empty in mode
 *                   incremental, whose shards are not listed (its lock resolves only by unlock)
 * @param resolved   every reached shard has the coordinator's word to go on (they restart past it)
 * @param error      why it is blocked (the shards' DDLs differ); null when not
 */
public record ShardDdlLock(String id, String task, TableRef target, List<Shard> reached, List<String> waitingFor,
                           boolean shardsKnown, boolean resolved, TidemarkException error) {

    /** one shard at its DDL */
    public record Shard(MigrationId migration, TableRef table, BinlogPosition position, String statement,
                        boolean go) {
        String name() {
            return migration.value() + ":" + table;
        }
    }

    /** every shard reached the same DDL and none has its word yet: the coordinator resolves it now */
    public boolean complete() {
        return shardsKnown && waitingFor.isEmpty() && error == null && !resolved && !reached.isEmpty();
    }

    /** the state as a word: waiting, blocked, complete (about to be resolved) or resolved (shards going on) */
    public String state() {
        return resolved ? "resolved" : error != null ? "blocked" : complete() ? "complete" : "waiting";
    }

    /**
     * The coordinator's word on the lock: the first reached shard runs the DDL on the merged table, every other passes
     * over its own; by migration.
     */
    public Map<MigrationId, List<ShardDdl.Go>> go() {
        Map<MigrationId, List<ShardDdl.Go>> out = new TreeMap<>(Comparator.comparing(MigrationId::value));
        for (int i = 0; i < reached.size(); i++) {
            Shard s = reached.get(i);
            out.computeIfAbsent(s.migration(), k -> new ArrayList<>()).add(new ShardDdl.Go(s.table(), s.position(),
                    i == 0));
        }
        return out;
    }

    /** the locks of the given migrations: one per task (or migration of its own) and merged table with a shard at a DDL */
    public static List<ShardDdlLock> of(List<Migration> migrations) {
        Map<String, List<Migration>> groups = new TreeMap<>();
        for (Migration m : migrations) {
            groups.computeIfAbsent(group(m), k -> new ArrayList<>()).add(m);
        }
        List<ShardDdlLock> out = new ArrayList<>();
        groups.forEach((task, members) -> out.addAll(locks(task, members)));
        return out;
    }

    /** the DM task a migration is a source of, or the migration itself */
    public static String group(Migration m) {
        return m.spec().task() != null ? m.spec().task() : m.id().value();
    }

    private static List<ShardDdlLock> locks(String task, List<Migration> members) {
        Map<TableRef, List<Shard>> byTarget = new TreeMap<>();
        List<Migration> sorted = members.stream().sorted(Comparator.comparing(m -> m.id().value())).toList();
        for (Migration m : sorted) {
            List<ShardDdl.Go> go = m.binlog().shardDdls().go();
            // within a migration in binlog order: the first lock-holder runs the DDL before its stream passes the
            // others' (which then wait for the merged table to change)
            m.binlog().shardDdls().waiting().stream().sorted((a, b) -> a.position().isBefore(b.position()) ? -1
                    : b.position().isBefore(a.position()) ? 1 : 0).forEach(w ->
                    byTarget.computeIfAbsent(lower(w.target()), k -> new ArrayList<>()).add(new Shard(m.id(),
                            w.table(), w.position(), w.statement(), go.stream().anyMatch(g -> g.matches(w.table(),
                            w.position())))));
        }
        List<ShardDdlLock> out = new ArrayList<>();
        byTarget.forEach((target, reached) -> {
            Set<String> known = new TreeSet<>();
            for (Migration m : sorted) {
                for (TableProgress t : m.progress().tables().values()) {
                    if (t.target() != null && lower(t.target()).equals(target)) {
                        known.add(m.id().value() + ":" + t.table());
                    }
                }
            }
            Set<String> at = new TreeSet<>();
            reached.forEach(s -> at.add(s.name()));
            List<String> waitingFor = known.stream().filter(k -> !at.contains(k)).toList();
            String first = reached.getFirst().statement();
            List<String> differing = reached.stream().filter(s -> !same(s.statement(), first))
                    .map(s -> s.name() + " at " + s.position() + ": " + s.statement()).toList();
            TidemarkException error = differing.isEmpty() ? null : new TidemarkException(ErrorCode.SHARD_DDL_DIFFERS,
                    target, reached.getFirst().name() + " at " + reached.getFirst().position() + ": " + first
                    + "; but " + String.join("; ", differing));
            boolean resolved = reached.stream().allMatch(Shard::go);
            out.add(new ShardDdlLock(task + "-" + target.schema() + "." + target.table(), task, target,
                    List.copyOf(reached), waitingFor, !known.isEmpty(), resolved, error));
        });
        return out;
    }

    /** two shards' DDLs, routed to the merged table, are the same statement (spacing and case of keywords aside) */
    private static boolean same(String a, String b) {
        return a.replaceAll("\\s+", " ").strip().equalsIgnoreCase(b.replaceAll("\\s+", " ").strip());
    }

    private static TableRef lower(TableRef t) {
        return TableRef.of(t.schema().toLowerCase(Locale.ROOT), t.table().toLowerCase(Locale.ROOT));
    }
}
