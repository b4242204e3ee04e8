package io.tidemark.deploy;

import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * What the fault tests read in the databases to prove where a kill landed: the import's chunk checkpoints and the
 * replication checkpoint in the target's {@code tidemark_meta}, and the sessions held on the tests' locks.
 */
final class FaultEvidence {
    private FaultEvidence() {
    }

    /** chunks of the migration's import not done yet (claimed or still to claim) */
    static long unfinishedChunks(LocalMariaDb target, String migrationId) throws SQLException {
        return count(target, "SELECT COUNT(*) FROM tidemark_meta.import_chunks WHERE migration_id = '" + migrationId
                + "' AND status <> 'done'");
    }

    /**
     * Waits until the replication checkpoint moves (the source being written to): a dm-service is streaming.
     *
     * @return the checkpoint's owner epoch then
     */
    static long awaitCheckpointAdvancing(LocalMariaDb target) {
        String sql = "SELECT owner_epoch, CONCAT(binlog_file, ':', binlog_pos)"
                + " FROM tidemark_meta.replication_checkpoints";
        String[] first = new String[1];
        long[] epoch = new long[1];
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).until(() -> {
            try (Connection c = TestDatabases.connect(target); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery(sql)) {
                if (!rs.next()) {
                    return false;
                }
                epoch[0] = rs.getLong(1);
                if (first[0] == null) {
                    first[0] = rs.getString(2);
                    return false;
                }
                return !first[0].equals(rs.getString(2));
            } catch (SQLException e) {
                return false; // dm-service creates the checkpoint table when it claims the task
            }
        });
        return epoch[0];
    }

    /** the highest owner epoch of the replication checkpoints: it rises when a task changes hands */
    static long checkpointEpoch(LocalMariaDb target) throws SQLException {
        return count(target, "SELECT COALESCE(MAX(owner_epoch), 0) FROM tidemark_meta.replication_checkpoints");
    }

    /** sessions of {@code db} waiting for the metadata lock of {@code schema.table} (held by LOCK TABLES) */
    static long waitersOn(LocalMariaDb db, String schema, String table) throws SQLException {
        return count(db, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE STATE ="
                + " 'Waiting for table metadata lock' AND INFO LIKE '%" + schema + "%" + table + "%'");
    }

    /** transactions of {@code db} waiting for a row lock */
    static long rowLockWaits(LocalMariaDb db) throws SQLException {
        return count(db, "SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'");
    }

    private static long count(LocalMariaDb db, String sql) throws SQLException {
        try (Connection c = TestDatabases.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
