package io.tidemark.lightning.chunk;

import com.mysql.cj.jdbc.JdbcStatement;
import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.layout.DumpLayout;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.storage.Storage;
import io.tidemark.common.storage.Storages;
import io.tidemark.common.table.TableRef;
import io.tidemark.kit.retry.RetryPolicy;
import io.tidemark.kit.status.StatusPublisher;
import io.tidemark.lightning.sql.ColumnList;
import io.tidemark.lightning.sql.SqlStatement;
import io.tidemark.lightning.sql.StatementSplitter;
import io.tidemark.lightning.storage.ReadFailures;
import io.tidemark.lightning.target.SessionText;
import io.tidemark.lightning.target.TargetSessions;
import io.tidemark.lightning.work.FirstFailureReported;
import io.tidemark.lightning.work.StopSignal;
import io.tidemark.mysql.error.Side;
import io.tidemark.mysql.error.SqlErrors;
import io.tidemark.mysql.session.Sessions;
import io.tidemark.mysql.session.Timeouts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Imports one data file (SQL; CSV via {@link #loadCsv}; Parquet via {@link ParquetChunkLoader}) into the target,
 * resuming from its checkpoint: statements stream from the file through the splitter, INSERTs run as REPLACE, and
 * every {@code batchStatements} statements (or {@code batchBytes} bytes) commit together with the checkpoint row that
 * counts them ({@link ChunkTransaction}). A crash anywhere loses at most the open transaction, which the next delivery
 * redoes: each statement takes effect exactly once. A batch is bounded in size, so each of its statements waits for
 * the target at most the read timeout; only DDL and a CSV file's one statement get the long-operation timeout.
 * <p>
 * A retriable fault (target unreachable, connection lost, a deadlock) is reported once as a retriable
 * {@link WorkFailed} and retried from the checkpoint with the retry policy until the service stops; any other fault
 * ends this delivery as {@link ChunkOutcome.Failed}, which the worker reports. Thread-safe: holds no per-chunk state.
 */
final class ChunkImporter {
    private static final Logger LOGGER = LoggerFactory.getLogger(ChunkImporter.class);
    /** a CSV header names at most 4096 columns of at most 64 chars, a few bytes each: far under this */
    private static final int MAX_CSV_HEADER_BYTES = 1024 * 1024;

    private final TargetSessions sessions;
    private final Timeouts timeouts;
    private final StatusPublisher status;
    private final WorkerId workerId;
    private final RetryPolicy retry;
    private final int batchStatements;
    private final long batchBytes;
    private final int maxStatementBytes;
    private final ParquetChunkLoader parquet;

    ChunkImporter(TargetSessions sessions, Timeouts timeouts, StatusPublisher status, WorkerId workerId,
                  RetryPolicy retry, int batchStatements, long batchBytes, int maxStatementBytes,
                  ParquetChunkLoader parquet) {
        this.sessions = sessions;
        this.timeouts = timeouts;
        this.status = status;
        this.workerId = workerId;
        this.retry = retry;
        this.batchStatements = batchStatements;
        this.batchBytes = batchBytes;
        this.maxStatementBytes = maxStatementBytes;
        this.parquet = parquet;
    }

    /** called with {@link StopSignal#interruptOnStop} open, so a status send waiting for Kafka ends with a stop */
    ChunkOutcome importChunk(ImportChunk chunk, StopSignal stop) {
        FirstFailureReported<ChunkOutcome> attempts = new FirstFailureReported<>(
                () -> attemptUnlessStopped(chunk, stop),
                e -> WorkFailed.of(chunk.migrationId(), workerId, chunk.epoch(), Stage.IMPORT, chunk.file(), e),
                status::publish, stop::pause);
        try {
            return retry.run("chunk " + chunk.messageId(), attempts, attempts);
        } catch (TidemarkException e) {
            LOGGER.error("chunk failed: {}", e.getMessage());
            return new ChunkOutcome.Failed(e);
        } catch (InterruptedException e) {
            LOGGER.info("chunk stopped with the service; it resumes from its checkpoint");
            return new ChunkOutcome.Stopped();
        }
    }

    private ChunkOutcome attemptUnlessStopped(ImportChunk chunk, StopSignal stop) {
        try {
            return attempt(chunk, stop);
        } catch (TidemarkException e) {
            if (stop.requested()) {
                // the stop aborted the session: whatever the error says, it is no fault of the chunk
                LOGGER.info("chunk interrupted by shutdown; it resumes from its checkpoint ({})", e.getMessage());
                return new ChunkOutcome.Stopped();
            }
            throw e;
        }
    }

    private ChunkOutcome attempt(ImportChunk chunk, StopSignal stop) {
        Connection c = sessions.open(chunk.target());
        try (StopSignal.Registration ignored = stop.whenStopped(() -> abort(c))) {
            ChunkCheckpoint checkpoint;
            try {
                // DDL: on TiDB the first CREATE waits for its DDL job, which may queue behind others
                Sessions.withTimeout(c, timeouts.longOperation(), s -> {
                    ChunkCheckpoints.ensureTable(s);
                    return null;
                });
                checkpoint = ChunkCheckpoints.open(c, chunk);
            } catch (SQLException e) {
                throw SqlErrors.classify(e, Side.TARGET, chunk.target().describe(),
                        "checkpoint " + ChunkCheckpoints.TABLE);
            }
            if (checkpoint.done()) {
                LOGGER.info("chunk already imported ({} rows); reporting it again", checkpoint.rows());
                return new ChunkOutcome.Imported(checkpoint.rows(), checkpoint.bytes(), true);
            }
            if (ParquetChunkLoader.handles(chunk)) {
                return parquet.load(c, chunk, checkpoint, stop);
            }
            if (chunk.file().endsWith(".csv")) {
                return loadCsv(c, chunk, checkpoint);
            }
            return load(c, chunk, checkpoint, stop);
        } finally {
            Sessions.closeQuietly(c);
        }
    }

    private ChunkOutcome load(Connection c, ImportChunk chunk, ChunkCheckpoint resumeFrom, StopSignal stop) {
        if (resumeFrom.statements() > 0) {
            LOGGER.info("resuming chunk after statement {} (byte {}, {} rows)", resumeFrom.statements(),
                    resumeFrom.bytes(), resumeFrom.rows());
        }
        ColumnList columns = dumpedColumns(chunk);
        ChunkTransaction tx = new ChunkTransaction(c, chunk, resumeFrom);
        long statementsDone = resumeFrom.statements(); // once the open transaction commits
        try (StatementSplitter splitter = new StatementSplitter(open(chunk), chunk.file(), maxStatementBytes);
             Statement st = c.createStatement()) {
            // Dumpling names tables unqualified in data files; an explicit USE works the same on TiDB and MySQL
            st.execute(SessionText.utf8("USE " + TableRef.quote(chunk.table().schema())));
            c.setAutoCommit(false);
            long seen = 0;
            for (SqlStatement s = splitter.next(); s != null; s = splitter.next()) {
                seen = s.index() + 1;
                if (stop.requested()) {
                    ChunkTransaction.rollbackQuietly(c);
                    return new ChunkOutcome.Stopped();
                }
                if (s.index() < resumeFrom.statements()) {
                    replaySession(st, chunk, s, resumeFrom);
                    continue;
                }
                if (!tx.begin()) {
                    return new ChunkOutcome.TakenOver();
                }
                boolean insert = s.kind() == SqlStatement.Kind.INSERT;
                execute(st, chunk, s, insert ? s.asReplace(columns) : s.sql());
                tx.add(insert ? s.valueGroups() : 0, s.endOffset() - s.startOffset());
                statementsDone = s.index() + 1;
                if (tx.statements() >= batchStatements || tx.bytes() >= batchBytes) {
                    tx.commit(statementsDone, s.endOffset(), false);
                }
            }
            if (seen < resumeFrom.statements()) {
                throw new TidemarkException(ErrorCode.DUMP_FILE_CORRUPT, chunk.file(), "it has fewer statements than "
                        + "its checkpoint counts (" + resumeFrom.statements() + "): the file changed since the import began");
            }
            if (!tx.begin()) {
                return new ChunkOutcome.TakenOver();
            }
            ChunkCheckpoint done = tx.commit(statementsDone, splitter.offset(), true);
            LOGGER.info("chunk imported: {} statements, {} rows, {} bytes", done.statements(), done.rows(), done.bytes());
            return new ChunkOutcome.Imported(done.rows(), done.bytes(), false);
        } catch (SQLException e) {
            throw ChunkTransaction.failed(c, chunk, e);
        } catch (TidemarkException e) {
            ChunkTransaction.rollbackQuietly(c);
            throw e;
        }
    }

    /**
     * A Dumpling CSV file (header line, '"' quoting, backslash escapes, {@code \N} for NULL) streamed to the server
     * with {@code LOAD DATA LOCAL INFILE ... REPLACE}, the fastest load path, in one transaction with its checkpoint:
     * the file is the unit of resumption, so an interrupted load is rolled back whole and redone. The file holds each
     * column's stored bytes, as SQL files do, so it loads as {@code CHARACTER SET binary}: each field's bytes go into
     * its column unchanged (utf8mb4 would reject a latin1 column's 0xE9), the column its header names, whatever the
     * target table's column order. The file is one statement however big, so it and its commit run under the
     * long-operation timeout, not the read timeout meant for a bounded batch.
     */
    private ChunkOutcome loadCsv(Connection c, ImportChunk chunk, ChunkCheckpoint from) {
        String subject = chunk.table() + " (file " + chunk.file() + ", LOAD DATA)";
        long size = csvSize(chunk);
        try (InputStream in = new BufferedInputStream(open(chunk)); Statement st = c.createStatement()) {
            ColumnList columns = size == 0 ? ColumnList.NONE : csvHeader(in, chunk);
            st.execute(SessionText.utf8("USE " + TableRef.quote(chunk.table().schema())));
            c.setAutoCommit(false);
            if (!ChunkCheckpoints.lockUnchanged(c, chunk.messageId(), from)) {
                ChunkTransaction.rollbackQuietly(c);
                return new ChunkOutcome.TakenOver();
            }
            st.unwrap(JdbcStatement.class).setLocalInfileInputStream(in);
            String load = SessionText.loadData("LOAD DATA LOCAL INFILE 'tidemark-chunk.csv' REPLACE INTO TABLE "
                    + TableRef.quote(chunk.table().table()) + " CHARACTER SET binary"
                    + " FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' ESCAPED BY '\\\\'"
                    + " LINES TERMINATED BY '\\n' IGNORE 1 LINES"
                    + (columns.isEmpty() ? "" : " " + columns.readableSql()));
            long rows = Sessions.withTimeout(c, timeouts.longOperation(), s -> {
                long loaded = st.executeLargeUpdate(load);
                ChunkCheckpoints.save(s, chunk.messageId(),
                        new ChunkCheckpoint(1, size, loaded, ChunkCheckpoint.Status.DONE));
                s.commit();
                return loaded;
            });
            LOGGER.info("chunk imported: {} rows, {} bytes of CSV", rows, size);
            return new ChunkOutcome.Imported(rows, size, false);
        } catch (SQLException e) {
            ChunkTransaction.rollbackQuietly(c);
            throw SqlErrors.classify(e, Side.TARGET, chunk.target().describe(), subject);
        } catch (IOException e) {
            ChunkTransaction.rollbackQuietly(c);
            throw ReadFailures.of(chunk.file(), Storages.open(chunk.location()).root(), "read the header of", e);
        }
    }

    /**
     * The columns a CSV file's header line names, so its fields load by name; the stream is left at the file's start,
     * and LOAD DATA skips the line itself.
     */
    private static ColumnList csvHeader(InputStream in, ImportChunk chunk) throws IOException {
        in.mark(MAX_CSV_HEADER_BYTES + 1);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean quoted = false;
        boolean escaped = false;
        for (int b = in.read(); b != -1; b = in.read()) {
            if (escaped) {
                escaped = false;
            } else if (b == '\\') {
                escaped = true;
            } else if (b == '"') {
                quoted = !quoted;
            } else if (b == '\n' && !quoted) {
                break;
            }
            line.write(b);
            if (line.size() > MAX_CSV_HEADER_BYTES) {
                throw new TidemarkException(ErrorCode.DUMP_FILE_CORRUPT, chunk.file(), "its first line, the header"
                        + " naming the columns, is longer than " + MAX_CSV_HEADER_BYTES + " bytes");
            }
        }
        in.reset();
        ColumnList columns = ColumnList.ofCsvHeader(SessionText.ofBytes(line.toByteArray(), 0, line.size()));
        if (columns.isEmpty()) {
            throw new TidemarkException(ErrorCode.DUMP_FILE_CORRUPT, chunk.file(), "it has no header line naming"
                    + " its columns (Dumpling writes one unless --no-header is given)");
        }
        return columns;
    }

    /**
     * The columns the chunk's INSERTs give values for when they name none: the insertable columns of the table's
     * CREATE TABLE in the dump, so rows go to their columns by name whatever the target table's column order.
     */
    private ColumnList dumpedColumns(ImportChunk chunk) {
        String file = DumpLayout.tableSchemaFile(chunk.table());
        for (String sql : StatementSplitter.readAll(Storages.open(chunk.location()), file, maxStatementBytes)) {
            ColumnList columns = ColumnList.ofCreateTable(sql);
            if (!columns.isEmpty()) {
                return columns;
            }
        }
        throw new TidemarkException(ErrorCode.DUMP_FILE_CORRUPT, file, "it has no CREATE TABLE naming the columns of "
                + chunk.table() + ", so the rows of " + chunk.file() + " cannot be written by column name");
    }

    private static long csvSize(ImportChunk chunk) {
        Storage storage = Storages.open(chunk.location());
        try {
            return storage.size(chunk.file());
        } catch (IOException e) {
            throw ReadFailures.of(chunk.file(), storage.root(), "read the size of", e);
        }
    }

    /**
     * Statements before the checkpoint are committed already; only their session state (SET NAMES, SET sql_mode ...)
     * must be rebuilt in the new session so the remaining rows are read as the first ones were.
     */
    private void replaySession(Statement st, ImportChunk chunk, SqlStatement s, ChunkCheckpoint resumeFrom) {
        if (s.kind() == SqlStatement.Kind.SESSION) {
            execute(st, chunk, s, s.sql());
        }
        if (s.index() == resumeFrom.statements() - 1 && s.endOffset() != resumeFrom.bytes()) {
            throw new TidemarkException(ErrorCode.DUMP_FILE_CORRUPT, chunk.file(), "statement " + s.index()
                    + " ends at byte " + s.endOffset() + " but the checkpoint says byte " + resumeFrom.bytes()
                    + ": the file changed since the import began");
        }
    }

    private static void execute(Statement st, ImportChunk chunk, SqlStatement s, String sql) {
        try {
            st.execute(sql);
        } catch (SQLException e) {
            throw SqlErrors.classify(e, Side.TARGET, chunk.target().describe(), chunk.table() + " (file "
                    + chunk.file() + ", statement " + s.index() + " at byte " + s.startOffset() + ")");
        }
    }

    private static InputStream open(ImportChunk chunk) {
        Storage storage = Storages.open(chunk.location());
        try {
            return storage.open(chunk.file());
        } catch (IOException e) {
            throw ReadFailures.of(chunk.file(), storage.root(), "open", e);
        }
    }

    /** drops the session at once; the server rolls back its open transaction, the checkpoint included */
    private static void abort(Connection c) {
        try {
            c.abort(Runnable::run);
        } catch (SQLException e) {
            LOGGER.debug("abort of a target session failed: {}", e.toString());
        }
    }
}
