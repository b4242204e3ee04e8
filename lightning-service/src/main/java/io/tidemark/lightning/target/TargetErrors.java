package io.tidemark.lightning.target;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * The one place that decides what a target {@link SQLException} means for the import: a refused login, a lost or
 * unreachable server or a deadlock (retriable: the chunk resumes from its checkpoint), or a statement the target
 * rejects (fatal: the user fixes the table).
 */
public final class TargetErrors {
    private static final int ER_ACCESS_DENIED = 1045;
    private static final int ER_DBACCESS_DENIED = 1044;
    private static final int ER_SERVER_SHUTDOWN = 1053;
    private static final int ER_CONNECTION_KILLED = 1927;
    private static final int CR_SERVER_GONE = 2006;
    private static final int CR_SERVER_LOST = 2013;
    private static final int ER_LOCK_WAIT_TIMEOUT = 1205;
    private static final int ER_LOCK_DEADLOCK = 1213;

    private TargetErrors() {
    }

    /**
     * @param target  the endpoint, named in login and reachability errors
     * @param subject what was being done, e.g. {@code shop.orders (file shop.orders.000000001.sql, statement 12)}
     */
    public static TidemarkException classify(SQLException e, DatabaseEndpoint target, String subject) {
        String message = serverMessage(e);
        if (isAccessDenied(e)) {
            return new TidemarkException(ErrorCode.TARGET_ACCESS_DENIED, e, target.describe(), message);
        }
        if (isConnectionLost(e)) {
            return new TidemarkException(ErrorCode.TARGET_UNREACHABLE, e, target.describe(), message);
        }
        if (isTransientConflict(e)) {
            // workers REPLACE-ing into one table can deadlock; the batch rolled back with its checkpoint: redo it
            return new TidemarkException(ErrorCode.TARGET_TRANSIENT_CONFLICT, e, target.describe(), subject, message);
        }
        return new TidemarkException(ErrorCode.TARGET_STATEMENT_FAILED, e, subject, message);
    }

    static boolean isAccessDenied(SQLException e) {
        return e.getErrorCode() == ER_ACCESS_DENIED || e.getErrorCode() == ER_DBACCESS_DENIED
                || "28000".equals(e.getSQLState());
    }

    static boolean isConnectionLost(SQLException e) {
        String state = e.getSQLState();
        int code = e.getErrorCode();
        return e instanceof SQLRecoverableException || e instanceof SQLTransientConnectionException
                || e instanceof SQLNonTransientConnectionException
                || (state != null && state.startsWith("08"))
                || code == ER_SERVER_SHUTDOWN || code == ER_CONNECTION_KILLED || code == CR_SERVER_GONE
                || code == CR_SERVER_LOST;
    }

    static boolean isTransientConflict(SQLException e) {
        return e.getErrorCode() == ER_LOCK_DEADLOCK || e.getErrorCode() == ER_LOCK_WAIT_TIMEOUT
                || "40001".equals(e.getSQLState());
    }

    /** the server's own words, without the driver's stack of causes */
    private static String serverMessage(SQLException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        int newline = m.indexOf('\n');
        String first = newline < 0 ? m : m.substring(0, newline).strip();
        return first + (e.getErrorCode() != 0 ? " (error " + e.getErrorCode() + ")" : "");
    }
}
