package io.tidemark.dm.sync;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.secret.Secret;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** The one place deciding retriable vs fatal for SQL failures, table-driven. */
class DatabasesTest {
    private static final DatabaseEndpoint DB = new DatabaseEndpoint("h", 3306, "u", new Secret("env:X"));

    @ParameterizedTest
    @CsvSource({
            "1045, 28000, TARGET_ACCESS_DENIED, false",
            "0, 08S01, TARGET_UNREACHABLE, true",
            "1213, 40001, TARGET_TRANSIENT_CONFLICT, true",
            "1205, HY000, TARGET_TRANSIENT_CONFLICT, true",
            "1146, 42S02, TARGET_STATEMENT_FAILED, false",
            "1264, 22003, TARGET_STATEMENT_FAILED, false",
    })
    void targetErrors(int code, String state, ErrorCode expected, boolean retriable) {
        var e = Databases.targetError(DB, "db.t", new SQLException("boom", state, code));
        assertThat(e.error()).isEqualTo(expected);
        assertThat(e.retriable()).isEqualTo(retriable);
    }

    @ParameterizedTest
    @CsvSource({
            "1045, 28000, SOURCE_ACCESS_DENIED, false",
            "0, 08001, SOURCE_UNREACHABLE, true",
            "1064, 42000, SOURCE_QUERY_FAILED, true",
    })
    void sourceErrors(int code, String state, ErrorCode expected, boolean retriable) {
        var e = Databases.sourceError(DB, new SQLException("boom", state, code));
        assertThat(e.error()).isEqualTo(expected);
        assertThat(e.retriable()).isEqualTo(retriable);
        assertThat(e.getMessage()).doesNotContain("env:X");
    }
}
