package io.tidemark.coordinator.orchestration;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.table.ExtractedColumn;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.table.TableRouter;
import io.tidemark.mysql.checksum.DigestColumn;
import io.tidemark.coordinator.migration.TargetCount;
import io.tidemark.mysql.checksum.DigestColumns;
import io.tidemark.mysql.checksum.ValueChecksum;
import io.tidemark.mysql.error.Side;
import io.tidemark.mysql.flavor.Flavor;
import io.tidemark.mysql.error.SqlErrors;
import io.tidemark.mysql.session.Sessions;
import io.tidemark.mysql.session.Timeouts;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Counts tables on the target: one session, one {@code SELECT COUNT(*)} per table — or, for a table whose files'
 * value checksum is known, one scan that counts it and computes the same checksum over its stored rows — each bounded by the long-operation
 * timeout (a count of a large TiDB table scans it). Stateless and thread-safe.
 */
final class RowCounts {
    private final SecretBox secrets;
    private final Timeouts timeouts;

    RowCounts(SecretBox secrets, Timeouts timeouts) {
        this.secrets = secrets;
        this.timeouts = timeouts;
    }

    /**
     * @throws io.tidemark.common.error.TidemarkException the failure classified (TARGET_UNREACHABLE is retriable, a
     *                                                    missing privilege or table is not)
     */
    Map<TableRef, TargetCount> count(DatabaseEndpoint target, Map<TableRef, Boolean> tables) {
        return count(target, tables, TableRouter.of(List.of()));
    }

    /**
     * As {@link #count(DatabaseEndpoint, Map)}, each table seen as the migration's routes write it: the columns they
     * fill (extract-*) are left out of the checksum, which the files' values never held, and a table with an
     * extract-source column is counted over this source's rows alone, since other sources of its task fill it too.
     */
    Map<TableRef, TargetCount> count(DatabaseEndpoint target, Map<TableRef, Boolean> tables, TableRouter router) {
        Map<TableRef, TargetCount> counts = new LinkedHashMap<>();
        Connection session = Sessions.open(target, secrets.open(target.password()), Side.TARGET, timeouts, null);
        TableRef current = null;
        try {
            boolean tidb = Flavor.detect(session).isTiDb();
            for (Map.Entry<TableRef, Boolean> e : tables.entrySet()) {
                TableRef table = e.getKey();
                current = table;
                boolean withValues = e.getValue();
                Optional<ExtractedColumn> own = router.sourceColumn(table);
                Set<String> filled = router.extractColumns(table);
                counts.put(table, Sessions.withTimeout(session, timeouts.longOperation(), s -> {
                    TargetCount count = count(s, table, withValues, filled, own);
                    // TiDB's checksum covers the whole table, other sources' rows too: only for a table of its own
                    return tidb && own.isEmpty() ? count.withKvChecksum(adminChecksum(s, table)) : count;
                }));
            }
            return counts;
        } catch (SQLException e) {
            throw SqlErrors.classify(e, Side.TARGET, target.describe(), "counting the rows of " + current);
        } finally {
            Sessions.closeQuietly(session);
        }
    }

    /**
     * TiDB's {@code ADMIN CHECKSUM TABLE}: {@code Db_name, Table_name, Checksum_crc64_xor, Total_kvs, Total_bytes}.
     * Runs only on a target detected as TiDB; untested here (no TiDB server runs on this machine).
     */
    private static String adminChecksum(Connection s, TableRef table) throws SQLException {
        try (Statement st = s.createStatement();
             ResultSet rs = st.executeQuery("ADMIN CHECKSUM TABLE " + table.quoted())) {
            return rs.next() ? kvChecksum(rs.getString(3), rs.getString(4), rs.getString(5)) : null;
        }
    }

    private static String kvChecksum(String crc64Xor, String totalKvs, String totalBytes) {
        return "crc64_xor=" + crc64Xor + " kvs=" + totalKvs + " bytes=" + totalBytes;
    }

    private static TargetCount count(Connection s, TableRef table, boolean withValues, Set<String> filled,
                                     Optional<ExtractedColumn> own) throws SQLException {
        String where = own.map(c -> c.quotedColumn() + " = ?").orElse(null);
        List<Object> parameters = own.<List<Object>>map(c -> List.of(c.value())).orElse(List.of());
        if (withValues) {
            List<DigestColumn> columns = DigestColumns.of(s, table).stream()
                    .filter(c -> !filled.contains(c.name())).toList();
            ValueChecksum.Digest d = ValueChecksum.of(s, table, columns, where, parameters);
            return new TargetCount(d.rows(), d.sum());
        }
        try (PreparedStatement ps = s.prepareStatement("SELECT COUNT(*) FROM " + table.quoted()
                + (where == null ? "" : " WHERE " + where))) {
            for (int i = 0; i < parameters.size(); i++) {
                ps.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return TargetCount.rowsOnly(rs.getLong(1));
            }
        }
    }
}
