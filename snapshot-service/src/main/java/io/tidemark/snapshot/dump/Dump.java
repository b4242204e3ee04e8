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
import io.tidemark.snapshot.parquet.ExportInfoFiles;
import io.tidemark.snapshot.parquet.ExportLayout;
import io.tidemark.snapshot.parquet.ExportedTable;
import io.tidemark.snapshot.parquet.ParquetTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A dump of the tables {@link DumpPrechecks} selected: start position, schema files in Dumpling's names, the tables'
 * data in parallel (one connection each, each table with its own point where the source gives one) in the
 * {@link OutputFormat} asked for, end position, then {@code metadata}. A Parquet dump writes its export's JSON files
 * after all data and before {@code metadata}. See {@link TableDump} for why the tables need no common snapshot. A large
 * keyed table of an SQL dump is read first, in key ranges by all the threads in one snapshot of its own
 * ({@link ChunkedTableDump}). The caller writes the {@link CompletionMarker} after this returns.
 */
public final class Dump {
    private static final Logger LOGGER = LoggerFactory.getLogger(Dump.class);

    /** how long a stopped dump waits for its table threads to leave after their sessions were cut */
    static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final Source source;
    private final SourceSessions sessions;
    private final Storage storage;
    private final DumpOptions options;
    private final Function<Flavor, SnapshotPoint> points;

    /** @param sessions where the dump's sessions are kept, so that cancelling the dump cuts them */
    public Dump(Source source, SourceSessions sessions, Storage storage, DumpOptions options) {
        this(source, sessions, storage, options, flavor -> SnapshotPoint.forFlavor(flavor, source, sessions));
    }

    /** @param points how the tables' points are taken on a source of the flavor: a test chooses the way */
    Dump(Source source, SourceSessions sessions, Storage storage, DumpOptions options,
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
        Instant startedAt = Instant.now();
        BinlogPosition start;
        Instant snapshotTime;
        try (SourceSessions.Session session = sessions.open(source)) {
            // only once a session is open: a dump cancelled while its prechecks ran stops before touching the files
            clearPrevious();
            Connection c = session.connection();
            // recorded before any table's snapshot begins: replaying from here misses nothing
            start = position(c, checked.flavor());
            snapshotTime = Instant.now();
            LOGGER.info("snapshot of {} tables starts at {}", tables.size(), start);
            listener.started(start, tables);
            SchemaFiles.write(source, c, storage, tables);
        }
        List<ChunkPlan> chunked = plan(tables);
        List<TableRef> whole = tables.stream()
                .filter(t -> chunked.stream().noneMatch(p -> p.table().equals(t))).toList();
        Queue<ExportedTable> exported = new ConcurrentLinkedQueue<>();
        SnapshotPoint tablePoints = points.apply(checked.flavor());
        List<TableResult> results = new ArrayList<>(dumpChunked(chunked, tablePoints, listener));
        results.addAll(dumpTables(whole, tablePoints, filesFactory(exported::add), listener));
        results.sort((a, b) -> a.table().compareTo(b.table()));
        BinlogPosition end;
        try (SourceSessions.Session session = sessions.open(source)) {
            // recorded after every table's snapshot ended: past here the dump holds no stale row
            end = position(session.connection(), checked.flavor());
        }
        if (options.format() instanceof OutputFormat.Parquet parquet) {
            writeExportInfo(parquet.layout(), List.copyOf(exported), snapshotTime, startedAt);
        }
        writeMetadata(new DumpMetadata(started, start, LocalDateTime.now()));
        DumpResult result = new DumpResult(start, end, tables, results);
        LOGGER.info("snapshot of {} tables complete: start {}, end {}, {} with a table point", tables.size(), start,
                end, result.tablePoints().size());
        return result;
    }

