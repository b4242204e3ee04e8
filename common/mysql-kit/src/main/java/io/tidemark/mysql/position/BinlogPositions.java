package io.tidemark.mysql.position;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.mysql.flavor.Flavor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Where the source's binary log is now: file and offset from the flavor's status statement, plus the GTID set
 * executed up to there (MySQL and Aurora: the {@code Executed_Gtid_Set} column; MariaDB: {@code @@gtid_binlog_pos}).
 * Stateless; the connection is used by the calling thread only.
 */
public final class BinlogPositions {
    private static final Logger LOGGER = LoggerFactory.getLogger(BinlogPositions.class);
    private static final int ER_PARSE_ERROR = 1064;

    private BinlogPositions() {
    }

    /**
     * @param endpoint the source as {@code DatabaseEndpoint.describe()} names it, for the binlog-disabled error
     * @throws TidemarkException BINLOG_DISABLED when the status statement answers no row (binary logging is off)
     * @throws SQLException      anything else, for the caller to classify with {@code SqlErrors} (a missing
     *                           privilege is error 1227 naming the flavor's monitor privilege)
     */
    public static BinlogPosition current(Connection session, Flavor flavor, String endpoint) throws SQLException {
        try (Statement st = session.createStatement()) {
            String file;
            long pos;
            String gtids = null;
            try (ResultSet rs = status(st, flavor)) {
                if (!rs.next()) {
                    throw new TidemarkException(ErrorCode.BINLOG_DISABLED, endpoint);
                }
                file = rs.getString("File");
                pos = rs.getLong("Position");
                if (!flavor.isMariaDb() && hasColumn(rs.getMetaData(), "Executed_Gtid_Set")) {
                    gtids = rs.getString("Executed_Gtid_Set");
                }
            }
            if (flavor.isMariaDb()) {
                try (ResultSet rs = st.executeQuery("SELECT @@gtid_binlog_pos")) {
                    rs.next();
                    gtids = rs.getString(1);
                }
            }
            return BinlogPosition.of(file, pos, gtids);
        }
    }

    /** as {@link #current(Connection, Flavor, String)}, naming the server {@code user@host:port} from the session */
    public static BinlogPosition current(Connection session, Flavor flavor) throws SQLException {
        return current(session, flavor, describe(session));
    }

    /** {@code user@host:port} of a Connector/J session, as {@code DatabaseEndpoint.describe()} would say it */
    static String describe(Connection session) throws SQLException {
        String url = session.getMetaData().getURL();
        String user = session.getMetaData().getUserName();
        if (user != null && user.indexOf('@') > 0) {
            user = user.substring(0, user.indexOf('@'));
        }
        String address = url == null ? "" : url.replaceFirst("^jdbc:[a-z:]+//", "").replaceFirst("[/?].*$", "");
        return (user == null ? "" : user + "@") + address;
    }

    /** the flavor's statement; on a parse error (a version that does not know it after all), the other name */
    private static ResultSet status(Statement st, Flavor flavor) throws SQLException {
        String statement = flavor.binlogStatusStatement();
        try {
            return st.executeQuery(statement);
        } catch (SQLException e) {
            if (e.getErrorCode() != ER_PARSE_ERROR) {
                throw e;
            }
            String fallback = flavor.fallbackBinlogStatusStatement();
            LOGGER.info("{} does not know {}; asking {} instead", flavor, statement, fallback);
            try {
                return st.executeQuery(fallback);
            } catch (SQLException second) {
                second.addSuppressed(e);
                throw second;
            }
        }
    }

    private static boolean hasColumn(ResultSetMetaData meta, String name) throws SQLException {
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            if (name.equalsIgnoreCase(meta.getColumnLabel(i))) {
                return true;
            }
        }
        return false;
    }
}
