package io.tidemark.dm.sync;

import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.position.TablePoint;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The open target transaction: row statements of one or more whole source transactions, executed in order as they
 * arrive (memory stays bounded whatever the transaction size), and committed together with the checkpoint flush.
 * Consecutive statements of the same text go to the server together, written as text by {@link SqlText}: INSERT and
 * REPLACE as one multi-row statement, DELETE by a one-column key as one IN list, the others as a batch Connector/J
 * sends as one multi-statement query. Not
 * thread-safe: the replicator's thread only.
 */
final class TargetBatch {
    private static final int MAX_GROUP = 500;
    /** a multi-row statement is sent once it is this long, well under any max_allowed_packet (MySQL's least is 1 MiB) */
    private static final int MAX_TEXT_CHARS = 256 * 1024;
    /** statement texts remembered per session: tables × shapes */
    private static final int MAX_TEXTS = 4096;

    private final Connection connection;
    private final CheckpointStore checkpoints;
    private final long epoch;

    private final Map<String, SqlText> texts = new HashMap<>();
    private StringBuilder text = new StringBuilder(1024);
    private Statement statement;
    private String groupSql;
    private String groupSubject;
    private SqlText groupText;
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
            groupText = texts.get(groupSql);
            if (groupText == null) {
                if (texts.size() >= MAX_TEXTS) {
                    texts.clear(); // tables come and go with DDL; the live ones come back at once
                }
                groupText = SqlText.of(groupSql);
                texts.put(groupSql, groupText);
            }
        }
        if (groupText.multiRow()) {
            if (groupSize == 0) {
                text.setLength(0);
                text.append(groupText.rowsHead());
            } else {
                text.append(',');
            }
            groupText.appendRow(text, statement.params());
        } else {
            text.setLength(0);
            groupText.appendWhole(text, statement.params());
            statement().addBatch(text.toString());
        }
        groupSize++;
        rows++;
        if (groupSize >= MAX_GROUP || groupText.multiRow() && text.length() >= MAX_TEXT_CHARS) {
            executeGroup();
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
        if (groupSize > 0) {
            executeGroup();
        }
        closeGroup();
    }

    /** sends the rows gathered: one multi-row statement, or a batch the driver sends as one multi-statement query */
    private void executeGroup() throws SQLException {
        if (groupText.multiRow()) {
            text.append(groupText.rowsTail());
            statement().executeUpdate(text.toString());
        } else {
            statement().executeBatch();
        }
        groupSize = 0;
        if (text.capacity() > MAX_TEXT_CHARS) {
            text = new StringBuilder(1024); // one huge row must not keep its buffer for the session's life
        }
    }

    private Statement statement() throws SQLException {
        if (statement == null) {
            statement = connection.createStatement();
        }
        return statement;
    }

    private void closeGroup() throws SQLException {
        if (groupSize > 0 && statement != null && !groupText.multiRow()) {
            statement.clearBatch();
        }
        groupSql = null;
        groupText = null;
        groupSize = 0;
    }

    private void reset() {
        rows = 0;
        transactions = 0;
        groupSql = null;
        groupSubject = null;
    }
}
