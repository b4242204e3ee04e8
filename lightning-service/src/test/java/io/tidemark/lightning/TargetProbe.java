package io.tidemark.lightning;

import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** What a crash test reads on the target: numbers, the worker's sessions, a chunk's checkpoint row. */
final class TargetProbe {
    private final LocalMariaDb target;

    TargetProbe(LocalMariaDb target) {
        this.target = target;
    }

    /** a chunk's checkpoint row; "none" before the worker created it */
    record Checkpoint(String status, long statements, long rows) {
    }

    Checkpoint checkpoint(String chunkId) throws SQLException {
        try (Connection c = TestDatabases.connect(target); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT status, statements_done, rows_done FROM "
                     + "tidemark_meta.import_chunks WHERE chunk_id = '" + chunkId.replace("'", "''") + "'")) {
            return rs.next() ? new Checkpoint(rs.getString(1), rs.getLong(2), rs.getLong(3))
                    : new Checkpoint("none", 0, 0);
        }
    }

    /** the checkpoint, or -1 statements and rows while its table does not exist yet */
    Checkpoint checkpointOrNone(String chunkId) {
        try {
            return checkpoint(chunkId);
        } catch (SQLException e) {
            return new Checkpoint("none", -1, -1);
        }
    }

    /** the first column of the first row {@code sql} selects */
    long count(String sql) throws SQLException {
        try (Connection c = TestDatabases.connect(target); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    long otherSessions() throws SQLException {
        return count("SELECT COUNT(*) FROM information_schema.processlist WHERE id <> CONNECTION_ID()"
                + " AND user = 'root'");
    }

    /**
     * the worker's session, blocked by the test's table lock on a REPLACE (SQL, CSV) or a LOAD DATA (Parquet) inside
     * its open batch
     */
    long awaitWorkerWaitingOnTheLock() {
        long[] id = new long[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            try (Connection c = TestDatabases.connect(target); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id FROM information_schema.processlist WHERE id <> "
                         + "CONNECTION_ID() AND state = 'Waiting for table metadata lock' AND (info LIKE 'REPLACE%' OR info LIKE 'LOAD DATA%')")) {
                if (!rs.next()) {
                    return false;
                }
                id[0] = rs.getLong(1);
                return true;
            }
        });
        return id[0];
    }

    boolean sessionExists(long id) throws SQLException {
        return count("SELECT COUNT(*) FROM information_schema.processlist WHERE id = " + id) > 0;
    }
}
