package io.tidemark.common.checksum;

import io.tidemark.common.table.TableRef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Row count and an order-independent checksum of a table's content, computed by the database itself as
 * sync-diff-inspector does: {@code BIT_XOR(CRC32(CONCAT_WS(sep, each column, each column's ISNULL)))}. Runs the same
 * on MySQL, MariaDB and TiDB, so source and target compare directly. The session must be in UTC.
 */
public final class TableChecksum {
    private TableChecksum() {
    }

    public record Digest(TableRef table, long rows, long checksum) {
        @Override
        public String toString() {
            return table + " rows=" + rows + " checksum=" + Long.toHexString(checksum);
        }
    }

    public static Digest of(Connection connection, TableRef table) throws SQLException {
        List<String> columns = columns(connection, table);
        if (columns.isEmpty()) {
            throw new SQLException("table " + table + " does not exist or has no columns");
        }
        StringBuilder concat = new StringBuilder("CONCAT_WS(0x1f");
        for (String c : columns) {
            concat.append(", ").append(TableRef.quote(c));
        }
        for (String c : columns) {
            concat.append(", ISNULL(").append(TableRef.quote(c)).append(')');
        }
        concat.append(')');
        String sql = "SELECT COUNT(*), COALESCE(BIT_XOR(CRC32(" + concat + ")), 0) FROM " + table.quoted();
        try (Statement st = connection.createStatement()) {
            st.execute("SET SESSION time_zone = '+00:00'");
            try (ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return new Digest(table, rs.getLong(1), rs.getLong(2));
            }
        }
    }

    static List<String> columns(Connection connection, TableRef table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
                        + " ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        return columns;
    }
}
