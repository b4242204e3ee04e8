package io.tidemark.snapshot.support;

import io.tidemark.common.position.BinlogPosition;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Where a test source's binlog stands, asked the way a DBA would: SHOW MASTER STATUS and the GTID position. */
public final class SourceBinlog {
    private SourceBinlog() {
    }

    public static BinlogPosition now(LocalMariaDb source) throws SQLException {
        try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement()) {
            String file;
            long pos;
            try (ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
                rs.next();
                file = rs.getString(1);
                pos = rs.getLong(2);
            }
            try (ResultSet rs = st.executeQuery("SELECT @@gtid_binlog_pos")) {
                rs.next();
                return BinlogPosition.of(file, pos, rs.getString(1));
            }
        }
    }
}
