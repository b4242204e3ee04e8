package io.tidemark.lightning.chunk;

import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.mysql.error.Side;
import io.tidemark.mysql.error.SqlErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The open transaction of a chunk: the statements written since its last durable checkpoint, committed in one
 * transaction with the checkpoint row that counts them, so what the row says is exactly what the target holds. The
 * first statement of each transaction locks the row and confirms it still says what this worker saved last: a worker
 * that finds it advanced by another (a rebalance gave the chunk away) stops, so two workers never both commit the same
 * rows. One chunk, one thread.
 */
final class ChunkTransaction {
    private static final Logger LOGGER = LoggerFactory.getLogger(ChunkTransaction.class);

    private final Connection c;
    private final ImportChunk chunk;
    private ChunkCheckpoint saved;
    private boolean open;
    private int statements;
    private long bytes;
    private long rows;

    /** @param saved the checkpoint the chunk resumes from; the session is in manual-commit mode */
    ChunkTransaction(Connection c, ImportChunk chunk, ChunkCheckpoint saved) {
        this.c = c;
        this.chunk = chunk;
        this.saved = saved;
    }

    /** before each statement: locks the checkpoint row as a transaction starts; false when another worker moved it */
    boolean begin() throws SQLException {
        if (open) {
            return true;
        }
        if (!ChunkCheckpoints.lockUnchanged(c, chunk.messageId(), saved)) {
            LOGGER.warn("another worker advanced the checkpoint past {} statements, {} rows; leaving the chunk to it",
                    saved.statements(), saved.rows());
            rollbackQuietly(c);
            return false;
        }
        open = true;
        return true;
    }

    /** one statement run in the open transaction, writing {@code statementRows} rows from {@code statementBytes} */
    void add(long statementRows, long statementBytes) {
        statements++;
        bytes += statementBytes;
        rows += statementRows;
    }

    /** statements in the open transaction */
    int statements() {
        return statements;
    }

    /** bytes in the open transaction */
    long bytes() {
        return bytes;
    }

    /** the durable checkpoint: the one resumed from, or the last committed */
    ChunkCheckpoint saved() {
        return saved;
    }

    /**
     * Saves the checkpoint that counts the open transaction's rows, in it, and commits both.
     *
     * @param statementsDone the chunk's statements done once this commits (a file position the resumption replays)
     * @param bytesDone      the bytes of the file done once this commits
     */
    ChunkCheckpoint commit(long statementsDone, long bytesDone, boolean done) throws SQLException {
        return commit(statementsDone, bytesDone, done, null);
    }

    /**
     * As {@link #commit(long, long, boolean)}, saving the value digests' sum of all the chunk's rows committed so far
     * (the open transaction's included); null when it is not known.
     */
    ChunkCheckpoint commit(long statementsDone, long bytesDone, boolean done, Long valueSum) throws SQLException {
        ChunkCheckpoint next = new ChunkCheckpoint(statementsDone, bytesDone, saved.rows() + rows, valueSum,
                done ? ChunkCheckpoint.Status.DONE : ChunkCheckpoint.Status.RUNNING);
        ChunkCheckpoints.save(c, chunk.messageId(), next);
        c.commit();
        saved = next;
        open = false;
        statements = 0;
        bytes = 0;
        rows = 0;
        return next;
    }

    /**
     * A batch statement or commit of {@code chunk} failed: the open transaction (rows and checkpoint together) is
     * rolled back, and the failure comes back as the catalog's error for the chunk's table and file.
     */
    static TidemarkException failed(Connection c, ImportChunk chunk, SQLException e) {
        rollbackQuietly(c);
        return SqlErrors.classify(e, Side.TARGET, chunk.target().describe(),
                chunk.table() + " (file " + chunk.file() + ")");
    }

    static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the session is lost or closing: the server rolls the transaction back by itself
        }
    }
}
