package io.tidemark.lightning.chunk;

import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.command.ImportOptions;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.storage.Storage;
import io.tidemark.common.storage.Storages;
import io.tidemark.common.table.TableRef;
import io.tidemark.lightning.parquet.ParquetRows;
import io.tidemark.lightning.target.SessionText;
import io.tidemark.lightning.work.StopSignal;
import io.tidemark.mysql.error.Side;
import io.tidemark.mysql.error.SqlErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * Imports one Parquet file (an Aurora snapshot export's part file, or any flat Parquet file) into its table, the way
 * the SQL path imports a dump file: its rows become multi-row statements into the chunk's table with an explicit column
 * list ({@link TargetColumns}), written as the chunk's on-duplicate says ({@link #statementHead}), and every
 * {@code batchStatements} statements (or {@code batchBytes} bytes) commit together with the chunk's checkpoint row.
 * The checkpoint counts the rows done within the file; as a file's row order never changes, the next delivery after a
 * crash skips exactly those rows (whole row groups unread) and goes on, so no row is lost or written twice, with or
 * without a primary key. The checkpoint also holds the sum of the committed rows' value digests ({@link ChunkDigest},
 * built from the very literals sent), which the finished chunk reports for the coordinator to compare with the table.
 * <p>
 * The session runs in strict mode: a value the target column cannot hold (out of range, a date the column refuses,
 * text that does not fit) fails the statement, naming the table, the file and its rows, instead of being changed
 * silently. Values are written as UTC wall clocks, which the session's time zone (+00:00) keeps as they are.
 * Thread-safe: holds no per-chunk state.
 */
final class ParquetChunkLoader {
    private static final Logger LOGGER = LoggerFactory.getLogger(ParquetChunkLoader.class);
    /** strict, so a value is never changed silently; no NO_BACKSLASH_ESCAPES, so the literals read as written */
    static final String SESSION_SQL_MODE = "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO'";
    private static final String UTC = "+00:00";

    private final ParquetRows.Limits limits;
    private final int batchStatements;
    private final long batchBytes;
    private final int statementBytes;

    /**
     * @param statementBytes the size a statement grows to before it is sent (one row may take it past)
     */
    ParquetChunkLoader(ParquetRows.Limits limits, int batchStatements, long batchBytes, int statementBytes) {
        this.limits = limits;
        this.batchStatements = batchStatements;
        this.batchBytes = batchBytes;
        this.statementBytes = statementBytes;
    }

    static boolean handles(ImportChunk chunk) {
        return chunk.file().endsWith(".parquet");
    }

    /** called by the chunk importer with the chunk's session and its checkpoint, which is not done */
    ChunkOutcome load(Connection c, ImportChunk chunk, ChunkCheckpoint resumeFrom, StopSignal stop) {
        Storage storage = Storages.open(chunk.location());
        ImportChunk.RowGroups groups = chunk.rowGroups();
        try (ParquetRows rows = groups == null ? ParquetRows.open(storage, chunk.file(), chunk.table(), limits)
                : ParquetRows.open(storage, chunk.file(), chunk.table(), limits, groups.from(), groups.to());
             Statement st = c.createStatement()) {
            // a chunk of some row groups counts their compressed bytes, as planned; the whole file its size
            long fileBytes = groups == null ? rows.fileBytes() : chunk.sizeBytes();
            if (resumeFrom.rows() > rows.rowCount()) {
                throw new TidemarkException(ErrorCode.DUMP_FILE_CORRUPT, chunk.file(), "it has " + rows.rowCount()
                        + " rows but its checkpoint counts " + resumeFrom.rows() + " done: the file changed since"
                        + " the import began");
            }
            prepareSession(st, chunk);
            TargetColumns columns = TargetColumns.match(c, chunk.target().describe(), chunk.table(), chunk.file(),
                    rows.columnNames());
            if (!columns.generated().isEmpty()) {
                LOGGER.info("columns {} are generated on the target; their values in the file are left out",
                        columns.generated());
            }
            rows.project(columns.fileColumns());
            Optional<ChunkDigest> digest = ChunkDigest.of(c, chunk.table(), columns.targetColumns(), resumeFrom);
            digest.ifPresent(d -> rows.digest(d.digest(), d.columns()));
            if (digest.isEmpty()) {
                LOGGER.info("the chunk's values are not digested (a target column takes no value from the file, or"
                        + " its checkpoint holds no sum): its table is verified by its row count only");
            }
            String prefix = statementHead(chunk, columns);
            String suffix = statementTail(chunk, columns);
            if (resumeFrom.rows() > 0) {
                LOGGER.info("resuming chunk after row {} of {}", resumeFrom.rows(), rows.rowCount());
                rows.skip(resumeFrom.rows());
            }
            c.setAutoCommit(false);
            ChunkTransaction tx = new ChunkTransaction(c, chunk, resumeFrom);
            StringBuilder sql = new StringBuilder(statementBytes + statementBytes / 4);
            while (true) {
                if (stop.requested()) {
                    ChunkTransaction.rollbackQuietly(c);
                    return new ChunkOutcome.Stopped();
                }
                long first = rows.position();
                int inStatement = fill(sql, prefix, rows);
                if (inStatement == 0) {
                    break;
                }
                sql.append(suffix);
                if (!tx.begin()) {
                    return new ChunkOutcome.TakenOver();
                }
                execute(st, sql, chunk, first, rows.position());
                tx.add(inStatement, sql.length());
                if (tx.statements() >= batchStatements || tx.bytes() >= batchBytes) {
                    // bytes of the file are counted once it is done: a row's share of it is not known
                    tx.commit(tx.saved().statements() + tx.statements(), 0, false, sum(digest));
                }
            }
            if (!tx.begin()) {
                return new ChunkOutcome.TakenOver();
            }
            ChunkCheckpoint done = tx.commit(tx.saved().statements() + tx.statements(), fileBytes, true,
                    sum(digest));
            LOGGER.info("chunk imported: {} rows in {} statements from {} bytes of Parquet, value sum {}",
                    done.rows(), done.statements(), fileBytes, done.valueSum());
            return new ChunkOutcome.Imported(done.rows(), fileBytes, false, done.valueSum());
        } catch (SQLException e) {
            throw ChunkTransaction.failed(c, chunk, e);
        } catch (TidemarkException e) {
            ChunkTransaction.rollbackQuietly(c);
            throw e;
        }
    }

