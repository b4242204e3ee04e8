package io.tidemark.coordinator.verify;

import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.column.UniqueKeys;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The key a table is chunked by: its primary key, else its unique key of fewest columns that are all NOT NULL (a
 * nullable unique key admits many NULL rows, which no range bound selects); none for a table without either, which
 * is then compared as one chunk.
 */
final class ChunkKey {
    private ChunkKey() {
    }

    static List<String> of(Connection session, TableRef table) throws SQLException {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        Map<String, Boolean> nullable = new LinkedHashMap<>();
        for (UniqueKeys.KeyColumn k : UniqueKeys.of(session, table)) {
            keys.computeIfAbsent(k.index(), i -> new ArrayList<>()).add(k.column());
            nullable.merge(k.index(), k.nullable(), Boolean::logicalOr);
        }
        return choose(keys, nullable);
    }

    static List<String> choose(Map<String, List<String>> keys, Map<String, Boolean> nullable) {
        if (keys.containsKey("PRIMARY")) {
            return List.copyOf(keys.get("PRIMARY"));
        }
        List<String> best = List.of();
        for (Map.Entry<String, List<String>> k : keys.entrySet()) {
            if (!nullable.getOrDefault(k.getKey(), true) && (best.isEmpty() || k.getValue().size() < best.size())) {
                best = k.getValue();
            }
        }
        return List.copyOf(best);
    }
}
