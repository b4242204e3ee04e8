package io.tidemark.mysql.error;

import com.mysql.cj.exceptions.CJCommunicationsException;
import com.mysql.cj.jdbc.exceptions.CommunicationsException;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.tidemark.common.error.ErrorCode.SOURCE_ACCESS_DENIED;
import static io.tidemark.common.error.ErrorCode.SOURCE_HOST_UNKNOWN;
import static io.tidemark.common.error.ErrorCode.SOURCE_PRIVILEGE_MISSING;
import static io.tidemark.common.error.ErrorCode.SOURCE_QUERY_FAILED;
import static io.tidemark.common.error.ErrorCode.SOURCE_TLS_FAILED;
import static io.tidemark.common.error.ErrorCode.SOURCE_UNREACHABLE;
import static io.tidemark.common.error.ErrorCode.TARGET_ACCESS_DENIED;
import static io.tidemark.common.error.ErrorCode.TARGET_BUSY;
import static io.tidemark.common.error.ErrorCode.TARGET_ENTRY_TOO_LARGE;
import static io.tidemark.common.error.ErrorCode.TARGET_GC_LIFE_TIME_TOO_SHORT;
import static io.tidemark.common.error.ErrorCode.TARGET_HOST_UNKNOWN;
import static io.tidemark.common.error.ErrorCode.TARGET_PRIVILEGE_MISSING;
import static io.tidemark.common.error.ErrorCode.TARGET_READ_ONLY;
import static io.tidemark.common.error.ErrorCode.TARGET_STATEMENT_FAILED;
import static io.tidemark.common.error.ErrorCode.TARGET_TLS_FAILED;
import static io.tidemark.common.error.ErrorCode.TARGET_TRANSIENT_CONFLICT;
import static io.tidemark.common.error.ErrorCode.TARGET_TXN_TOO_LARGE;
import static io.tidemark.common.error.ErrorCode.TARGET_UNREACHABLE;

/**
 * The one place that decides what a failed SQL call on a MySQL-family server (MySQL, Aurora, MariaDB, TiDB) means:
 * which catalog error, and so whether the work is retried. Table-driven: server error numbers first, then the
 * network cause in the exception chain (where the driver has no number), then the SQLSTATE; anything else is a failed
 * query on the source or a rejected statement on the target.
 *
 * <p>Messages speak the user's terms: the server's first message line with {@code (error N)}, or what happened on the
 * network in plain words (the name does not resolve, nothing listens, no answer within N s), never a Java type.
 * Stateless and thread-safe.
 */
public final class SqlErrors {
    private static final Logger LOGGER = LoggerFactory.getLogger(SqlErrors.class);

    /**
     * What an error means and the catalog code it becomes on each side.
     *
     * @param meaning        a few words for logs and tests
     * @param onlyIfMessage  when not null, the rule applies only if the server's message matches it (1290 "option
     *                       prevents statement" is read-only only when the option is read_only)
     */
    public record Rule(String meaning, ErrorCode source, ErrorCode target, Pattern onlyIfMessage) {
        Rule(String meaning, ErrorCode source, ErrorCode target) {
            this(meaning, source, target, null);
        }

        public ErrorCode code(Side side) {
            return side == Side.SOURCE ? source : target;
        }

        boolean appliesTo(String message) {
            return onlyIfMessage == null || (message != null && onlyIfMessage.matcher(message).find());
        }
    }

    private static final Rule ACCESS_DENIED = new Rule("login refused", SOURCE_ACCESS_DENIED, TARGET_ACCESS_DENIED);
    private static final Rule PRIVILEGE = new Rule("privilege missing", SOURCE_PRIVILEGE_MISSING,
            TARGET_PRIVILEGE_MISSING);
    private static final Rule UNREACHABLE = new Rule("server unreachable or connection lost", SOURCE_UNREACHABLE,
            TARGET_UNREACHABLE);
    private static final Rule CONFLICT = new Rule("transient conflict", SOURCE_QUERY_FAILED,
            TARGET_TRANSIENT_CONFLICT);
    private static final Rule BUSY = new Rule("cluster busy", SOURCE_QUERY_FAILED, TARGET_BUSY);
    private static final Rule READ_ONLY = new Rule("server read-only", SOURCE_QUERY_FAILED, TARGET_READ_ONLY);
    /** a failed TLS handshake (unknown CA, wrong host name, no TLS on the server) does not heal by retrying */
    private static final Rule TLS = new Rule("TLS handshake failed", SOURCE_TLS_FAILED, TARGET_TLS_FAILED);
    private static final Rule HOST_UNKNOWN = new Rule("host name does not resolve", SOURCE_HOST_UNKNOWN,
            TARGET_HOST_UNKNOWN);
    /** everything the tables do not name */
    private static final Rule OTHER = new Rule("any other error", SOURCE_QUERY_FAILED, TARGET_STATEMENT_FAILED);

