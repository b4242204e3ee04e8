package io.tidemark.mysql.session;

import java.sql.Connection;
import java.sql.SQLException;

/** One piece of work on a session that may fail with a {@link SQLException}, e.g. a DDL or a checksum. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection session) throws SQLException;
}
