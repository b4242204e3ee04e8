package io.tidemark.snapshot.dump;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.mysql.error.Side;
import io.tidemark.mysql.error.SqlErrors;
import io.tidemark.mysql.session.Sessions;
import io.tidemark.mysql.session.Timeouts;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The source one dump reads: its endpoint, the account's password (already opened from its secret) and the session
 * timeouts. Sessions and error meanings come from the MySQL kit; this only keeps what they need together. Immutable
 * and thread-safe: every table thread opens its own session from it. Never prints the password.
 */
public final class Source {
    private final DatabaseEndpoint endpoint;
    private final String password;
    private final Timeouts timeouts;

    public Source(DatabaseEndpoint endpoint, String password, Timeouts timeouts) {
        this.endpoint = endpoint;
        this.password = password;
        this.timeouts = timeouts;
    }

    public DatabaseEndpoint endpoint() {
        return endpoint;
    }

    /** the same account and timeouts on another server: an instance restored from this source's snapshot */
    public Source at(String host, int port) {
        return new Source(new DatabaseEndpoint(host, port, endpoint.user(), endpoint.password(),
                endpoint.tls()), password, timeouts);
    }

    /**
     * A read-only session: the login is bounded by {@code tidemark.db.connect-timeout}, every answer by
     * {@code tidemark.db.read-timeout}. No URL parameter of the dump's own: rows stream per statement
     * ({@link TableDump}).
     *
     * @throws TidemarkException the login's failure as the kit classifies it
     */
    Connection open() {
        return Sessions.open(endpoint, password, Side.SOURCE, timeouts, null);
    }

    /** what a failed statement on this source means; {@code subject} says what the dump was doing */
    public TidemarkException failed(SQLException e, String subject) {
        return SqlErrors.classify(e, Side.SOURCE, endpoint.describe(), subject);
    }

    @Override
    public String toString() {
        return endpoint.describe();
    }
}
