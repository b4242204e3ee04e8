package io.tidemark.lightning.chunk;

import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.status.ChunkImported;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.status.WorkFailed;
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
 * the loop thread keeps the queue alive, and only then completes (commits) the chunk. The outcome's status event is
 * sent until Kafka takes it, however long Kafka is away; a chunk whose outcome is not on the status topic is never
 * completed: when the service stops first, it is released and delivered again, and its checkpoint makes the next
 * delivery skip the work already done. Runs on its own thread until the {@link StopSignal}; owns its queue and
 * closes it.
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

    ChunkWorker(String name, Supplier<ChunkQueue> queueFactory, ChunkImporter importer, StatusPublisher status,
                WorkerId workerId, StopSignal stop) {
        this.name = name;
        this.queueFactory = queueFactory;
        this.importer = importer;
        this.status = status;
        this.workerId = workerId;
        this.stop = stop;
    }

    @Override
    public void run() {
        ExecutorService chunkThread = Executors.newSingleThreadExecutor(r -> new Thread(r, name + "-chunk"));
        try (ChunkQueue queue = queueFactory.get()) {
            while (!stop.requested()) {
                try {
                    Optional<ImportChunk> next = queue.take(POLL);
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

    private void process(ChunkQueue queue, ImportChunk chunk, ExecutorService chunkThread) {
        Future<Boolean> running = chunkThread.submit(() -> importAndReport(chunk));
        while (!running.isDone()) {
            queue.keepAlive(KEEP_ALIVE);
        }
        boolean finished;
        try {
            finished = running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        } catch (ExecutionException e) {
            LOGGER.error("chunk {} could not be settled; it will be delivered again", chunk.messageId(), e.getCause());
            finished = false;
        }
        if (finished) {
            queue.complete();
        } else {
            queue.release();
        }
    }

    /** true once the chunk is finished and its outcome is on the status topic: only then may the queue forget it */
    private boolean importAndReport(ImportChunk chunk) {
        MDC.put("migrationId", chunk.migrationId().value());
        MDC.put("table", chunk.table().toString());
        MDC.put("chunkId", chunk.messageId());
        try (StopSignal.Registration stopInterrupts = stop.interruptOnStop()) {
            StatusEvent report = switch (importSafely(chunk)) {
                case ChunkOutcome.Imported imported -> new ChunkImported(ChunkImported.idFor(chunk.messageId()),
                        chunk.migrationId(), workerId, chunk.epoch(), Instant.now(), chunk.messageId(), chunk.table(),
                        imported.rows(), imported.bytes(), imported.valueSum());
                case ChunkOutcome.Failed failed -> WorkFailed.of(chunk.migrationId(), workerId, chunk.epoch(),
                        Stage.IMPORT, chunk.file(), failed.error());
                case ChunkOutcome.TakenOver ignored -> null; // the worker that took it over reports it
                case ChunkOutcome.Stopped ignored -> throw new InterruptedException("stopped mid-chunk");
            };
            if (report != null) {
                status.publish(report);
            }
            return true;
        } catch (InterruptedException e) {
            LOGGER.info("the service stops before the chunk's outcome was reported; it is delivered again");
            return false;
        } finally {
            MDC.clear();
        }
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
