package io.tidemark.lightning.chunk;

import com.mysql.cj.jdbc.JdbcStatement;
import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.command.ImportOptions;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.storage.Storage;
import io.tidemark.common.storage.Storages;
import io.tidemark.common.table.TableRef;
import io.tidemark.lightning.parquet.LoadDataText;
import io.tidemark.lightning.parquet.ParquetRows;
import io.tidemark.lightning.target.SessionText;
import io.tidemark.lightning.work.StopSignal;
import io.tidemark.mysql.error.Side;
import io.tidemark.mysql.error.SqlErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Imports one Parquet file (an Aurora snapshot export's part file, or any flat Parquet file) into its table with an
 * explicit column list ({@link TargetColumns}), as the chunk's on-duplicate says. Where the target takes
 * {@code LOAD DATA LOCAL} ({@link #plan}), the rows stream to it as text converted on the fly ({@link LoadDataText}),
 * one statement of up to {@code batchBytes} committed with the chunk's checkpoint row ({@link #loadData}): the
 * target's bulk path, measured the fastest here. Elsewhere they become multi-row statements, the way the SQL path
 * imports a dump file ({@link #statementHead}), and every {@code batchStatements} statements (or {@code batchBytes}
 * bytes) commit together with the checkpoint row. Each chunk logs which path it took, and both send the same values.
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
            LoadPlan plan = plan(c, st, chunk, columns, rows);
            if (plan.statement() != null) {
                LOGGER.info("chunk goes by LOAD DATA LOCAL INFILE, {} bytes of text a statement", batchBytes);
                return loadData(st, chunk, rows, plan, digest, tx, fileBytes, stop);
            }
            LOGGER.info("chunk goes by INSERT statements: {}", plan.insertReason());
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

    /**
     * The LOAD DATA path: each statement streams up to {@code batchBytes} of the file's rows as text
     * ({@link ParquetBatchStream}) and commits alone with the checkpoint that counts them, so a crash loses at most
     * that statement's rows, which the next delivery sends again from the checkpoint's row, as the INSERT path does.
     * LOAD DATA LOCAL turns what would fail an INSERT (a value the column cannot hold, a duplicate key under ERROR)
     * into a warning, since the server cannot stop the client's stream: any warning but a note, or a duplicate that
     * the on-duplicate lets pass, fails the statement as the INSERT would have failed, and its rows roll back.
     */
    private ChunkOutcome loadData(Statement st, ImportChunk chunk, ParquetRows rows, LoadPlan plan,
                                  Optional<ChunkDigest> digest, ChunkTransaction tx, long fileBytes, StopSignal stop)
            throws SQLException {
        Connection c = st.getConnection();
        JdbcStatement driver = st.unwrap(JdbcStatement.class);
        LoadDataText text = new LoadDataText(plan.years());
        while (rows.position() < rows.rowCount()) {
            if (stop.requested()) {
                ChunkTransaction.rollbackQuietly(c);
                return new ChunkOutcome.Stopped();
            }
            if (!tx.begin()) {
                return new ChunkOutcome.TakenOver();
            }
            long first = rows.position();
            ParquetBatchStream in = new ParquetBatchStream(rows, text, batchBytes);
            driver.setLocalInfileInputStream(in);
            try {
                st.executeLargeUpdate(plan.statement());
                if (in.failure() != null) {
                    throw in.failure();
                }
                Optional<LoadDataInfo> info = LoadDataInfo.of(st);
                failOnWarnings(st, info, chunk.onDuplicate());
                long read = info.map(LoadDataInfo::records).orElse(in.rows());
                if (read != in.rows()) {
                    throw new TidemarkException(ErrorCode.INTERNAL, "the target read " + read + " rows of the "
                            + in.rows() + " sent by LOAD DATA for " + chunk.table() + " (file " + chunk.file()
                            + ", rows " + first + " to " + (rows.position() - 1) + "): the text was misread");
                }
            } catch (SQLException e) {
                if (in.failure() != null) {
                    throw in.failure();
                }
                throw SqlErrors.classify(e, Side.TARGET, chunk.target().describe(), chunk.table() + " (file "
                        + chunk.file() + ", rows " + first + " to " + (rows.position() - 1) + " of the file)");
            }
            tx.add(in.rows(), in.bytes());
            tx.commit(tx.saved().statements() + tx.statements(), 0, false, sum(digest));
        }
        if (!tx.begin()) {
            return new ChunkOutcome.TakenOver();
        }
        ChunkCheckpoint done = tx.commit(tx.saved().statements(), fileBytes, true, sum(digest));
        LOGGER.info("chunk imported by LOAD DATA: {} rows in {} statements from {} bytes of Parquet, value sum {}",
                done.rows(), done.statements(), fileBytes, done.valueSum());
        return new ChunkOutcome.Imported(done.rows(), fileBytes, false, done.valueSum());
    }

    /**
     * What LOAD DATA LOCAL made warnings of: duplicates under ERROR fail as {@link ChunkImporter} fails them for CSV;
     * any other warning (not a note) fails as the error the INSERT path's strict session would have raised.
     */
    private static void failOnWarnings(Statement st, Optional<LoadDataInfo> info,
                                       ImportOptions.OnDuplicate onDuplicate) throws SQLException {
        if (onDuplicate == ImportOptions.OnDuplicate.ERROR) {
            ChunkImporter.failOnSkippedDuplicates(st, info);
        }
        if (info.isPresent() && info.get().warnings() == 0) {
            return;
        }
        try (ResultSet rs = st.executeQuery("SHOW WARNINGS")) {
            while (rs.next()) {
                int code = rs.getInt(2);
                if ("Note".equalsIgnoreCase(rs.getString(1)) || code == ChunkImporter.DUPLICATE_KEY) {
                    continue; // a note changes no value; a duplicate is what the on-duplicate let pass
                }
                throw new SQLException(new String(rs.getBytes(3), StandardCharsets.UTF_8), "22000", code);
            }
        }
    }

    /**
     * How a chunk goes: its LOAD DATA statement, or the reason it goes by INSERT statements.
     *
     * @param years for each written column, whether the target column is a YEAR ({@link LoadDataText})
     */
    private record LoadPlan(String statement, boolean[] years, String insertReason) {
        static LoadPlan insert(String reason) {
            return new LoadPlan(null, null, reason);
        }
    }

    /**
     * LOAD DATA where the target takes it: not where the server refuses LOAD DATA LOCAL ({@code local_infile} OFF,
     * or a server that does not say), nor into a BIT column from a number (LOAD DATA would store the number's text
     * as bytes). The text is read as {@code CHARACTER SET binary}, so bytes go into their column unchanged; a text
     * column whose target column has another character set than utf8mb4 is converted into it by the statement, as
     * the INSERT path's {@code _utf8mb4} introducer has the server convert it.
     */
    private static LoadPlan plan(Connection c, Statement st, ImportChunk chunk, TargetColumns columns,
                                 ParquetRows rows) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT @@local_infile")) {
            String on = rs.next() ? rs.getString(1) : null;
            if (!"1".equals(on) && !"ON".equalsIgnoreCase(on)) {
                return LoadPlan.insert("the target has local_infile " + on + ", so it refuses LOAD DATA LOCAL");
            }
        } catch (SQLException e) {
            return LoadPlan.insert("the target does not say whether it takes LOAD DATA LOCAL (@@local_infile: "
                    + e.getMessage() + ")");
        }
        if (columns.targetColumns().isEmpty()) {
            return LoadPlan.insert("no column of the file is written");
        }
        Map<String, String[]> types = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(SessionText.utf8("SELECT COLUMN_NAME, DATA_TYPE,"
                + " CHARACTER_SET_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"))) {
            SessionText.bind(ps, 1, chunk.table().schema());
            SessionText.bind(ps, 2, chunk.table().table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    types.put(utf8(rs, 1).toLowerCase(Locale.ROOT), new String[]{
                            lower(utf8(rs, 2)), lower(utf8(rs, 3))});
                }
            }
        }
        int n = columns.targetColumns().size();
        boolean[] years = new boolean[n];
        StringBuilder list = new StringBuilder(" (");
        StringBuilder set = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String fileColumn = columns.fileColumns().get(i);
            String target = columns.targetColumns().get(i);
            String[] type = types.getOrDefault(target.toLowerCase(Locale.ROOT), new String[]{"", null});
            if (type[0].equals("bit") && !rows.isPlainBytes(fileColumn)) {
                return LoadPlan.insert("column `" + target + "` is a BIT the file gives as a number, which LOAD"
                        + " DATA would store as its text's bytes");
            }
            years[i] = type[0].equals("year");
            list.append(i > 0 ? ", " : "");
            String charset = type[1];
            if (rows.isText(fileColumn) && charset != null && !charset.equals("utf8mb4")
                    && !charset.equals("binary")) {
                list.append("@v").append(i);
                set.append(set.isEmpty() ? " SET " : ", ").append(TableRef.quote(target))
                        .append(" = CONVERT(@v").append(i).append(" USING utf8mb4)");
            } else {
                list.append(TableRef.quote(target));
            }
        }
        String statement = SessionText.loadData("LOAD DATA LOCAL INFILE 'tidemark-chunk.tsv'"
                + OnDuplicateSql.loadDataWord(chunk.onDuplicate()) + " INTO TABLE "
                + TableRef.quote(chunk.table().schema()) + "." + TableRef.quote(chunk.table().table())
                + " CHARACTER SET binary" + CsvLoad.clause(LoadDataText.FORMAT, false) + list + ")" + set);
        return new LoadPlan(statement, years, null);
    }

    private static String utf8(ResultSet rs, int column) throws SQLException {
        byte[] bytes = rs.getBytes(column);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
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
