package io.tidemark.coordinator.migration;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.table.TableFilter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether two migrations may write the same target table. When a migration is created its tables are not known yet,
 * only its filter rules (tables are found when the snapshot lists the source), so the answer comes from the rules,
 * and in doubt it is "they may":
 * <ol>
 * <li>Different targets never collide. A target is its {@code host:port}, the host compared without case; two names
 *     of one server (an IP and a DNS name, two TiDB servers of one cluster) are not recognised.</li>
 * <li>On one target, the two filters collide where {@link TableFilter#overlaps} says they may select a common table
 *     (exact names decided exactly, wildcards conservatively; the rule is written there, with the filter syntax).</li>
 * </ol>
 * A migration's tables are those of {@link MigrationSpec#targetFilter()}: its filter, or for an import the routed
 * target tables found in its files, named exactly.
 */
public final class TargetTables {
    /** enough to show the user what collides; more would only be longer */
    private static final int MAX_REPORTED = 3;

    private TargetTables() {
    }

    /**
     * Two rules, one of each spec, that may select the same target table.
     *
     * @param table the table both select, when a rule names it exactly; null when only wildcards meet
     */
    public record Collision(String heldRule, String wantedRule, String table) {
        /** e.g. "its rule `shop.*` and this spec's rule `shop.orders` both select shop.orders" */
        public String describe(String held, String wanted) {
            return held + " rule `" + heldRule + "` and " + wanted + " rule `" + wantedRule + "` "
                    + (table == null ? "can select the same tables" : "both select " + table);
        }
    }

    /** where the two specs may write the same table, at most a few; empty when they cannot */
    public static List<Collision> overlap(MigrationSpec held, MigrationSpec wanted) {
        if (!sameServer(held.target(), wanted.target())) {
            return List.of();
        }
        return parsed(held.targetFilter()).overlaps(parsed(wanted.targetFilter()), MAX_REPORTED)
                .stream()
                .map(o -> new Collision(o.rule(), o.otherRule(), o.table()))
                .toList();
    }

    /**
     * Parsed filters by their rules. Every new migration is compared with every running one, and parsing took ten times
     * as long as the comparison: at 500 migrations, about 10 ms per POST under the coordinator's lock. A cache, not a
     * registry: cleared when it grows past what any one coordinator runs. A filter is immutable once parsed.
     */
    private static final Map<List<String>, TableFilter> PARSED = new ConcurrentHashMap<>();
    private static final int MAX_PARSED = 10_000;

    private static TableFilter parsed(List<String> rules) {
        if (PARSED.size() > MAX_PARSED) {
            PARSED.clear();
        }
        return PARSED.computeIfAbsent(Collections.unmodifiableList(new ArrayList<>(rules)), TableFilter::parse);
    }

    private static boolean sameServer(DatabaseEndpoint a, DatabaseEndpoint b) {
        return a.port() == b.port() && a.host().equalsIgnoreCase(b.host());
    }
}
