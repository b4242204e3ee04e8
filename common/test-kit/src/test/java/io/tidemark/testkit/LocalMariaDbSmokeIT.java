package io.tidemark.testkit;

import io.tidemark.testkit.LocalMariaDb;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class LocalMariaDbSmokeIT {
    @Test
    void sourceHasRowBinlogAndTargetAcceptsPasswordLogin() throws Exception {
        try (LocalMariaDb source = TestDatabases.startSource("smoke");
             LocalMariaDb target = TestDatabases.startTarget("smoke")) {
            try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT @@log_bin, @@binlog_format, @@binlog_row_image, @@time_zone")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getString(2)).isEqualTo("ROW");
                assertThat(rs.getString(3)).isEqualTo("FULL");
                assertThat(rs.getString(4)).isEqualTo("+00:00");
            }
            try (Connection c = TestDatabases.connect(target); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT @@log_bin")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(0);
            }
        }
    }
}
