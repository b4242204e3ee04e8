package io.tidemark.dm.sync;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.mysql.session.Sessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * DM's {@code worker-count} sessions: each applies the row changes {@link Causality} routed to it, in the order it got
 * them, on its own target connection and thread, batching consecutive statements of one shape into multi-row ones
 * ({@link TargetBatch}), and, unless turned off, compacting the changes of one row of a single-key table into its net state
 * ({@link RowCompactor}). A worker never commits by itself: the sync session calls {@link #commit(BinlogPosition)} at a
 * checkpoint flush, at a causality conflict, or to bound what the workers hold, and only then writes the checkpoint.
 *
 * <p>Kill safety: the workers' rows and the checkpoint are no longer one transaction, so a commit first records the
 * <em>replay horizon</em> (the point the committed rows may reach) in the checkpoint row, on a session of its own in
 * autocommit, and only then lets the workers commit, all at once; a restart replays from the checkpoint to that horizon
 * in safe mode (REPLACE, DELETE then REPLACE), which leaves the same rows whether or not they were committed.
 *
 * <p>Epoch fence: the horizon update matches the checkpoint row only under this owner's epoch, and every worker reads
 * the epoch with a lock before committing ({@link CheckpointStore#holdFence}), so a newer owner's claim either waits for
 * the commit or fences it out.
 *
 * <p>Locks: causality keeps two workers off the same row and unique value, not off the same gap. Worker sessions run in
 * READ COMMITTED, which takes no gap locks for searches (the safe mode's DELETE of a row not there yet); a duplicate
 * check (a REPLACE over a row the target holds) still locks a gap, and a worker can then wait for another's commit. So
 * workers commit together, never one after another, and a worker whose queue stays full makes the others commit
 * ({@link #offer}) — else it would wait on a lock that only a commit the sync session never reaches would release.
 *
 * <p>Threading: every method but {@link #close()} is called by the sync session's thread only; a worker's failure is
 * kept and thrown to that thread at its next call.
 */
final class ApplyWorkers implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(ApplyWorkers.class);
    /** rows queued per worker before the sync session waits: bounded memory, and backpressure on the stream */
    private static final int QUEUE = 256;

    private sealed interface Op {
    }

    private record Apply(List<RowChange> changes) implements Op {
    }

    /** executes what is pending, then commits under the epoch fence */
    private record Commit(CountDownLatch done) implements Op {
    }

    private record Rollback(CountDownLatch done) implements Op {
    }

    private record Stop() implements Op {
    }

    private final List<Worker> workers = new ArrayList<>();
    /** the session the replay horizon is written on, in autocommit */
    private final Connection meta;
    private final CheckpointStore checkpoints;
    private final long epoch;
    private long pendingRows;

    /**
     * @param meta        a target session for the replay horizon, owned (closed) by this from now on
     * @param connections one open target session per worker, owned (closed) by this from now on
     */
    ApplyWorkers(Connection meta, List<Connection> connections, CheckpointStore checkpoints, long epoch, boolean compact,
                 String name) throws SQLException {
        this.meta = meta;
        this.checkpoints = checkpoints;
        this.epoch = epoch;
        try {
            meta.setAutoCommit(true);
            for (int i = 0; i < connections.size(); i++) {
                Connection c = connections.get(i);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                workers.add(new Worker(i, c, new TargetBatch(c, checkpoints, epoch), compact, name));
            }
        } catch (SQLException | RuntimeException e) {
            connections.forEach(Sessions::closeQuietly);
            Sessions.closeQuietly(meta);
            throw e;
        }
        workers.forEach(w -> w.thread.start());
    }

    int size() {
        return workers.size();
    }

    /**
     * Queues row changes on worker {@code index}, after those it already has; the worker converts and builds them.
     *
     * @return false when its queue stayed full for {@code waitMillis}: nothing was queued; the caller commits the
     * other workers ({@link #commitAllBut}), whose locks it may be waiting for, and offers again
     */
    boolean offer(int index, List<RowChange> changes, long waitMillis) throws SQLException {
        throwFailure();
        Worker w = workers.get(index);
        try {
            if (!w.queue.offer(new Apply(changes), waitMillis, TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted();
        }
        w.dirty = true;
        for (RowChange c : changes) {
            pendingRows += c.size();
        }
        return true;
    }

    /** statements queued since the last commit */
    long pendingRows() {
        return pendingRows;
    }

    boolean dirty() {
        return workers.stream().anyMatch(w -> w.dirty);
    }

    /**
     * Records {@code horizon}, then commits every worker holding rows, all at once. A no-op when none holds any.
     */
    void commit(BinlogPosition horizon) throws SQLException {
        commitAllBut(-1, horizon);
        pendingRows = 0;
    }

    /** {@link #commit} of every worker but {@code except}, whose queue is full */
    void commitAllBut(int except, BinlogPosition horizon) throws SQLException {
        throwFailure();
        List<Worker> dirty = workers.stream().filter(w -> w.dirty && w.index != except).toList();
        if (dirty.isEmpty()) {
            return;
        }
        checkpoints.saveReplayHorizon(meta, horizon, epoch);
        CountDownLatch done = new CountDownLatch(dirty.size());
        // a full queue is skipped and tried again: its worker may wait for a lock a worker later in the list releases
        // only once it gets its own commit
        List<Worker> unsent = new ArrayList<>(dirty);
        while (true) {
            unsent.removeIf(w -> w.queue.offer(new Commit(done)));
            if (unsent.isEmpty()) {
                break;
            }
            throwFailure();
            pause();
        }
        await(done);
        dirty.forEach(w -> w.dirty = false);
    }

    /** abandons what the workers hold (a stop inside a source transaction, or a failure) */
    void rollback() {
        CountDownLatch done = new CountDownLatch(workers.size());
        for (Worker w : workers) {
            w.dirty = false;
            w.queue.clear();
            w.queue.offer(new Rollback(done));
        }
        pendingRows = 0;
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** the table a failed worker was writing, for the error */
    String failedSubject() {
        return workers.stream().filter(w -> w.failure != null).map(w -> w.failedSubject).findFirst()
                .orElse("(no table)");
    }

    @Override
    public void close() {
        for (Worker w : workers) {
            w.queue.clear();
            w.queue.offer(new Stop());
        }
        for (Worker w : workers) {
            try {
                w.thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (w.thread.isAlive()) {
                w.thread.interrupt();
            }
            Sessions.closeQuietly(w.connection);
        }
        Sessions.closeQuietly(meta);
    }

    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted();
        }
    }

    private void await(CountDownLatch latch) throws SQLException {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted();
        }
        throwFailure();
    }

    private static TidemarkException interrupted() {
        return new TidemarkException(ErrorCode.INTERNAL, "interrupted while waiting for the apply workers");
    }

    /** the first failure of any worker, on the sync session's thread */
    private void throwFailure() throws SQLException {
        for (Worker w : workers) {
            switch (w.failure) {
                case null -> {
                }
                case SQLException e -> throw e;
                case RuntimeException e -> throw e;
                default -> throw new TidemarkException(ErrorCode.INTERNAL, w.failure, w.failure.toString());
            }
        }
    }

    /** one session, its thread and its queue */
    private static final class Worker {
        final int index;
        final Connection connection;
        final TargetBatch batch;
        /** null when compaction is off */
        final RowCompactor compactor;
        final BlockingQueue<Op> queue = new ArrayBlockingQueue<>(QUEUE);
        final Thread thread;
        final String name;
        /** set by the sync session's thread only */
        boolean dirty;
        volatile Throwable failure;
        volatile String failedSubject;

        Worker(int index, Connection connection, TargetBatch batch, boolean compact, String name) {
            this.index = index;
            this.connection = connection;
            this.batch = batch;
            this.compactor = compact ? new RowCompactor() : null;
            this.name = name;
            this.thread = new Thread(this::run, "dm-apply-" + name + "-" + index);
            this.thread.setDaemon(true);
        }

        private void run() {
            MDC.put("migrationId", name);
            while (true) {
                Op op;
                try {
                    op = queue.take();
                } catch (InterruptedException e) {
                    return;
                }
                if (op instanceof Stop) {
                    rollback();
                    return;
                }
                // after a failure the worker only answers, so the sync session never waits on it for ever
                if (failure == null) {
                    try {
                        execute(op);
                    } catch (Throwable e) {
                        failedSubject = batch.subject();
                        failure = e;
                        rollback();
                        LOGGER.debug("apply worker {} failed on {}: {}", index, failedSubject, e.toString());
                    }
                }
                switch (op) {
                    case Commit c -> c.done().countDown();
                    case Rollback r -> r.done().countDown();
                    default -> {
                    }
                }
            }
        }

        private void rollback() {
            if (compactor != null) {
                compactor.clear();
            }
            batch.rollback();
        }

        private void execute(Op op) throws SQLException {
            switch (op) {
                case Apply a -> {
                    for (RowChange c : a.changes()) {
                        if (compactor != null && c instanceof RowChange.Raw raw
                                && RowCompactor.compacts(raw.target())) {
                            compactor.add(raw.target(), raw.beforeRow(), raw.afterRow(), raw.safe(), batch);
                            continue;
                        }
                        for (SqlStatement s : c.statements()) {
                            batch.add(s);
                        }
                    }
                }
                case Commit c -> {
                    if (compactor != null) {
                        compactor.drainTo(batch);
                    }
                    batch.commitFenced();
                }
                case Rollback r -> rollback();
                case Stop s -> throw new IllegalStateException("unreachable");
            }
        }
    }
}
