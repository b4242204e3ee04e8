package io.tidemark.dm.precheck;

import io.tidemark.common.endpoint.DatabaseEndpoint;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the prechecks look at, read once from the source with read-only statements.
 *
 * @param binaryLogs the files of SHOW BINARY LOGS; empty when the account may not list them
 * @param binaryLogsError why SHOW BINARY LOGS failed, if it did
 */
record SourceFacts(DatabaseEndpoint endpoint, boolean logBin, String binlogFormat, String binlogRowImage,
                   boolean aurora, boolean mariadb, List<String> grants, List<String> binaryLogs,
                   Optional<String> binaryLogsError) {

    static SourceFacts read(Connection c, DatabaseEndpoint endpoint) throws SQLException {
        boolean logBin;
        String format;
        String image;
        String version;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT @@log_bin, @@binlog_format, @@binlog_row_image, @@version")) {
            rs.next();
            logBin = rs.getInt(1) == 1;
            format = rs.getString(2);
            image = rs.getString(3);
            version = rs.getString(4);
        }
        boolean aurora;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW VARIABLES LIKE 'aurora_version'")) {
            aurora = rs.next();
        }
        List<String> grants = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW GRANTS FOR CURRENT_USER()")) {
            while (rs.next()) {
                grants.add(rs.getString(1));
            }
        }
        List<String> logs = new ArrayList<>();
        Optional<String> logsError = Optional.empty();
        if (logBin) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
                while (rs.next()) {
                    logs.add(rs.getString(1));
                }
            } catch (SQLException e) {
                logsError = Optional.of(e.getMessage());
            }
        }
        return new SourceFacts(endpoint, logBin, format, image, aurora,
                version != null && version.toLowerCase().contains("mariadb"), grants, logs, logsError);
    }
}
