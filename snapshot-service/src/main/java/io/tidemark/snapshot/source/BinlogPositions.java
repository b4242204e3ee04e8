package io.tidemark.snapshot.source;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Reads where the source's binary log is now: {@code SHOW MASTER STATUS} plus the GTID set when there is one. */
public final class BinlogPositions {
    private static final int ER_PARSE_ERROR = 1064;

    private BinlogPositions() {
    }

    public static BinlogPosition current(SourceConnector connector, Connection connection, SourceFlavor flavor) {
        try (Statement st = connection.createStatement()) {
            String file;
            long pos;
            String gtids = null;
            try (ResultSet rs = masterStatus(st)) {
                if (!rs.next()) {
                    throw new TidemarkException(ErrorCode.BINLOG_DISABLED, connector.endpoint().describe());
                }
                file = rs.getString("File");
                pos = rs.getLong("Position");
                if (flavor != SourceFlavor.MARIADB && rs.getMetaData().getColumnCount() >= 5) {
                    gtids = rs.getString("Executed_Gtid_Set");
                }
            }
            if (flavor == SourceFlavor.MARIADB) {
                try (ResultSet rs = st.executeQuery("SELECT @@gtid_binlog_pos")) {
                    rs.next();
                    gtids = rs.getString(1);
                }
            }
            return BinlogPosition.of(file, pos, gtids);
        } catch (SQLException e) {
            throw connector.queryFailed(e, "SHOW MASTER STATUS (needs " + flavor.masterStatusPrivilege() + ")");
        }
    }

    /** MySQL 8.4 renamed the statement; MariaDB and older MySQL (Aurora 2/3) know the old name */
    static ResultSet masterStatus(Statement st) throws SQLException {
        try {
            return st.executeQuery("SHOW MASTER STATUS");
        } catch (SQLException e) {
            if (e.getErrorCode() != ER_PARSE_ERROR) {
                throw e;
            }
            return st.executeQuery("SHOW BINARY LOG STATUS");
        }
    }
}
