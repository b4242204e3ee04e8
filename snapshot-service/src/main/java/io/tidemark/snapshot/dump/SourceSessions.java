package io.tidemark.snapshot.dump;

import io.tidemark.mysql.session.Sessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The source sessions one dump has open, so that stopping the dump cuts them. A statement blocked on the source (a
 * metadata lock, a slow network) never sees a thread interrupt; closing its socket fails it at once, and only then
 * does the thread reading it stop writing. Every session of a dump, its prechecks' included, is opened here.
 *
 * <p>The one wait {@link #cancel} cannot cut is a login in progress (there is no connection to cut yet); the kit bounds
 * it by {@code tidemark.db.connect-timeout}, and a session whose login ends after the cancellation is cut before it is
 * used. Thread-safe: the dump's threads open sessions, any thread may cancel.
 */
public final class SourceSessions {
    private static final Logger LOGGER = LoggerFactory.getLogger(SourceSessions.class);

    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cancelled;

    /** a new session that {@link #cancel} can cut; CancellationException once the dump is cancelled */
    public Session open(Source source) {
        if (cancelled) {
            throw new CancellationException("the dump was cancelled");
        }
        Connection connection = source.open();
        open.add(connection);
        if (cancelled) {
            // cancel() ran while this session was being opened and did not see it
            release(connection);
            abort(connection);
            throw new CancellationException("the dump was cancelled");
        }
        return new Session(this, connection);
    }

    /** cuts every open session and every one opened from now on; the threads using them fail and stop */
    public void cancel() {
        cancelled = true;
        abortOpen();
    }

    /** whether the dump was cancelled: it must not report anything any more */
    public boolean cancelled() {
        return cancelled;
    }

    /** cuts the sessions open now; later ones open normally (a failed table must not leave its siblings reading) */
    void abortOpen() {
        for (Connection c : open) {
            abort(c);
        }
    }

    private void release(Connection connection) {
        open.remove(connection);
    }

    private static void abort(Connection connection) {
        try {
            // closes the socket at once, on this thread; the blocked reader gets a communications failure
            connection.abort(Runnable::run);
        } catch (SQLException e) {
            LOGGER.debug("aborting a source session: {}", e.getMessage());
        }
    }

    /** one open session; closing it closes the connection (a read-only session: nothing to lose if that fails) */
    public record Session(SourceSessions owner, Connection connection) implements AutoCloseable {
        @Override
        public void close() {
            owner.release(connection);
            Sessions.closeQuietly(connection);
        }
    }
}
