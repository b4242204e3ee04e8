package io.tidemark.coordinator.orchestration;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.error.Side;
import io.tidemark.mysql.error.SqlErrors;
import io.tidemark.mysql.session.Sessions;
import io.tidemark.mysql.session.Timeouts;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts tables on the target: one session, one {@code SELECT COUNT(*)} per table, each bounded by the long-operation
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
    Map<TableRef, Long> count(DatabaseEndpoint target, Collection<TableRef> tables) {
        Map<TableRef, Long> counts = new LinkedHashMap<>();
        Connection session = Sessions.open(target, secrets.open(target.password()), Side.TARGET, timeouts, null);
        TableRef current = null;
        try {
            for (TableRef table : tables) {
                current = table;
                counts.put(table, Sessions.withTimeout(session, timeouts.longOperation(), s -> {
                    try (Statement st = s.createStatement();
                         ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table.quoted())) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }));
            }
            return counts;
        } catch (SQLException e) {
            throw SqlErrors.classify(e, Side.TARGET, target.describe(), "counting the rows of " + current);
        } finally {
            Sessions.closeQuietly(session);
        }
    }
}