    /** the sum of the rows read so far, all in executed statements when a commit saves it; null when unknown */
    private static Long sum(Optional<ChunkDigest> digest) {
        return digest.map(ChunkDigest::sum).orElse(null);
    }

    /**
     * {@code REPLACE INTO t (cols) VALUES } for REPLACE, {@code INSERT INTO ...} for ERROR (a duplicate key fails the
     * statement) and for IGNORE. IGNORE is not {@code INSERT IGNORE} here: in this strict session IGNORE would also
     * turn a value the column cannot hold into a clipped one with a warning; a no-op {@link #statementTail} keeps the
     * target's row and every other error.
     */
    private static String statementHead(ImportChunk chunk, TargetColumns columns) {
        String verb = chunk.onDuplicate() == ImportOptions.OnDuplicate.REPLACE ? "REPLACE" : "INSERT";
        return SessionText.utf8(verb + " INTO " + chunk.table().quoted() + " ") + columns.sql() + " VALUES ";
    }

    /** for IGNORE: a row whose key is taken sets a column of the target's row to its own value, changing nothing */
    private static String statementTail(ImportChunk chunk, TargetColumns columns) {
        if (chunk.onDuplicate() != ImportOptions.OnDuplicate.IGNORE || columns.targetColumns().isEmpty()) {
            return "";
        }
        String column = TableRef.quote(columns.targetColumns().getFirst());
        return SessionText.utf8(" ON DUPLICATE KEY UPDATE " + column + " = " + column);
    }

    /** the next statement's rows; 0 when the file has no more */
    private int fill(StringBuilder sql, String prefix, ParquetRows rows) {
        sql.setLength(0);
        sql.append(prefix);
        int n = 0;
        while (sql.length() < statementBytes) {
            int mark = sql.length();
            if (n > 0) {
                sql.append(',');
            }
            if (!rows.next(sql)) {
                sql.setLength(mark);
                break;
            }
            n++;
        }
        return n;
    }

    /**
     * Strict mode for this session, and a check that it runs at UTC: every timestamp is written as a UTC wall clock,
     * which a TIMESTAMP column would otherwise shift by the session's offset.
     */
    private static void prepareSession(Statement st, ImportChunk chunk) throws SQLException {
        st.execute(SESSION_SQL_MODE);
        try (ResultSet rs = st.executeQuery("SELECT @@session.time_zone")) {
            String zone = rs.next() ? rs.getString(1) : null;
            if (!UTC.equals(zone)) {
                throw new TidemarkException(ErrorCode.INTERNAL, "the import session of " + chunk.table()
                        + " runs at time zone " + zone + ", not " + UTC + ", so its timestamps would shift");
            }
        }
    }

    private static void execute(Statement st, StringBuilder sql, ImportChunk chunk, long first, long end) {
        try {
            st.execute(sql.toString());
        } catch (SQLException e) {
            throw SqlErrors.classify(e, Side.TARGET, chunk.target().describe(), chunk.table() + " (file "
                    + chunk.file() + ", rows " + first + " to " + (end - 1) + " of the file)");
        }
    }
}
