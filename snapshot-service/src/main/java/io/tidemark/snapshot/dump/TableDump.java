package io.tidemark.snapshot.dump;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.table.TableRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Reads one table on its own connection, inside its own {@code START TRANSACTION WITH CONSISTENT SNAPSHOT,
 * READ ONLY}, and writes its data files in the dump's format ({@link TableFiles}).
 * <p>
 * Where the source can say where in the binlog the snapshot stands ({@link SnapshotPoint}), that is the table's
 * point: replication skips the table's changes before it and applies those after it once, exact even without a key.
 * Without one (not InnoDB, or a lock not granted in time) the bracket below is all that is known of the table.
 * <p>
 * Consistency is Dumpling's "none", the one Aurora allows (no FTWRL, no SUPER): tables are not read at one common
 * instant. Each table is a consistent snapshot taken at some moment after the dump's start position was recorded and
 * before its end position is, so every row change missing from, or already in, a table's data lies in the binlog
 * between start and end. Replication starts at the start position and applies that window in safe mode
 * (INSERT→REPLACE, UPDATE→DELETE+REPLACE), which makes replaying a change already in the data harmless; past the end
 * position the target is exact.
 * <p>
 * Rows are streamed (Connector/J's row-at-a-time result set), so memory stays bounded whatever the table's size.
 * The read stays under {@code tidemark.db.read-timeout}, not the long-operation one: a full scan without a sort sends
 * its rows without pause, so a silence that long means a stuck or overloaded server (or a metadata lock held by a DDL),
 * and a retriable failure then beats a dump that waits forever. A slow writer on our side does not count: the timeout
 * only runs while the reader waits for the server.
 * Values are read as the bytes of the server's text form with {@code character_set_results=binary}: no java.sql
 * conversion (zero dates, TIME beyond 24 h, unsigned BIGINT survive) and no charset conversion (an SQL file holds the
 * stored bytes, loaded back under {@code SET NAMES binary}; the Parquet format asks the server for UTF-8 where its
 * type is a UTF-8 string), in a session at time zone +00:00.
 */
final class TableDump {
    private static final Logger LOGGER = LoggerFactory.getLogger(TableDump.class);
    private static final long PROGRESS_LOG_NANOS = 30_000_000_000L;

    private TableDump() {
    }

    /**
     * @param files the table's data files in the dump's format
     * @param root  the dump's storage root, for errors
     */
    static TableResult run(Source source, SourceSessions sessions, SnapshotPoint points, TableFiles.Factory files,
                           URI root, TableRef table) {
        long began = System.nanoTime();
        try (SourceSessions.Session session = sessions.open(source)) {
            Connection c = session.connection();
            if (Thread.currentThread().isInterrupted()) {
                // the dump stopped while this session opened: it must not read, let alone write
                throw new CancellationException("dump of " + table + " cancelled");
            }
            List<Column> all = Column.of(c, table);
            String engine = SnapshotPoint.engine(c, table);
            if (!SnapshotPoint.covers(engine)) {
                LOGGER.info("{} gets no table point: a consistent snapshot does not cover its engine {}", table,
                        engine);
            }
            try (Statement st = c.createStatement()) {
                st.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                st.execute("SET SESSION character_set_results = binary");
                // TIMESTAMP values are read as UTC wall clocks, whatever the server's own time zone
                st.execute("SET SESSION time_zone = '+00:00'");
            }
            BinlogPosition point = (SnapshotPoint.covers(engine) ? points : SnapshotPoint.NONE).open(c, table)
                    .orElse(null);
            long rows = 0;
            TableFiles writer = files.open(table, all);
            try (writer; Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                st.setFetchSize(Integer.MIN_VALUE);
                try (ResultSet rs = st.executeQuery("SELECT " + writer.selectList() + " FROM " + table.quoted())) {
                    long lastLog = began;
                    while (rs.next()) {
                        writer.write(rs);
                        rows++;
                        if ((rows & 1023) == 0) {
                            if (Thread.currentThread().isInterrupted()) {
                                throw new CancellationException("dump of " + table + " cancelled");
                            }
                            long now = System.nanoTime();
                            if (now - lastLog > PROGRESS_LOG_NANOS) {
                                LOGGER.info("dumping {}: {} rows so far, {} rows/s", table, rows, rate(rows, began));
                                lastLog = now;
                            }
                        }
                    }
                }
                writer.complete();
            }
            try (Statement st = c.createStatement()) {
                st.execute("COMMIT");
            }
            TableResult result = new TableResult(table, rows, writer.bytes(), writer.files(), point);
            LOGGER.info("dumped {}: {} rows, {} bytes in {} files, {} rows/s, table point {}", table, rows,
                    result.bytes(), result.files().size(), rate(rows, began), point == null ? "none" : point);
            return result;
        } catch (SQLException e) {
            throw source.failed(e, "reading " + table);
        } catch (IOException e) {
            throw new TidemarkException(ErrorCode.STORAGE_IO, e, root, "writing data of " + table + ": "
                    + e.getMessage());
        }
    }

    private static long rate(long rows, long beganNanos) {
        long nanos = Math.max(1, System.nanoTime() - beganNanos);
        return rows * 1_000_000_000L / nanos;
    }
}
