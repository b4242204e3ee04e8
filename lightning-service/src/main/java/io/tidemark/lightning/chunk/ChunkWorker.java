package io.tidemark.lightning.chunk;

import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.status.ChunkImported;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.kit.retry.RetryPolicy;
import io.tidemark.kit.status.StatusPublisher;
import io.tidemark.lightning.work.StopSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * One worker: takes a chunk from its {@link ChunkQueue}, imports it and reports the outcome on a second thread while
 * the loop thread keeps the queue alive, and only then settles the chunk: completes it (imported), rejects it (failed
 * for good) or releases it (not finished). A chunk released after its queue delivered it {@code maxDeliveries} times
 * or more is reported as {@link ErrorCode#CHUNK_REDELIVERED}, with the count and the last error. The outcome's status event is
 * sent until Kafka takes it, however long Kafka is away; a chunk whose outcome is not on the status topic is never
 * completed: when the service stops first, it is released and delivered again, and its checkpoint makes the next
 * delivery skip the work already done. A worker whose delivery ended in a fault that may pass (the target away, a
 * lock it waited on too long) pauses before it takes the next chunk, longer after each such delivery in a row (its
 * {@code afterFailure} policy: 1 s doubling up to {@code tidemark.lightning.max-retry-backoff}) and not at all once a
 * chunk succeeds: while the target is away a chunk goes round the workers at that pace, not as fast as they can fail
 * it and report it. Runs on its own thread until the {@link StopSignal}; owns its queue and closes it.
 */
final class ChunkWorker implements Runnable {
    private static final Logger LOGGER = LoggerFactory.getLogger(ChunkWorker.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration KEEP_ALIVE = Duration.ofMillis(200);

    private final String name;
    private final Supplier<ChunkQueue> queueFactory;
    private final ChunkImporter importer;
    private final StatusPublisher status;
    private final WorkerId workerId;
    private final StopSignal stop;
    private final int maxDeliveries;
    /** the pauses after deliveries that failed in a row; reset by one that did not */
    private final RetryPolicy.Backoff afterFailure;

    ChunkWorker(String name, Supplier<ChunkQueue> queueFactory, ChunkImporter importer, StatusPublisher status,
                WorkerId workerId, StopSignal stop, int maxDeliveries, RetryPolicy afterFailure) {
        this.name = name;
        this.queueFactory = queueFactory;
        this.importer = importer;
        this.status = status;
        this.workerId = workerId;
        this.stop = stop;
        this.maxDeliveries = maxDeliveries;
        this.afterFailure = afterFailure.start();
    }

    @Override
    public void run() {
        ExecutorService chunkThread = Executors.newSingleThreadExecutor(r -> new Thread(r, name + "-chunk"));
        try (ChunkQueue queue = queueFactory.get()) {
            while (!stop.requested()) {
                try {
                    Optional<ChunkQueue.Delivery> next = queue.take(POLL);
                    if (next.isPresent()) {
                        process(queue, next.get(), chunkThread);
                    }
                } catch (RuntimeException e) {
                    LOGGER.error("worker {} loop failed; continuing after a pause", name, e);
                    stop.sleep(Duration.ofSeconds(1));
                }
            }
        } finally {
            chunkThread.shutdownNow();
            LOGGER.info("worker {} stopped", name);
        }
    }

    private void process(ChunkQueue queue, ChunkQueue.Delivery delivery, ExecutorService chunkThread) {
        Future<Settle> running = chunkThread.submit(() -> importAndReport(delivery));
        while (!running.isDone()) {
            queue.keepAlive(KEEP_ALIVE);
        }
        Settle settle;
        try {
            settle = running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            settle = Settle.RELEASE;
        } catch (ExecutionException e) {
            LOGGER.error("chunk {} could not be settled; it will be delivered again", delivery.chunk().messageId(),
                    e.getCause());
            settle = Settle.RELEASE;
        }
        switch (settle) {
            case COMPLETE -> queue.complete();
            case REJECT -> queue.reject();
            case RELEASE, RETRY -> queue.release();
        }
        if (settle == Settle.RETRY) {
            Duration pause = afterFailure.next();
            LOGGER.info("worker {} pauses {} ms after {} deliveries in a row that failed", name, pause.toMillis(),
                    afterFailure.attempts());
            stop.sleep(pause);
        } else if (settle != Settle.RELEASE) {
            afterFailure.reset();
        }
    }

    /** what the queue is told once a delivery is over */
    private enum Settle {
        /** imported (or found imported, or finished by another worker) and reported */
        COMPLETE,
        /** failed for good and reported: never delivered again */
        REJECT,
        /** not finished (the service stops): delivered again, to this worker or another */
        RELEASE,
        /** failed by a fault that may pass: delivered again, and this worker pauses before its next chunk */
        RETRY
    }

    /**
     * how the queue settles the delivery; a chunk is settled as finished (COMPLETE, REJECT) only once its outcome is
     * on the status topic
     */
    private Settle importAndReport(ChunkQueue.Delivery delivery) {
        ImportChunk chunk = delivery.chunk();
        MDC.put("migrationId", chunk.migrationId().value());
        MDC.put("table", chunk.table().toString());
        MDC.put("chunkId", chunk.messageId());
        try (StopSignal.Registration stopInterrupts = stop.interruptOnStop()) {
            int count = delivery.count().orElse(1);
            if (count >= maxDeliveries) {
                // the deliveries before failed (each reported) or ended with no outcome: a worker holding it stopped
                // or died, maybe because of this very chunk
                LOGGER.warn("chunk {} (file {}) delivered for the {}. time; it resumes from its checkpoint",
                        chunk.messageId(), chunk.file(), count);
            } else if (count > 1) {
                LOGGER.info("chunk delivered for the {}. time; it resumes from its checkpoint", count);
            }
            return switch (importSafely(chunk)) {
                case ChunkOutcome.Imported imported -> {
                    status.publish(new ChunkImported(ChunkImported.idFor(chunk.messageId()), chunk.migrationId(),
                            workerId, chunk.epoch(), Instant.now(), chunk.messageId(), chunk.table(), imported.rows(),
                            imported.bytes(), imported.valueSum()));
                    yield Settle.COMPLETE;
                }
                case ChunkOutcome.Failed failed -> {
                    status.publish(WorkFailed.of(chunk.migrationId(), workerId, chunk.epoch(), Stage.IMPORT,
                            chunk.file(), failed.error()));
                    yield Settle.REJECT;
                }
                case ChunkOutcome.Retry retry -> {
                    if (delivery.count().isPresent() && count >= maxDeliveries) {
                        status.publish(redelivered(chunk, count, retry.error()));
                    }
                    yield Settle.RETRY;
                }
                case ChunkOutcome.TakenOver ignored -> Settle.COMPLETE; // the worker that took it over reports it
                case ChunkOutcome.Stopped ignored -> throw new InterruptedException("stopped mid-chunk");
            };
        } catch (InterruptedException e) {
            LOGGER.info("the service stops before the chunk's outcome was reported; it is delivered again");
            return Settle.RELEASE;
        } finally {
            MDC.clear();
        }
    }

    /**
     * A chunk that keeps failing, made visible: a retriable failure (the migration goes on) naming the chunk, how
     * often it was delivered and the last error, one event per delivery count so each shows.
     */
    private WorkFailed redelivered(ImportChunk chunk, int count, TidemarkException last) {
        TidemarkException e = new TidemarkException(ErrorCode.CHUNK_REDELIVERED, last,
                chunk.messageId() + " (file " + chunk.file() + ")", count, last.error().code() + " " + last.detail());
        LOGGER.warn("{}", e.getMessage());
        return new WorkFailed(chunk.migrationId() + "/" + Stage.IMPORT.code() + "/e" + chunk.epoch() + "/redelivered/"
                + chunk.messageId() + "/" + count, chunk.migrationId(), workerId, chunk.epoch(), Instant.now(),
                Stage.IMPORT, chunk.file(), e.error().code(), e.detail(), e.error().remedy(), true);
    }

    /** a bug is a failure of the chunk like any other, reported as INTERNAL, never a silent stall */
    private ChunkOutcome importSafely(ImportChunk chunk) {
        try {
            return importer.importChunk(chunk, stop);
        } catch (RuntimeException e) {
            LOGGER.error("chunk {} failed unexpectedly", chunk.messageId(), e);
            return new ChunkOutcome.Failed(new TidemarkException(ErrorCode.INTERNAL, e,
                    "importing " + chunk.file() + " failed unexpectedly: " + e));
        }
    }
}
