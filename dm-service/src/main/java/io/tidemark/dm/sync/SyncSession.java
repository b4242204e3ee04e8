package io.tidemark.dm.sync;

import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import io.tidemark.common.command.BinlogOperation;
import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.position.TablePoint;
import io.tidemark.common.table.BinlogEventFilter;
import io.tidemark.common.table.TableFilter;
import io.tidemark.common.shard.ShardDdl;
import io.tidemark.common.table.ExtractedColumn;
import io.tidemark.common.table.TableRouter;
import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.error.Side;
import io.tidemark.mysql.error.SqlErrors;
import io.tidemark.mysql.session.Sessions;
import io.tidemark.mysql.session.Timeouts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One streaming attempt of a task, from an open stream and a held checkpoint epoch until stop or failure: reads
 * events in binlog order, applies row changes of selected tables into the open target transaction, replays DDL, and
 * commits whole source transactions together with the checkpoint. A MariaDB transaction is GTID … XID (no BEGIN);
 * a DDL is a standalone GTID group. Row changes wait for the target at most {@code tidemark.db.read-timeout}; a
 * replayed DDL up to {@code tidemark.db.long-operation-timeout}, since an ALTER of a big TiDB table may take hours.
 *
 * <p>A table with a point ({@link TablePoints}) skips its changes before the point, DDL included: its dump holds
 * them. From its point on each change is applied once, so a table without a key stays exact, and replays in normal
 * mode (a REPLACE there would be a plain INSERT anyway; after a restart past the stored point it is forgotten, and
 * safe mode's statements then do the same as the normal ones on a table that holds each change once). A keyed table
 * keeps safe mode until {@code safeModeExit} as before (harmless: a REPLACE of a row held once is the same row);
 * tables without a point replay as before.
 *
 * <p>Safe mode as DM's: on throughout with {@code safeMode.always}; otherwise on for {@code safeMode.afterStart}
 * from the start of this session — every start, retry, resume or takeover builds a new one — because the checkpoint
 * this session resumes from may lag what an earlier run had already written; and on before {@code safeModeExit}
 * (the snapshot window) whatever the settings, since that window is what makes a snapshot and its replay meet.
 * <p>Parallel apply (DM's {@code worker-count} above 1): the session reads, converts and routes; row changes of keyed
 * tables go to the {@link ApplyWorkers} that {@link Causality} picks, so changes of one key keep their order while
 * different keys are applied at once. Tables without a key stay on this session and commit with the checkpoint, and a
 * DDL is a barrier (a flush before it). A flush commits the workers, then the checkpoint: the checkpoint is the point
 * below which every worker has committed. Rows the workers committed past the checkpoint before a kill are replayed
 * in safe mode up to the replay horizon they recorded ({@code replayUntil}), so a restart converges to the same rows.
 * Runs on the replicator's thread only.
 */
final class SyncSession {
    private static final Logger LOGGER = LoggerFactory.getLogger(SyncSession.class);

    /** what the session reports and needs from its replicator */
    interface Host {
        boolean stopRequested();

        void progressed(BinlogPosition position, long lagSeconds, boolean safeMode, long rowsApplied);

        /** progress with the shard DDLs the task waits at (shard-mode pessimistic) */
        default void progressed(BinlogPosition position, long lagSeconds, boolean safeMode, long rowsApplied,
                                List<ShardDdl> waiting) {
            progressed(position, lagSeconds, safeMode, rowsApplied);
        }
    }

    private final ReplicationTask task;
    private final SyncSettings settings;
    private final Timeouts timeouts;
    private final TableFilter filter;
    private final Connection target;
    private final EventSource stream;
    private final TargetBatch batch;
    private final Host host;
    private final SchemaCache schemas = new SchemaCache();
    private final SourceSignedness signedness;
    private final TablePoints points;
    /** per table, the row changes skipped as already in its dump, logged when the table reaches its point */
    private final Map<TableRef, Long> skipped = new LinkedHashMap<>();
    private final Map<TableRef, RowStatements> statements = new HashMap<>();
    /** by source table: how its rows widen into a target table with columns its route fills */
    private final Map<TableRef, ExtractedRows> extracted = new HashMap<>();
    private final Map<Long, TableMapEventData> tableMaps = new HashMap<>();
    /** the filter's and the router's answers per source table, asked once (a glob match per row event was 6 %) */
    private final Map<TableRef, Boolean> matched = new HashMap<>();
    private final Map<TableRef, TableRef> routed = new HashMap<>();
    /**
     * shard-mode pessimistic: the shards waiting at their DDL, each with the transaction boundary before it; their
     * later changes are passed over here and applied by the re-sync from the earliest boundary once every shard of
     * the merged table reached the DDL (the coordinator's {@link ReplicationTask#shardDdlsGo()} then restarts the task)
     */
    private final Map<TableRef, ShardDdl> held = new LinkedHashMap<>();
    private final Map<TableRef, BinlogPosition> heldFrom = new LinkedHashMap<>();
    /** while shards are held: the other tables changed since the earliest boundary, which a re-sync skips up to here */
    private final Set<TableRef> touched = new HashSet<>();
    /** shards whose DDL another shard runs on the merged table: their rows wait for it to be there */
    private final Set<TableRef> awaitingShardDdl = new HashSet<>();
    private final CheckpointStore shardPoints;
    private final GtidTracker gtids;
    /** the parallel workers and their router; both null with one worker (every change on {@link #batch}) */
    private final ApplyWorkers workers;
    private final Causality causality;
    /** per worker, the row changes of the row event being read: handed over once per event, not once per row */
    private final List<List<RowChange>> outbox;
    /** rows an earlier run's workers may have committed past the checkpoint reach this point; null when none */
    private final BinlogPosition replayUntil;
    /** DM's binlog event filter (the task's binlogFilters), after the block-allow list */
    private final BinlogEventFilter events;
    /** DM's table routing (the task's routes): source names in, target names out */
    private final TableRouter router;

    private String currentFile;
    private BinlogPosition committed;
    /** the point after the last ended transaction, built when read ({@link #saved()}) */
    private BinlogPosition saved;
    private String savedFile;
    private long savedNext;
    private boolean savedStale;
    private boolean inTransaction;
    /** nothing flushed since start: a DDL now may be one that ran just before a crash, before its checkpoint */
    private boolean replayWindow = true;
    private long lastEventMillis;
    private long rowsApplied;
    private long lastReportNanos;
    private long stopDeadlineNanos;
    private BinlogPosition lastReported;
    /** System.nanoTime() until which the start-of-session safe mode lasts */
    private final long safeWindowEndNanos;
    private boolean safeWindowOver;

    /** keys the router holds at most before the workers commit early: its memory stays bounded in any transaction */
    static final int MAX_HELD_KEYS = 100_000;
    /** how long a full worker queue is waited for before the other workers commit */
    private static final long QUEUE_WAIT_MILLIS = 200;
    private static final long DRAINED_FLUSH_MILLIS = 50;

    SyncSession(ReplicationTask task, SyncSettings settings, Timeouts timeouts, TableFilter filter, Connection target,
                EventSource stream, TargetBatch batch, BinlogPosition start, TablePoints points,
                SourceSignedness signedness, Host host) {
        this(task, settings, timeouts, filter, target, stream, batch, start, points, signedness, host, null, null);
    }

    /**
     * @param workers     the parallel apply workers, or null to apply every change on {@code batch}
     * @param replayUntil the replay horizon stored with the checkpoint (rows may be committed up to it), or null
     */
    SyncSession(ReplicationTask task, SyncSettings settings, Timeouts timeouts, TableFilter filter, Connection target,
                EventSource stream, TargetBatch batch, BinlogPosition start, TablePoints points,
                SourceSignedness signedness, Host host, ApplyWorkers workers, BinlogPosition replayUntil) {
        this.task = task;
        this.settings = settings;
        this.timeouts = timeouts;
        this.filter = filter;
        this.target = target;
        this.stream = stream;
        this.batch = batch;
        this.host = host;
        this.points = points;
        this.shardPoints = new CheckpointStore(ReplicationTask.idFor(task.migrationId()), "");
        this.signedness = signedness;
        this.currentFile = start.file();
        this.committed = start;
        this.saved = start;
        this.gtids = new GtidTracker(start.gtidSet());
        this.events = BinlogEventFilter.of(task.binlogFilters());
        this.router = TableRouter.of(task.routes());
        this.safeWindowEndNanos = System.nanoTime() + task.safeMode().afterStart().toNanos();
        this.safeWindowOver = task.safeMode().durationMillis() == 0;
        this.workers = workers;
        this.causality = workers == null ? null : new Causality(workers.size());
        this.outbox = new ArrayList<>();
        for (int i = 0; workers != null && i < workers.size(); i++) {
            outbox.add(new ArrayList<>());
        }
        this.replayUntil = replayUntil;
        if (replayUntil != null) {
            LOGGER.info("safe mode is on up to {}: the apply workers of an earlier run may have committed rows up to"
                    + " there past the checkpoint {}", replayUntil, start);
        }
        if (task.safeMode().always()) {
            LOGGER.info("safe mode is on for the whole task (safeMode: true)");
        } else if (!safeWindowOver) {
            LOGGER.info("safe mode is on for {} after this start at {}", task.safeMode().afterStart(), start);
        }
    }

    /** @return the last flushed point, once a stop was requested; it was reported to the host last */
    BinlogPosition run() throws InterruptedException {
        report(true);
        try {
            while (true) {
                if (host.stopRequested()) {
                    if (!inTransaction) {
                        flush();
                        report(true);
                        return committed;
                    }
                    if (stopDeadlineNanos == 0) {
                        stopDeadlineNanos = System.nanoTime() + settings.stopTimeout().toNanos() / 2;
                    } else if (System.nanoTime() > stopDeadlineNanos) {
                        LOGGER.warn("stopping inside a source transaction: its changes roll back and replay on resume");
                        rollback();
                        report(true);
                        return committed;
                    }
                }
                EventSource.Item item = stream.poll(50);
                switch (item) {
                    case null -> idle();
                    case EventSource.Broken b -> throw b.error();
                    case EventSource.Received r -> handle(r.event());
                }
            }
        } catch (TidemarkException | InterruptedException e) {
            rollback();
            throw e;
        }
    }

    private void rollback() {
        batch.rollback();
        outbox.forEach(List::clear);
        if (workers != null) {
            workers.rollback();
            causality.clear();
        }
    }

    private void idle() {
        if (!inTransaction && stream.drained()) {
            flush();
        }
        report(false);
    }

    private void handle(Event event) {
        EventHeaderV4 h = event.getHeader();
        EventType type = h.getEventType();
        if (h.getTimestamp() > 0 && type != EventType.HEARTBEAT) {
            lastEventMillis = h.getTimestamp();
        }
        switch (type) {
            case ROTATE -> currentFile = ((RotateEventData) event.getData()).getBinlogFilename();
            case MARIADB_GTID -> {
                MariadbGtidEventData d = event.getData();
                gtids.begin(event);
                // a standalone group (DDL) has no terminating XID/COMMIT: its single statement is the transaction
                inTransaction = (d.getFlags() & MariadbGtidEventData.FL_STANDALONE) == 0;
            }
            case GTID -> gtids.begin(event);
            case TABLE_MAP -> {
                TableMapEventData d = event.getData();
                tableMaps.put(d.getTableId(), d);
            }
            case XID -> transactionEnded(h);
            case QUERY -> query(event.getData(), h);
            default -> {
                if (EventType.isRowMutation(type)) {
                    rows(event, h);
                }
            }
        }
    }

    private void query(QueryEventData d, EventHeaderV4 h) {
        String sql = d.getSql() == null ? "" : d.getSql().strip();
        String head = sql.length() > 16 ? sql.substring(0, 16).toUpperCase(Locale.ROOT) : sql.toUpperCase(Locale.ROOT);
        if (head.equals("BEGIN")) {
            inTransaction = true;
            return;
        }
        if (head.equals("COMMIT") || head.equals("ROLLBACK")) {
            // a transaction over non-transactional tables ends with a COMMIT query instead of an XID
            transactionEnded(h);
            return;
        }
        ddl(sql, d.getDatabase() == null ? "" : d.getDatabase(), h);
    }

    /**
     * The transaction or statement ending at {@code h} is over: its GTID counts and the point after it is saved. The
     * point is built when read: most transactions end between two flushes and their point is never read.
     */
    private void saveAfter(EventHeaderV4 h) {
        gtids.commit();
        savedFile = currentFile;
        savedNext = h.getNextPosition();
        savedStale = true;
    }

    private BinlogPosition saved() {
        if (savedStale) {
            saved = BinlogPosition.of(savedFile, savedNext, gtids.current());
            savedStale = false;
        }
        return saved;
    }

    private void transactionEnded(EventHeaderV4 h) {
        inTransaction = false;
        saveAfter(h);
        batch.transactionEnded();
        if (batch.transactions() >= settings.batchMaxTransactions() || pendingRows() >= settings.batchMaxRows()
                || batch.ageMillis() >= settings.batchMaxDelay().toMillis() || drainedLongEnough()
                || host.stopRequested()) {
            flush();
        }
    }

    private void ddl(String sql, String defaultSchema, EventHeaderV4 h) {
        inTransaction = false;
        BinlogPosition at = BinlogPosition.ofFilePosition(currentFile, Math.max(4, h.getPosition()));
        BinlogOperation operation = task.binlogOperation();
        if (operation != null && operation.matches(at) && operation.op() == BinlogOperation.Op.INJECT) {
            operate(operation, sql, defaultSchema, at); // then the event itself, as any DDL below
        } else if (operation != null && operation.matches(at)) {
            operate(operation, sql, defaultSchema, at);
            saveAfter(h);
            flush();
            return;
        }
        Ddl ddl = DdlParser.parse(sql, defaultSchema);
        Set<TableRef> ignored = new HashSet<>();
        String ignoredBy = ignoredByRules(ddl, defaultSchema, sql, at, ignored);
        if (ignoredBy != null) {
            flush();
            LOGGER.info("ignored DDL at {} ({} matches it, action Ignore): {}", at, ignoredBy, abbreviate(sql));
            saveAfter(h);
            return;
        }
        if (task.shardPessimistic()) {
            TableRef shard = DdlPlan.mergedShard(ddl, filter, points, at, ignored, router);
            if (shard != null) {
                shardDdl((Ddl.TableDdl) ddl, shard, defaultSchema, at, h);
                return;
            }
        }
        DdlPlan plan = DdlPlan.of(ddl, filter, points, at, ignored, router);
        if (ddl instanceof Ddl.Unreadable u) {
            throw new TidemarkException(ErrorCode.TARGET_STATEMENT_FAILED, "DDL at " + at,
                    "cannot read the statement (" + u.problem() + "): " + abbreviate(sql)).withSubject(event(at));
        }
        if (!(ddl instanceof Ddl.Other)) {
            signedness.invalidateAll();
        }
        flush();
        if (plan.apply()) {
            boolean tolerate = replayWindow || safeMode(at);
            applyDdl(plan.statement(), defaultSchema, at, tolerate);
            if (!held.isEmpty() && ddl instanceof Ddl.TableDdl t) {
                touched.addAll(t.tables()); // shards wait: a re-sync must not run it again
            }
            schemas.invalidateAll();
            statements.clear();
            extracted.clear();
        } else if (plan.inDump()) {
            LOGGER.info("skipped DDL at {} ({}): {}", at, plan.skipReason(), abbreviate(sql));
        } else {
            LOGGER.debug("skipped statement at {} ({}): {}", at, plan.skipReason(), abbreviate(sql));
        }
        saveAfter(h);
        if (plan.apply()) {
            flush();
        }
    }

    /**
     * The binlog event filter on a statement, for what the block-allow list selects: a rule with action Error fails
     * the task naming the rule and the statement; the tables a rule ignores are collected.
     *
     * @return the rule that ignores the whole statement, null when some of it is applied
     */
    private String ignoredByRules(Ddl ddl, String defaultSchema, String sql, BinlogPosition at,
                                  Set<TableRef> ignored) {
        if (events.isEmpty()) {
            return null;
        }
        List<BinlogEventFilter.Decision> decisions = new ArrayList<>();
        switch (ddl) {
            case Ddl.TableDdl t -> {
                List<TableRef> subjects = t.tables();
                if (t.kind() == Ddl.Kind.RENAME_TABLE) {
                    // pairs from, to: the rule is on the renamed source table, as the block-allow list is
                    subjects = java.util.stream.IntStream.range(0, t.tables().size() / 2)
                            .mapToObj(i -> t.tables().get(2 * i)).toList();
                }
                for (TableRef r : subjects) {
                    if (!filter.matches(r)) {
                        continue;
                    }
                    BinlogEventFilter.Decision d = events.ddl(r.schema(), r.table(), t.kind().event(), sql);
                    decisions.add(d);
                    if (d.ignored()) {
                        ignored.add(r);
                    }
                }
            }
            case Ddl.SchemaDdl sd -> {
                if (filter.matchesSchema(sd.schema())) {
                    decisions.add(events.ddl(sd.schema(), null, sd.kind().event(), sql));
                }
            }
            case Ddl.Other o -> {
                if (defaultSchema.isEmpty() || filter.matchesSchema(defaultSchema)) {
                    decisions.add(events.ddl(defaultSchema, null, null, sql));
                }
            }
            case Ddl.Unreadable u -> {
                if (defaultSchema.isEmpty() || filter.matchesSchema(defaultSchema)) {
                    decisions.add(events.ddl(defaultSchema, null, null, sql));
                }
            }
        }
        for (BinlogEventFilter.Decision d : decisions) {
            if (d.refused()) {
                throw new TidemarkException(ErrorCode.BINLOG_EVENT_REFUSED, d.ruleName(), at, abbreviate(sql));
            }
        }
        return !decisions.isEmpty() && decisions.stream().allMatch(BinlogEventFilter.Decision::ignored)
                ? decisions.getFirst().ruleName() : null;
    }

    /**
     * DM's shard-mode pessimistic at one shard's DDL on a merged table. When the coordinator's word on it is here
     * ({@link ShardDdl.Go}), the shard that was chosen runs it on the merged table and the others pass over it (their
     * rows then wait for the merged table to change). Otherwise the shard waits: the DDL is reported, the shard's
     * later changes are passed over, the other tables keep replicating, and the checkpoint holds the boundary before
     * the DDL so that the re-sync applies the shard's changes after it.
     */
    private void shardDdl(Ddl.TableDdl ddl, TableRef shard, String defaultSchema, BinlogPosition at,
                          EventHeaderV4 h) {
        if (held.containsKey(shard)) {
            // a later DDL of a waiting shard comes again in the re-sync, after the first
            LOGGER.info("shard {} waits at its DDL at {}: its DDL at {} comes again after the re-sync", shard,
                    held.get(shard).position(), at);
            return;
        }
        String statement = DdlPlan.shardStatement(ddl, router, at);
        flush();
        Optional<ShardDdl.Go> go = task.shardDdlsGo().stream().filter(g -> g.matches(shard, at)).findFirst();
        if (go.isPresent()) {
            if (go.get().apply()) {
                applyDdl(statement, defaultSchema, at, true);
            } else {
                awaitingShardDdl.add(shard);
                LOGGER.info("shard DDL at {} on {} is run on {} by another shard: passing over it", at, shard,
                        router.route(shard));
            }
            signedness.invalidateAll();
            schemas.invalidateAll();
            statements.clear();
            extracted.clear();
            saveAfter(h);
            flush();
            return;
        }
        ShardDdl reached = new ShardDdl(shard, router.route(shard), at, abbreviate(statement));
        held.put(shard, reached);
        heldFrom.put(shard, committed);
        touched.remove(shard); // what it had applied lies before its boundary, what follows is the re-sync's
        LOGGER.info("shard {} waits at its DDL at {} on the merged table {} until every shard reached it: {}", shard,
                at, reached.target(), reached.statement());
        saveAfter(h);
        report(true);
    }

    /** the checkpoint's global point while shards wait: the earliest boundary before a waiting shard's DDL */
    private BinlogPosition holdPoint() {
        BinlogPosition min = null;
        for (BinlogPosition p : heldFrom.values()) {
            min = min == null || p.isBefore(min) ? p : min;
        }
        return min;
    }

    /**
     * the points a re-sync from {@link #holdPoint()} skips by: each waiting shard's boundary before its DDL, each
     * other table changed since up to where it was applied, and the snapshot's points not yet reached
     */
    private List<TablePoint> holdPoints() {
        Map<TableRef, BinlogPosition> out = new LinkedHashMap<>();
        for (TablePoint p : points.all()) {
            out.put(p.table(), p.position());
        }
        for (TableRef t : touched) {
            out.merge(t, saved(), (a, b) -> a.isBefore(b) ? b : a);
        }
        heldFrom.forEach((t, p) -> out.merge(t, p, (a, b) -> a.isBefore(b) ? b : a));
        return out.entrySet().stream().map(e -> new TablePoint(e.getKey(), e.getValue())).toList();
    }

    private void applyDdl(String statement, String defaultSchema, BinlogPosition at, boolean tolerateReplay) {
        try {
            Sessions.withTimeout(target, timeouts.longOperation(), session -> {
                try (Statement st = session.createStatement()) {
                    if (!defaultSchema.isEmpty()) {
                        useIfPresent(st, defaultSchema);
                    }
                    return st.execute(statement);
                }
            });
            LOGGER.info("applied DDL at {}: {}", at, abbreviate(statement));
        } catch (SQLException e) {
            if (tolerateReplay && DdlPlan.ALREADY_APPLIED.contains(e.getErrorCode())) {
                LOGGER.warn("DDL at {} was already applied ({}), continuing: {}", at, e.getMessage(),
                        abbreviate(statement));
                return;
            }
            throw onTarget(e, "DDL at " + at + " (" + abbreviate(statement) + ")").withSubject(event(at));
        }
    }

    /**
     * The subject of a failure at a binlog event: its {@code FILE:POS}, which {@code binlog skip|replace} names to
     * operate on exactly that event.
     */
    private static String event(BinlogPosition at) {
        return at.file() + ":" + at.pos();
    }

    /**
     * DM's {@code binlog skip|replace|inject} on the statement the task stopped on: neither the filter, the routes nor
     * the binlog event filter apply to the operator's statements — they named this exact event — which run as
     * written (inject: before the event, which is then handled as any DDL). Any cached table definition may have
     * changed, so the caches are dropped as after a DDL.
     */
    private void operate(BinlogOperation operation, String sql, String defaultSchema, BinlogPosition at) {
        flush();
        if (operation.op() == BinlogOperation.Op.SKIP) {
            LOGGER.warn("binlog skip at {}: not applying {}", at, abbreviate(sql));
        } else if (operation.op() == BinlogOperation.Op.INJECT) {
            LOGGER.warn("binlog inject at {}: running {} statement(s) before {}", at, operation.sql().size(),
                    abbreviate(sql));
            for (String injected : operation.sql()) {
                applyDdl(injected, defaultSchema, at, false);
            }
        } else {
            LOGGER.warn("binlog replace at {}: running {} statement(s) instead of {}", at, operation.sql().size(),
                    abbreviate(sql));
            for (String replacement : operation.sql()) {
                applyDdl(replacement, defaultSchema, at, false);
            }
        }
        signedness.invalidateAll();
        schemas.invalidateAll();
        statements.clear();
        extracted.clear();
    }

    /** a session schema the filter left off the target is no error: the statement's own names decide */
    private static void useIfPresent(Statement st, String schema) {
        try {
            st.execute("USE " + TableRef.quote(schema));
        } catch (SQLException e) {
            LOGGER.debug("default schema {} not on the target: {}", schema, e.getMessage());
        }
    }

    private void rows(Event event, EventHeaderV4 h) {
        long tableId = switch (event.getData()) {
            case WriteRowsEventData d -> d.getTableId();
            case UpdateRowsEventData d -> d.getTableId();
            case DeleteRowsEventData d -> d.getTableId();
            default -> throw new TidemarkException(ErrorCode.INTERNAL, "row event without row data: " + h);
        };
        TableMapEventData map = tableMaps.get(tableId);
        if (map == null) {
            throw new TidemarkException(ErrorCode.INTERNAL, "row event for table id " + tableId
                    + " without its TABLE_MAP at " + currentFile + ":" + h.getPosition());
        }
        TableRef table = TableRef.of(map.getDatabase(), map.getTable());
        if (!matched.computeIfAbsent(table, filter::matches)) {
            return;
        }
        BinlogPosition at = BinlogPosition.ofFilePosition(currentFile, Math.max(4, h.getPosition()));
        if (!events.isEmpty()) {
            String kind = switch (event.getData()) {
                case WriteRowsEventData d -> "insert";
                case UpdateRowsEventData d -> "update";
                default -> "delete";
            };
            BinlogEventFilter.Decision d = events.row(table, kind);
            if (d.refused()) {
                throw new TidemarkException(ErrorCode.BINLOG_EVENT_REFUSED, d.ruleName(), at,
                        "a row event (" + kind + ") on " + table);
            }
            if (d.ignored()) {
                LOGGER.debug("ignored {} on {} at {} ({})", kind, table, at, d.ruleName());
                return;
            }
        }
        if (points.inDump(table, at)) {
            // before its point the table may even have had another shape: nothing of the event is read
            skipped.merge(table, 1L, Long::sum);
            return;
        }
        if (held.containsKey(table)) {
            return; // a shard waiting at its DDL: its changes after it are applied by the re-sync
        }
        if (!held.isEmpty()) {
            touched.add(table);
        }
        MDC.put("table", table.toString());
        try {
            RowStatements rs = statementsFor(routed.computeIfAbsent(table, router::route), map, table);
            // a route filling columns (extract-*): the binlog row is read in the source's shape, then widened
            ExtractedRows wide = extracted.get(table);
            TableSchema shape = wide == null ? rs.schema() : wide.sourceSchema();
            boolean keyless = rs.schema().keyKind() == TableSchema.KeyKind.ALL_COLUMNS;
            boolean safe = !(keyless && points.exact(table)) && safeMode(at);
            SourceTypes types = signedness.of(map, shape);
            int n = workers != null && !keyless ? routeRaw(event, rs, wide, shape, types, safe, h)
                    : routeConverted(event, rs, wide, shape, types, safe, h);
            if (workers != null) {
                dispatch(h);
            }
            rowsApplied += n;
        } finally {
            MDC.remove("table");
        }
    }

    /** the rows of an event converted and built here: with one worker, or for a table without a key (serial) */
    private int routeConverted(Event event, RowStatements rs, ExtractedRows wide, TableSchema shape,
                               SourceTypes types, boolean safe, EventHeaderV4 h) {
        int n = 0;
        switch (event.getData()) {
            case WriteRowsEventData d -> {
                for (Serializable[] row : d.getRows()) {
                    Object[] after = widen(wide, ValueConverter.row(shape, types, d.getIncludedColumns(), row));
                    apply(rs.schema(), null, after, new RowChange.Built(rs.insert(after, safe)), h);
                    n++;
                }
            }
            case UpdateRowsEventData d -> {
                for (Map.Entry<Serializable[], Serializable[]> row : d.getRows()) {
                    Object[] before = widen(wide, ValueConverter.row(shape, types,
                            d.getIncludedColumnsBeforeUpdate(), row.getKey()));
                    Object[] after = widen(wide, ValueConverter.row(shape, types, d.getIncludedColumns(),
                            row.getValue()));
                    apply(rs.schema(), before, after, new RowChange.Built(rs.update(before, after, safe)), h);
                    n++;
                }
            }
            case DeleteRowsEventData d -> {
                for (Serializable[] row : d.getRows()) {
                    Object[] before = widen(wide, ValueConverter.row(shape, types, d.getIncludedColumns(), row));
                    apply(rs.schema(), before, null, new RowChange.Built(rs.delete(before)), h);
                    n++;
                }
            }
            default -> throw new IllegalStateException("unreachable");
        }
        return n;
    }

    /**
     * The rows of a keyed table's event with parallel apply: only the key columns are converted here, to route each
     * row; the worker it goes to converts the whole row and builds its statements ({@link RowChange.Raw}).
     *
     * @return the rows read
     */
    private int routeRaw(Event event, RowStatements rs, ExtractedRows wide, TableSchema shape, SourceTypes types,
                         boolean safe, EventHeaderV4 h) {
        boolean[] keys = wide == null ? rs.keyColumns() : wide.sourceColumns(rs.keyColumns());
        int n = 0;
        switch (event.getData()) {
            case WriteRowsEventData d -> {
                BitSet columns = d.getIncludedColumns();
                for (Serializable[] row : d.getRows()) {
                    Object[] after = widen(wide, ValueConverter.row(shape, types, columns, row, keys));
                    apply(rs.schema(), null, after, new RowChange.Raw(rs, shape, wide, types, safe, null, null,
                            columns, row), h);
                    n++;
                }
            }
            case UpdateRowsEventData d -> {
                BitSet beforeColumns = d.getIncludedColumnsBeforeUpdate();
                BitSet afterColumns = d.getIncludedColumns();
                for (Map.Entry<Serializable[], Serializable[]> row : d.getRows()) {
                    Object[] before = widen(wide, ValueConverter.row(shape, types, beforeColumns, row.getKey(), keys));
                    Object[] after = widen(wide, ValueConverter.row(shape, types, afterColumns, row.getValue(), keys));
                    apply(rs.schema(), before, after, new RowChange.Raw(rs, shape, wide, types, safe, beforeColumns,
                            row.getKey(), afterColumns, row.getValue()), h);
                    n++;
                }
            }
            case DeleteRowsEventData d -> {
                BitSet columns = d.getIncludedColumns();
                for (Serializable[] row : d.getRows()) {
                    Object[] before = widen(wide, ValueConverter.row(shape, types, columns, row, keys));
                    apply(rs.schema(), before, null, new RowChange.Raw(rs, shape, wide, types, safe, columns, row,
                            null, null), h);
                    n++;
                }
            }
            default -> throw new IllegalStateException("unreachable");
        }
        return n;
    }

    private static Object[] widen(ExtractedRows wide, Object[] row) {
        return wide == null ? row : wide.widen(row);
    }

    /** the target table's statements, and (in {@link #extracted}) how the source table's rows widen into it */
    private RowStatements statementsFor(TableRef table, TableMapEventData map, TableRef source) {
        RowStatements rs = statementsFor(table, map, router.extracted(source).size());
        List<ExtractedColumn> filled = router.extracted(source);
        if (!filled.isEmpty() && !extracted.containsKey(source)) {
            extracted.put(source, ExtractedRows.of(rs.schema(), source, filled));
        }
        return rs;
    }

    private RowStatements statementsFor(TableRef table, TableMapEventData map, int filledColumns) {
        RowStatements rs = statements.get(table);
        if (rs == null) {
            Optional<TableSchema> schema;
            try {
                schema = schemas.get(target, table);
            } catch (SQLException e) {
                throw onTarget(e, table.toString());
            }
            if (schema.isEmpty()) {
                throw new TidemarkException(ErrorCode.TARGET_STATEMENT_FAILED, table,
                        "the table does not exist on the target; create it there (the import normally does) and resume");
            }
            rs = new RowStatements(schema.get());
            statements.put(table, rs);
        }
        int binlogColumns = map.getColumnTypes().length;
        if (binlogColumns != rs.schema().columns().size() - filledColumns && awaitingShardDdl.stream()
                .anyMatch(shard -> router.route(shard).equals(table))) {
            rs = awaitShardDdl(table, binlogColumns + filledColumns);
        }
        if (binlogColumns != rs.schema().columns().size() - filledColumns) {
            throw new TidemarkException(ErrorCode.TARGET_STATEMENT_FAILED, table, "the binlog row has "
                    + binlogColumns + " columns but the target table has " + rs.schema().columns().size()
                    + (filledColumns == 0 ? "" : ", " + filledColumns + " of them filled by its route (extract-*),")
                    + "; make the target definition match the source's");
        }
        return rs;
    }

    /**
     * The merged table once another shard's migration has run the shard DDL this one passed over: its columns read
     * again until they are {@code columns}, for at most the long-operation timeout (the DDL runs on the target as a
     * long operation too); as it was when the wait ends otherwise, so the caller names the difference.
     */
    private RowStatements awaitShardDdl(TableRef table, int columns) {
        long deadline = System.nanoTime() + timeouts.longOperation().toNanos();
        LOGGER.info("waiting for the shard DDL on {} to be run by the shard chosen for it", table);
        while (true) {
            schemas.invalidateAll();
            statements.remove(table);
            Optional<TableSchema> schema;
            try {
                schema = schemas.get(target, table);
            } catch (SQLException e) {
                throw onTarget(e, table.toString());
            }
            if (schema.isPresent() && (schema.get().columns().size() == columns || System.nanoTime() > deadline
                    || host.stopRequested())) {
                RowStatements rs = new RowStatements(schema.get());
                statements.put(table, rs);
                return rs;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TidemarkException(ErrorCode.INTERNAL, "interrupted while waiting for the shard DDL on "
                        + table);
            }
        }
    }

    /**
     * One row change: on this session with one worker or for a table without a key, else on the worker its keys route
     * it to. A conflict, or a router holding too many keys, commits the workers first, with the end of this event as
     * their replay horizon (the changes before it in this source transaction may be among what they commit).
     */
    private void apply(TableSchema schema, Object[] before, Object[] after, RowChange change, EventHeaderV4 h) {
        if (workers == null) {
            add(change.statements());
            return;
        }
        switch (causality.route(schema, before, after)) {
            case Causality.Route.Serial s -> add(change.statements());
            case Causality.Route.Worker w -> outbox.get(w.index()).add(change);
            case Causality.Route.Conflict c -> {
                dispatch(h);
                commitWorkers(BinlogPosition.ofFilePosition(currentFile, h.getNextPosition()));
                outbox.get(c.index()).add(change);
            }
        }
        if (causality.size() >= MAX_HELD_KEYS) {
            dispatch(h);
            commitWorkers(BinlogPosition.ofFilePosition(currentFile, h.getNextPosition()));
            causality.clear();
        }
    }

    /** hands each worker the row changes of this event routed to it so far, in their order */
    private void dispatch(EventHeaderV4 h) {
        for (int i = 0; i < outbox.size(); i++) {
            List<RowChange> changes = outbox.get(i);
            if (!changes.isEmpty()) {
                submit(i, List.copyOf(changes), h);
                changes.clear();
            }
        }
    }

    /**
     * Queues on the worker; a worker whose queue stays full may wait on a lock another worker's open transaction holds,
     * so the others commit (rows up to the end of this event: the horizon) until it takes the change.
     */
    private void submit(int worker, List<RowChange> changes, EventHeaderV4 h) {
        try {
            while (!workers.offer(worker, changes, QUEUE_WAIT_MILLIS)) {
                workers.commitAllBut(worker, reach(BinlogPosition.ofFilePosition(currentFile, h.getNextPosition())));
            }
        } catch (SQLException e) {
            throw onTarget(e, workers.failedSubject());
        }
    }

    /** the workers commit what they hold; the router's keys are the caller's to clear or keep */
    private void commitWorkers(BinlogPosition horizon) {
        try {
            workers.commit(reach(horizon));
        } catch (SQLException e) {
            throw onTarget(e, workers.failedSubject());
        }
    }

    /**
     * Caught up with the stream: flush now rather than wait for a full batch. With workers a flush is several commits,
     * and a stream read barely ahead of them is drained after almost every transaction; so they flush once the batch is
     * {@value #DRAINED_FLUSH_MILLIS} ms old (and when the stream stays idle, {@link #idle()} flushes within a poll).
     */
    private boolean drainedLongEnough() {
        return stream.drained() && (workers == null || batch.ageMillis() >= DRAINED_FLUSH_MILLIS);
    }

    /** an earlier run's horizon stays until the checkpoint passes it: a second kill before then still replays it */
    private BinlogPosition reach(BinlogPosition horizon) {
        return replayUntil != null && horizon.isBefore(replayUntil) ? replayUntil : horizon;
    }

    /** row changes applied since the last flush, on this session and the workers */
    private long pendingRows() {
        return batch.rows() + (workers == null ? 0 : workers.pendingRows());
    }

    private void add(List<SqlStatement> sqls) {
        for (SqlStatement s : sqls) {
            try {
                batch.add(s);
            } catch (SQLException e) {
                throw onTarget(e, batch.subject());
            }
        }
    }

    private TidemarkException onTarget(SQLException e, String subject) {
        return SqlErrors.classify(e, Side.TARGET, task.target().describe(), subject);
    }

    private boolean safeMode(BinlogPosition eventStart) {
        return task.safeMode().always() || inStartWindow()
                || task.safeModeExit() != null && eventStart.isBefore(task.safeModeExit())
                || replayUntil != null && eventStart.isBefore(replayUntil);
    }

    /** the first {@code safeMode.afterStart} of this session; once over it stays over, and says so once */
    private boolean inStartWindow() {
        if (safeWindowOver) {
            return false;
        }
        if (System.nanoTime() - safeWindowEndNanos < 0) {
            return true;
        }
        safeWindowOver = true;
        LOGGER.info("safe mode after start ended ({} passed) at {}", task.safeMode().afterStart(), saved());
        return false;
    }

    /**
     * commits the open batch with the saved point, and forgets the table points it reached (in the same transaction);
     * a no-op when nothing moved
     */
    private void flush() {
        if (batch.isEmpty() && saved().equals(committed) && (workers == null || !workers.dirty())) {
            return;
        }
        if (!held.isEmpty()) {
            // shards wait at their DDL: the checkpoint stays before the earliest, with the points a re-sync skips by;
            // the other tables' rows routed to workers are committed first, as on every flush (their horizon is
            // saved: a kill replays them in safe mode, and the points skip them where a re-sync would repeat them)
            if (workers != null) {
                commitWorkers(saved());
                causality.clear();
            }
            try {
                shardPoints.replacePoints(target, holdPoints());
                batch.commit(holdPoint(), List.of());
            } catch (SQLException e) {
                throw onTarget(e, batch.subject());
            }
            committed = saved();
            replayWindow = false;
            report(false);
            return;
        }
        List<TablePoint> passed = points.passedBy(saved());
        if (workers != null) {
            // every worker commits before the checkpoint says their rows are in
            commitWorkers(saved());
            causality.clear();
        }
        try {
            // the workers' rows reach no further than this flush unless an earlier run's horizon is still ahead
            batch.commit(saved(), passed, workers != null && !saved().isBefore(reach(saved())));
        } catch (SQLException e) {
            throw onTarget(e, batch.subject());
        }
        points.forget(passed);
        for (TablePoint p : passed) {
            LOGGER.info("table {} reached its point {}: {} row events before it were already in its dump", p.table(),
                    p.position(), skipped.getOrDefault(p.table(), 0L));
            skipped.remove(p.table());
        }
        committed = saved();
        replayWindow = false;
        report(false);
    }

    /**
     * Rate-limited progress: at most every progress-interval while the point moves, and every idle-progress-interval
     * regardless, so lag stays visible while nothing happens.
     */
    private void report(boolean force) {
        long now = System.nanoTime();
        long since = now - lastReportNanos;
        boolean moved = !committed.equals(lastReported);
        if (!force && !(moved && since >= settings.progressInterval().toNanos())
                && since < settings.idleProgressInterval().toNanos()) {
            return;
        }
        lastReportNanos = now;
        lastReported = committed;
        boolean caughtUp = stream.drained() && !inTransaction && batch.isEmpty()
                && (workers == null || !workers.dirty());
        long lag = caughtUp || lastEventMillis == 0 ? 0
                : Math.max(0, (System.currentTimeMillis() - lastEventMillis) / 1000);
        host.progressed(committed, lag, safeMode(committed), rowsApplied,
                List.copyOf(held.values()));
    }

    private static String abbreviate(String sql) {
        String oneLine = sql.replaceAll("\\s+", " ");
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
    }
}
