package io.tidemark.snapshot.source;

import io.tidemark.common.table.TableFilter;
import io.tidemark.common.table.TableRef;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** What the prechecks learn about the source, check by check. Used by one thread. */
final class Probe implements AutoCloseable {
    final SourceConnector connector;
    final TableFilter filter;
    Connection connection;
    SourceFlavor flavor;
    final List<TableRef> tables = new ArrayList<>();
    final List<TableRef> skipped = new ArrayList<>();

    Probe(SourceConnector connector, TableFilter filter) {
        this.connector = connector;
        this.filter = filter;
    }

    String account() {
        return connector.endpoint().describe();
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // a probe connection only read; nothing to lose
            }
        }
    }
}
