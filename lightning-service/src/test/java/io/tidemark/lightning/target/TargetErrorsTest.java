package io.tidemark.lightning.target;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.secret.Secret;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What each target failure means for the import, and whether the worker retries it. */
class TargetErrorsTest {
    private static final DatabaseEndpoint TARGET = new DatabaseEndpoint("tidb.example", 4000, "loader",
            new Secret("env:TARGET_PASSWORD"));

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new SQLException("Access denied for user 'loader'@'10.0.0.1' (using password: YES)",
                        "28000", 1045), ErrorCode.TARGET_ACCESS_DENIED, false, "loader@tidb.example:4000"),
                Arguments.of(new SQLException("Access denied for user 'loader' to database 'shop'", "42000", 1044),
                        ErrorCode.TARGET_ACCESS_DENIED, false, "loader@tidb.example:4000"),
                Arguments.of(new SQLNonTransientConnectionException("Communications link failure", "08S01", 0),
                        ErrorCode.TARGET_UNREACHABLE, true, "Communications link failure"),
                Arguments.of(new SQLException("Connection was killed", "70100", 1927),
                        ErrorCode.TARGET_UNREACHABLE, true, "Connection was killed"),
                Arguments.of(new SQLException("Server shutdown in progress", "08S01", 1053),
                        ErrorCode.TARGET_UNREACHABLE, true, "shutdown"),
                Arguments.of(new SQLSyntaxErrorException("Column count doesn't match value count at row 1", "21S01",
                        1136), ErrorCode.TARGET_STATEMENT_FAILED, false, "shop.orders (file f.sql): Column count"),
                Arguments.of(new SQLException("Deadlock found when trying to get lock; try restarting transaction",
                        "40001", 1213), ErrorCode.TARGET_TRANSIENT_CONFLICT, true, "shop.orders (file f.sql)"),
                Arguments.of(new SQLException("Lock wait timeout exceeded; try restarting transaction", "HY000", 1205),
                        ErrorCode.TARGET_TRANSIENT_CONFLICT, true, "Lock wait timeout exceeded"),
                Arguments.of(new SQLException("Duplicate entry '1' for key 'PRIMARY'", "23000", 1062),
                        ErrorCode.TARGET_STATEMENT_FAILED, false, "(error 1062)"));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void classifiesTargetFailures(SQLException e, ErrorCode expected, boolean retriable, String mentioned) {
        TidemarkException t = TargetErrors.classify(e, TARGET, "shop.orders (file f.sql)");

        assertThat(t.error()).isEqualTo(expected);
        assertThat(t.retriable()).isEqualTo(retriable);
        assertThat(t.detail()).contains(mentioned);
        assertThat(t.getCause()).isSameAs(e);
    }
}
