package io.tidemark.dm.sync;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The replication checkpoint in the target's meta schema, one row per task: the global point (binlog file and
 * position after the last applied transaction or DDL) plus the owner epoch that fences out older owners.
 * Vocabulary as DM's: the replicator <em>saves</em> a point in memory at a transaction boundary and <em>flushes</em> it
 * here in the same target transaction as the rows it covers, so a crash never loses or repeats a change.
 * Not thread-safe: one per replicator, used on its thread.
 */
final class CheckpointStore {
    static final String TABLE = "`tidemark_meta`.`replication_checkpoints`";

    /** what a claim found: the point to resume from and the epoch this owner now holds */
    record Claim(BinlogPosition position, long epoch, boolean created) {
    }

    /** the row as stored: the flushed point and the epoch of the owner holding it */
    private record Row(BinlogPosition position, long epoch) {
    }

    private final String taskId;
    private final String owner;

    CheckpointStore(String taskId, String owner) {
        this.taskId = taskId;
        this.owner = owner;
    }

    static void ensureTable(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS `tidemark_meta`");
            st.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " ("
                    + "task_id VARCHAR(255) NOT NULL PRIMARY KEY,"
                    + "binlog_file VARCHAR(255) NOT NULL,"
                    + "binlog_pos BIGINT NOT NULL,"
                    + "gtid_set TEXT NULL,"
                    + "owner_epoch BIGINT NOT NULL,"
                    + "owner VARCHAR(255) NOT NULL,"
                    + "updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
                    + ") DEFAULT CHARSET=utf8mb4");
        }
    }

    /**
     * Takes the task over: in one transaction reads (or creates, at {@code start}) the row and increments its epoch.
     * A row created here already holds the start point, so a crash before the first flush resumes from the same
     * point instead of asking the source for a newer one.
     */
    Claim claim(Connection c, Supplier<BinlogPosition> start) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            Row row = read(c, true);
            Claim claim;
            if (row != null) {
                claim = new Claim(row.position(), row.epoch() + 1, false);
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE
                        + " SET owner_epoch = ?, owner = ?, updated_at = CURRENT_TIMESTAMP(6) WHERE task_id = ?")) {
                    ps.setLong(1, claim.epoch());
                    ps.setString(2, owner);
                    ps.setString(3, taskId);
                    ps.executeUpdate();
                }
            } else {
                BinlogPosition p = start.get();
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE
                        + " (task_id, binlog_file, binlog_pos, gtid_set, owner_epoch, owner) VALUES (?, ?, ?, ?, 1, ?)")) {
                    ps.setString(1, taskId);
                    ps.setString(2, p.file());
                    ps.setLong(3, p.pos());
                    ps.setString(4, p.gtidSet());
                    ps.setString(5, owner);
                    ps.executeUpdate();
                }
                claim = new Claim(p, 1, true);
            }
            c.commit();
            return claim;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /**
     * After a retriable failure the same owner continues without a new claim, but only if nobody took the task over
     * meanwhile.
     *
     * @return the checkpoint to resume from
     */
    BinlogPosition verifyOwnership(Connection c, long epoch) throws SQLException {
        Row row = read(c, false);
        if (row == null) {
            throw fenced("newer than " + epoch + "; the checkpoint row is gone");
        }
        if (row.epoch() != epoch) {
            throw fenced(Long.toString(row.epoch()));
        }
        return row.position();
    }

    /** where the task would resume, without taking it over: what the prechecks verify before the claim */
    Optional<BinlogPosition> saved(Connection c) throws SQLException {
        return Optional.ofNullable(read(c, false)).map(Row::position);
    }

    private Row read(Connection c, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT binlog_file, binlog_pos, gtid_set, owner_epoch FROM "
                + TABLE + " WHERE task_id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Row(BinlogPosition.of(rs.getString(1), rs.getLong(2), rs.getString(3)),
                        rs.getLong(4)) : null;
            }
        }
    }

    /**
     * Flushes the point inside the caller's open transaction; the caller commits. Zero rows matched means a newer
     * owner holds the task: the caller must roll back and stop.
     */
    void flush(Connection c, BinlogPosition position, long epoch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE
                + " SET binlog_file = ?, binlog_pos = ?, gtid_set = ?, updated_at = CURRENT_TIMESTAMP(6)"
                + " WHERE task_id = ? AND owner_epoch = ?")) {
            ps.setString(1, position.file());
            ps.setLong(2, position.pos());
            ps.setString(3, position.gtidSet());
            ps.setString(4, taskId);
            ps.setLong(5, epoch);
            if (ps.executeUpdate() == 0) {
                throw fenced("newer than " + epoch);
            }
        }
    }

    private TidemarkException fenced(String epoch) {
        return new TidemarkException(ErrorCode.TARGET_FENCED, taskId, epoch);
    }
}