    /** server (and client) error numbers of MySQL, MariaDB and TiDB */
    private static final SortedMap<Integer, Rule> BY_NUMBER = new TreeMap<>(Map.ofEntries(
            Map.entry(1045, ACCESS_DENIED),                                   // ER_ACCESS_DENIED_ERROR
            Map.entry(1698, ACCESS_DENIED),                                   // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
            Map.entry(1130, ACCESS_DENIED),                                   // ER_HOST_NOT_PRIVILEGED
            Map.entry(1129, ACCESS_DENIED),                                   // ER_HOST_IS_BLOCKED
            Map.entry(1044, PRIVILEGE),                                       // ER_DBACCESS_DENIED_ERROR
            Map.entry(1142, PRIVILEGE),                                       // ER_TABLEACCESS_DENIED_ERROR
            Map.entry(1143, PRIVILEGE),                                       // ER_COLUMNACCESS_DENIED_ERROR
            Map.entry(1227, PRIVILEGE),                                       // ER_SPECIFIC_ACCESS_DENIED_ERROR
            Map.entry(1370, PRIVILEGE),                                       // ER_PROCACCESS_DENIED_ERROR
            Map.entry(1290, new Rule("server read-only (--read-only)", SOURCE_QUERY_FAILED, TARGET_READ_ONLY,
                    Pattern.compile("read[-_ ]only", Pattern.CASE_INSENSITIVE))), // ER_OPTION_PREVENTS_STATEMENT
            Map.entry(1836, READ_ONLY),                                       // ER_READ_ONLY_MODE (MySQL, TiDB)
            Map.entry(1205, CONFLICT),                                        // ER_LOCK_WAIT_TIMEOUT
            Map.entry(1213, CONFLICT),                                        // ER_LOCK_DEADLOCK
            Map.entry(1040, UNREACHABLE),                                     // ER_CON_COUNT_ERROR
            Map.entry(1203, UNREACHABLE),                                     // ER_TOO_MANY_USER_CONNECTIONS
            Map.entry(1053, UNREACHABLE),                                     // ER_SERVER_SHUTDOWN
            Map.entry(1927, UNREACHABLE),                                     // ER_CONNECTION_KILLED (MariaDB)
            Map.entry(2002, UNREACHABLE),                                     // CR_CONNECTION_ERROR
            Map.entry(2003, UNREACHABLE),                                     // CR_CONN_HOST_ERROR
            Map.entry(2006, UNREACHABLE),                                     // CR_SERVER_GONE_ERROR
            Map.entry(2013, UNREACHABLE),                                     // CR_SERVER_LOST
            Map.entry(8004, new Rule("transaction too large (TiDB)", SOURCE_QUERY_FAILED, TARGET_TXN_TOO_LARGE)),
            Map.entry(8025, new Rule("entry too large (TiDB)", SOURCE_QUERY_FAILED, TARGET_ENTRY_TOO_LARGE)),
            Map.entry(9006, new Rule("GC life time shorter than the transaction (TiDB)", SOURCE_QUERY_FAILED,
                    TARGET_GC_LIFE_TIME_TOO_SHORT)),
            Map.entry(8022, CONFLICT),                                        // ErrTxnRetryable
            Map.entry(8028, CONFLICT),                                        // ErrInfoSchemaChanged
            Map.entry(9007, CONFLICT),                                        // ErrWriteConflict
            Map.entry(9004, CONFLICT),                                        // ErrResolveLockTimeout
            Map.entry(9001, BUSY),                                            // ErrPDServerTimeout
            Map.entry(9002, BUSY),                                            // ErrTiKVServerTimeout
            Map.entry(9003, BUSY),                                            // ErrTiKVServerBusy
            Map.entry(9005, BUSY)));                                          // ErrRegionUnavailable

