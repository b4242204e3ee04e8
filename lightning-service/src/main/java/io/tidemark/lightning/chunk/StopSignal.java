package io.tidemark.lightning.chunk;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Tells running work that the service is stopping; checked between statements and while waiting. Thread-safe. */
final class StopSignal {
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<Runnable> hooks = new CopyOnWriteArrayList<>();

    void request() {
        stopped.countDown();
        hooks.forEach(Runnable::run);
    }

    /**
     * Runs {@code hook} when a stop is requested while the returned registration is open (at once if it already
     * was): a statement blocked on the target must not hold the shutdown.
     */
    Registration whenStopped(Runnable hook) {
        hooks.add(hook);
        if (requested()) {
            hook.run();
        }
        return () -> hooks.remove(hook);
    }

    /** an open {@link #whenStopped} hook; closing it removes the hook */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    boolean requested() {
        return stopped.getCount() == 0;
    }

    /** waits {@code d} unless a stop comes first; true when stopping */
    boolean sleep(Duration d) {
        try {
            return stopped.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
