package io.tidemark.lightning.chunk;

import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.status.ChunkImported;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.lightning.status.StatusPublisher;
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
 * One worker: takes a chunk from its {@link ChunkQueue}, imports it on a second thread while the loop thread keeps the
 * queue alive, reports the outcome on the status topic, and only then completes (commits) the chunk.
 * Runs on its own thread until the {@link StopSignal}; owns its queue and closes it.
 */
final class ChunkWorker implements Runnable {
    private static final Logger LOGGER = LoggerFactory.getLogger(ChunkWorker.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration KEEP_ALIVE = Duration.ofMillis(200);

    private final String name;
    private final Supplier<ChunkQueue> queueFactory;
    private final ChunkImporter importer;
    private final StatusPublisher status;
    private final StopSignal stop;

    ChunkWorker(String name, Supplier<ChunkQueue> queueFactory, ChunkImporter importer,
                StatusPublisher status, StopSignal stop) {
        this.name = name;
        this.queueFactory = queueFactory;
        this.importer = importer;
        this.status = status;
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
        Future<ChunkOutcome> running = chunkThread.submit(() -> importWithContext(chunk));
        while (!running.isDone()) {
            queue.keepAlive(KEEP_ALIVE);
        }
        ChunkOutcome outcome;
        try {
            outcome = running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queue.release();
            return;
        } catch (ExecutionException e) {
            TidemarkException failure = new TidemarkException(ErrorCode.INTERNAL, e.getCause(),
                    "importing " + chunk.file() + " failed unexpectedly: " + e.getCause());
            LOGGER.error("chunk {} failed unexpectedly", chunk.messageId(), e.getCause());
            outcome = new ChunkOutcome.Failed(failure);
            try {
                status.publish(WorkFailed.of(chunk.migrationId(), status.workerId(), chunk.epoch(), Stage.IMPORT,
                        chunk.file(), failure));
            } catch (TidemarkException sendFailed) {
                queue.release();
                return;
            }
        }
        settle(queue, chunk, outcome);
    }

    private void settle(ChunkQueue queue, ImportChunk chunk, ChunkOutcome outcome) {
        switch (outcome) {
            case ChunkOutcome.Imported imported -> {
                try {
                    status.publish(new ChunkImported(ChunkImported.idFor(chunk.messageId()), chunk.migrationId(),
                            status.workerId(), chunk.epoch(), Instant.now(), chunk.messageId(), chunk.table(),
                            imported.rows(), imported.bytes()));
                } catch (TidemarkException e) {
                    LOGGER.warn("cannot report chunk {} imported; it will be delivered again: {}", chunk.messageId(),
                            e.getMessage());
                    queue.release();
                    return;
                }
                queue.complete();
            }
            case ChunkOutcome.Failed ignored -> queue.complete();
            case ChunkOutcome.TakenOver ignored -> queue.complete();
            case ChunkOutcome.Stopped ignored -> queue.release();
        }
    }

    private ChunkOutcome importWithContext(ImportChunk chunk) {
        MDC.put("migrationId", chunk.migrationId().value());
        MDC.put("table", chunk.table().toString());
        MDC.put("chunkId", chunk.messageId());
        try {
            return importer.importChunk(chunk, stop);
        } finally {
            MDC.clear();
        }
    }
}
