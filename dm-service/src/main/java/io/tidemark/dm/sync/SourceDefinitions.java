package io.tidemark.dm.sync;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.error.Side;
import io.tidemark.mysql.error.SqlErrors;
import io.tidemark.mysql.session.Sessions;
import io.tidemark.mysql.session.Timeouts;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The source's current table definitions, read from its information_schema on a read-only session of the kit opened
 * the first time one is needed (a binlog with signedness metadata never needs one). A table the account may not see
 * reads as empty. Not thread-safe: one per sync session, closed with it.
 */
final class SourceDefinitions implements SourceSignedness.SourceDefinitions, AutoCloseable {
    private final DatabaseEndpoint source;
    private final String password;
    private final Timeouts timeouts;
    private Connection session;

    SourceDefinitions(DatabaseEndpoint source, String password, Timeouts timeouts) {
        this.source = source;
        this.password = password;
        this.timeouts = timeouts;
    }

    /** @throws io.tidemark.common.error.TidemarkException the source could not be read, classified */
    @Override
    public Optional<List<Column>> columns(TableRef table) {
        try {
            if (session == null) {
                session = Sessions.open(source, password, Side.SOURCE, timeouts, null);
            }
            List<Column> columns = SchemaCache.columns(session, table);
            return columns.isEmpty() ? Optional.empty() : Optional.of(columns);
        } catch (SQLException e) {
            throw SqlErrors.classify(e, Side.SOURCE, source.describe(), "the definition of " + table);
        }
    }

    @Override
    public void close() {
        Sessions.closeQuietly(session);
        session = null;
    }
}
