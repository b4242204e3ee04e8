package io.tidemark.lightning.target;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.secret.SecretBox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Opens target sessions set up to take a dump's statements as they are, like Lightning's logical import (TiDB
 * backend): UTC, utf8mb4, no foreign key checks (tables load in any order), and a permissive sql_mode so zero dates
 * and the source's values load unchanged. Thread-safe.
 */
public final class TargetSessions {
    /**
     * Statements are already multi-row, so no batch rewriting; LOAD DATA LOCAL streams CSV files from memory; no
     * socket timeout because one statement may legitimately run long.
     */
    private static final String URL_PARAMETERS = "rewriteBatchedStatements=false&allowLoadLocalInfile=true"
            + "&connectTimeout=10000&tcpKeepAlive=true&useServerPrepStmts=false";
    private static final String[] SESSION = {
            "SET NAMES utf8mb4",
            "SET SESSION time_zone = '+00:00'",
            "SET SESSION foreign_key_checks = 0",
            "SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'",
    };

    private final SecretBox secrets;

    public TargetSessions(SecretBox secrets) {
        this.secrets = secrets;
    }

    /** a new session; login and reachability failures come back classified by {@link TargetErrors} */
    public Connection open(DatabaseEndpoint target) {
        Properties props = new Properties();
        props.setProperty("user", target.user());
        props.setProperty("password", secrets.open(target.password()));
        Connection c = null;
        try {
            c = DriverManager.getConnection(target.jdbcUrl(URL_PARAMETERS), props);
            try (Statement st = c.createStatement()) {
                for (String sql : SESSION) {
                    st.execute(sql);
                }
            }
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw TargetErrors.classify(e, target, "session setup on " + target.describe());
        }
    }

    public static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the session is being discarded; its server side rolls back by itself
            }
        }
    }
}
