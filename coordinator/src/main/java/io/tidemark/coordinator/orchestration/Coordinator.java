package io.tidemark.coordinator.orchestration;

import io.tidemark.common.command.BinlogOperation;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.coordinator.migration.Failure;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Objects;
import java.time.Instant;
import io.tidemark.common.command.Command;
import io.tidemark.common.command.ImportRequest;
import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.status.MigrationProgressed;
import io.tidemark.common.status.ReplicationProgressed;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.mysql.precheck.PrecheckReport;
import io.tidemark.common.storage.Storages;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.coordinator.CoordinatorProperties;
import io.tidemark.coordinator.kafka.MessageTooLarge;
import io.tidemark.coordinator.kafka.SyncSender;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.migration.TargetCount;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.coordinator.migration.Phase;
import io.tidemark.coordinator.migration.TargetTables;
import io.tidemark.coordinator.migration.Warning;
import io.tidemark.coordinator.precheck.MigrationPrechecks;
import io.tidemark.coordinator.precheck.PrechecksFailed;
import io.tidemark.coordinator.shard.ShardDdlLock;
import io.tidemark.coordinator.store.MigrationStore;
import io.tidemark.mysql.session.Timeouts;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The one place migrations change: a user's request or a worker's status event is applied, the orchestrator
 * derives the next step, its commands are published, then the new state is saved; a status event is committed
 * only after that. Changes are serialized by one lock: the coordinator's work per change is small, and one order
 * of changes keeps publish-then-save simple to reason about. The one slow step of its own, counting an import's
 * tables on the target once every chunk is in, runs off the lock ({@link ImportCounts}) and comes back through it;
 * so do the prechecks of an asynchronous submission ({@link #submit}), whose first record is written off the lock too:
 * no other change can concern a migration before it is stored.
 */
@Service
public class Coordinator {
    private static final Logger LOGGER = LoggerFactory.getLogger(Coordinator.class);

    private final MigrationStore store;
    private final Orchestrator orchestrator;
    private final CommandPublisher publisher;
    private final MigrationPrechecks prechecks;
    private final ImportCounts counts;
    private final ProgressReports reports;
    private final SyncSender sender;
    private final AsyncPrechecks checks;
    /** asynchronous submissions being written (see {@link #submit}): they hold their tables already */
    private final Map<MigrationId, Migration> submitting = new java.util.concurrent.ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private final ReentrantLock lock = new ReentrantLock();

    Coordinator(MigrationStore store, SyncSender sender, TopicCatalog topics, CoordinatorProperties properties,
                MigrationPrechecks prechecks, SecretBox secrets, Timeouts timeouts, ProgressReports reports,
                AsyncPrechecks checks) {
        this.store = store;
        this.checks = checks;
        this.reports = reports;
        this.prechecks = prechecks;
        this.orchestrator = new Orchestrator(properties, topics);
        this.publisher = new CommandPublisher(sender);
        this.sender = sender;
        this.counts = new ImportCounts(new RowCounts(secrets, timeouts), ImportCounts.defaultRetry());
    }

    /**
     * Accepts a new migration, unless running ones hold target tables it selects ({@link TargetTables} says how that
     * is decided) or a precheck fails. The prechecks take seconds and run outside the lock; the tables are looked at
     * before them (no need to check a migration that cannot run) and again under the lock, so two requests for the
     * same tables cannot both pass.
     *
     * @throws TidemarkException TARGET_TABLES_HELD naming the migrations that hold them and the rules that collide
     * @throws PrechecksFailed   listing every failing item; nothing is stored or published then
     */
    public Migration create(MigrationId id, MigrationSpec spec) {
        refuseIfHeld(id, spec);
        return createChecked(id, spec, prechecks.require(spec));
    }

    /**
     * Accepts a new migration whose prechecks the caller has just run and passed ({@code warnings} is what they
     * warned of) — a DM task checks all its sources before creating any, and must not check each twice.
     *
     * @throws TidemarkException TARGET_TABLES_HELD naming the migrations that hold them and the rules that collide
     */
    public Migration createChecked(MigrationId id, MigrationSpec spec, List<Warning> warnings) {
        return change(id, ignored -> {
            refuseIfHeld(id, spec);
            return Migration.accepted(id, spec, warnings, clock.instant());
        }, null);
    }

    /**
     * Accepts a new migration before its prechecks ran ({@code Prefer: respond-async}): it is recorded in phase
     * {@code checking}, holding its target tables, and its first status event queued, all within the request; the
     * prechecks then run on the bounded {@link AsyncPrechecks} pool and either fail it with their report or let it go
     * on as {@link #create} would have ({@link #onChecked}).
     *
     * @throws TidemarkException TARGET_TABLES_HELD naming the migrations that hold them and the rules that collide
     */
    public Migration submit(MigrationId id, MigrationSpec spec) {
        refuseIfHeld(id, spec);
        Migration m = Migration.checking(id, spec, clock.instant());
        lock.lock();
        try {
            // the tables are taken under the lock, as by any change; the write is not: a burst of status events
            // would make every POST wait for each of their writes, where its own needs only its own
            refuseIfHeld(id, spec);
            submitting.put(id, m);
        } finally {
            lock.unlock();
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable("migrationId", id.value())) {
            // nothing else changes a migration before it is in the store: no event, retry or stop can name it yet
            store.save(m);
            reports.changed(null, m);
            LOGGER.info("migration {} accepted (mode {}, storage {}): phase checking, its prechecks queued", id,
                    spec.mode().code(), spec.storage() == null ? "none" : Storages.redact(spec.storage()));
        } finally {
            submitting.remove(id);
        }
        startChecks(m);
        return m;
    }

    /** every migration, and the asynchronous submissions not yet in the store */
    private List<Migration> withSubmitted(List<Migration> stored) {
        if (submitting.isEmpty()) {
            return stored;
        }
        List<Migration> all = new ArrayList<>(stored);
        submitting.values().stream().filter(m -> store.get(m.id()).isEmpty()).forEach(all::add);
        return all;
    }

    /** queues the prechecks of a {@code checking} migration; their outcome comes back through the lock */
    private void startChecks(Migration m) {
        checks.start(m, new AsyncPrechecks.Outcome() {
            @Override
            public void checked(MigrationId id, PrecheckReport report) {
                onChecked(id, report);
            }

            @Override
            public void broke(MigrationId id, TidemarkException error) {
                onChecked(id, error);
            }
        });
    }

    /** the prechecks' report: failed with it as the error (and a status event saying so), or pending and on */
    private void onChecked(MigrationId id, PrecheckReport report) {
        onChecked(id, report.failures().isEmpty() ? null : report.toException(), report.warnings().stream()
                .map(w -> new Warning(w.name(), w.message(), w.instruction())).toList());
    }

    private void onChecked(MigrationId id, TidemarkException error) {
        onChecked(id, error, List.of());
    }

    private void onChecked(MigrationId id, TidemarkException error, List<Warning> warnings) {
        lock.lock();
        try (MDC.MDCCloseable ignored = MDC.putCloseable("migrationId", id.value())) {
            Migration current = store.get(id).orElse(null);
            if (current == null || !(current.phase() instanceof Phase.Checking)) {
                LOGGER.debug("dropped the prechecks' outcome of migration {}: it is not checking", id);
                return;
            }
            if (error == null) {
                try {
                    commit(current, orchestrator.decide(current.prechecksPassed(warnings), false));
                } catch (MessageTooLarge e) {
                    failTooLarge(current, current, stageOf(current), e);
                }
                return;
            }
            WorkFailed failed = checks.failure(current, stageOf(current), error, clock.instant());
            commit(current, Decision.stay(current.prechecksFailed(failed)));
            checks.report(failed);
        } catch (TidemarkException e) {
            // Kafka did not take the new state: the migration stays checking, and a restart checks it again
            LOGGER.error("cannot record the prechecks' outcome of migration {}: {}", id, e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    private void refuseIfHeld(MigrationId id, MigrationSpec spec) {
        String holders = holders(id, spec, "this spec");
        if (!holders.isEmpty()) {
            throw new TidemarkException(ErrorCode.TARGET_TABLES_HELD, target(spec), holders);
        }
    }

    public Migration get(MigrationId id) {
        return store.get(id).orElseThrow(() -> new TidemarkException(ErrorCode.UNKNOWN_MIGRATION, id.value()));
    }

    public List<Migration> list() {
        return store.all();
    }

    /**
     * The user's stop. While replicating (cut-over) the replication task's desired state becomes stopped; while
     * snapshotting, the snapshot request's does (snapshot-service cancels an Aurora export and deletes its snapshot),
     * and the migration stays stopped: nothing of the snapshot is imported.
     */
    public Migration stop(MigrationId id) {
        lock.lock();
        try (MDC.MDCCloseable ignored = MDC.putCloseable("migrationId", id.value())) {
            Migration current = get(id);
            Migration stopped = current.stop();
            return commit(current, current.phase() instanceof Phase.Snapshotting
                    ? Decision.of(stopped, orchestrator.snapshotStop(stopped))
                    : Decision.of(stopped, orchestrator.replicationTask(stopped, ReplicationTask.Desired.STOPPED)));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Refused while another migration holds target tables this one selects: two writers must never meet. A stopped
     * replication's task becomes desired running; a snapshot stopped under way is requested anew, as a new attempt.
     */
    public Migration resume(MigrationId id) {
        lock.lock();
        try (MDC.MDCCloseable ignored = MDC.putCloseable("migrationId", id.value())) {
            Migration stopped = get(id);
            Migration resumed = refuseIfHeld(stopped, stopped.resume());
            return commit(stopped, resumed.phase() instanceof Phase.Snapshotting
                    ? Decision.of(resumed, orchestrator.snapshotRequest(resumed))
                    : Decision.of(resumed, orchestrator.replicationTask(resumed, ReplicationTask.Desired.RUNNING)));
        } finally {
            lock.unlock();
        }
    }

    /**
     * The user's retry of a failed migration once the cause is fixed (dmctl resume-task). Serialized with every other
     * change: a second retry finds the phase no longer failed and is rejected, so two quick calls never publish two
     * conflicting commands. Refused while another migration holds target tables this one selects, as a failed
     * migration does not hold them.
     */
    public Migration retry(MigrationId id) {
        lock.lock();
        try (MDC.MDCCloseable ignored = MDC.putCloseable("migrationId", id.value())) {
            Migration failed = get(id);
            Decision decision = orchestrator.retry(failed);
            refuseIfHeld(failed, decision.next());
            Migration retried = commit(failed, decision);
            if (retried.phase() instanceof Phase.Checking) {
                startChecks(retried);
                LOGGER.info("migration {} retried: its prechecks run again", id);
                return retried;
            }
            Stage stage = failed.error().stage();
            LOGGER.info("migration {} retried its {} stage (epoch {} -> {}) after {}: {}", id, stage.code(),
                    failed.epochs().of(stage), retried.epochs().of(stage), failed.error().code(),
                    failed.error().message());
            return retried;
        } finally {
            lock.unlock();
        }
    }

    /**
     * DM's {@code binlog skip|replace|inject}: only for a replication stopped on a DDL the target rejected (TM-30003
     * naming the event's position); the operation is for exactly that event, and the task resumes carrying it, as a
     * retry.
     *
     * @param op       "skip", "replace" or "inject"
     * @param position FILE:POS, or null for the position the task stopped at
     * @param sql      the statements replacing the event (replace) or run before it (inject)
     */
    public Migration binlog(MigrationId id, String op, String position, List<String> sql) {
        lock.lock();
        try (MDC.MDCCloseable ignored = MDC.putCloseable("migrationId", id.value())) {
            Migration failed = get(id);
            BinlogOperation operation = binlogOperation(failed, op, position, sql);
            Decision decision = orchestrator.retry(failed, operation, Instant.now());
            refuseIfHeld(failed, decision.next());
            Migration retried = commit(failed, decision);
            LOGGER.info("migration {}: binlog {} at {} ({} statement(s)), replication resumes (epoch {})", id,
                    operation.op().code(), operation.position(), operation.sql().size(),
                    retried.epochs().of(Stage.REPLICATION));
            return retried;
        } finally {
            lock.unlock();
        }
    }

    private static final java.util.regex.Pattern CARRIES_PASSWORD = java.util.regex.Pattern.compile(
            "\\bIDENTIFIED\\s+(WITH\\s+\\S+\\s+)?(BY|AS)\\b|\\bPASSWORD\\s*\\(|\\bSET\\s+PASSWORD\\b",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    /** the operation asked for on {@code failed}, checked against the failure it is for */
    static BinlogOperation binlogOperation(Migration failed, String op, String position, List<String> sql) {
        BinlogOperation.Op kind = BinlogOperation.Op.parse(op);
        if (kind == null) {
            throw new TidemarkException(ErrorCode.BINLOG_OPERATION_INVALID, "op",
                    (op == null ? "is missing" : "'" + op + "' is none of") + " skip, replace, inject");
        }
        List<String> statements = sql == null ? List.of()
                : sql.stream().filter(Objects::nonNull).map(String::strip).filter(t -> !t.isEmpty()).toList();
        if (kind != BinlogOperation.Op.SKIP && statements.isEmpty()) {
            throw new TidemarkException(ErrorCode.BINLOG_OPERATION_INVALID, "sql",
                    "is empty: " + kind.code() + " needs the statements to run " + (kind == BinlogOperation.Op.REPLACE
                            ? "instead" : "before the event"));
        }
        for (String statement : statements) {
            // a replacement travels on Kafka and shows in the migration's view: it must hold no password
            if (CARRIES_PASSWORD.matcher(statement).find()) {
                throw new TidemarkException(ErrorCode.BINLOG_OPERATION_INVALID, "sql",
                        "holds a password (IDENTIFIED BY/AS, PASSWORD(...) or SET PASSWORD), which Tidemark would"
                                + " keep on Kafka and show in the view: run that statement on the target yourself,"
                                + " then send op skip");
            }
        }
        if (kind == BinlogOperation.Op.SKIP && !statements.isEmpty()) {
            throw new TidemarkException(ErrorCode.BINLOG_OPERATION_INVALID, "sql",
                    "is given: skip runs nothing (use replace)");
        }
        BinlogPosition given = position == null || position.isBlank() ? null : parsePosition(position);
        Failure error = failed.error();
        if (!(failed.phase() instanceof Phase.Failed) || error == null || error.stage() != Stage.REPLICATION
                || !ErrorCode.TARGET_STATEMENT_FAILED.code().equals(error.code())) {
            throw new TidemarkException(ErrorCode.BINLOG_TASK_NOT_STOPPED_ON_STATEMENT, failed.id(),
                    failed.phase().code() + (error == null ? "" : ", last error " + error.code()));
        }
        // dm-service gives the event a statement failed at as the failure's subject (SyncSession)
        Matcher m = FILE_POS.matcher(error.subject() == null ? "" : error.subject());
        if (!m.matches()) {
            throw new TidemarkException(ErrorCode.BINLOG_FAILED_POSITION_UNKNOWN, failed.id(), error.message());
        }
        BinlogPosition failedAt = BinlogPosition.ofFilePosition(m.group(1), Long.parseLong(m.group(2)));
        if (given != null && !(given.file().equals(failedAt.file()) && given.pos() == failedAt.pos())) {
            throw new TidemarkException(ErrorCode.BINLOG_POSITION_NOT_FAILED, position.strip(),
                    failedAt.file() + ":" + failedAt.pos());
        }
        return new BinlogOperation(kind, failedAt, statements);
    }

    private static final Pattern FILE_POS = Pattern.compile("([^\\s:]+):(\\d+)");

    private static BinlogPosition parsePosition(String text) {
        Matcher m = FILE_POS.matcher(text.strip());
        if (!m.matches()) {
            throw new TidemarkException(ErrorCode.BINLOG_OPERATION_INVALID, "position",
                    "'" + text + "' is not FILE:POS (e.g. mysql-bin.000004:1234)");
        }
        try {
            return BinlogPosition.ofFilePosition(m.group(1), Long.parseLong(m.group(2)));
        } catch (IllegalArgumentException e) {
            throw new TidemarkException(ErrorCode.BINLOG_OPERATION_INVALID, "position", e.getMessage());
        }
    }

    /** aggregates one status event; returns once any resulting change is durable, so the caller may commit it */
    void onStatus(StatusEvent event) {
        if (event instanceof MigrationProgressed) {
            // its own summary, read back from the topic it consumes: aggregating it would publish another, forever
            return;
        }
        lock.lock();
        try (MDC.MDCCloseable ignored = MDC.putCloseable("migrationId", event.migrationId().value())) {
            Migration current = store.get(event.migrationId()).orElse(null);
            if (current == null) {
                LOGGER.debug("ignored {} {}: no such migration", event.getClass().getSimpleName(), event.eventId());
                return;
            }
            if (current.isStale(event)) {
                LOGGER.debug("dropped {} {}: epoch {} is older than the current {}", event.getClass().getSimpleName(),
                        event.eventId(), event.epoch(), current.epochs().of(Migration.stageOf(event)));
                return;
            }
            Migration applied = current.apply(event);
            try {
                Migration after = commit(current, orchestrator.decide(applied, false));
                if (event instanceof ReplicationProgressed p && !p.shardDdls().isEmpty()
                        && after.spec().shardPessimistic()) {
                    resolveCompleteLocks(ShardDdlLock.group(after));
                }
            } catch (MessageTooLarge e) {
                failTooLarge(current, applied, Migration.stageOf(event), e);
            }
        } finally {
            lock.unlock();
        }
    }

    /** DM's shard-ddl-lock: the shard DDL locks of every migration, or of one task's ({@code task} not null) */
    public List<ShardDdlLock> shardDdlLocks(String task) {
        return ShardDdlLock.of(store.all()).stream().filter(l -> task == null || l.task().equals(task)).toList();
    }

    /**
     * DM's {@code shard-ddl-lock unlock}: the lock's waiting shards go on past their DDL now, whatever shards it still
     * waits for or however their DDLs differ; the first waiting shard's DDL is run on the merged table.
     *
     * @throws TidemarkException SHARD_DDL_LOCK_UNKNOWN when no lock has the id
     */
    public ShardDdlLock unlock(String lockId) {
        lock.lock();
        try {
            List<ShardDdlLock> locks = ShardDdlLock.of(store.all());
            ShardDdlLock found = locks.stream().filter(l -> l.id().equals(lockId)).findFirst().orElseThrow(() ->
                    new TidemarkException(ErrorCode.SHARD_DDL_LOCK_UNKNOWN, lockId, locks.isEmpty() ? "none"
                            : locks.stream().map(ShardDdlLock::id).collect(Collectors.joining(", "))));
            LOGGER.info("shard DDL lock {} unlocked by the user ({}, waiting for {})", lockId, found.state(),
                    found.waitingFor());
            resolve(found);
            return ShardDdlLock.of(store.all()).stream().filter(l -> l.id().equals(lockId)).findFirst()
                    .orElse(found);
        } finally {
            lock.unlock();
        }
    }

    /** every lock of the task whose shards all reached the same DDL gets the coordinator's word; under the lock */
    private void resolveCompleteLocks(String group) {
        List<Migration> members = store.all().stream().filter(m -> ShardDdlLock.group(m).equals(group)).toList();
        for (ShardDdlLock l : ShardDdlLock.of(members)) {
            if (l.error() != null && !l.resolved()) {
                LOGGER.debug("shard DDL lock {} is blocked: {}", l.id(), l.error().getMessage());
            }
            if (l.complete()) {
                LOGGER.info("shard DDL lock {}: every shard reached {}; {} runs it on {}", l.id(),
                        l.reached().getFirst().statement(), l.reached().getFirst().migration(), l.target());
                resolve(l);
            }
        }
    }

    /** each reached shard's migration carries the word to go on (restarting its replication past the DDL) */
    private void resolve(ShardDdlLock l) {
        l.go().forEach((id, go) -> store.get(id).ifPresent(m -> {
            Migration next = m.withShardDdlsGo(go);
            if (next.equals(m)) {
                return;
            }
            commit(m, next.phase() instanceof Phase.Replicating
                    ? Decision.of(next, orchestrator.replicationTask(next, ReplicationTask.Desired.RUNNING))
                    : Decision.stay(next));
        }));
    }

    /** mode import: the tables' counts on the target, taken once every chunk was in; completes or fails it */
    private void onCounted(MigrationId id, Map<TableRef, TargetCount> rows) {
        whileAwaitingCount(id, m -> m.counted(rows, m.spec().target().describe(), clock.instant()));
    }

    /** a count that failed: shown while it is tried again, else the import stage fails and its retry counts again */
    private void onCountFailed(MigrationId id, TidemarkException e, String remedy, boolean last) {
        whileAwaitingCount(id, m -> last ? m.fail(Stage.IMPORT, ImportCounts.SUBJECT, e, remedy, clock.instant())
                : m.retrying(Stage.IMPORT, ImportCounts.SUBJECT, e, clock.instant()));
    }

    private void whileAwaitingCount(MigrationId id, UnaryOperator<Migration> change) {
        lock.lock();
        try (MDC.MDCCloseable ignored = MDC.putCloseable("migrationId", id.value())) {
            Migration current = store.get(id).orElse(null);
            if (current == null || !current.awaitsCount()) {
                LOGGER.debug("dropped a count of migration {}: it awaits none", id);
                return;
            }
            commit(current, orchestrator.decide(change.apply(current), false));
        } catch (TidemarkException e) {
            // Kafka did not take the new state: the migration still awaits its count, which a restart takes again
            LOGGER.error("cannot record the count of migration {}: {}", id, e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /** the service stops: counts under way end; a restart takes them again, as the migration still awaits them */
    @PreDestroy
    void close() {
        counts.close();
    }

    /** at start-up, after the state is rebuilt: every migration picks up where its persisted phase says */
    void resumeAll() {
        for (Migration m : store.all()) {
            lock.lock();
            try (MDC.MDCCloseable ignored = MDC.putCloseable("migrationId", m.id().value())) {
                commit(m, orchestrator.decide(m, true));
                reports.resumed(m.id());
                if (m.phase() instanceof Phase.Checking) {
                    startChecks(m); // restart = resume: its prechecks' outcome was never recorded
                }
            } catch (MessageTooLarge e) {
                failTooLarge(m, m, stageOf(m), e);
            } catch (TidemarkException e) {
                // one migration that cannot resume must not keep the others from resuming
                LOGGER.error("cannot resume migration: {}", e.getMessage());
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * A message Kafka refused for its size is refused again however often it is sent, and retrying it would block
     * every migration behind it on its status partition: the migration fails instead, its error saying how large,
     * which limit and what to do. It keeps as much as fits: the event applied when only a command was too large, else
     * its state before the event. When even that cannot be saved (a limit lowered since), nothing changes and the
     * log says why. The caller holds the lock.
     *
     * @param stateStage the stage to name when the migration's state itself was too large
     */
    private void failTooLarge(Migration stored, Migration applied, Stage stateStage, MessageTooLarge tooLarge) {
        Stage stage = switch (tooLarge.message()) {
            case SnapshotRequest r -> Stage.SNAPSHOT;
            case ImportRequest r -> Stage.IMPORT;
            case ReplicationTask r -> Stage.REPLICATION;
            default -> stateStage;
        };
        String subject = tooLarge.message() instanceof Command c ? c.messageId() : "the migration's state";
        for (Migration keep : List.of(applied, stored)) {
            if (!(keep.phase() instanceof Phase.Failable)) {
                continue;
            }
            try {
                commit(stored, Decision.stay(keep.fail(stage, subject, tooLarge, clock.instant())));
                return;
            } catch (MessageTooLarge again) {
                LOGGER.debug("migration {} does not fit as failed either: {}", stored.id(), again.getMessage());
            }
        }
        LOGGER.error("migration {} ({}) stays as last saved, without the event: {}", stored.id(),
                stored.phase().code(), tooLarge.getMessage());
    }

    /** the stage the migration's phase runs, or ran last */
    static Stage stageOf(Migration m) {
        return switch (m.phase()) {
            case Phase.Checking c -> m.spec().mode().snapshots() ? Stage.SNAPSHOT
                    : m.spec().mode().imports() ? Stage.IMPORT : Stage.REPLICATION;
            case Phase.Pending p -> m.spec().mode().snapshots() ? Stage.SNAPSHOT
                    : m.spec().mode().imports() ? Stage.IMPORT : Stage.REPLICATION;
            case Phase.Snapshotting s -> Stage.SNAPSHOT;
            case Phase.Importing i -> Stage.IMPORT;
            case Phase.Completed c -> Stage.IMPORT;
            case Phase.Replicating r -> Stage.REPLICATION;
            case Phase.Stopped s -> Stage.REPLICATION;
            case Phase.Failed f -> m.error() == null ? Stage.REPLICATION : m.error().stage();
        };
    }

    /** the user's move of {@code from} to {@code to}, unless other migrations hold target tables it selects */
    private Migration refuseIfHeld(Migration from, Migration to) {
        String holders = holders(from.id(), from.spec(), "this migration");
        if (!holders.isEmpty()) {
            throw new TidemarkException(ErrorCode.TARGET_TABLES_HELD, target(from.spec()), holders
                    + " (migration " + from.id() + " stays " + from.phase().code() + ")");
        }
        return to;
    }

    /**
     * "migration shop-x1 (importing), which holds tables this spec selects: its rule `shop.*` and this spec's rule
     * `shop.orders` both select shop.orders" for every migration but {@code id} that holds target tables the spec
     * selects; empty when none does.
     */
    private String holders(MigrationId id, MigrationSpec spec, String subject) {
        List<String> holders = new ArrayList<>();
        for (Migration other : withSubmitted(store.all())) {
            // a DM task's sources merge into tables they share (shard merge across sources): not held from each other
            if (other.id().equals(id) || !other.holdsTargetTables() || other.spec().sameTask(spec)) {
                continue;
            }
            List<TargetTables.Collision> collisions = TargetTables.overlap(other.spec(), spec);
            if (!collisions.isEmpty()) {
                holders.add("migration " + other.id() + " (" + other.phase().code() + "), which holds tables "
                        + subject + " selects: " + collisions.stream()
                        .map(c -> c.describe("its", subject + "'s")).collect(Collectors.joining("; ")));
            }
        }
        return String.join(", and by ", holders);
    }

    private static String target(MigrationSpec spec) {
        return spec.target().host() + ":" + spec.target().port();
    }

    /**
     * @param desire null for a new migration (the orchestrator decides its first step), else the replication task's
     *               desired state the user's change asks for
     */
    private Migration change(MigrationId id, UnaryOperator<Migration> change, ReplicationTask.Desired desire) {
        lock.lock();
        try (MDC.MDCCloseable ignored = MDC.putCloseable("migrationId", id.value())) {
            Migration current = desire == null ? null : get(id);
            Migration changed = change.apply(current);
            Decision decision = desire == null
                    ? orchestrator.decide(changed, false)
                    : Decision.of(changed, orchestrator.replicationTask(changed, desire));
            return commit(current, decision);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Publish, then save; then, for an import whose chunks are all in, have its tables counted. The caller holds the
     * lock.
     */
    private Migration commit(Migration before, Decision decision) {
        // a change's commands and its state: one Kafka transaction under coordinator high availability
        Migration after = sender.atomically(() -> save(before, decision));
        if (after.awaitsCount()) {
            counts.start(after, new ImportCounts.Outcome() {
                @Override
                public void counted(MigrationId id, Map<TableRef, TargetCount> rows) {
                    onCounted(id, rows);
                }

                @Override
                public void failed(MigrationId id, TidemarkException error, String remedy, boolean last) {
                    onCountFailed(id, error, remedy, last);
                }
            });
        }
        return after;
    }

    private Migration save(Migration before, Decision decision) {
        if (!decision.commands().isEmpty() && !decision.next().equals(before)) {
            store.requireFits(decision.next());
        }
        publisher.publish(decision.commands());
        Migration after = decision.next();
        if (after.equals(before)) {
            return before;
        }
        after = after.touched(clock.instant());
        store.save(after);
        reports.changed(before, after);
        if (before == null) {
            LOGGER.info("migration {} accepted (mode {}, storage {}): phase pending -> {}", after.id(),
                    after.spec().mode().code(), after.spec().storage() == null ? "none"
                            : Storages.redact(after.spec().storage()), after.phase().code());
        } else if (!before.phase().equals(after.phase())) {
            LOGGER.info("migration {} phase {} -> {}", after.id(), before.phase().code(), after.phase().code());
        }
        if (after.error() != null && (before == null || !after.error().equals(before.error()))) {
            LOGGER.warn("migration {} reported {} ({}, {}): {}", after.id(), after.error().code(),
                    after.error().stage().code(), after.error().retriable() ? "retriable" : "fatal",
                    after.error().message());
        }
        return after;
    }
}
