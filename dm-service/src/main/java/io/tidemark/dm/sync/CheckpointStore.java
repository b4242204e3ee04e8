package io.tidemark.dm.sync;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.position.TablePoint;
import io.tidemark.common.table.TableRef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The replication checkpoint in the target's meta schema: per task the global point (binlog file and position after
 * the last applied transaction or DDL) plus the owner epoch that fences out older owners, and the table points still
 * ahead of it (where each table's dump was taken; see {@link TablePoints}).
 * Vocabulary as DM's: the replicator <em>saves</em> a point in memory at a transaction boundary and <em>flushes</em> it
 * here in the same target transaction as the rows it covers, so a crash never loses or repeats a change. The table
 * points are written with the checkpoint row that starts at the task's start, and each is deleted in the flush whose
 * global point reaches it, so a restart or a new owner resumes with exactly the points that still matter.
 *
 * <p>With parallel apply ({@link ApplyWorkers}) the rows of keyed tables are committed by the workers just before the
 * flush that covers them, so the row also keeps the <em>replay horizon</em>: the furthest point such rows may have been
 * committed up to. A restart replays from the flushed point up to it in safe mode. Every worker transaction is fenced
 * too: the one that records the horizon by its epoch-matched update, the others by {@link #holdFence}.
 * One per replicator; the replicator's thread uses it, and its apply workers only {@link #saveReplayHorizon} and
 * {@link #holdFence}, which keep no state.
 */
final class CheckpointStore {
    static final String TABLE = "`tidemark_meta`.`replication_checkpoints`";
    static final String POINTS = "`tidemark_meta`.`replication_table_points`";

    /** what a claim found: the point to resume from and the epoch this owner now holds */
    record Claim(BinlogPosition position, long epoch, boolean created) {
    }

    /** the row as stored: the flushed point and the epoch of the owner holding it */
    private record Row(BinlogPosition position, long epoch) {
    }

    /** the replay horizon's columns, null until a parallel apply commits beyond a checkpoint */
    private static final String REPLAY_COLUMNS = "replay_file VARCHAR(255) NULL, replay_pos BIGINT NULL,"
            + " replay_gtid TEXT NULL";
    private static final int DUPLICATE_COLUMN = 1060;

    private final String taskId;
    private final String owner;
    /** whether the target is TiDB, learnt at the first fence */
    private volatile Boolean onTidb;

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
                    + "updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
                    + REPLAY_COLUMNS
                    + ") DEFAULT CHARSET=utf8mb4");
            addReplayColumns(c, st);
            // names compare byte for byte: a source with case-sensitive names may hold both t and T
            st.execute("CREATE TABLE IF NOT EXISTS " + POINTS + " ("
                    + "task_id VARCHAR(255) NOT NULL,"
                    + "table_schema VARCHAR(64) NOT NULL,"
                    + "table_name VARCHAR(64) NOT NULL,"
                    + "binlog_file VARCHAR(255) NOT NULL,"
                    + "binlog_pos BIGINT NOT NULL,"
                    + "gtid_set TEXT NULL,"
                    + "PRIMARY KEY (task_id, table_schema, table_name)"
                    + ") DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
        }
    }

    /**
     * A checkpoint table of a release before parallel apply lacks the replay horizon: it is added once. Two tasks
     * starting at once may both try; the second finds the columns there (1060, duplicate column name).
     */
    private static void addReplayColumns(Connection c, Statement st) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE"
                + " TABLE_SCHEMA = 'tidemark_meta' AND TABLE_NAME = 'replication_checkpoints'"
                + " AND COLUMN_NAME = 'replay_file'"); ResultSet rs = ps.executeQuery()) {
            if (rs.next() && rs.getLong(1) > 0) {
                return;
            }
        }
        try {
            st.execute("ALTER TABLE " + TABLE + " ADD COLUMN replay_file VARCHAR(255) NULL,"
                    + " ADD COLUMN replay_pos BIGINT NULL, ADD COLUMN replay_gtid TEXT NULL");
        } catch (SQLException e) {
            if (e.getErrorCode() != DUPLICATE_COLUMN) {
                throw e;
            }
        }
    }

    /**
     * Takes the task over: in one transaction reads (or creates, at {@code start}) the row and increments its epoch.
     * A row created here already holds the start point, so a crash before the first flush resumes from the same
     * point instead of asking the source for a newer one; and with it the table points after the start (the task's).
     * A checkpoint that exists keeps the points stored with it: they are the ones still ahead of it.
     * Runs in READ COMMITTED: under InnoDB's REPEATABLE READ the locking read and the delete of a task's not yet
     * existing rows take gap locks, and two tasks claiming at once on one target then deadlock on each other's
     * insert. The row lock on the task's own key is all the claim needs.
     */
    Claim claim(Connection c, Supplier<BinlogPosition> start, Collection<TablePoint> points) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        int isolation = c.getTransactionIsolation();
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
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
                replacePoints(c, points.stream().filter(t -> p.isBefore(t.position())).toList());
                claim = new Claim(p, 1, true);
            }
            c.commit();
            return claim;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
            c.setTransactionIsolation(isolation);
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

    /** the table points stored with the checkpoint: those its global point has not reached yet */
    List<TablePoint> tablePoints(Connection c) throws SQLException {
        List<TablePoint> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT table_schema, table_name, binlog_file, binlog_pos,"
                + " gtid_set FROM " + POINTS + " WHERE task_id = ?")) {
            ps.setString(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TablePoint(TableRef.of(rs.getString(1), rs.getString(2)),
                            BinlogPosition.of(rs.getString(3), rs.getLong(4), rs.getString(5))));
                }
            }
        }
        return out;
    }

    /**
     * A new checkpoint holds exactly the task's points, whatever an earlier one of the same task left; and while
     * shards wait at their DDL (shard-mode pessimistic), a flush holds the points that a re-sync from the held global
     * point skips by, in the caller's open transaction.
     */
    void replacePoints(Connection c, List<TablePoint> points) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + POINTS + " WHERE task_id = ?")) {
            ps.setString(1, taskId);
            ps.executeUpdate();
        }
        if (points.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + POINTS
                + " (task_id, table_schema, table_name, binlog_file, binlog_pos, gtid_set) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (TablePoint p : points) {
                ps.setString(1, taskId);
                ps.setString(2, p.table().schema());
                ps.setString(3, p.table().table());
                ps.setString(4, p.position().file());
                ps.setLong(5, p.position().pos());
                ps.setString(6, p.position().gtidSet());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Flushes the point inside the caller's open transaction; the caller commits. Zero rows matched means a newer
     * owner holds the task: the caller must roll back and stop.
     *
     * @param passed the table points {@code position} reached, deleted in the same transaction
     */
    void flush(Connection c, BinlogPosition position, long epoch, Collection<TablePoint> passed) throws SQLException {
        flush(c, position, epoch, passed, false);
    }

    /**
     * The same, and with {@code clearHorizon} the replay horizon is dropped: the point covers every row the workers
     * committed, so a restart has nothing to replay in safe mode (and a horizon left behind could not be compared with
     * a checkpoint moved to another server's file names).
     */
    void flush(Connection c, BinlogPosition position, long epoch, Collection<TablePoint> passed, boolean clearHorizon)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE
                + " SET binlog_file = ?, binlog_pos = ?, gtid_set = ?, updated_at = CURRENT_TIMESTAMP(6)"
                + (clearHorizon ? ", replay_file = NULL, replay_pos = NULL, replay_gtid = NULL" : "")
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
        if (passed.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + POINTS
                + " WHERE task_id = ? AND table_schema = ? AND table_name = ?")) {
            for (TablePoint p : passed) {
                ps.setString(1, taskId);
                ps.setString(2, p.table().schema());
                ps.setString(3, p.table().table());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Records, inside a worker's open transaction, how far the rows it and the other workers are about to commit
     * reach; the worker commits. Fenced like a flush: zero rows matched means a newer owner holds the task.
     */
    void saveReplayHorizon(Connection c, BinlogPosition horizon, long epoch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE
                + " SET replay_file = ?, replay_pos = ?, replay_gtid = ? WHERE task_id = ? AND owner_epoch = ?")) {
            ps.setString(1, horizon.file());
            ps.setLong(2, horizon.pos());
            ps.setString(3, horizon.gtidSet());
            ps.setString(4, taskId);
            ps.setLong(5, epoch);
            if (ps.executeUpdate() == 0) {
                throw fenced("newer than " + epoch);
            }
        }
    }

    /**
     * Inside a worker's open transaction, just before it commits: locks the checkpoint row for reading and checks the
     * epoch. A newer owner's claim ({@link #claim}, which locks the row for update) then either waits until this
     * commit is done — it resumes from the checkpoint and replays it in safe mode — or has bumped the epoch already,
     * and this worker must roll back. TiDB refuses {@code LOCK IN SHARE MODE} unless its no-op functions are enabled,
     * so there the lock is exclusive (the workers' commits then pass the row one after another).
     */
    void holdFence(Connection c, long epoch) throws SQLException {
        Boolean tidb = onTidb;
        if (tidb == null) {
            tidb = c.getMetaData().getDatabaseProductVersion().toLowerCase(java.util.Locale.ROOT).contains("tidb");
            onTidb = tidb;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT owner_epoch FROM " + TABLE + " WHERE task_id = ?"
                + (tidb ? " FOR UPDATE" : " LOCK IN SHARE MODE"))) {
            ps.setString(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw fenced("newer than " + epoch + "; the checkpoint row is gone");
                }
                if (rs.getLong(1) != epoch) {
                    throw fenced(Long.toString(rs.getLong(1)));
                }
            }
        }
    }

    /**
     * How far rows of an earlier run may have been committed beyond the checkpoint by its apply workers; empty when
     * never recorded or not past the checkpoint.
     */
    Optional<BinlogPosition> replayHorizon(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT replay_file, replay_pos, replay_gtid, binlog_file,"
                + " binlog_pos, gtid_set FROM " + TABLE + " WHERE task_id = ?")) {
            ps.setString(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getString(1) == null) {
                    return Optional.empty();
                }
                BinlogPosition horizon = BinlogPosition.of(rs.getString(1), rs.getLong(2), rs.getString(3));
                BinlogPosition flushed = BinlogPosition.of(rs.getString(4), rs.getLong(5), rs.getString(6));
                return flushed.isBefore(horizon) ? Optional.of(horizon) : Optional.empty();
            }
        }
    }

    private TidemarkException fenced(String epoch) {
        return new TidemarkException(ErrorCode.TARGET_FENCED, taskId, epoch);
    }
}
