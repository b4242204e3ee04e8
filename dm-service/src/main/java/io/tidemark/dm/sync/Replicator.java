package io.tidemark.dm.sync;

import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.shard.ShardDdl;
import io.tidemark.common.status.ReplicationProgressed;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableFilter;
import io.tidemark.kit.retry.RetryPolicy;
import io.tidemark.kit.status.StatusPublisher;
import io.tidemark.mysql.error.Side;
import io.tidemark.mysql.error.SqlErrors;
import io.tidemark.mysql.position.GtidSet;
import io.tidemark.mysql.precheck.Prechecks;
import io.tidemark.mysql.precheck.source.SourceChecks;
import io.tidemark.mysql.precheck.source.SourceFacts;
import io.tidemark.mysql.session.Sessions;
import io.tidemark.mysql.session.Timeouts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one replication task on its own thread: prechecks the source (the kit's replication checks, every failing item
 * in one error), claims the checkpoint (bumping its epoch), streams, and on a retriable failure backs off (the kit's
 * {@link RetryPolicy}) and resumes from the checkpoint under the same epoch — after checking nobody took the task over
 * meanwhile. A fatal failure is reported and ends the task;
 * being fenced ends it quietly (the newer owner continues). The source is only read.
 *
 * <p>Status: progress goes through {@link StatusPublisher#publishLatest}, so replication never waits for Kafka. A
 * failure and the last flushed point of a stop go through {@link StatusPublisher#publish}, which waits until Kafka
 * has them: a task that failed has nothing better to do, and a lost WorkFailed would leave the migration looking
 * alive over a dead task.
 */
final class Replicator implements TaskRun {
    private static final Logger LOGGER = LoggerFactory.getLogger(Replicator.class);

    private final ReplicationTask task;
    private final String taskId;
    private final SyncSettings settings;
    private final Timeouts timeouts;
    private final SecretBox secrets;
    private final WorkerId worker;
    private final StatusPublisher status;
    private final RelaySources relays;
    private final Thread thread;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final AtomicReference<ReplicatorState> state = new AtomicReference<>(new ReplicatorState.Starting(1));
    private volatile boolean stopRequested;
    /** the checkpoint epoch this worker holds; 0 until claimed */
    private long ownerEpoch;
    /** the stream flushed since the last failure: the next one backs off from the first pause again */
    private volatile boolean streamedOnce;
    /** the newest progress, reported once more (and waited for) when the task stops */
    private volatile ReplicationProgressed lastProgress;

    Replicator(ReplicationTask task, SyncSettings settings, Timeouts timeouts, SecretBox secrets, WorkerId worker,
               StatusPublisher status, RelaySources relays) {
        this.task = task;
        this.taskId = ReplicationTask.idFor(task.migrationId());
        this.settings = settings;
        this.timeouts = timeouts;
        this.secrets = secrets;
        this.worker = worker;
        this.status = status;
        this.relays = relays;
        this.thread = new Thread(this::run, "dm-sync-" + task.migrationId());
    }

    void start() {
        thread.start();
    }

    @Override
    public ReplicationTask task() {
        return task;
    }

    @Override
    public ReplicatorState state() {
        return state.get();
    }

    @Override
    public void requestStop() {
        stopRequested = true;
        stopSignal.countDown();
    }

    @Override
    public boolean awaitStopped(Duration timeout) {
        try {
            return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void abandon() {
        thread.interrupt();
    }

    private void run() {
        MDC.put("migrationId", task.migrationId().value());
        try {
            replicate();
        } catch (InterruptedException e) {
            LOGGER.warn("task {} abandoned while {}: a status event it was still sending is left to its next run",
                    taskId, state.get().code());
            if (!state.get().terminal()) {
                transition(new ReplicatorState.Stopped(null));
            }
        } finally {
            MDC.remove("migrationId");
            ended.countDown();
        }
    }

    /** attempts until stopped, fenced or failed; InterruptedException only from {@link #abandon()} */
    private void replicate() throws InterruptedException {
        RetryPolicy.Backoff backoff = settings.retry().start();
        while (!stopRequested) {
            transition(new ReplicatorState.Starting(backoff.attempts() + 1));
            try {
                BinlogPosition end = attempt();
                transition(new ReplicatorState.Stopped(end));
                if (lastProgress != null) {
                    status.publish(lastProgress);
                }
                return;
            } catch (InterruptedException e) {
                break; // abandoned after a stop request
            } catch (TidemarkException e) {
                if (e.error() == ErrorCode.TARGET_FENCED) {
                    LOGGER.warn("{}: stopping, this worker must not write again", e.getMessage());
                    transition(new ReplicatorState.Fenced(ownerEpoch));
                    return;
                }
                if (stopRequested) {
                    break;
                }
                if (!RetryPolicy.retriable(e)) {
                    transition(new ReplicatorState.Failed(e.error().code(), e.detail()));
                    fail(e.error() == ErrorCode.PRECHECKS_FAILED ? "prechecks" : "replication", e);
                    return;
                }
                if (streamedOnce) {
                    // the link worked before it broke: start backing off afresh
                    backoff.reset();
                    streamedOnce = false;
                }
                Duration pause = backoff.next();
                transition(new ReplicatorState.Retrying(e.error().code(), e.detail(), backoff.attempts()));
                fail("replication", e);
                if (sleep(pause)) {
                    break;
                }
            } catch (RuntimeException e) {
                LOGGER.error("replication task {} failed unexpectedly", taskId, e);
                TidemarkException internal = new TidemarkException(ErrorCode.INTERNAL, e, e.toString());
                transition(new ReplicatorState.Failed(internal.error().code(), internal.detail()));
                fail("replication", internal);
                return;
            }
        }
        transition(new ReplicatorState.Stopped(null));
    }

    /** one attempt: target session, prechecks, claim, stream until stop; returns the last flushed point */
    private BinlogPosition attempt() throws InterruptedException {
        TableFilter filter = TableFilter.parse(task.filter());
        String sourcePassword = secrets.open(task.source().password());
        String targetPassword = secrets.open(task.target().password());
        try (Connection target = TargetSession.open(task.target(), targetPassword, timeouts)) {
            CheckpointStore checkpoints = new CheckpointStore(taskId, worker.value());
            BinlogPosition start = precheckAndClaim(checkpoints, target, sourcePassword);
            TablePoints points = storedPoints(checkpoints, target, start);
            boolean byGtid = resumesByGtid(start);
            // a task of a source with a relay reads the relay, by file and offset: it holds what the source purged
            try (EventSource stream = task.relaySourceId() != null ? relays.open(task.relaySourceId(), start)
                    : new BinlogStream(task.source(), sourcePassword, serverId(), start, byGtid, settings, timeouts);
                 SourceDefinitions definitions = new SourceDefinitions(task.source(), sourcePassword, timeouts);
                 ApplyWorkers workers = openWorkers(checkpoints, targetPassword)) {
                stream.open();
                BinlogPosition replayUntil = checkpoints.replayHorizon(target).orElse(null);
                TargetBatch batch = new TargetBatch(target, checkpoints, ownerEpoch);
                transition(new ReplicatorState.Streaming(start, ownerEpoch));
                SyncSession session = new SyncSession(task, settings, timeouts, filter, target, stream, batch, start,
                        points, new SourceSignedness(definitions), new SyncSession.Host() {
                            @Override
                            public boolean stopRequested() {
                                return stopRequested;
                            }

                            @Override
                            public void progressed(BinlogPosition position, long lag, boolean safeMode, long rows) {
                                progressed(position, lag, safeMode, rows, List.of());
                            }

                            @Override
                            public void progressed(BinlogPosition position, long lag, boolean safeMode, long rows,
                                                   List<ShardDdl> waiting) {
                                streamedOnce = true;
                                state.set(new ReplicatorState.Streaming(position, ownerEpoch));
                                // the shard DDLs it waits at go with the progress (shard-mode pessimistic)
                                lastProgress = new ReplicationProgressed(
                                        ReplicationProgressed.idFor(task.migrationId(), position), task.migrationId(),
                                        worker, task.epoch(), Instant.now(), position, lag, safeMode, rows,
                                        ownerEpoch, waiting);
                                if (!stopRequested) {
                                    // once stopping, the last point is sent by the stop itself, waiting for Kafka
                                    status.publishLatest(lastProgress);
                                }
                            }
                        }, workers, replayUntil);
                return session.run();
            } catch (SQLException e) {
                throw onTarget(e, "starting the checkpoint transaction");
            }
        } catch (SQLException e) {
            throw onTarget(e, "closing the session");
        }
    }

    /**
     * The task's parallel apply workers, each on its own target session; null with one worker, which applies every
     * change on the checkpoint's session as before.
     */
    private ApplyWorkers openWorkers(CheckpointStore checkpoints, String targetPassword) throws SQLException {
        int count = task.workerCount() != null ? task.workerCount() : settings.workerCount();
        if (count <= 1) {
            return null;
        }
        // one session per worker, and one for the replay horizon each commit of the workers records first
        List<Connection> sessions = new ArrayList<>(count + 1);
        try {
            for (int i = 0; i <= count; i++) {
                sessions.add(TargetSession.open(task.target(), targetPassword, timeouts));
            }
        } catch (RuntimeException e) {
            sessions.forEach(Sessions::closeQuietly);
            throw e;
        }
        LOGGER.info("task {} applies row changes with {} workers", taskId, count);
        return new ApplyWorkers(sessions.getFirst(), sessions.subList(1, sessions.size()), checkpoints, ownerEpoch,
                settings.compact(), task.migrationId().value());
    }

    /**
     * Checks the source before anything is taken over or streamed, with the start position the stream will use (the
     * checkpoint's, else the task's; none for a new task, which starts where the source is now). The first attempt
     * claims the checkpoint only after that, so a source that fails the checks leaves no checkpoint behind at a
     * position nobody verified; later attempts continue only if still the owner.
     */
    private BinlogPosition precheckAndClaim(CheckpointStore checkpoints, Connection target, String sourcePassword) {
        try {
            CheckpointStore.ensureTable(target);
            BinlogPosition resumeAt = ownerEpoch == 0 ? checkpoints.saved(target).orElse(task.start())
                    : checkpoints.verifyOwnership(target, ownerEpoch);
            SourceFacts facts = SourceFacts.read(task.source(), sourcePassword, timeouts, null);
            // every failing item in one PRECHECKS_FAILED error; an outage (only retriable failures) is retried. By
            // GTID the checkpoint's file may not exist here (a failover, a renamed file): the set is what counts
            // nor is the start point's file needed on the source when the task reads the relay
            Prechecks.run(SourceChecks.forReplication(resumesByGtid(resumeAt) || task.relaySourceId() != null ? null
                            : resumeAt), facts)
                    .throwIfFailed();
            if (task.enableGtid()) {
                requireGtids(facts, resumeAt);
            }
            if (ownerEpoch != 0) {
                LOGGER.info("task {} resumes at {} with epoch {}", taskId, resumeAt, ownerEpoch);
                return resumeAt;
            }
            // a new checkpoint starts at the task's start, else where the source was when its facts were read
            CheckpointStore.Claim claim = checkpoints.claim(target,
                    () -> task.start() != null ? task.start() : facts.position().value(),
                    new TablePoints(task.tablePoints()).all());
            ownerEpoch = claim.epoch();
            LOGGER.info("task {} claimed with epoch {} at {} ({})", taskId, ownerEpoch, claim.position(),
                    claim.created() ? "new checkpoint" : "resuming the checkpoint");
            return claim.position();
        } catch (SQLException e) {
            throw onTarget(e, CheckpointStore.TABLE);
        }
    }

    /** DM's enable-gtid: by the point's GTID set when it has one; an older point without one, by file and offset */
    private boolean resumesByGtid(BinlogPosition point) {
        return task.enableGtid() && task.relaySourceId() == null && point != null && point.gtidSet() != null;
    }

    /**
     * enable-gtid needs a source that writes GTIDs (MariaDB always does; MySQL and Aurora only with gtid_mode ON), and
     * a start set in the source's own form — the library would otherwise fail inside the login with a bare
     * RuntimeException. A start point without a set is allowed: it resumes by file and offset, and says so.
     */
    private void requireGtids(SourceFacts facts, BinlogPosition resumeAt) {
        BinlogPosition now = facts.position().known() ? facts.position().value() : null;
        if (!facts.flavor().isMariaDb() && (now == null || now.gtidSet() == null)) {
            throw new TidemarkException(ErrorCode.SOURCE_GTID_DISABLED, task.source().describe(), "SHOW MASTER"
                    + " STATUS shows no Executed_Gtid_Set (gtid_mode is not ON, or no transaction ran since it is)");
        }
        if (resumeAt == null) {
            return;
        }
        if (resumeAt.gtidSet() == null) {
            LOGGER.warn("task {} has enable-gtid but its start point {} has no GTID set (a checkpoint written before"
                    + " GTIDs were recorded, or a meta without binlog-gtid): resuming by file and offset", taskId,
                    resumeAt);
            return;
        }
        GtidSet set = GtidSet.parse(resumeAt.gtidSet());
        GtidSet.Form sourceForm = facts.flavor().isMariaDb() ? GtidSet.Form.MARIADB : GtidSet.Form.MYSQL;
        if (set.form() != sourceForm) {
            throw new TidemarkException(ErrorCode.GTID_SET_WRONG_FLAVOR, resumeAt.gtidSet(), set.form(),
                    task.source().describe(), facts.flavor());
        }
        LOGGER.info("task {} resumes by GTID set {} (its point's file and offset {}:{} are kept, not used)", taskId,
                set, resumeAt.file(), resumeAt.pos());
    }

    /**
     * The table points stored with the checkpoint, read on every attempt: a flush that reached some deleted them in
     * its transaction, and a new owner finds them there, whatever the task it was given says.
     */
    private TablePoints storedPoints(CheckpointStore checkpoints, Connection target, BinlogPosition start) {
        try {
            TablePoints points = new TablePoints(checkpoints.tablePoints(target));
            if (!points.isEmpty()) {
                LOGGER.info("task {} streams from {} with table points {}: their tables' changes before them are"
                        + " already in their dumps and are skipped", taskId, start, points);
            }
            return points;
        } catch (SQLException e) {
            throw onTarget(e, CheckpointStore.POINTS);
        }
    }

    private TidemarkException onTarget(SQLException e, String subject) {
        return SqlErrors.classify(e, Side.TARGET, task.target().describe(), subject);
    }

    /** a task without a server id still needs one unique among the source's replicas */
    private long serverId() {
        if (task.serverId() > 0) {
            return task.serverId();
        }
        return 1_000_000L + Math.floorMod(taskId.hashCode(), 1_000_000_000);
    }

    /** reports the failure and returns once Kafka has it, however long that takes */
    private void fail(String subject, TidemarkException e) throws InterruptedException {
        LOGGER.error("task {} {}: {}", taskId, e.retriable() ? "will retry" : "failed", e.getMessage());
        status.publish(WorkFailed.of(task.migrationId(), worker, task.epoch(), Stage.REPLICATION, subject, e));
    }

    /** @return true when a stop ended the wait */
    private boolean sleep(Duration pause) throws InterruptedException {
        return stopSignal.await(pause.toMillis(), TimeUnit.MILLISECONDS) || stopRequested;
    }

    private void transition(ReplicatorState next) {
        ReplicatorState prev = state.getAndSet(next);
        if (!prev.getClass().equals(next.getClass())) {
            LOGGER.info("task {}: {} -> {} {}", taskId, prev.code(), next.code(), next);
        }
    }
}
