package io.tidemark.snapshot.source;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/** Which MySQL-family server the source is: privileges, statements and remedies differ between them. */
public enum SourceFlavor {
    MARIADB("BINLOG MONITOR"),
    MYSQL("REPLICATION CLIENT"),
    /** Aurora MySQL: no SUPER, so no FLUSH TABLES WITH READ LOCK; settings live in the cluster parameter group */
    AURORA_MYSQL("REPLICATION CLIENT");

    private final String masterStatusPrivilege;

    SourceFlavor(String masterStatusPrivilege) {
        this.masterStatusPrivilege = masterStatusPrivilege;
    }

    /** the privilege SHOW MASTER STATUS needs on this flavor */
    public String masterStatusPrivilege() {
        return masterStatusPrivilege;
    }

    static SourceFlavor detect(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT VERSION()")) {
            rs.next();
            if (rs.getString(1).toLowerCase(Locale.ROOT).contains("mariadb")) {
                return MARIADB;
            }
        }
        // only Aurora defines aurora_version; elsewhere reading it is an unknown-variable error
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT @@aurora_version")) {
            return AURORA_MYSQL;
        } catch (SQLException e) {
            return MYSQL;
        }
    }
}
