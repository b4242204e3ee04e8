package io.tidemark.dm.sync;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.secret.SecretBox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Opens source and target sessions and decides, in one place, which SQL failures are retriable. The password is
 * opened from its sealed form only here and never logged.
 */
public final class Databases {
    /** MySQL error numbers the mapping distinguishes */
    static final int ACCESS_DENIED = 1045;
    static final int ACCESS_DENIED_NO_PASSWORD = 1698;
    static final int LOCK_WAIT_TIMEOUT = 1205;
    static final int DEADLOCK = 1213;
    static final int SPECIFIC_ACCESS_DENIED = 1227;

    private Databases() {
    }

    /**
     * A target session for applying changes: UTC, utf8mb4, batched statements rewritten into multi-row ones,
     * found-rows semantics (so a fenced checkpoint update is told apart from an unchanged one), no foreign key checks
     * (changes arrive in the source's commit order; a REPLACE must not cascade), strict mode (a value that does not
     * fit fails loudly instead of being silently clamped; zero dates stay allowed) and NO_AUTO_VALUE_ON_ZERO so a
     * replicated 0 in an AUTO_INCREMENT column stays 0.
     */
    public static Connection target(DatabaseEndpoint endpoint, SecretBox secrets, int connectTimeoutMillis) {
        try {
            Connection c = open(endpoint, secrets, connectTimeoutMillis,
                    "rewriteBatchedStatements=true&useAffectedRows=false");
            try (Statement st = c.createStatement()) {
                st.execute("SET SESSION sql_mode = 'STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO'");
                st.execute("SET SESSION foreign_key_checks = 0");
            }
            return c;
        } catch (SQLException e) {
            throw targetError(endpoint, "(connect)", e);
        }
    }

    /** a read-only source session for prechecks and SHOW MASTER STATUS; never used to write */
    public static Connection source(DatabaseEndpoint endpoint, SecretBox secrets, int connectTimeoutMillis) {
        try {
            Connection c = open(endpoint, secrets, connectTimeoutMillis, "");
            c.setReadOnly(true);
            return c;
        } catch (SQLException e) {
            throw sourceError(endpoint, e);
        }
    }

    private static Connection open(DatabaseEndpoint endpoint, SecretBox secrets, int connectTimeoutMillis,
                                   String extra) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", endpoint.user());
        p.setProperty("password", secrets.open(endpoint.password()));
        p.setProperty("connectTimeout", Integer.toString(connectTimeoutMillis));
        p.setProperty("socketTimeout", "0");
        p.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(endpoint.jdbcUrl(extra), p);
    }

    public static TidemarkException sourceError(DatabaseEndpoint endpoint, SQLException e) {
        if (isAccessDenied(e)) {
            return new TidemarkException(ErrorCode.SOURCE_ACCESS_DENIED, e, endpoint.describe(), e.getMessage());
        }
        if (isConnectionProblem(e)) {
            return new TidemarkException(ErrorCode.SOURCE_UNREACHABLE, e, endpoint.describe(), e.getMessage());
        }
        return new TidemarkException(ErrorCode.SOURCE_QUERY_FAILED, e, endpoint.describe(), e.getMessage());
    }

    /**
     * @param subject what the statement was for (a table, the checkpoint, a DDL), named in the message
     */
    public static TidemarkException targetError(DatabaseEndpoint endpoint, String subject, SQLException e) {
        if (isAccessDenied(e)) {
            return new TidemarkException(ErrorCode.TARGET_ACCESS_DENIED, e, endpoint.describe(), e.getMessage());
        }
        if (isConnectionProblem(e)) {
            return new TidemarkException(ErrorCode.TARGET_UNREACHABLE, e, endpoint.describe(), e.getMessage());
        }
        if (isTransientConflict(e)) {
            // a deadlock or lock wait rolled the batch back: applying it again from the checkpoint succeeds
            return new TidemarkException(ErrorCode.TARGET_TRANSIENT_CONFLICT, e, endpoint.describe(), subject,
                    e.getMessage());
        }
        return new TidemarkException(ErrorCode.TARGET_STATEMENT_FAILED, e, subject, e.getMessage());
    }

    static boolean isAccessDenied(SQLException e) {
        return e.getErrorCode() == ACCESS_DENIED || e.getErrorCode() == ACCESS_DENIED_NO_PASSWORD
                || "28000".equals(e.getSQLState());
    }

    static boolean isConnectionProblem(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof java.net.SocketException
                    || t instanceof java.io.EOFException || t instanceof java.net.SocketTimeoutException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
                return true;
            }
            if (t.getClass().getSimpleName().equals("CommunicationsException")) {
                return true;
            }
        }
        return false;
    }

    static boolean isTransientConflict(SQLException e) {
        return e.getErrorCode() == DEADLOCK || e.getErrorCode() == LOCK_WAIT_TIMEOUT || "40001".equals(e.getSQLState());
    }
}
