package io.tidemark.mysql.checksum;

import io.tidemark.common.table.TableRef;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A table's value checksum computed by the server, comparable with a {@link RowDigest} of the rows read from files:
 * {@code SUM(CRC32(CONCAT_WS(0x1f, each checked column's text, each column's ISNULL)))} in a UTC session. Unlike
 * {@link io.tidemark.common.checksum.TableChecksum} (server against server) the text of each column is the one Java
 * can rebuild from a file's value: strings as UTF-8, BIT as a number, FLOAT/DOUBLE and JSON left out. Runs the same on
 * MySQL, MariaDB and TiDB (only MariaDB is tested here).
 */
public final class ValueChecksum {
    private ValueChecksum() {
    }

    public record Digest(long rows, long sum) {
    }

    /** the SELECT that computes the digest of {@code table} with these columns */
    public static String sql(TableRef table, List<DigestColumn> columns) {
        return sql(table, columns, null);
    }

    /**
     * the SELECT that computes the digest of the rows of {@code table} that {@code where} selects (a condition with
     * {@code ?} placeholders, e.g. a key range; null = every row)
     */
    public static String sql(TableRef table, List<DigestColumn> columns, String where) {
        StringBuilder concat = new StringBuilder("CONCAT_WS(0x1f");
        for (DigestColumn c : columns) {
            String q = TableRef.quote(c.name());
            switch (c.kind()) {
                case UNCHECKED -> {
                    continue;
                }
                case TEXT -> concat.append(", CONVERT(").append(q).append(" USING utf8mb4)");
                case BIT -> concat.append(", CAST(").append(q).append(" AS UNSIGNED)");
                default -> concat.append(", ").append(q);
            }
        }
        for (DigestColumn c : columns) {
            concat.append(", ISNULL(").append(TableRef.quote(c.name())).append(')');
        }
        concat.append(')');
        return "SELECT COUNT(*), COALESCE(SUM(CRC32(" + concat + ")), 0) FROM " + table.quoted()
                + (where == null ? "" : " WHERE " + where);
    }

    /** computes the digest; sets the session's time zone to UTC (TIMESTAMP values render in it) */
    public static Digest of(Connection connection, TableRef table, List<DigestColumn> columns) throws SQLException {
        return of(connection, table, columns, null, List.of());
    }

    /**
     * computes the digest of the rows {@code where} selects, its placeholders bound to {@code parameters} in order
     * (so two servers compare the same key range); sets the session's time zone to UTC
     */
    public static Digest of(Connection connection, TableRef table, List<DigestColumn> columns, String where,
                            List<?> parameters) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("SET SESSION time_zone = '+00:00'");
        }
        try (PreparedStatement ps = connection.prepareStatement(sql(table, columns, where))) {
            for (int i = 0; i < parameters.size(); i++) {
                ps.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                BigDecimal sum = rs.getBigDecimal(2);
                return new Digest(rs.getLong(1), sum.toBigInteger().longValue()); // modulo 2^64, as RowDigest sums
            }
        }
    }
}
