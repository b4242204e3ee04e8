package io.tidemark.mysql.error;

import com.mysql.cj.jdbc.exceptions.CommunicationsException;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
import static io.tidemark.common.error.ErrorCode.TARGET_TRANSIENT_CONFLICT;
import static io.tidemark.common.error.ErrorCode.TARGET_TXN_TOO_LARGE;
import static io.tidemark.common.error.ErrorCode.TARGET_TLS_FAILED;
import static io.tidemark.common.error.ErrorCode.TARGET_UNREACHABLE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classifier's whole table, row by row: each error number (and each SQLSTATE and network cause) → the catalog code
 * on the source and on the target, and whether that is retried. A rule added to {@link SqlErrors} without a row here
 * fails {@link #everyNumberInTheClassifiersTableHasARow()}.
 */
class SqlErrorsTest {
    private static final String ENDPOINT = "repl@db.example.com:3306";

    /**
     * @param source    code on the source, and {@code sourceRetried} whether it is retried
     * @param target    code on the target, and {@code targetRetried} whether it is retried
     */
    record Row(String what, SQLException error, ErrorCode source, boolean sourceRetried, ErrorCode target,
               boolean targetRetried) {
        @Override
        public String toString() {
            return what;
        }
    }

    private static Row number(int n, String state, String message, ErrorCode source, boolean sourceRetried,
                              ErrorCode target, boolean targetRetried) {
        return new Row("error " + n, new SQLException(message, state, n), source, sourceRetried, target,
                targetRetried);
    }

    static final List<Row> NUMBERS = List.of(
            number(1045, "28000", "Access denied for user 'repl'@'10.0.0.5' (using password: YES)",
                    SOURCE_ACCESS_DENIED, false, TARGET_ACCESS_DENIED, false),
            number(1698, "28000", "Access denied for user 'root'@'localhost'",
                    SOURCE_ACCESS_DENIED, false, TARGET_ACCESS_DENIED, false),
            number(1130, "HY000", "Host '10.0.0.5' is not allowed to connect to this MariaDB server",
                    SOURCE_ACCESS_DENIED, false, TARGET_ACCESS_DENIED, false),
            number(1129, "HY000", "Host '10.0.0.5' is blocked because of many connection errors",
                    SOURCE_ACCESS_DENIED, false, TARGET_ACCESS_DENIED, false),
            number(1044, "42000", "Access denied for user 'repl'@'%' to database 'shop'",
                    SOURCE_PRIVILEGE_MISSING, false, TARGET_PRIVILEGE_MISSING, false),
            number(1142, "42000", "SELECT command denied to user 'repl'@'%' for table 'orders'",
                    SOURCE_PRIVILEGE_MISSING, false, TARGET_PRIVILEGE_MISSING, false),
            number(1143, "42000", "SELECT command denied to user 'repl'@'%' for column 'id' in table 'orders'",
                    SOURCE_PRIVILEGE_MISSING, false, TARGET_PRIVILEGE_MISSING, false),
            number(1227, "42000", "Access denied; you need (at least one of) the BINLOG MONITOR privilege(s)",
                    SOURCE_PRIVILEGE_MISSING, false, TARGET_PRIVILEGE_MISSING, false),
            number(1370, "42000", "execute command denied to user 'repl'@'%' for routine"
                    + " 'mysql.rds_show_configuration'", SOURCE_PRIVILEGE_MISSING, false, TARGET_PRIVILEGE_MISSING,
                    false),
            number(1290, "HY000", "The MariaDB server is running with the --read-only option so it cannot execute"
                    + " this statement", SOURCE_QUERY_FAILED, true, TARGET_READ_ONLY, false),
            number(1836, "HY000", "Running in read-only mode", SOURCE_QUERY_FAILED, true, TARGET_READ_ONLY, false),
            number(1205, "HY000", "Lock wait timeout exceeded; try restarting transaction",
                    SOURCE_QUERY_FAILED, true, TARGET_TRANSIENT_CONFLICT, true),
            number(1213, "40001", "Deadlock found when trying to get lock; try restarting transaction",
                    SOURCE_QUERY_FAILED, true, TARGET_TRANSIENT_CONFLICT, true),
            number(1040, "08004", "Too many connections", SOURCE_UNREACHABLE, true, TARGET_UNREACHABLE, true),
            number(1203, "42000", "User repl already has more than 'max_user_connections' active connections",
                    SOURCE_UNREACHABLE, true, TARGET_UNREACHABLE, true),
            number(1053, "08S01", "Server shutdown in progress", SOURCE_UNREACHABLE, true, TARGET_UNREACHABLE, true),
            number(1927, "70100", "Connection was killed", SOURCE_UNREACHABLE, true, TARGET_UNREACHABLE, true),
            number(2002, "HY000", "Can't connect to local server through socket", SOURCE_UNREACHABLE, true,
                    TARGET_UNREACHABLE, true),
            number(2003, "HY000", "Can't connect to MySQL server on 'db.example.com'", SOURCE_UNREACHABLE, true,
                    TARGET_UNREACHABLE, true),
            number(2006, "HY000", "MySQL server has gone away", SOURCE_UNREACHABLE, true, TARGET_UNREACHABLE, true),
            number(2013, "HY000", "Lost connection to MySQL server during query", SOURCE_UNREACHABLE, true,
                    TARGET_UNREACHABLE, true),
            number(8004, "HY000", "Transaction is too large, size: 104857600", SOURCE_QUERY_FAILED, true,
                    TARGET_TXN_TOO_LARGE, false),
            number(8025, "HY000", "entry too large, the max entry size is 6291456, the size of data is 7340032",
                    SOURCE_QUERY_FAILED, true, TARGET_ENTRY_TOO_LARGE, false),
            number(9006, "HY000", "GC life time is shorter than transaction duration, transaction starts at"
                    + " 2025-01-01 10:00:00, GC safe point is 2025-01-01 10:10:00", SOURCE_QUERY_FAILED, true,
                    TARGET_GC_LIFE_TIME_TOO_SHORT, false),
            number(8022, "HY000", "Error: KV error safe to retry", SOURCE_QUERY_FAILED, true,
                    TARGET_TRANSIENT_CONFLICT, true),
            number(8028, "HY000", "Information schema is changed during the execution of the statement",
                    SOURCE_QUERY_FAILED, true, TARGET_TRANSIENT_CONFLICT, true),
            number(9007, "HY000", "Write conflict, txnStartTS=1, conflictStartTS=2", SOURCE_QUERY_FAILED, true,
                    TARGET_TRANSIENT_CONFLICT, true),
            number(9004, "HY000", "Resolve lock timeout", SOURCE_QUERY_FAILED, true, TARGET_TRANSIENT_CONFLICT, true),
            number(9001, "HY000", "PD server timeout", SOURCE_QUERY_FAILED, true, TARGET_BUSY, true),
            number(9002, "HY000", "TiKV server timeout", SOURCE_QUERY_FAILED, true, TARGET_BUSY, true),
            number(9003, "HY000", "TiKV server is busy", SOURCE_QUERY_FAILED, true, TARGET_BUSY, true),
            number(9005, "HY000", "Region is unavailable", SOURCE_QUERY_FAILED, true, TARGET_BUSY, true));

    static final List<Row> WITHOUT_A_NUMBER = List.of(
            new Row("SQLSTATE 28000", new SQLException("Access denied", "28000", 0),
                    SOURCE_ACCESS_DENIED, false, TARGET_ACCESS_DENIED, false),
            new Row("SQLSTATE 40001", new SQLException("serialization failure", "40001", 0),
                    SOURCE_QUERY_FAILED, true, TARGET_TRANSIENT_CONFLICT, true),
            new Row("SQLSTATE class 08", new SQLException("No operations allowed after connection closed.",
                    "08003", 0), SOURCE_UNREACHABLE, true, TARGET_UNREACHABLE, true),
            new Row("unknown host", link(new UnknownHostException("db.example.com: Name or service not known")),
                    SOURCE_HOST_UNKNOWN, false, TARGET_HOST_UNKNOWN, false),
            new Row("name server down", link(new UnknownHostException(
                    "db.example.com: Temporary failure in name resolution")),
                    SOURCE_UNREACHABLE, true, TARGET_UNREACHABLE, true),
            new Row("TLS handshake refused", link(new javax.net.ssl.SSLHandshakeException("PKIX path building failed:"
                    + " unable to find valid certification path to requested target")),
                    SOURCE_TLS_FAILED, false, TARGET_TLS_FAILED, false),
            new Row("no TLS on the server", new java.sql.SQLNonTransientConnectionException(
                    "SSL Connection required, but not provided by server.", "08001"),
                    SOURCE_TLS_FAILED, false, TARGET_TLS_FAILED, false),
            new Row("connection refused", link(new ConnectException("Connection refused")),
                    SOURCE_UNREACHABLE, true, TARGET_UNREACHABLE, true),
            new Row("read timed out", link(new SocketTimeoutException("Read timed out")),
                    SOURCE_UNREACHABLE, true, TARGET_UNREACHABLE, true),
            new Row("connection lost", link(new EOFException("Can not read response from server.")),
                    SOURCE_UNREACHABLE, true, TARGET_UNREACHABLE, true),
            new Row("connection reset", link(new SocketException("Connection reset")),
                    SOURCE_UNREACHABLE, true, TARGET_UNREACHABLE, true),
            new Row("communications failure alone", new CommunicationsException("Communications link failure", null),
                    SOURCE_UNREACHABLE, true, TARGET_UNREACHABLE, true),
            new Row("transient connection", new SQLTransientConnectionException("pool exhausted", null, 0),
                    SOURCE_UNREACHABLE, true, TARGET_UNREACHABLE, true),
            new Row("anything else", new SQLException("Duplicate entry '1' for key 'PRIMARY'", "23000", 1062),
                    SOURCE_QUERY_FAILED, true, TARGET_STATEMENT_FAILED, false),
            new Row("1290 for another option", new SQLException("The MySQL server is running with the"
                    + " --secure-file-priv option so it cannot execute this statement", "HY000", 1290),
                    SOURCE_QUERY_FAILED, true, TARGET_STATEMENT_FAILED, false));

    /** what Connector/J throws for a network failure: its own exception around the socket's */
    private static SQLException link(Exception cause) {
        return new CommunicationsException("Communications link failure\n\nThe last packet sent successfully to the"
                + " server was 0 milliseconds ago.", cause);
    }

    static Stream<Row> rows() {
        return Stream.concat(NUMBERS.stream(), WITHOUT_A_NUMBER.stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void classifiesOnBothSides(Row row) {
        TidemarkException onSource = SqlErrors.classify(row.error(), Side.SOURCE, ENDPOINT, "SHOW MASTER STATUS");
        TidemarkException onTarget = SqlErrors.classify(row.error(), Side.TARGET, ENDPOINT, "shop.orders");

        assertThat(onSource.error()).isEqualTo(row.source());
        assertThat(onSource.retriable()).isEqualTo(row.sourceRetried());
        assertThat(onTarget.error()).isEqualTo(row.target());
        assertThat(onTarget.retriable()).isEqualTo(row.targetRetried());
        assertThat(onSource.getCause()).isSameAs(row.error());
        for (TidemarkException e : List.of(onSource, onTarget)) {
            assertThat(e.detail()).as("speaks the user's terms").doesNotContain("Exception", "java.", "null");
            if (row.error().getErrorCode() != 0) {
                assertThat(e.detail()).contains(firstLine(row.error().getMessage()))
                        .contains("(error " + row.error().getErrorCode() + ")");
            }
        }
    }

    @Test
    void everyNumberInTheClassifiersTableHasARow() {
        Set<Integer> tested = NUMBERS.stream().map(r -> r.error().getErrorCode()).collect(Collectors.toSet());
        assertThat(tested).isEqualTo(SqlErrors.numberRules().keySet());
        for (Row row : NUMBERS) {
            SqlErrors.Rule rule = SqlErrors.ruleFor(row.error().getErrorCode()).orElseThrow();
            assertThat(rule.code(Side.SOURCE)).as(row.what()).isEqualTo(row.source());
            assertThat(rule.code(Side.TARGET)).as(row.what()).isEqualTo(row.target());
        }
    }

    @Test
    void everySqlStateAndCauseInTheClassifiersTablesHasARow() {
        assertThat(SqlErrors.sqlStateRules().keySet()).containsExactlyInAnyOrder("28000", "40001", "08");
        assertThat(SqlErrors.causeRules().keySet()).containsExactly(UnknownHostException.class,
                javax.net.ssl.SSLException.class, ConnectException.class, SocketTimeoutException.class, EOFException.class, SocketException.class,
                com.mysql.cj.exceptions.CJCommunicationsException.class, CommunicationsException.class,
                SQLTransientConnectionException.class);
        assertThat(SqlErrors.ruleFor(1062)).isEmpty();
        assertThat(SqlErrors.otherwise().code(Side.TARGET)).isEqualTo(TARGET_STATEMENT_FAILED);
    }

    @Test
    void anUnknownHostIsNamedInsteadOfACommunicationsLinkFailure() {
        TidemarkException e = SqlErrors.classify(link(new UnknownHostException(
                "db.example.com: Name or service not known")), Side.SOURCE, ENDPOINT, "login");

        assertThat(e.detail()).isEqualTo("cannot reach source repl@db.example.com:3306 (login): the host name"
                + " db.example.com does not resolve");
    }

    @Test
    void aRefusedConnectionSaysNothingListens() {
        TidemarkException e = SqlErrors.classify(link(new ConnectException("Connection refused")), Side.TARGET,
                "root@tidb:4000", "login");

        assertThat(e.detail()).isEqualTo("cannot reach target root@tidb:4000: login: nothing listens on tidb:4000"
                + " (connection refused)");
    }

    @Test
    void aReadTimeoutNamesTheTimeoutInForceAndTheSettingToRaise() {
        SQLException timedOut = link(new SocketTimeoutException("Read timed out"));
        SqlErrors.noteTimeLimit(timedOut, "long-operation-timeout", Duration.ofHours(24));

        TidemarkException e = SqlErrors.classify(timedOut, Side.TARGET, "root@tidb:4000", "ADMIN CHECKSUM TABLE t");

        assertThat(e.detail()).isEqualTo("cannot reach target root@tidb:4000: ADMIN CHECKSUM TABLE t: no answer"
                + " within 24 h (long-operation-timeout); raise long-operation-timeout if the server is only slow");
        assertThat(e.retriable()).isTrue();
    }

    @Test
    void aReadTimeoutWithoutANoteTakesTheWaitFromTheDriversAccount() {
        SQLException timedOut = new CommunicationsException("Communications link failure\n\nThe last packet"
                + " successfully received from the server was 120,004 milliseconds ago. The last packet sent"
                + " successfully to the server was 120,010 milliseconds ago.", new SocketTimeoutException(
                "Read timed out"));

        TidemarkException e = SqlErrors.classify(timedOut, Side.SOURCE, ENDPOINT, "SELECT from shop.orders");

        assertThat(e.detail()).contains("no answer within 120 s (the read timeout, read-timeout); raise read-timeout");
    }

    @Test
    void aTimeLimitIsOnlyNotedOnATimeout() {
        SQLException duplicate = new SQLException("Duplicate entry", "23000", 1062);
        SqlErrors.noteTimeLimit(duplicate, "read-timeout", Duration.ofSeconds(5));

        assertThat(duplicate.getSuppressed()).isEmpty();
    }

    @Test
    void aStatementTheTargetRejectsNamesSubjectEndpointAndServerWords() {
        TidemarkException e = SqlErrors.classify(new SQLException("Data too long for column 'name' at row 3\nmore",
                "22001", 1406), Side.TARGET, "root@tidb:4000", "shop.orders (file shop.orders.0001.sql, statement 12)");

        assertThat(e.detail()).isEqualTo("target rejected a statement for shop.orders (file shop.orders.0001.sql,"
                + " statement 12) on root@tidb:4000: Data too long for column 'name' at row 3 (error 1406)");
    }

    private static String firstLine(String m) {
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
