package io.tidemark.dm.sync;

import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.status.ReplicationProgressed;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableFilter;
import io.tidemark.dm.precheck.CheckResult;
import io.tidemark.dm.precheck.SourcePrechecks;
import io.tidemark.kit.retry.RetryPolicy;
import io.tidemark.kit.status.StatusPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one replication task on its own thread: prechecks the source, claims the checkpoint (bumping its epoch),
 * streams, and on a retriable failure backs off (the kit's {@link RetryPolicy}) and resumes from the checkpoint under
 * the same epoch — after checking nobody took the task over meanwhile. A fatal failure is reported and ends the task;
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
    private final SecretBox secrets;
    private final WorkerId worker;
    private final StatusPublisher status;
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

    /** precheck failures are reported one by one before the task ends */
    private static final class PrechecksFailed extends Exception {
        private final TidemarkException first;

        PrechecksFailed(TidemarkException first) {
            super(first.getMessage(), null, false, false);
            this.first = first;
        }
    }

    Replicator(ReplicationTask task, SyncSettings settings, SecretBox secrets, WorkerId worker,
               StatusPublisher status) {
        this.task = task;
        this.taskId = ReplicationTask.idFor(task.migrationId());
        this.settings = settings;
        this.secrets = secrets;
        this.worker = worker;
        this.status = status;
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
            } catch (PrechecksFailed e) {
                transition(new ReplicatorState.Failed(e.first.error().code(), e.first.detail()));
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
                    fail("replication", e);
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

    /** one attempt: connections, prechecks, claim, stream until stop; returns the last flushed point */
    private BinlogPosition attempt() throws PrechecksFailed, InterruptedException {
        int connectMillis = (int) settings.connectTimeout().toMillis();
        TableFilter filter = TableFilter.parse(task.filter());
        try (Connection target = Databases.target(task.target(), secrets, connectMillis)) {
            CheckpointStore checkpoints = new CheckpointStore(taskId, worker.value());
            try {
                CheckpointStore.ensureTable(target);
            } catch (SQLException e) {
                throw Databases.targetError(task.target(), CheckpointStore.TABLE, e);
            }
            BinlogPosition start;
            try (Connection source = Databases.source(task.source(), secrets, connectMillis)) {
                check(SourcePrechecks.beforeStart(source, task.source()));
                start = claimOrVerify(checkpoints, target, source);
                check(List.of(SourcePrechecks.startAvailable(source, task.source(), start)));
            } catch (SQLException e) {
                throw Databases.sourceError(task.source(), e);
            }
            try (BinlogStream stream = new BinlogStream(task.source(), secrets.open(task.source().password()),
                    serverId(), start, settings)) {
                stream.open(settings.connectTimeout());
                TargetBatch batch = new TargetBatch(target, checkpoints, ownerEpoch);
                transition(new ReplicatorState.Streaming(start, ownerEpoch));
                SyncSession session = new SyncSession(task, settings, filter, target, stream, batch, start,
                        new SyncSession.Host() {
                            @Override
                            public boolean stopRequested() {
                                return stopRequested;
                            }

                            @Override
                            public void progressed(BinlogPosition position, long lag, boolean safeMode, long rows) {
                                streamedOnce = true;
                                state.set(new ReplicatorState.Streaming(position, ownerEpoch));
                                lastProgress = new ReplicationProgressed(
                                        ReplicationProgressed.idFor(task.migrationId(), position), task.migrationId(),
                                        worker, task.epoch(), Instant.now(), position, lag, safeMode, rows,
                                        ownerEpoch);
                                if (!stopRequested) {
                                    // once stopping, the last point is sent by the stop itself, waiting for Kafka
                                    status.publishLatest(lastProgress);
                                }
                            }
                        });
                return session.run();
            } catch (SQLException e) {
                throw Databases.targetError(task.target(), "checkpoint", e);
            }
        } catch (SQLException e) {
            throw Databases.targetError(task.target(), "(close)", e);
        }
    }

    /** the first attempt takes the task over (new epoch); later attempts continue only if still the owner */
    private BinlogPosition claimOrVerify(CheckpointStore checkpoints, Connection target, Connection source) {
        try {
            if (ownerEpoch == 0) {
                CheckpointStore.Claim claim = checkpoints.claim(target, () -> startPosition(source));
                ownerEpoch = claim.epoch();
                LOGGER.info("task {} claimed with epoch {} at {} ({})", taskId, ownerEpoch, claim.position(),
                        claim.created() ? "new checkpoint" : "resuming the checkpoint");
                return claim.position();
            }
            BinlogPosition start = checkpoints.verifyOwnership(target, ownerEpoch);
            LOGGER.info("task {} resumes at {} with epoch {}", taskId, start, ownerEpoch);
            return start;
        } catch (SQLException e) {
            throw Databases.targetError(task.target(), CheckpointStore.TABLE, e);
        }
    }

    private void check(List<CheckResult> results) throws PrechecksFailed, InterruptedException {
        TidemarkException first = null;
        for (CheckResult r : results) {
            if (r.failed()) {
                fail("precheck/" + r.name(), r.error());
                if (first == null) {
                    first = r.error();
                }
            }
        }
        if (first != null) {
            throw new PrechecksFailed(first);
        }
    }

    /** SHOW MASTER STATUS (SHOW BINARY LOG STATUS on MySQL 8.4+), as DM's incremental task without meta */
    private BinlogPosition startPosition(Connection source) {
        if (task.start() != null) {
            return task.start();
        }
        try (Statement st = source.createStatement()) {
            try (ResultSet rs = masterStatus(st)) {
                if (!rs.next()) {
                    throw new TidemarkException(ErrorCode.BINLOG_DISABLED, task.source().describe());
                }
                String gtid = null;
                try (Statement g = source.createStatement();
                     ResultSet grs = g.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos")) {
                    gtid = grs.next() ? grs.getString(1) : null;
                } catch (SQLException notMariadb) {
                    // MySQL: the executed set is informational only, file and position decide
                }
                return BinlogPosition.of(rs.getString(1), rs.getLong(2), gtid);
            }
        } catch (SQLException e) {
            throw Databases.sourceError(task.source(), e);
        }
    }

    private static ResultSet masterStatus(Statement st) throws SQLException {
        try {
            return st.executeQuery("SHOW MASTER STATUS");
        } catch (SQLException removedInMysql84) {
            return st.executeQuery("SHOW BINARY LOG STATUS");
        }
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