    /** SQLSTATEs, exact (five characters) or a class (two characters), for errors that carry no known number */
    private static final Map<String, Rule> BY_SQLSTATE = Map.of(
            "28000", ACCESS_DENIED,
            "40001", CONFLICT,
            "08", UNREACHABLE);

    /** network causes, looked for in the exception chain, in this order */
    private static final Map<Class<? extends Throwable>, Rule> BY_CAUSE = causes();

    private static Map<Class<? extends Throwable>, Rule> causes() {
        Map<Class<? extends Throwable>, Rule> m = new LinkedHashMap<>();
        m.put(UnknownHostException.class, HOST_UNKNOWN);
        m.put(SSLException.class, TLS); // before the socket errors: a handshake can end in a reset too
        m.put(ConnectException.class, UNREACHABLE);
        m.put(SocketTimeoutException.class, UNREACHABLE);
        m.put(EOFException.class, UNREACHABLE);
        m.put(SocketException.class, UNREACHABLE);
        m.put(CJCommunicationsException.class, UNREACHABLE);
        m.put(CommunicationsException.class, UNREACHABLE);
        m.put(SQLTransientConnectionException.class, UNREACHABLE);
        return m;
    }

    /**
     * A server without TLS, asked for it: Connector/J's and the binlog client's words (neither has a type or number
     * of its own for it, and Connector/J's SQLSTATE 08 would make it a retried unreachable server).
     */
    private static final Pattern NO_TLS_ON_SERVER = Pattern.compile(
            "SSL Connection required, but not provided by server|server does not support SSL",
            Pattern.CASE_INSENSITIVE);

    /** Connector/J says how long it waited in words; the only place the elapsed time of a read timeout appears */
    private static final Pattern LAST_RECEIVED = Pattern.compile(
            "last packet successfully received from the server was ([\\d,.]+) milliseconds ago");

    private SqlErrors() {
    }

    /** the number table: error number → rule, in number order */
    public static SortedMap<Integer, Rule> numberRules() {
        return Collections.unmodifiableSortedMap(BY_NUMBER);
    }

    /** the SQLSTATE table: exact SQLSTATE or two-character class → rule */
    public static Map<String, Rule> sqlStateRules() {
        return BY_SQLSTATE;
    }

    /** the network-cause table: exception type found in the chain → rule, in the order they are looked for */
    public static Map<Class<? extends Throwable>, Rule> causeRules() {
        return Collections.unmodifiableMap(BY_CAUSE);
    }

    /** the rule for a server error number, if the table has one */
    public static Optional<Rule> ruleFor(int errorNumber) {
        return Optional.ofNullable(BY_NUMBER.get(errorNumber));
    }

    /** what an error without a rule becomes */
    public static Rule otherwise() {
        return OTHER;
    }

    /**
     * Whether the connection was dropped (reset, or closed mid-answer) with nothing to say why: no server error, no
     * TLS alert, no refused connect or timeout. During a TLS login this is how a failed handshake can surface when the
     * JDK's alert and the server's close cross; see {@code Sessions.open}.
     */
    public static boolean droppedWithoutReason(SQLException e) {
        return firstNumbered(e) == null && find(e, SSLException.class) == null
                && find(e, ConnectException.class) == null && find(e, SocketTimeoutException.class) == null
                && (find(e, SocketException.class) != null || find(e, EOFException.class) != null);
    }

    /**
     * Records on {@code e} which timeout was in force when it happened, so that {@link #classify} can say "no answer
     * within 1 s (connect-timeout)". Used by the session code that sets timeouts; does nothing unless the error is
     * a timeout.
     *
     * @param setting the name of the setting that raises it, e.g. {@code connect-timeout}
     */
    public static void noteTimeLimit(SQLException e, String setting, Duration limit) {
        if (find(e, SocketTimeoutException.class) != null && timeLimit(e) == null) {
            e.addSuppressed(new TimeLimit(setting, limit));
        }
    }

