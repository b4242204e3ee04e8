package io.tidemark.dm.sync;

import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.position.TablePoint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

/**
 * The open target transaction: row statements of one or more whole source transactions, executed in order as they
 * arrive (memory stays bounded whatever the transaction size), and committed together with the checkpoint flush.
 * Consecutive statements of the same text go to the server as one JDBC batch, which Connector/J rewrites into
 * multi-row statements. Not thread-safe: the replicator's thread only.
 */
final class TargetBatch {
    private static final int MAX_GROUP = 500;

    private final Connection connection;
    private final CheckpointStore checkpoints;
    private final long epoch;

    private String groupSql;
    private String groupSubject;
    private PreparedStatement group;
    private int groupSize;
    private long rows;
    private int transactions;
    private long openedAtNanos;

    TargetBatch(Connection connection, CheckpointStore checkpoints, long epoch) throws SQLException {
        this.connection = connection;
        this.checkpoints = checkpoints;
        this.epoch = epoch;
        connection.setAutoCommit(false);
    }

    void add(SqlStatement statement) throws SQLException {
        if (isEmpty()) {
            openedAtNanos = System.nanoTime();
        }
        if (!statement.sql().equals(groupSql)) {
            drain();
            groupSql = statement.sql();
            groupSubject = statement.subject();
            group = connection.prepareStatement(groupSql);
        }
        statement.bind(group);
        group.addBatch();
        groupSize++;
        rows++;
        if (groupSize >= MAX_GROUP) {
            group.executeBatch();
            groupSize = 0;
        }
    }

    /** a source transaction ended inside this batch */
    void transactionEnded() {
        if (isEmpty()) {
            openedAtNanos = System.nanoTime();
        }
        transactions++;
    }

    long rows() {
        return rows;
    }

    int transactions() {
        return transactions;
    }

    boolean isEmpty() {
        return rows == 0 && transactions == 0;
    }

    long ageMillis() {
        return isEmpty() ? 0 : (System.nanoTime() - openedAtNanos) / 1_000_000;
    }

    /** the table the statements in flight change, for error messages */
    String subject() {
        return groupSubject == null ? "(no table)" : groupSubject;
    }

    /**
     * executes what is pending, flushes the checkpoint under the epoch fence (deleting the table points it reached),
     * commits
     */
    void commit(BinlogPosition position, Collection<TablePoint> passed) throws SQLException {
        commit(position, passed, false);
    }

    /** the same, clearing the replay horizon when the flushed point covers every row the workers committed */
    void commit(BinlogPosition position, Collection<TablePoint> passed, boolean clearHorizon) throws SQLException {
        drain();
        checkpoints.flush(connection, position, epoch, passed, clearHorizon);
        connection.commit();
        reset();
    }

    /**
     * A worker's commit ({@link ApplyWorkers}): executes what is pending and commits under the epoch fence; the replay
     * horizon covering these rows was recorded before.
     */
    void commitFenced() throws SQLException {
        drain();
        checkpoints.holdFence(connection, epoch);
        connection.commit();
        reset();
    }

    void rollback() {
        try {
            closeGroup();
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is being abandoned; the transaction dies with it
        }
        reset();
    }

    private void drain() throws SQLException {
        if (group != null) {
            if (groupSize > 0) {
                group.executeBatch();
            }
            closeGroup();
        }
    }

    private void closeGroup() throws SQLException {
        if (group != null) {
            group.close();
        }
        group = null;
        groupSql = null;
        groupSize = 0;
    }

    private void reset() {
        rows = 0;
        transactions = 0;
        groupSql = null;
        groupSubject = null;
    }
}
