package io.tidemark.coordinator.verify;

import io.tidemark.common.table.TableRef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads chunk boundaries from the source: every {@code rows}-th key in key order, one indexed
 * {@code ORDER BY key LIMIT 1 OFFSET rows-1} after the previous boundary at a time, so each query walks one chunk of
 * the index and memory stays bounded by the number of chunks, whatever the table's size.
 */
final class KeySampler {
    private KeySampler() {
    }

    static List<List<Object>> boundaries(Connection source, TableRef table, List<String> key, int rows)
            throws SQLException {
        if (rows < 1) {
            throw new IllegalArgumentException("chunk rows must be at least 1, not " + rows);
        }
        try (java.sql.Statement st = source.createStatement()) {
            // the time zone ValueChecksum binds the boundaries in: a TIMESTAMP key reads and binds as the same instant
            st.execute("SET SESSION time_zone = '+00:00'");
        }
        String columns = key.stream().map(TableRef::quote).collect(Collectors.joining(", "));
        List<List<Object>> boundaries = new ArrayList<>();
        List<Object> last = null;
        while (true) {
            KeyRange after = new KeyRange(key, last, null);
            String where = after.where();
            String sql = "SELECT " + columns + " FROM " + table.quoted() + (where == null ? "" : " WHERE " + where)
                    + " ORDER BY " + columns + " LIMIT 1 OFFSET " + (rows - 1);
            List<Object> next = null;
            try (PreparedStatement ps = source.prepareStatement(sql)) {
                List<Object> parameters = after.parameters();
                for (int i = 0; i < parameters.size(); i++) {
                    ps.setObject(i + 1, parameters.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        next = new ArrayList<>(key.size());
                        for (int i = 1; i <= key.size(); i++) {
                            next.add(rs.getObject(i));
                        }
                    }
                }
            }
            if (next == null) {
                return boundaries;
            }
            boundaries.add(next);
            last = next;
        }
    }
}
