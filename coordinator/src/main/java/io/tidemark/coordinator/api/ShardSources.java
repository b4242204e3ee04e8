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
 * A DM task becomes one migration per source; several sources' routes may merge into one target table, which the
 * task's migrations then share. Each migration verifies its import by counting (and checksumming) its own rows of the
 * merged table, told apart from the other sources' rows by the route's extract-source column, so a table merged from
 * several sources needs that column.
 */
final class ShardSources {
    private ShardSources() {
    }

    /**
     * Refuses a task whose sources' routes name one target table (a table rule's fixed {@code target-table}) when a
     * rule writing it has no extract-source, before anything is created.
     *
     * @param routesBySource each source's routes, by source id
     */
    static void refuseMergeAcrossSources(String task, Map<String, List<RouteRule>> routesBySource) {
        Map<TableRef, Set<String>> writers = new TreeMap<>();
        Map<TableRef, Boolean> told = new TreeMap<>();
        routesBySource.forEach((source, routes) -> routes.stream().filter(r -> r.targetTable() != null)
                .forEach(r -> {
                    TableRef t = TableRef.of(r.targetSchema().toLowerCase(Locale.ROOT),
                            r.targetTable().toLowerCase(Locale.ROOT));
                    writers.computeIfAbsent(t, k -> new TreeSet<>()).add(source);
                    told.merge(t, r.extractSource() != null, Boolean::logicalAnd);
                }));
        writers.entrySet().stream().filter(e -> e.getValue().size() > 1 && !told.get(e.getKey())).findFirst()
                .ifPresent(e -> {
                    throw new TidemarkException(ErrorCode.SHARD_MERGE_ACROSS_SOURCES, task, e.getKey(),
                            String.join(", ", e.getValue()));
                });
    }
}