    /**
     * The tables read in key ranges ({@link ChunkPlan}): only in an SQL dump with more than one thread and
     * {@code chunkRows} set, planned on a session of their own at the dump sessions' time zone.
     */
    private List<ChunkPlan> plan(List<TableRef> tables) {
        if (!(options.format() instanceof OutputFormat.Sql) || options.threads() < 2 || options.chunkRows() < 1) {
            return List.of();
        }
        List<ChunkPlan> chunked = new ArrayList<>();
        try (SourceSessions.Session session = sessions.open(source)) {
            Connection c = session.connection();
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("SET SESSION time_zone = '+00:00'");
            }
            for (TableRef table : tables) {
                ChunkPlan plan = ChunkPlan.of(c, table, options.chunkRows());
                if (plan.chunked()) {
                    LOGGER.info("{} is read in {} key ranges of ({})", table, plan.ranges().size(),
                            String.join(", ", plan.key()));
                    chunked.add(plan);
                }
            }
        } catch (SQLException e) {
            throw source.failed(e, "planning the key ranges of the tables");
        }
        return chunked;
    }

    /**
     * The large keyed tables, one after another, each by all the dump's threads: the largest table no longer bounds
     * the dump. Tables dumped whole follow in {@link #dumpTables}.
     */
    private List<TableResult> dumpChunked(List<ChunkPlan> plans, SnapshotPoint points, DumpListener listener)
            throws InterruptedException {
        List<TableResult> results = new ArrayList<>();
        try {
            for (ChunkPlan plan : plans) {
                MDC.put("table", plan.table().toString());
                try {
                    TableResult result = ChunkedTableDump.run(source, sessions, points, plan, options.threads(),
                            (table, all, firstFile) -> new SqlTableFiles(storage, table, all, options.fileSizeBytes(),
                                    options.statementSizeBytes(), firstFile), storage.root());
                    listener.tableDumped(result);
                    results.add(result);
                } finally {
                    MDC.remove("table");
                }
            }
            return results;
        } catch (RuntimeException | InterruptedException e) {
            // no range thread may go on reading once the dump failed or was stopped
            sessions.abortOpen();
            throw e;
        }
    }

    /** each table's files in the dump's format; a Parquet table tells {@code exported} once it is complete */
    private TableFiles.Factory filesFactory(Consumer<ExportedTable> exported) {
        return switch (options.format()) {
            case OutputFormat.Sql ignored -> (table, all) -> new SqlTableFiles(storage, table, all,
                    options.fileSizeBytes(), options.statementSizeBytes());
            case OutputFormat.Parquet parquet -> (table, all) -> new ParquetTableFiles(ParquetTable.open(storage,
                    parquet.layout(), table, Column.dumped(all).stream().map(Column::source).toList(),
                    parquet.settings(), options.fileSizeBytes()), exported);
        };
    }

    private List<TableResult> dumpTables(List<TableRef> tables, SnapshotPoint points, TableFiles.Factory files,
                                         DumpListener listener) throws InterruptedException {
        if (tables.isEmpty()) {
            return List.of();
        }
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
                        TableResult result = TableDump.run(source, sessions, points, files, storage.root(), table);
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

    /**
     * A directory may hold an older or half-written dump, in either format: its files must not mix with this one's
     * (a part file or a {@code _SUCCESS} left over would be imported as this dump's).
     */
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
            if (!storage.directories("").isEmpty()) {
                for (String file : storage.walk("").keySet()) {
                    if (ExportLayout.isExportFile(file)) {
                        storage.delete(file);
                    }
                }
            }
        } catch (IOException e) {
            throw new TidemarkException(ErrorCode.STORAGE_IO, e, storage.root(), "clearing an earlier dump: " + e.getMessage());
        }
    }

    private void writeExportInfo(ExportLayout layout, List<ExportedTable> exported, Instant snapshotTime,
                                 Instant startedAt) {
        try {
            ExportInfoFiles.write(storage, layout, exported, snapshotTime, startedAt, Instant.now());
        } catch (IOException e) {
            throw new TidemarkException(ErrorCode.STORAGE_IO, e, storage.root(), "writing the export's files "
                    + layout.exportInfoFile() + " and " + layout.tablesInfoFile(exported.size()) + ": "
                    + e.getMessage());
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
