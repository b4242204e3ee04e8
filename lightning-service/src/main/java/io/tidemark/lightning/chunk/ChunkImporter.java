package io.tidemark.lightning.chunk;

import com.mysql.cj.jdbc.JdbcStatement;
import io.tidemark.common.command.CsvFormat;
import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.command.ImportOptions;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.layout.DumpLayout;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.storage.Storage;
import io.tidemark.common.storage.Storages;
import io.tidemark.common.table.TableRef;
import io.tidemark.kit.retry.RetriesExhausted;
import io.tidemark.kit.retry.RetryPolicy;
import io.tidemark.kit.status.StatusPublisher;
import io.tidemark.lightning.sql.ColumnList;
import io.tidemark.lightning.sql.SqlStatement;
import io.tidemark.lightning.sql.StatementSplitter;
import io.tidemark.lightning.storage.FileCompression;
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
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * Imports one data file (SQL; CSV via {@link #loadCsv}; Parquet via {@link ParquetChunkLoader}) into the target,
 * resuming from its checkpoint: statements stream from the file through the splitter, each INSERT's rows go into the
 * chunk's table (the routed one, whatever table the file names) as its on-duplicate says ({@link OnDuplicateSql}), and
 * every {@code batchStatements} statements (or {@code batchBytes} bytes) commit together with the checkpoint row that
 * counts them ({@link ChunkTransaction}). A crash anywhere loses at most the open transaction, which the next delivery
 * redoes: each statement takes effect exactly once. A batch is bounded in size, so each of its statements waits for
 * the target at most the read timeout; only DDL and a CSV file's one statement get the long-operation timeout.
 * Each checkpoint also holds the value sum of the rows committed so far, read from the INSERTs' literals
 * ({@link SqlDigest}), or none when a value's stored form is not certain.
 * <p>
 * A retriable fault (target unreachable, connection lost, a deadlock) is reported once as a retriable
 * {@link WorkFailed} and retried from the checkpoint with the retry policy: until the service stops, or (on a share
 * group) for the policy's attempts, after which the delivery ends as {@link ChunkOutcome.Retry}; any other fault
 * ends this delivery as {@link ChunkOutcome.Failed}, which the worker reports. Thread-safe: holds no per-chunk state.
 */
final class ChunkImporter {
    private static final Logger LOGGER = LoggerFactory.getLogger(ChunkImporter.class);
    /** ER_DUP_ENTRY, on MySQL, MariaDB and TiDB */
    static final int DUPLICATE_KEY = 1062;
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
        } catch (RetriesExhausted e) {
            LOGGER.warn("chunk released after {} attempts of this delivery: {}", e.attempts(), e.last().getMessage());
            return new ChunkOutcome.Retry(e.last());
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
                return new ChunkOutcome.Imported(checkpoint.rows(), checkpoint.bytes(), true, checkpoint.valueSum());
            }
            if (ParquetChunkLoader.handles(chunk)) {
                if (!chunk.filled().isEmpty()) {
                    throw new TidemarkException(ErrorCode.INVALID_SPEC, "the route of " + chunk.table() + " fills"
                            + " columns (extract-table/-schema/-source), which a Parquet import (Aurora snapshot"
                            + " export) does not write yet; use the dump engine (format sql or csv) for such a route");
                }
                return parquet.load(c, chunk, checkpoint, stop);
            }
            if (FileCompression.uncompressedName(chunk.file()).endsWith(".csv")) {
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
        String verb = OnDuplicateSql.insertVerb(chunk.onDuplicate());
        String into = SessionText.utf8(chunk.table().quoted());
        ChunkTransaction tx = new ChunkTransaction(c, chunk, resumeFrom);
        long statementsDone = resumeFrom.statements(); // once the open transaction commits
        try (StatementSplitter splitter = new StatementSplitter(open(chunk), chunk.file(), maxStatementBytes);
             Statement st = c.createStatement()) {
            FilledColumns filled = new FilledColumns(chunk.filled());
            ColumnList columns = filled.withoutFilled(insertColumns(c, chunk));
            SqlDigest digest = SqlDigest.of(c, chunk.table(), columns, resumeFrom, filled.names());
            // rows go to the chunk's table by its full name; other statements of the file run in its database
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
                    replaySession(st, chunk, s, resumeFrom, digest);
                    continue;
                }
                if (!tx.begin()) {
                    return new ChunkOutcome.TakenOver();
                }
                boolean insert = s.kind() == SqlStatement.Kind.INSERT;
                execute(st, chunk, s, insert ? writtenInto(chunk, s, verb, into, columns, filled) : s.sql());
                switch (s.kind()) {
                    case INSERT -> digest.insert(s);
                    case SESSION -> digest.session(s);
                    case OTHER -> digest.other(s);
                }
                tx.add(insert ? s.valueGroups() : 0, s.endOffset() - s.startOffset());
                statementsDone = s.index() + 1;
                if (tx.statements() >= batchStatements || tx.bytes() >= batchBytes) {
                    tx.commit(statementsDone, s.endOffset(), false, digest.sum());
                }
            }
            if (seen < resumeFrom.statements()) {
                throw new TidemarkException(ErrorCode.DUMP_FILE_CORRUPT, chunk.file(), "it has fewer statements than "
                        + "its checkpoint counts (" + resumeFrom.statements() + "): the file changed since the import began");
            }
            if (!tx.begin()) {
                return new ChunkOutcome.TakenOver();
            }
            ChunkCheckpoint done = tx.commit(statementsDone, splitter.offset(), true, digest.sum());
            // a compressed file's offsets count decompressed bytes; the plan counted the file's own size
            long bytes = FileCompression.of(chunk.file()) == FileCompression.NONE ? done.bytes() : chunk.sizeBytes();
            LOGGER.info("chunk imported: {} statements, {} rows, {} bytes, value sum {}", done.statements(),
                    done.rows(), bytes, done.valueSum());
            return new ChunkOutcome.Imported(done.rows(), bytes, false, done.valueSum());
        } catch (SQLException e) {
            throw ChunkTransaction.failed(c, chunk, e);
        } catch (TidemarkException e) {
            ChunkTransaction.rollbackQuietly(c);
            throw e;
        }
    }

    /**
     * A Dumpling CSV file (header line, '"' quoting, backslash escapes, {@code \N} for NULL) streamed to the server
     * with {@code LOAD DATA LOCAL INFILE ... [REPLACE|IGNORE] INTO TABLE} (as the chunk's on-duplicate says), the
     * fastest load path, in one transaction with its checkpoint:
     * the file is the unit of resumption, so an interrupted load is rolled back whole and redone. The file holds each
     * column's stored bytes, as SQL files do, so it loads as {@code CHARACTER SET binary}: each field's bytes go into
     * its column unchanged (utf8mb4 would reject a latin1 column's 0xE9), the column its header names, whatever the
     * target table's column order. The file is one statement however big, so it and its commit run under the
     * long-operation timeout, not the read timeout meant for a bounded batch. Its rows are the records the server
     * read ({@link LoadDataInfo}), whatever it then replaced or skipped.
     */
    private ChunkOutcome loadCsv(Connection c, ImportChunk chunk, ChunkCheckpoint from) {
        String subject = chunk.table() + " (file " + chunk.file() + ", LOAD DATA)";
        ImportChunk.ByteRange range = chunk.byteRange();
        // a range after the first holds no header line: its columns are read from the file's start; a file without
        // one loads into the target's columns in their order, as TiDB Lightning loads it
        CsvFormat format = chunk.csv();
        boolean header = format.header() && (range == null || range.from() == 0);
        long size = range == null ? csvSize(chunk) : range.length();
        CorruptionSeen corruption = new CorruptionSeen();
        try (InputStream in = new BufferedInputStream(open(chunk)); Statement st = c.createStatement()) {
            FilledColumns filled = new FilledColumns(chunk.filled());
            ColumnList columns = size == 0 ? ColumnList.NONE : !format.header()
                    ? filled.withoutFilled(TargetColumns.insertable(c, chunk.target().describe(), chunk.table(),
                    chunk.file()))
                    : header ? csvHeader(in, chunk) : rangeHeader(chunk);
            st.execute(SessionText.utf8("USE " + TableRef.quote(chunk.table().schema())));
            c.setAutoCommit(false);
            if (!ChunkCheckpoints.lockUnchanged(c, chunk.messageId(), from)) {
                ChunkTransaction.rollbackQuietly(c);
                return new ChunkOutcome.TakenOver();
            }
            Optional<CsvDigest> digest = ChunkDigest.of(c, chunk.table(), columns.names().stream()
                    .map(SessionText::readable).toList(), from, filled.names()).map(d -> new CsvDigest(d, header,
                    format));
            st.unwrap(JdbcStatement.class).setLocalInfileInputStream(
                    corruption.watch(digest.map(d -> d.tee(in)).orElse(in)));
            String load = SessionText.loadData("LOAD DATA LOCAL INFILE 'tidemark-chunk.csv'"
                    + OnDuplicateSql.loadDataWord(chunk.onDuplicate()) + " INTO TABLE "
                    + TableRef.quote(chunk.table().table()) + " CHARACTER SET binary"
                    + CsvLoad.clause(format, header)
                    + (columns.isEmpty() ? "" : " " + columns.readableSql())
                    + SessionText.readable(filled.loadDataSet()));
            ChunkCheckpoint done = Sessions.withTimeout(c, timeouts.longOperation(), s -> {
                long affected = st.executeLargeUpdate(load);
                Optional<LoadDataInfo> info = LoadDataInfo.of(st);
                if (chunk.onDuplicate() == ImportOptions.OnDuplicate.ERROR) {
                    failOnSkippedDuplicates(st, info);
                }
                long read = info.map(LoadDataInfo::records).orElse(affected);
                if (info.isEmpty()) {
                    LOGGER.warn("the target gave no LOAD DATA info line; reporting {} rows written as the rows read",
                            affected);
                }
                ChunkCheckpoint loaded = new ChunkCheckpoint(1, size, read,
                        digest.map(d -> d.sum(read)).orElse(null), ChunkCheckpoint.Status.DONE);
                ChunkCheckpoints.save(s, chunk.messageId(), loaded);
                s.commit();
                return loaded;
            });
            LOGGER.info("chunk imported: {} rows, {} bytes of CSV, value sum {}", done.rows(), size, done.valueSum());
            return new ChunkOutcome.Imported(done.rows(), size, false, done.valueSum());
        } catch (SQLException e) {
            ChunkTransaction.rollbackQuietly(c);
            if (corruption.seen != null) {
                // the driver ends the load when the file's bytes do not decompress; the file is at fault, not the target
                throw new TidemarkException(ErrorCode.DUMP_FILE_CORRUPT, corruption.seen, chunk.file(),
                        corruption.seen.getMessage());
            }
            throw SqlErrors.classify(e, Side.TARGET, chunk.target().describe(), subject);
        } catch (IOException e) {
            ChunkTransaction.rollbackQuietly(c);
            throw ReadFailures.of(chunk.file(), Storages.open(chunk.location()).root(), "read the header of", e);
        }
    }

    /** the first {@link FileCompression.CorruptInput} of a stream the driver reads, which it would report as its own */
    private static final class CorruptionSeen {
        private volatile FileCompression.CorruptInput seen;

        InputStream watch(InputStream in) {
            return new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    try {
                        return super.read();
                    } catch (FileCompression.CorruptInput e) {
                        seen = e;
                        throw e;
                    }
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    try {
                        return in.read(b, off, len);
                    } catch (FileCompression.CorruptInput e) {
                        seen = e;
                        throw e;
                    }
                }
            };
        }
    }

    /**
     * On-duplicate ERROR for a CSV file: LOAD DATA LOCAL cannot stop the stream at a duplicate key, so it skips the
     * row with warning 1062 instead. A skipped row fails the load as the duplicate-key error an INSERT would have
     * raised, with the first such warning's words (the key and its value), and the file's rows are rolled back.
     */
    static void failOnSkippedDuplicates(Statement st, Optional<LoadDataInfo> info) throws SQLException {
        long skipped = info.map(LoadDataInfo::skipped).orElse(-1L);
        if (skipped == 0) {
            return;
        }
        String duplicate = null;
        try (ResultSet rs = st.executeQuery("SHOW WARNINGS")) {
            while (duplicate == null && rs.next()) {
                if (rs.getInt(2) == DUPLICATE_KEY) {
                    duplicate = new String(rs.getBytes(3), StandardCharsets.UTF_8);
                }
            }
        }
        if (duplicate != null || skipped > 0) {
            throw new SQLException((duplicate != null ? duplicate : "Duplicate entry")
                    + (skipped > 0 ? " (" + skipped + " rows of the file have a key the table already holds)" : ""),
                    "23000", DUPLICATE_KEY);
        }
    }

    /**
     * The columns a CSV file's header line names, so its fields load by name; the stream is left at the file's start,
     * and LOAD DATA skips the line itself.
     */
    private static ColumnList csvHeader(InputStream in, ImportChunk chunk) throws IOException {
        in.mark(MAX_CSV_HEADER_BYTES + 1);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        CsvFormat format = chunk.csv();
        int quote = format.delimiter().isEmpty() ? -1 : format.delimiter().getBytes(StandardCharsets.UTF_8)[0] & 0xff;
        byte[] end = format.lineEnd().getBytes(StandardCharsets.UTF_8);
        byte[] tail = new byte[end.length];
        boolean quoted = false;
        boolean escaped = false;
        for (int b = in.read(); b != -1; b = in.read()) {
            if (escaped) {
                escaped = false;
            } else if (b == '\\' && format.backslashEscape()) {
                escaped = true;
            } else if (b == quote) {
                quoted = !quoted;
            }
            line.write(b);
            System.arraycopy(tail, 1, tail, 0, tail.length - 1);
            tail[tail.length - 1] = (byte) b;
            if (!quoted && line.size() >= end.length && java.util.Arrays.equals(tail, end)) {
                byte[] bytes = line.toByteArray();
                line.reset();
                line.write(bytes, 0, bytes.length - end.length);
                break;
            }
            if (line.size() > MAX_CSV_HEADER_BYTES) {
                throw new TidemarkException(ErrorCode.DUMP_FILE_CORRUPT, chunk.file(), "its first line, the header"
                        + " naming the columns, is longer than " + MAX_CSV_HEADER_BYTES + " bytes");
            }
        }
        in.reset();
        ColumnList columns = CsvLoad.headerColumns(line.toByteArray(), format);
        if (columns.isEmpty()) {
            throw new TidemarkException(ErrorCode.DUMP_FILE_CORRUPT, chunk.file(), "it has no header line naming"
                    + " its columns (Dumpling writes one unless --no-header is given)");
        }
        return columns;
    }

    /**
     * The columns the chunk's INSERTs give values for when they name none: the insertable columns of the CREATE TABLE
     * in the dump's schema file of the file's table (named as in the files, before any route), so rows go to their
     * columns by name whatever the target table's column order; when the dump holds no schema file (it lies at a
     * schema location of its own, or there is none), the target table's insertable columns in their order, as
     * TiDB Lightning takes them.
     */
    private ColumnList insertColumns(Connection c, ImportChunk chunk) throws SQLException {
        TableRef source = DumpLayout.parseDataFile(chunk.file()).map(DumpLayout.DataFile::table).orElse(chunk.table());
        Storage storage = Storages.open(chunk.location());
        String file = schemaFile(storage, DumpLayout.tableSchemaFile(source), chunk.file());
        if (file == null) {
            return TargetColumns.insertable(c, chunk.target().describe(), chunk.table(), chunk.file());
        }
        for (String sql : StatementSplitter.readAll(storage, file, "the CREATE TABLE of " + source,
                maxStatementBytes)) {
            ColumnList columns = ColumnList.ofCreateTable(sql);
            if (!columns.isEmpty()) {
                return columns;
            }
        }
        throw new TidemarkException(ErrorCode.DUMP_FILE_CORRUPT, file, "it has no CREATE TABLE naming the columns of "
                + source + ", so the rows of " + chunk.file() + " cannot be written by column name");
    }

    /** an INSERT of the file as the chunk runs it: into the chunk's table, as its on-duplicate says */
    private static String writtenInto(ImportChunk chunk, SqlStatement s, String verb, String into, ColumnList columns,
                                      FilledColumns filled) {
        String written = s.writtenInto(verb, into, columns).orElseThrow(() -> new TidemarkException(
                ErrorCode.DUMP_FILE_CORRUPT, chunk.file(), "statement " + s.index() + " at byte " + s.startOffset()
                + " writes rows but does not start as INSERT [IGNORE] INTO <table> or REPLACE INTO <table> (it starts "
                + excerpt(s.readable()) + "), so its rows cannot be sent to " + chunk.table()));
        try {
            // the route's filled columns (extract-*) go beside the file's: names to the list, values to each tuple
            return filled.intoInsert(written, (verb + " INTO " + into + " ").length());
        } catch (IllegalArgumentException e) {
            throw new TidemarkException(ErrorCode.DUMP_FILE_CORRUPT, chunk.file(), "statement " + s.index()
                    + " at byte " + s.startOffset() + " cannot be given the columns its route fills ("
                    + chunk.filled().stream().map(f -> f.column()).toList() + "): " + e.getMessage());
        }
    }

    private static String excerpt(String sql) {
        return sql.length() <= 60 ? sql : sql.substring(0, 60) + "…";
    }

    /**
     * The schema file as it is there: plain, else compressed as the chunk's own data file is ({@code dumpling
     * --compress} compresses both alike); null if neither. At most two lookups per chunk: on S3 each is a request.
     */
    private static String schemaFile(Storage storage, String plain, String dataFile) {
        if (exists(storage, plain)) {
            return plain;
        }
        String compressed = plain + dataFile.substring(FileCompression.uncompressedName(dataFile).length());
        return !compressed.equals(plain) && exists(storage, compressed) ? compressed : null;
    }

    private static boolean exists(Storage storage, String file) {
        try {
            return storage.exists(file);
        } catch (IOException e) {
            throw ReadFailures.of(file, storage.root(), "look for", e);
        }
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
    private void replaySession(Statement st, ImportChunk chunk, SqlStatement s, ChunkCheckpoint resumeFrom,
                               SqlDigest digest) {
        if (s.kind() == SqlStatement.Kind.SESSION) {
            execute(st, chunk, s, s.sql());
            digest.session(s);
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

    /** the header line of the file a later byte range belongs to, read from the file's start */
    private static ColumnList rangeHeader(ImportChunk chunk) throws IOException {
        Storage storage = Storages.open(chunk.location());
        long length = Math.min(MAX_CSV_HEADER_BYTES + 1L, storage.size(chunk.file()));
        try (InputStream in = new BufferedInputStream(storage.open(chunk.file(), 0, length))) {
            return csvHeader(in, chunk);
        }
    }

    /**
     * The file's rows as bytes: decompressed when its name says it is compressed ({@link FileCompression}); a byte
     * range's bytes only, through a ranged read, when the chunk is one (only uncompressed files are cut).
     */
    private static InputStream open(ImportChunk chunk) {
        Storage storage = Storages.open(chunk.location());
        try {
            ImportChunk.ByteRange range = chunk.byteRange();
            if (range != null) {
                return storage.open(chunk.file(), range.from(), range.length());
            }
            return FileCompression.of(chunk.file()).open(storage.open(chunk.file()), chunk.file(), chunk.table());
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
