package io.tidemark.coordinator.precheck;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.migration.Mode;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.table.TableRouter;
import io.tidemark.mysql.precheck.CheckResult;
import io.tidemark.mysql.precheck.Precheck;
import io.tidemark.mysql.precheck.source.SourceChecks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code shard_tables}, for a spec whose routes merge several source tables into one target table (DM's shard merge;
 * DM's checker has the same two items). The shards must be defined alike — the same columns in the same order with
 * the same types — since the merged table is created from the first and every shard's rows go into it by position.
 * Shards keyed by an auto-increment primary key would overwrite each other's rows where their key values meet: where
 * the values the shards hold overlap already it fails; where they do not yet, it warns, as each shard's counter may
 * still run into another's range.
 */
final class ShardTablesCheck implements Precheck<MigrationFacts> {
    static final String NAME = "shard_tables";
    static final String ACROSS = "shard_sources";
    private static final String KEYS_FIX = ErrorCode.SHARD_KEYS_COLLIDE.remedy();

    private final Set<String> needs;

    /** as {@link TargetTablesCheck}: the tables-selected check runs only in the modes that dump */
    ShardTablesCheck(Mode mode) {
        this.needs = mode.snapshots() ? Set.of(SourceChecks.LOGIN, SourceChecks.TABLES_SELECTED)
                : Set.of(SourceChecks.LOGIN);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> needs() {
        return needs;
    }

    /** the merged target tables, each with the (two or more) source tables routed into it, in name order */
    static Map<TableRef, List<TableDefinition>> shards(Collection<TableDefinition> tables, TableRouter router) {
        Map<TableRef, List<TableDefinition>> byTarget = new TreeMap<>();
        if (router.isEmpty()) {
            return byTarget;
        }
        tables.stream().sorted(Comparator.comparing(TableDefinition::table)).forEach(t ->
                byTarget.computeIfAbsent(lower(router.route(t.table())), k -> new ArrayList<>()).add(t));
        byTarget.values().removeIf(l -> l.size() < 2);
        return byTarget;
    }

    /** routed names compare without case, as DM's default case-sensitive: false */
    private static TableRef lower(TableRef t) {
        return TableRef.of(t.schema().toLowerCase(Locale.ROOT), t.table().toLowerCase(Locale.ROOT));
    }

    @Override
    public CheckResult check(MigrationFacts f) {
        if (!f.sourceTables().known()) {
            return CheckResult.fail(name(), f.sourceTables().error(), f.sourceTables().error().error().remedy());
        }
        Map<TableRef, List<TableDefinition>> merged = shards(f.sourceTables().value().values(),
                TableRouter.of(f.spec().routes()));
        if (merged.isEmpty()) {
            return CheckResult.pass(name(), "no two selected tables are routed into one");
        }
        for (Map.Entry<TableRef, List<TableDefinition>> e : merged.entrySet()) {
            String differs = difference(e.getValue());
            if (differs != null) {
                return CheckResult.fail(name(), new TidemarkException(ErrorCode.SHARD_TABLES_DIFFER, e.getKey(),
                        differs), ErrorCode.SHARD_TABLES_DIFFER.remedy());
            }
        }
        List<String> warned = new ArrayList<>();
        for (Map.Entry<TableRef, List<TableDefinition>> e : merged.entrySet()) {
            List<TableDefinition> counted = e.getValue().stream().filter(t -> t.autoIncrementKey() != null).toList();
            if (counted.isEmpty()) {
                continue;
            }
            String overlap = overlap(counted);
            if (overlap != null) {
                return CheckResult.fail(name(), new TidemarkException(ErrorCode.SHARD_KEYS_COLLIDE, e.getKey(),
                        overlap), KEYS_FIX);
            }
            warned.add(e.getKey() + " (from " + counted.stream().map(t -> t.table() + " `" + t.autoIncrementKey()
                    + "` " + (t.keyRange() == null ? "empty" : t.keyRange())).collect(Collectors.joining(", ")) + ")");
        }
        String tables = merged.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue().size() + " tables)")
                .collect(Collectors.joining(", "));
        if (!warned.isEmpty()) {
            return CheckResult.warn(name(), "the shards merged into " + String.join("; ", warned)
                    + " are keyed by auto-increment columns whose values do not overlap yet, but each shard's"
                    + " counter may run into another's range", KEYS_FIX);
        }
        return CheckResult.pass(name(), "the shards of each merged table are defined alike: " + tables);
    }

    /**
     * {@code shard_sources}: the target tables that several sources of one DM task merge into (each source's tables
     * routed by its own rules), checked as {@link #check} checks one source's shards: defined alike, and
     * auto-increment keys whose values overlap fail with DM's fix, disjoint ones warned of. Each shard is named with
     * its source ({@code mysql-01:shop.t_1}).
     *
     * @param tables  each source's selected tables, by source id
     * @param routers each source's routes, by source id
     * @return null when no target table is merged from two or more sources
     */
    static CheckResult acrossSources(Map<String, Collection<TableDefinition>> tables,
                                     Map<String, TableRouter> routers) {
        Map<TableRef, List<TableDefinition>> merged = new TreeMap<>();
        Map<TableRef, Set<String>> sources = new TreeMap<>();
        tables.forEach((source, defs) -> defs.stream().sorted(Comparator.comparing(TableDefinition::table))
                .forEach(t -> {
                    TableRef target = lower(routers.get(source).route(t.table()));
                    merged.computeIfAbsent(target, k -> new ArrayList<>()).add(labelled(source, t));
                    sources.computeIfAbsent(target, k -> new TreeSet<>()).add(source);
                }));
        merged.keySet().removeIf(t -> sources.get(t).size() < 2);
        if (merged.isEmpty()) {
            return null;
        }
        for (Map.Entry<TableRef, List<TableDefinition>> e : merged.entrySet()) {
            String differs = difference(e.getValue());
            if (differs != null) {
                return CheckResult.fail(ACROSS, new TidemarkException(ErrorCode.SHARD_TABLES_DIFFER, e.getKey(),
                        differs), ErrorCode.SHARD_TABLES_DIFFER.remedy());
            }
        }
        List<String> warned = new ArrayList<>();
        for (Map.Entry<TableRef, List<TableDefinition>> e : merged.entrySet()) {
            List<TableDefinition> counted = e.getValue().stream().filter(t -> t.autoIncrementKey() != null).toList();
            if (counted.isEmpty()) {
                continue;
            }
            String overlap = overlap(counted);
            if (overlap != null) {
                return CheckResult.fail(ACROSS, new TidemarkException(ErrorCode.SHARD_KEYS_COLLIDE, e.getKey(),
                        overlap), KEYS_FIX);
            }
            warned.add(e.getKey() + " (from " + counted.stream().map(t -> t.table() + " `" + t.autoIncrementKey()
                    + "` " + (t.keyRange() == null ? "empty" : t.keyRange())).collect(Collectors.joining(", ")) + ")");
        }
        if (!warned.isEmpty()) {
            return CheckResult.warn(ACROSS, "the shards of several sources merged into " + String.join("; ", warned)
                    + " are keyed by auto-increment columns whose values do not overlap yet, but each shard's"
                    + " counter may run into another's range", KEYS_FIX);
        }
        return CheckResult.pass(ACROSS, "the shards of several sources merged into one table are defined alike: "
                + merged.entrySet().stream().map(e -> e.getKey() + " (from " + String.join(", ",
                        sources.get(e.getKey())) + ")").collect(Collectors.joining(", ")));
    }

    /** the source's table named with the source, as messages about shards of several sources name it */
    private static TableDefinition labelled(String source, TableDefinition t) {
        return new TableDefinition(TableRef.of(source + ":" + t.table().schema(), t.table().table()), t.columns(),
                t.primaryKey(), t.uniqueKeys(), t.engine(), t.hasRows(), t.autoIncrementKey(), t.keyRange());
    }

    /** how a shard's columns differ from the first shard's; null when every shard has the same */
    private static String difference(List<TableDefinition> shards) {
        TableDefinition first = shards.getFirst();
        for (TableDefinition other : shards.subList(1, shards.size())) {
            int n = Math.max(first.columns().size(), other.columns().size());
            for (int i = 0; i < n; i++) {
                String a = i < first.columns().size() ? describe(first.columns().get(i)) : "no column";
                String b = i < other.columns().size() ? describe(other.columns().get(i)) : "no column";
                if (!a.equalsIgnoreCase(b)) {
                    return other.table() + " has " + b + " as column " + (i + 1) + " where " + first.table()
                            + " has " + a;
                }
            }
        }
        return null;
    }

    private static String describe(TableDefinition.Column c) {
        return "`" + c.name() + "` " + c.type();
    }

    /** the first two shards whose auto-increment values overlap, with their ranges; null when none do */
    private static String overlap(List<TableDefinition> shards) {
        for (int i = 0; i < shards.size(); i++) {
            for (int j = i + 1; j < shards.size(); j++) {
                TableDefinition a = shards.get(i);
                TableDefinition b = shards.get(j);
                if (a.keyRange() != null && b.keyRange() != null && a.keyRange().overlaps(b.keyRange())) {
                    return a.table() + " `" + a.autoIncrementKey() + "` holds " + a.keyRange() + " and "
                            + b.table() + " `" + b.autoIncrementKey() + "` holds " + b.keyRange();
                }
            }
        }
        return null;
    }
}
