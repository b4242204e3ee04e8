package io.tidemark.lightning.work;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tells running work that the service is stopping; checked between statements and while waiting, and it ends the
 * waits that do not look at it (a statement blocked on the target, a status event waiting for Kafka). One-shot.
 * Thread-safe.
 */
public final class StopSignal {
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<Runnable> hooks = new ArrayList<>();

    public synchronized void request() {
        stopped.countDown();
        hooks.forEach(Runnable::run);
    }

    public boolean requested() {
        return stopped.getCount() == 0;
    }

    /**
     * Runs {@code hook} when a stop is requested while the returned registration is open (at once if it already
     * was): a statement blocked on the target must not hold the shutdown. Once closed, the hook never runs.
     */
    public synchronized Registration whenStopped(Runnable hook) {
        hooks.add(hook);
        if (requested()) {
            hook.run();
        }
        return () -> {
            synchronized (this) {
                hooks.remove(hook);
            }
        };
    }

    /**
     * Interrupts the calling thread when a stop is requested while the registration is open, so waits that only
     * end on an interrupt (a status event the kit's publisher sends until Kafka takes it) end with the service.
     * Closing it, on the same thread, clears an interrupt it made: none leaks into what the thread does next.
     */
    public Registration interruptOnStop() {
        Registration hook = whenStopped(Thread.currentThread()::interrupt);
        return () -> {
            hook.close();
            Thread.interrupted();
        };
    }

    /** an open {@link #whenStopped} hook; closing it removes the hook */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** waits {@code d} unless a stop comes first; true when stopping */
    public boolean sleep(Duration d) {
        try {
            return stopped.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** a pause between retries that ends early, with InterruptedException, when a stop is requested */
    public void pause(Duration d) throws InterruptedException {
        if (sleep(d)) {
            throw new InterruptedException("the service stops");
        }
    }
}
