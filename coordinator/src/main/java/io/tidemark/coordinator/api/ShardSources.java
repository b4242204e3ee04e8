package io.tidemark.coordinator.api;

import io.tidemark.common.command.RouteRule;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.table.TableRef;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A DM task becomes one migration per source. Each migration imports, verifies (by counting its target tables) and
 * replicates on its own, so two of them cannot share a target table yet: its count would hold the other source's rows
 * too, and neither could tell its own apart without an extract-source column. One source's shards may be merged.
 */
final class ShardSources {
    private ShardSources() {
    }

    /**
     * Refuses a task whose sources' routes name one target table (a table rule's fixed {@code target-table}), before
     * anything is created.
     *
     * @param routesBySource each source's routes, by source id
     */
    static void refuseMergeAcrossSources(String task, Map<String, List<RouteRule>> routesBySource) {
        Map<TableRef, Set<String>> writers = new TreeMap<>();
        routesBySource.forEach((source, routes) -> routes.stream().filter(r -> r.targetTable() != null)
                .forEach(r -> writers.computeIfAbsent(TableRef.of(r.targetSchema().toLowerCase(Locale.ROOT),
                        r.targetTable().toLowerCase(Locale.ROOT)), k -> new TreeSet<>()).add(source)));
        writers.entrySet().stream().filter(e -> e.getValue().size() > 1).findFirst().ifPresent(e -> {
            throw new TidemarkException(ErrorCode.SHARD_MERGE_ACROSS_SOURCES, task, e.getKey(),
                    String.join(", ", e.getValue()));
        });
    }
}