    /**
     * The catalog error for a failed SQL call.
     *
     * @param side     which end the session talks to
     * @param endpoint {@code DatabaseEndpoint.describe()}: {@code user@host:port}
     * @param subject  what was being done: {@code login}, a table, a file and statement number
     */
    public static TidemarkException classify(SQLException e, Side side, String endpoint, String subject) {
        String what = subject == null || subject.isBlank() ? "a statement" : subject.strip();
        Classified c = decide(e, endpoint);
        ErrorCode code = c.rule.code(side);
        TidemarkException out = new TidemarkException(code, e, args(code, endpoint, what, c.message));
        LOGGER.debug("{} {} during {}: {} → {} ({})", side.word(), endpoint, what, c.message, code.code(),
                c.rule.meaning());
        return out;
    }

    private record Classified(Rule rule, String message) {
    }

    private static Classified decide(SQLException e, String endpoint) {
        UnknownHostException unknown = find(e, UnknownHostException.class);
        if (unknown != null) {
            return unknownHost(unknown, endpoint);
        }
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t.getMessage() != null && NO_TLS_ON_SERVER.matcher(t.getMessage()).find()) {
                return new Classified(TLS, hostAndPort(endpoint) + " offers no TLS: enable it on the server"
                        + " (ssl-ca, ssl-cert, ssl-key; have_ssl = YES) or set tls.mode to preferred or disabled");
            }
        }
        SQLException numbered = firstNumbered(e);
        if (numbered != null) {
            Rule rule = BY_NUMBER.get(numbered.getErrorCode());
            String message = serverMessage(numbered);
            if (rule != null && rule.appliesTo(numbered.getMessage())) {
                return new Classified(rule, message);
            }
            Rule byState = byState(numbered.getSQLState());
            return new Classified(byState != null ? byState : OTHER, message);
        }
        for (Map.Entry<Class<? extends Throwable>, Rule> cause : BY_CAUSE.entrySet()) {
            Throwable t = find(e, cause.getKey());
            if (t != null) {
                return new Classified(cause.getValue(), networkMessage(e, t, endpoint));
            }
        }
        Rule byState = byState(e.getSQLState());
        return new Classified(byState != null ? byState : OTHER, serverMessage(e));
    }

    private static Rule byState(String state) {
        if (state == null || state.length() < 2) {
            return null;
        }
        Rule exact = BY_SQLSTATE.get(state);
        return exact != null ? exact : BY_SQLSTATE.get(state.substring(0, 2));
    }

    /** the first SQLException in the chain that carries a server error number */
    private static SQLException firstNumbered(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getErrorCode() != 0) {
                return s;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 20; t = t.getCause(), depth++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /**
     * "Temporary failure in name resolution" is the resolver being unavailable, not the name being wrong: that one
     * is retried like an unreachable server.
     */
    private static Classified unknownHost(UnknownHostException u, String endpoint) {
        String text = u.getMessage() == null ? "" : u.getMessage();
        int colon = text.indexOf(": ");
        String host = colon > 0 ? text.substring(0, colon) : text.isBlank() ? host(endpoint) : text;
        if (text.toLowerCase(Locale.ROOT).contains("temporary failure")) {
            return new Classified(UNREACHABLE, "the host name " + host + " could not be resolved right now"
                    + " (the name server did not answer)");
        }
        return new Classified(HOST_UNKNOWN, "the host name " + host + " does not resolve");
    }

    private static String networkMessage(SQLException e, Throwable cause, String endpoint) {
        String address = hostAndPort(endpoint);
        String causeText = cause.getMessage() == null ? "" : cause.getMessage().strip();
        String lower = causeText.toLowerCase(Locale.ROOT);
        if (cause instanceof SSLException) {
            return "the TLS handshake with " + address + " failed: " + tlsReason(cause);
        }
        if (cause instanceof ConnectException) {
            if (lower.contains("refused")) {
                return "nothing listens on " + address + " (connection refused)";
            }
            return "cannot open a connection to " + address + (causeText.isEmpty() ? "" : " (" + causeText + ")");
        }
        if (cause instanceof SocketTimeoutException) {
            TimeLimit limit = timeLimit(e);
            if (lower.contains("connect")) {
                return "no answer from " + address + " to the connection attempt within "
                        + (limit != null ? limit.describe() : "the connect timeout (connect-timeout)")
                        + ": a firewall or security group may drop the packets";
            }
            if (limit != null) {
                return "no answer within " + limit.describe() + "; raise " + limit.setting
                        + " if the server is only slow";
            }
            String waited = waited(e);
            return "no answer within " + (waited != null ? waited + " (the read timeout, read-timeout)"
                    : "the read timeout (read-timeout)") + "; raise read-timeout if the server is only slow";
        }
        if (cause instanceof EOFException || cause instanceof SocketException) {
            return "the connection to " + address + " was lost: the server closed it or the network dropped it"
                    + (causeText.isEmpty() || cause instanceof EOFException ? "" : " (" + causeText + ")");
        }
        return "the connection to " + address + " failed or was lost (" + firstLine(e.getMessage()) + ")";
    }

    /**
     * The deepest reason in a TLS failure's chain ("Path does not chain with any of the trust anchors", "No subject
     * alternative names matching IP address ..."), without the Java type names the JDK puts in front of it.
     */
    private static String tlsReason(Throwable ssl) {
        String reason = null;
        int depth = 0;
        for (Throwable t = ssl; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                reason = t.getMessage();
            }
        }
        if (reason == null) {
            return "no reason given";
        }
        return firstLine(JAVA_TYPE_PREFIX.matcher(reason).replaceAll("")).strip();
    }

    /** "java.security.cert.CertPathValidatorException: " and the like, wherever they appear in a message */
    private static final Pattern JAVA_TYPE_PREFIX = Pattern.compile("(?:[a-z][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error): ");

    /** "1 s" from Connector/J's own account of the silence, rounded to seconds */
    private static String waited(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                Matcher m = LAST_RECEIVED.matcher(t.getMessage());
                if (m.find()) {
                    try {
                        long ms = Long.parseLong(m.group(1).replaceAll("[,.]", ""));
                        return seconds(Duration.ofMillis(ms));
                    } catch (NumberFormatException ignored) {
                        return null;
                    }
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static TimeLimit timeLimit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (Throwable s : t.getSuppressed()) {
                if (s instanceof TimeLimit limit) {
                    return limit;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** the server's own words and number, without the driver's stack of causes */
    static String serverMessage(SQLException e) {
        String first = firstLine(e.getMessage());
        if (first.isEmpty()) {
            String state = e.getSQLState();
            first = "the server gave no message" + (state == null ? "" : " (SQLSTATE " + state + ")");
        }
        return first + (e.getErrorCode() != 0 ? " (error " + e.getErrorCode() + ")" : "");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String m = message.strip();
        int newline = m.indexOf('\n');
        return newline < 0 ? m : m.substring(0, newline).strip();
    }

    /** the template arguments each code takes; the codes older than this class keep their shapes */
    private static Object[] args(ErrorCode code, String endpoint, String subject, String message) {
        return switch (code) {
            case SOURCE_ACCESS_DENIED, TARGET_ACCESS_DENIED, SOURCE_TLS_FAILED, TARGET_TLS_FAILED ->
                    new Object[] {endpoint, message};
            case SOURCE_UNREACHABLE, SOURCE_PRIVILEGE_MISSING, SOURCE_QUERY_FAILED, TARGET_UNREACHABLE ->
                    new Object[] {endpoint, subject + ": " + message};
            case TARGET_STATEMENT_FAILED -> new Object[] {subject + " on " + endpoint, message};
            default -> new Object[] {endpoint, subject, message};
        };
    }

    private static String hostAndPort(String endpoint) {
        return endpoint == null ? "the server" : endpoint.substring(endpoint.lastIndexOf('@') + 1);
    }

    private static String host(String endpoint) {
        String hp = hostAndPort(endpoint);
        int colon = hp.lastIndexOf(':');
        return colon > 0 ? hp.substring(0, colon) : hp;
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0 && ms < 10_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = Math.round(ms / 1000.0);
        if (s >= 3600 && s % 3600 == 0) {
            return (s / 3600) + " h";
        }
        return s + " s";
    }

    /** which timeout was in force when an exception happened: attached as a suppressed exception, never thrown */
    private static final class TimeLimit extends Exception {
        private final String setting;
        private final Duration limit;

        TimeLimit(String setting, Duration limit) {
            super(setting + "=" + limit, null, false, false);
            this.setting = setting;
            this.limit = limit;
        }

        String describe() {
            return seconds(limit) + " (" + setting + ")";
        }
    }
}
