package io.tidemark.snapshot.dump;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.layout.DumpLayout;
import io.tidemark.common.layout.DumpMetadata;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.storage.Storage;
import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.flavor.Flavor;
import io.tidemark.mysql.position.BinlogPositions;
import io.tidemark.mysql.precheck.source.SourceFacts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A Dumpling-layout SQL dump of the tables {@link DumpPrechecks} selected: start position, schema files, the tables'
 * data in parallel (one connection each, each table with its own point where the source gives one), end position,
 * then {@code metadata}. See {@link TableDump} for why the tables need no common snapshot. The caller writes the
 * {@link CompletionMarker} after this returns.
 */
public final class SqlDump {
    private static final Logger LOGGER = LoggerFactory.getLogger(SqlDump.class);

    /** how long a stopped dump waits for its table threads to leave after their sessions were cut */
    static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final Source source;
    private final SourceSessions sessions;
    private final Storage storage;
    private final DumpOptions options;
    private final Function<Flavor, SnapshotPoint> points;

    /** @param sessions where the dump's sessions are kept, so that cancelling the dump cuts them */
    public SqlDump(Source source, SourceSessions sessions, Storage storage, DumpOptions options) {
        this(source, sessions, storage, options, flavor -> SnapshotPoint.forFlavor(flavor, source, sessions));
    }

    /** @param points how the tables' points are taken on a source of the flavor: a test chooses the way */
    SqlDump(Source source, SourceSessions sessions, Storage storage, DumpOptions options,
            Function<Flavor, SnapshotPoint> points) {
        this.source = source;
        this.sessions = sessions;
        this.storage = storage;
        this.options = options;
        this.points = points;
    }

    /** @param checked the facts {@link DumpPrechecks} passed on: the source's flavor and the tables to dump */
    public DumpResult run(SourceFacts checked, DumpListener listener) throws InterruptedException {
        List<TableRef> tables = checked.tables().value().selected();
        LocalDateTime started = LocalDateTime.now();
        BinlogPosition start;
        try (SourceSessions.Session session = sessions.open(source)) {
            // only once a session is open: a dump cancelled while its prechecks ran stops before touching the files
            clearPrevious();
            Connection c = session.connection();
            // recorded before any table's snapshot begins: replaying from here misses nothing
            start = position(c, checked.flavor());
            LOGGER.info("snapshot of {} tables starts at {}", tables.size(), start);
            listener.started(start, tables);
            SchemaFiles.write(source, c, storage, tables);
        }
        List<TableResult> results = dumpTables(tables, points.apply(checked.flavor()), listener);
        BinlogPosition end;
        try (SourceSessions.Session session = sessions.open(source)) {
            // recorded after every table's snapshot ended: past here the dump holds no stale row
            end = position(session.connection(), checked.flavor());
        }
        writeMetadata(new DumpMetadata(started, start, LocalDateTime.now()));
        DumpResult result = new DumpResult(start, end, tables, results);
        LOGGER.info("snapshot of {} tables complete: start {}, end {}, {} with a table point", tables.size(), start,
                end, result.tablePoints().size());
        return result;
    }

    private List<TableResult> dumpTables(List<TableRef> tables, SnapshotPoint points, DumpListener listener)
            throws InterruptedException {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.threads(), tables.size()),
                r -> new Thread(r, "snapshot-table-" + threadNo.incrementAndGet()));
        try {
            CompletionService<TableResult> done = new ExecutorCompletionService<>(pool);
            for (TableRef table : tables) {
                done.submit(() -> {
                    if (mdc != null) {
                        MDC.setContextMap(mdc);
                    }
                    MDC.put("table", table.toString());
                    try {
                        TableResult result = TableDump.run(source, sessions, points, storage, table, options);
                        listener.tableDumped(result);
                        return result;
                    } finally {
                        MDC.clear();
                    }
                });
            }
            List<TableResult> results = new ArrayList<>();
            for (int i = 0; i < tables.size(); i++) {
                Future<TableResult> next = done.take();
                try {
                    results.add(next.get());
                } catch (ExecutionException e) {
                    // the first failed table fails the dump; the others stop at their next check
                    if (e.getCause() instanceof TidemarkException te) {
                        throw te;
                    }
                    throw new TidemarkException(ErrorCode.INTERNAL, e.getCause(), String.valueOf(e.getCause()));
                }
            }
            results.sort((a, b) -> a.table().compareTo(b.table()));
            return results;
        } finally {
            // whether a table failed or the dump was stopped: no table thread may go on writing once this returns
            pool.shutdownNow();
            sessions.abortOpen();
            awaitStopped(pool);
        }
    }

    private BinlogPosition position(Connection c, Flavor flavor) {
        try {
            return BinlogPositions.current(c, flavor, source.endpoint().describe());
        } catch (SQLException e) {
            throw source.failed(e, flavor.binlogStatusStatement());
        }
    }

    /** waits for the table threads even when this thread was interrupted, keeping the interrupt for the caller */
    private static void awaitStopped(ExecutorService pool) {
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        try {
            while (true) {
                try {
                    if (!pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        LOGGER.error("table threads still run {} after the dump stopped; they stop at their next row"
                                + " batch or when their source session ends", STOP_WAIT);
                    }
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** a directory may hold an older or half-written dump: its files must not mix with this one's */
    private void clearPrevious() {
        try {
            storage.delete(CompletionMarker.FILE);
            for (String file : storage.list("")) {
                boolean layout = file.equals(DumpLayout.METADATA)
                        || DumpLayout.parseDataFile(file).isPresent()
                        || DumpLayout.parseTableSchemaFile(file).isPresent()
                        || DumpLayout.parseSchemaCreateFile(file).isPresent();
                if (layout) {
                    storage.delete(file);
                }
            }
        } catch (IOException e) {
            throw new TidemarkException(ErrorCode.STORAGE_IO, e, storage.root(), "clearing an earlier dump: " + e.getMessage());
        }
    }

    private void writeMetadata(DumpMetadata metadata) {
        try (OutputStream out = storage.create(DumpLayout.METADATA)) {
            out.write(metadata.render().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new TidemarkException(ErrorCode.STORAGE_IO, e, storage.root(), "writing metadata: " + e.getMessage());
        }
    }
}
