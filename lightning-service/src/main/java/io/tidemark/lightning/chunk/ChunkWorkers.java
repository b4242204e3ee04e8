package io.tidemark.lightning.chunk;

import io.tidemark.lightning.work.StopSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.util.ArrayList;
import java.util.List;

/**
 * The chunk workers of this instance: each a thread with its own queue membership. Scaling out is more instances
 * (or more workers per instance) in the worker group. On stop, workers finish nothing new: the open transaction of
 * a chunk is rolled back and the chunk goes back to the queue, to resume from its checkpoint.
 */
final class ChunkWorkers implements SmartLifecycle {
    private static final Logger LOGGER = LoggerFactory.getLogger(ChunkWorkers.class);
    private static final long JOIN_MILLIS = 30_000;

    private final int count;
    private final WorkerFactory workerFactory;
    private final List<Thread> threads = new ArrayList<>();
    private StopSignal stop;

    /** makes worker {@code index}, which runs until {@code stop} */
    @FunctionalInterface
    interface WorkerFactory {
        ChunkWorker create(int index, StopSignal stop);
    }

    ChunkWorkers(int count, WorkerFactory workerFactory) {
        this.count = count;
        this.workerFactory = workerFactory;
    }

    @Override
    public synchronized void start() {
        if (!threads.isEmpty()) {
            return;
        }
        stop = new StopSignal();
        for (int i = 0; i < count; i++) {
            Thread t = new Thread(workerFactory.create(i, stop), "lightning-worker-" + i);
            t.start();
            threads.add(t);
        }
        LOGGER.info("{} chunk workers started", count);
    }

    @Override
    public synchronized void stop() {
        if (stop != null) {
            stop.request();
        }
        for (Thread t : threads) {
            try {
                t.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        threads.clear();
    }

    @Override
    public synchronized boolean isRunning() {
        return !threads.isEmpty();
    }
}
