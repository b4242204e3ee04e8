package io.tidemark.coordinator.verify;

import io.tidemark.common.table.TableRef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
    private static final String KEYS = "SELECT s.INDEX_NAME, s.COLUMN_NAME, c.IS_NULLABLE"
            + " FROM information_schema.STATISTICS s JOIN information_schema.COLUMNS c"
            + " ON c.TABLE_SCHEMA = s.TABLE_SCHEMA AND c.TABLE_NAME = s.TABLE_NAME AND c.COLUMN_NAME = s.COLUMN_NAME"
            + " WHERE s.TABLE_SCHEMA = ? AND s.TABLE_NAME = ? AND s.NON_UNIQUE = 0"
            + " ORDER BY s.INDEX_NAME, s.SEQ_IN_INDEX";

    private ChunkKey() {
    }

    static List<String> of(Connection session, TableRef table) throws SQLException {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        Map<String, Boolean> nullable = new LinkedHashMap<>();
        try (PreparedStatement ps = session.prepareStatement(KEYS)) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String index = rs.getString(1);
                    keys.computeIfAbsent(index, k -> new ArrayList<>()).add(rs.getString(2));
                    nullable.merge(index, "YES".equalsIgnoreCase(rs.getString(3)), Boolean::logicalOr);
                }
            }
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
