package io.tidemark.lightning.chunk;

import com.mysql.cj.jdbc.JdbcStatement;
import com.mysql.cj.jdbc.result.ResultSetInternalMethods;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the server says of a LOAD DATA it ran, in its info line ({@code Records: 3  Deleted: 1  Skipped: 0  Warnings:
 * 0}, the same words on MySQL, MariaDB and TiDB). The update count cannot stand in for it: a replaced row counts twice
 * there and a skipped one not at all, while a chunk reports the rows its file holds.
 *
 * @param records the rows read from the file
 * @param deleted the target's rows replaced by them (REPLACE)
 * @param skipped the file's rows not written because their key was taken (IGNORE, or LOAD DATA LOCAL without a word)
 */
record LoadDataInfo(long records, long deleted, long skipped, long warnings) {
    private static final Pattern INFO = Pattern.compile(
            "Records:\\s*(\\d+)\\s+Deleted:\\s*(\\d+)\\s+Skipped:\\s*(\\d+)\\s+Warnings:\\s*(\\d+)");

    /** the info of the statement {@code st} ran last; empty when the driver or the server gave none */
    static Optional<LoadDataInfo> of(Statement st) throws SQLException {
        ResultSetInternalMethods result = st.unwrap(JdbcStatement.class).getResultSetInternal();
        return result == null ? Optional.empty() : parse(result.getServerInfo());
    }

    static Optional<LoadDataInfo> parse(String info) {
        Matcher m = info == null ? null : INFO.matcher(info);
        if (m == null || !m.find()) {
            return Optional.empty();
        }
        return Optional.of(new LoadDataInfo(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                Long.parseLong(m.group(3)), Long.parseLong(m.group(4))));
    }
}
