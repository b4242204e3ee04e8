package io.tidemark.snapshot.dump;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.position.BinlogPositions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One large keyed table read in key ranges ({@link ChunkPlan}) by several sessions at once, each range into its own
 * data files, numbered from {@link KeyRanges.Range#firstFile} so that the import takes them as the table's chunks.
 * <p>
 * All sessions read ONE snapshot of the table, so the table keeps a single exact point as {@link TableDump} gives it:
 * a separate session holds {@code LOCK TABLES t READ} while every reading session opens
 * {@code START TRANSACTION WITH CONSISTENT SNAPSHOT} and the first one takes the point the {@link SnapshotPoint} way
 * (MariaDB's snapshot status, or the binlog position under the lock). A write to the table holds its metadata lock
 * until it commits, so once the read lock is granted no change of the table is pending or can commit until it is
 * released: every snapshot opened meanwhile holds the same rows of it. Where the lock is not granted in time (or the
 * table's engine or the source gives no point) the sessions' snapshots may differ and the table gets no point; having
 * a NOT NULL unique key, it is then exact after replication's safe-mode replay of the dump's window, as any table
 * without a point.
 */
final class ChunkedTableDump {
    private static final Logger LOGGER = LoggerFactory.getLogger(ChunkedTableDump.class);

    private ChunkedTableDump() {
    }

    /** opens a range's data files, numbered from {@code firstFile} */
    @FunctionalInterface
    interface RangeFiles {
        TableFiles open(TableRef table, List<Column> all, int firstFile);
    }

    private record RangeResult(int index, long rows, long bytes, List<String> files) {
    }

    /** @param threads at most this many sessions read the table's ranges at once */
    static TableResult run(Source source, SourceSessions sessions, SnapshotPoint points, ChunkPlan plan,
                           int threads, RangeFiles files, URI root) throws InterruptedException {
        TableRef table = plan.table();
        long began = System.nanoTime();
        int n = Math.min(threads, plan.ranges().size());
        List<SourceSessions.Session> open = new ArrayList<>();
        ExecutorService pool = null;
        try {
            for (int i = 0; i < n; i++) {
                open.add(sessions.open(source));
            }
            List<Connection> readers = open.stream().map(SourceSessions.Session::connection).toList();
            for (Connection c : readers) {
                try (Statement st = c.createStatement()) {
                    st.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
                    st.execute("SET SESSION character_set_results = binary");
                    st.execute("SET SESSION time_zone = '+00:00'");
                }
            }
            List<Column> all = Column.of(readers.getFirst(), table);
            String engine = SnapshotPoint.engine(readers.getFirst(), table);
            BinlogPosition point = openShared(source, sessions,
                    SnapshotPoint.covers(engine) ? points : SnapshotPoint.NONE, readers, table).orElse(null);

            Queue<KeyRanges.Range> todo = new ConcurrentLinkedQueue<>(plan.ranges());
            Map<String, String> mdc = MDC.getCopyOfContextMap();
            pool = Executors.newFixedThreadPool(n, Thread.ofPlatform().name("snapshot-range-", 1).factory());
            // taken as they end: the first failed range fails the table at once, not after the ranges before it
            CompletionService<List<RangeResult>> workers = new ExecutorCompletionService<>(pool);
            for (Connection c : readers) {
                workers.submit(() -> {
                    if (mdc != null) {
                        MDC.setContextMap(mdc);
                    }
                    try {
                        List<RangeResult> done = new ArrayList<>();
                        for (KeyRanges.Range r = todo.poll(); r != null; r = todo.poll()) {
                            done.add(readRange(c, table, plan.key(), all, r, files));
                        }
                        return done;
                    } finally {
                        MDC.clear();
                    }
                });
            }
            List<RangeResult> ranges = new ArrayList<>();
            for (int i = 0; i < readers.size(); i++) {
                try {
                    ranges.addAll(workers.take().get());
                } catch (ExecutionException e) {
                    throw unwrap(e.getCause(), source, table, root);
                }
            }
            for (Connection c : readers) {
                try (Statement st = c.createStatement()) {
                    st.execute("COMMIT");
                }
            }
            ranges.sort(Comparator.comparingInt(RangeResult::index));
            long rows = ranges.stream().mapToLong(RangeResult::rows).sum();
            long bytes = ranges.stream().mapToLong(RangeResult::bytes).sum();
            List<String> dataFiles = ranges.stream().flatMap(r -> r.files().stream()).toList();
            TableResult result = new TableResult(table, rows, bytes, dataFiles, point);
            long nanos = Math.max(1, System.nanoTime() - began);
            LOGGER.info("dumped {} in {} key ranges on {} sessions: {} rows, {} bytes in {} files, {} rows/s,"
                    + " table point {}", table, plan.ranges().size(), n, rows, bytes, dataFiles.size(),
                    rows * 1_000_000_000L / nanos, point == null ? "none" : point);
            return result;
        } catch (SQLException e) {
            throw source.failed(e, "reading " + table);
        } finally {
            if (pool != null) {
                // a failed range stops its siblings: their sessions are cut below, and they are interrupted
                pool.shutdownNow();
            }
            open.forEach(SourceSessions.Session::close);
        }
    }

    /** the table's one snapshot on every reader, and its point where one can be had (see the class comment) */
    static Optional<BinlogPosition> openShared(Source source, SourceSessions sessions, SnapshotPoint points,
                                               List<Connection> readers, TableRef table) throws SQLException {
        if (points instanceof SnapshotPoint.None) {
            for (Connection c : readers) {
                SnapshotPoint.NONE.open(c, table);
            }
            return Optional.empty();
        }
        Duration lockWait = points instanceof SnapshotPoint.LockTables lt ? lt.lockWait()
                : SnapshotPoint.LockTables.LOCK_WAIT;
        try (SourceSessions.Session locking = sessions.open(source)) {
            String lock = "LOCK TABLES " + table.quoted() + " READ";
            try (Statement st = locking.connection().createStatement()) {
                st.execute("SET SESSION lock_wait_timeout = " + lockWait.toSeconds());
                st.execute(lock);
            } catch (SQLException e) {
                TidemarkException failure = source.failed(e, lock);
                if (failure.error() == ErrorCode.SOURCE_UNREACHABLE) {
                    throw failure;
                }
                LOGGER.warn("no table point for {}: its read lock was not granted within {} ({}); its key ranges"
                        + " are read in snapshots of their own, and changes to it during the dump are replayed in"
                        + " safe mode", table, lockWait, failure.detail());
                for (Connection c : readers) {
                    SnapshotPoint.NONE.open(c, table);
                }
                return Optional.empty();
            }
            Optional<BinlogPosition> point;
            if (points instanceof SnapshotPoint.LockTables lt) {
                SnapshotPoint.NONE.open(readers.getFirst(), table);
                point = Optional.of(BinlogPositions.current(readers.getFirst(), lt.flavor(),
                        source.endpoint().describe()));
            } else {
                point = points.open(readers.getFirst(), table);
            }
            for (Connection c : readers.subList(1, readers.size())) {
                SnapshotPoint.NONE.open(c, table);
            }
            try (Statement st = locking.connection().createStatement()) {
                st.execute("UNLOCK TABLES");
            } catch (SQLException e) {
                // closing the session releases the lock as well
                LOGGER.debug("UNLOCK TABLES of {} failed: {}", table, e.getMessage());
            }
            return point;
        }
    }

    private static RangeResult readRange(Connection c, TableRef table, List<String> key, List<Column> all,
                                         KeyRanges.Range range, RangeFiles files) throws SQLException, IOException {
        long rows = 0;
        TableFiles writer = files.open(table, all, range.firstFile());
        String sql = "SELECT " + writer.selectList() + " FROM " + table.quoted() + " WHERE "
                + range.condition(key);
        try (writer; PreparedStatement ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY)) {
            ps.setFetchSize(Integer.MIN_VALUE);
            ChunkPlan.bind(ps, range.parameters());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    writer.write(rs);
                    rows++;
                    if ((rows & 1023) == 0 && Thread.currentThread().isInterrupted()) {
                        throw new CancellationException("dump of " + table + " cancelled");
                    }
                }
            }
            writer.complete();
        }
        if (writer.files().size() > KeyRanges.FILES_PER_RANGE) {
            throw new TidemarkException(ErrorCode.INTERNAL, "key range " + range.index() + " of " + table
                    + " wrote " + writer.files().size() + " files, more than its " + KeyRanges.FILES_PER_RANGE);
        }
        return new RangeResult(range.index(), rows, writer.bytes(), writer.files());
    }

    private static RuntimeException unwrap(Throwable cause, Source source, TableRef table, URI root) {
        return switch (cause) {
            case TidemarkException te -> te;
            case CancellationException ce -> ce;
            case SQLException se -> source.failed(se, "reading " + table);
            case IOException io -> new TidemarkException(ErrorCode.STORAGE_IO, io, root, "writing data of " + table
                    + ": " + io.getMessage());
            default -> new TidemarkException(ErrorCode.INTERNAL, cause, String.valueOf(cause));
        };
    }
}
