package io.tidemark.mysql.session;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.mysql.error.Side;
import io.tidemark.mysql.error.SqlErrors;
import io.tidemark.mysql.tls.DatabaseTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Opens sessions on a source or target with every wait bounded ({@link Timeouts}), and runs one operation under a
 * longer timeout. Failures come back as catalog errors decided by {@link SqlErrors}.
 *
 * <p>Why the login is bounded twice: Connector/J's {@code connectTimeout} only bounds the TCP connect. A server (or a
 * load balancer, or a stuck proxy) that accepts the connection and never sends its greeting would hang the login
 * forever without a socket timeout, so the session starts with {@code socketTimeout} = the connect timeout and is
 * raised to the read timeout once logged in.
 *
 * <p>Stateless and thread-safe; a {@link Connection} it returns belongs to one thread at a time. The password is
 * opened by the caller, passed only in the driver's properties, and never logged. TLS follows the endpoint's
 * {@code tls} settings, through {@link DatabaseTls} like the binlog client's. A TLS login dropped without a reason
 * (a reset before authenticating) is tried once more, so that a failed handshake is reported with its own reason.
 */
public final class Sessions {
    private static final Logger LOGGER = LoggerFactory.getLogger(Sessions.class);
    /** Sessions decides these; a caller's own value would undo the bounded login */
    private static final Pattern OWN_PARAMETERS = Pattern.compile(
            "(^|&)(connecttimeout|sockettimeout|usessl|sslmode|requiressl|verifyservercertificate)=");
    static final String LOGIN = "login";

    private Sessions() {
    }

    /**
     * A new session on {@code endpoint}: TCP connect and login bounded by {@code timeouts.connect()}, then every
     * answer by {@code timeouts.read()}, TCP keep-alive on. A source session is read-only: Tidemark never writes to
     * the source.
     *
     * @param password           the plaintext password the caller opened from the endpoint's secret
     * @param extraUrlParameters further Connector/J URL parameters ({@code a=b&c=d}), or null; not
     *                           {@code connectTimeout} or {@code socketTimeout}, which come from {@code timeouts}
     * @throws TidemarkException the login's failure, classified: *_HOST_UNKNOWN, *_UNREACHABLE (nothing listens, no
     *                           answer within the connect timeout), *_ACCESS_DENIED, ...
     */
    public static Connection open(DatabaseEndpoint endpoint, String password, Side side, Timeouts timeouts,
                                  String extraUrlParameters) {
        String extra = extraUrlParameters == null ? "" : extraUrlParameters.strip();
        if (OWN_PARAMETERS.matcher(extra.toLowerCase(Locale.ROOT)).find()) {
            // the parameters are not echoed: they may hold a key store password
            throw new IllegalArgumentException("the extra URL parameters set connectTimeout, socketTimeout or a TLS"
                    + " parameter (useSSL, sslMode); remove them: the timeouts come from Timeouts, TLS from the"
                    + " endpoint's tls");
        }
        int connectMillis = Timeouts.millis(timeouts.connect());
        DatabaseTls tls = DatabaseTls.of(endpoint);
        String bounded = "connectTimeout=" + connectMillis + "&socketTimeout=" + connectMillis + "&tcpKeepAlive=true"
                + "&" + tls.jdbcUrlParameters();
        String url = endpoint.jdbcUrl(extra.isEmpty() ? bounded : extra + "&" + bounded);
        Properties credentials = new Properties();
        credentials.setProperty("user", endpoint.user());
        credentials.setProperty("password", password == null ? "" : password);
        tls.addJdbcProperties(credentials);
        for (int attempt = 1; ; attempt++) {
            Connection session = null;
            try {
                session = DriverManager.getConnection(url, credentials);
                if (side == Side.SOURCE) {
                    readOnly(session);
                }
                session.setNetworkTimeout(Runnable::run, Timeouts.millis(timeouts.read()));
                LOGGER.debug("opened a {} session on {} (connect {}, read {}, {})", side.word(), endpoint.describe(),
                        timeouts.connect(), timeouts.read(), endpoint.tls());
                return session;
            } catch (SQLException e) {
                closeQuietly(session);
                if (attempt == 1 && endpoint.tls().enabled() && SqlErrors.droppedWithoutReason(e)) {
                    // a TLS login dropped without a word: the handshake's own failure (an unknown CA, a wrong host
                    // name) can be lost when the client's alert and the server's close cross; asked again, it says
                    LOGGER.debug("the TLS login on {} was dropped without a reason ({}); trying it once more",
                            endpoint.describe(), e.getMessage());
                    continue;
                }
                SqlErrors.noteTimeLimit(e, "tidemark.db.connect-timeout", timeouts.connect());
                throw SqlErrors.classify(e, side, endpoint.describe(), LOGIN);
            }
        }
    }

    /**
     * The driver refuses data changes on a read-only connection, but Connector/J does not tell every server (not
     * MariaDB), so the server is told too: then a statement the driver lets through is still refused.
     */
    private static void readOnly(Connection session) throws SQLException {
        session.setReadOnly(true);
        try (Statement st = session.createStatement()) {
            st.execute("SET SESSION TRANSACTION READ ONLY");
        } catch (SQLException e) {
            boolean connectionLost = session.isClosed()
                    || (e.getSQLState() != null && e.getSQLState().startsWith("08"));
            if (connectionLost) {
                throw e;
            }
            LOGGER.debug("the server refuses SET SESSION TRANSACTION READ ONLY ({}); the driver alone keeps the"
                    + " session read-only", e.getMessage());
        }
    }

    /**
     * Runs {@code work} with the session's read timeout set to {@code timeout} (the long-operation timeout: a DDL,
     * a checksum), then restores the previous one. A timeout during the work is reported as "no answer within
     * {@code timeout} (long-operation-timeout)" when the caller classifies the exception.
     *
     * @throws SQLException what the work threw, for the caller to classify with {@link SqlErrors}
     */
    public static <T> T withTimeout(Connection session, Duration timeout, SqlWork<T> work) throws SQLException {
        int millis = Timeouts.millis(
                Timeouts.check("tidemark.db.long-operation-timeout", timeout, Timeouts.DEFAULT_LONG_OPERATION));
        int previous = session.getNetworkTimeout();
        session.setNetworkTimeout(Runnable::run, millis);
        T result;
        try {
            result = work.run(session);
        } catch (SQLException | RuntimeException e) {
            if (e instanceof SQLException s) {
                SqlErrors.noteTimeLimit(s, "tidemark.db.long-operation-timeout", timeout);
            }
            restoreAfterFailure(session, previous, e);
            throw e;
        }
        session.setNetworkTimeout(Runnable::run, previous);
        return result;
    }

    /** a timeout closes the session: then there is nothing to restore, and the work's failure is what counts */
    private static void restoreAfterFailure(Connection session, int previous, Exception failure) {
        try {
            if (!session.isClosed()) {
                session.setNetworkTimeout(Runnable::run, previous);
            }
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** closes a session being discarded; its server side rolls back by itself */
    public static void closeQuietly(Connection session) {
        if (session != null) {
            try {
                session.close();
            } catch (SQLException e) {
                LOGGER.debug("closing a discarded session failed: {}", e.getMessage());
            }
        }
    }
}
