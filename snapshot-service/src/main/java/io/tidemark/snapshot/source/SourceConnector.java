package io.tidemark.snapshot.source;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.secret.SecretBox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens read-only sessions on the source and turns JDBC failures into catalog errors. Thread-safe: each dump
 * thread opens its own connection. The password is opened once and never leaves this object.
 */
public final class SourceConnector {
    /** MySQL error numbers the catalog maps */
    static final int ER_ACCESS_DENIED = 1045;
    static final int ER_SPECIFIC_ACCESS_DENIED = 1227;
    static final int ER_TABLEACCESS_DENIED = 1142;
    static final int ER_COLUMNACCESS_DENIED = 1143;

    private final DatabaseEndpoint endpoint;
    private final String password;

    public SourceConnector(DatabaseEndpoint endpoint, SecretBox secrets) {
        this.endpoint = endpoint;
        this.password = secrets.open(endpoint.password());
    }

    public DatabaseEndpoint endpoint() {
        return endpoint;
    }

    public Connection connect() {
        Properties props = new Properties();
        props.setProperty("user", endpoint.user());
        props.setProperty("password", password);
        // bounded connect, keep-alive for hour-long table reads; the source is only ever read
        String url = endpoint.jdbcUrl("connectTimeout=10000&tcpKeepAlive=true&readOnlyPropagatesToServer=true");
        try {
            Connection c = DriverManager.getConnection(url, props);
            c.setReadOnly(true);
            return c;
        } catch (SQLException e) {
            throw connectFailed(e);
        }
    }

    TidemarkException connectFailed(SQLException e) {
        if (e.getErrorCode() == ER_ACCESS_DENIED) {
            return new TidemarkException(ErrorCode.SOURCE_ACCESS_DENIED, e, endpoint.describe(), e.getMessage());
        }
        if (isConnectionFault(e)) {
            return new TidemarkException(ErrorCode.SOURCE_UNREACHABLE, e, endpoint.describe(), firstLine(e));
        }
        return new TidemarkException(ErrorCode.SOURCE_QUERY_FAILED, e, endpoint.describe(), "login: " + e.getMessage());
    }

    /** a failed statement on the source, retriable unless it is a privilege problem */
    public TidemarkException queryFailed(SQLException e, String what) {
        int code = e.getErrorCode();
        if (code == ER_SPECIFIC_ACCESS_DENIED || code == ER_TABLEACCESS_DENIED || code == ER_COLUMNACCESS_DENIED) {
            return new TidemarkException(ErrorCode.SOURCE_PRIVILEGE_MISSING, e, endpoint.describe(),
                    what + ": " + e.getMessage());
        }
        if (isConnectionFault(e)) {
            return new TidemarkException(ErrorCode.SOURCE_UNREACHABLE, e, endpoint.describe(),
                    what + ": " + firstLine(e));
        }
        return new TidemarkException(ErrorCode.SOURCE_QUERY_FAILED, e, endpoint.describe(), what + ": " + e.getMessage());
    }

    private static boolean isConnectionFault(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("08");
    }

    private static String firstLine(SQLException e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public String toString() {
        return endpoint.describe();
    }
}
