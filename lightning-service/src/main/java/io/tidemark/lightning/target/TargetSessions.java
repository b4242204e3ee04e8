package io.tidemark.lightning.target;

import com.mysql.cj.conf.PropertyKey;
import com.mysql.cj.jdbc.JdbcConnection;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.mysql.error.Side;
import io.tidemark.mysql.error.SqlErrors;
import io.tidemark.mysql.session.Sessions;
import io.tidemark.mysql.session.Timeouts;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Opens target sessions set up to take a dump's statements as they are, like Lightning's logical import (TiDB
 * backend): UTC, bytes as they are ({@link SessionText}), no foreign key checks (tables load in any order), and a
 * permissive sql_mode so zero dates and the source's values load unchanged. The kit's {@link Sessions} opens them, so
 * the login is bounded by the connect timeout and every answer by the read timeout; work known to take longer (DDL,
 * a whole CSV file) raises it with {@link Sessions#withTimeout}. Thread-safe.
 */
public final class TargetSessions {
    /**
     * Statements are already multi-row, so no batch rewriting; LOAD DATA LOCAL streams CSV files from memory; one
     * char, one byte (see SessionText), placed after the endpoint's UTF-8, and the later one wins.
     */
    private static final String URL_PARAMETERS = "rewriteBatchedStatements=false&allowLoadLocalInfile=true"
            + "&useServerPrepStmts=false&characterEncoding=ISO-8859-1&passwordCharacterEncoding=UTF-8";
    private static final String WIRE_ENCODING = "ISO-8859-1";
    /**
     * binary: the server takes a statement's bytes as they are, which is what Dumpling's files ask for themselves.
     * Connector/J does not follow a SET NAMES it executes, so a dump's own one leaves the driver's encoding alone.
     */
    public static final String BYTES_AS_THEY_ARE = "SET NAMES binary";
    private static final String[] SESSION = {
            BYTES_AS_THEY_ARE,
            "SET SESSION time_zone = '+00:00'",
            "SET SESSION foreign_key_checks = 0",
            "SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'",
    };

    private final SecretBox secrets;
    private final Timeouts timeouts;

    public TargetSessions(SecretBox secrets, Timeouts timeouts) {
        this.secrets = secrets;
        this.timeouts = timeouts;
    }

    /** a new session; login, reachability and setup failures come back classified by the kit's {@link SqlErrors} */
    public Connection open(DatabaseEndpoint target) {
        Connection c = Sessions.open(target, secrets.open(target.password()), Side.TARGET, timeouts, URL_PARAMETERS);
        try {
            requireWireEncoding(c);
            try (Statement st = c.createStatement()) {
                for (String sql : SESSION) {
                    st.execute(sql);
                }
            }
            return c;
        } catch (SQLException e) {
            Sessions.closeQuietly(c);
            throw SqlErrors.classify(e, Side.TARGET, target.describe(), "session setup");
        } catch (RuntimeException e) {
            Sessions.closeQuietly(c);
            throw e;
        }
    }

    /** a driver that encoded in anything but ISO-8859-1 would turn every char it cannot map into '?', silently */
    private static void requireWireEncoding(Connection c) throws SQLException {
        String encoding = c.unwrap(JdbcConnection.class).getPropertySet()
                .getStringProperty(PropertyKey.characterEncoding).getValue();
        if (!WIRE_ENCODING.equalsIgnoreCase(encoding)) {
            throw new TidemarkException(ErrorCode.INTERNAL, "the target session encodes statements in " + encoding
                    + ", not " + WIRE_ENCODING + ", so dump bytes would not reach the target unchanged");
        }
    }
}
