package io.tidemark.kit.retry;

import io.tidemark.common.error.TidemarkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one retry policy of every Tidemark service: exponential backoff with jitter, and one rule for what is worth
 * another attempt — a catalog error whose code is retriable ({@link #retriable}); the catalog, not the caller,
 * decides that. Jitter spreads the attempts of many workers that failed together (a target restart) so they do not
 * all come back in the same instant. Immutable and thread-safe; each run keeps its own {@link Backoff}.
 *
 * @param initialBackoff the pause after the first failure
 * @param maxBackoff     the longest pause; doubling stops there
 * @param multiplier     how much each pause grows (≥ 1)
 * @param jitter         the share of each pause that is random, 0 (none) to 1 (anywhere in 0..pause)
 * @param maxAttempts    attempts in all before giving up; {@link #UNTIL_STOPPED} (0) retries until the work is stopped
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, double multiplier, double jitter,
                          int maxAttempts) {
    private static final Logger LOGGER = LoggerFactory.getLogger(RetryPolicy.class);
    public static final int UNTIL_STOPPED = 0;

    public RetryPolicy {
        if (initialBackoff == null || initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("the first retry pause must be positive, was " + initialBackoff);
        }
        if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("the longest retry pause (" + maxBackoff
                    + ") must not be below the first one (" + initialBackoff + ")");
        }
        if (multiplier < 1) {
            throw new IllegalArgumentException("the retry pause multiplier must be at least 1, was " + multiplier);
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("the retry jitter must be between 0 and 1, was " + jitter);
        }
        if (maxAttempts < 0) {
            throw new IllegalArgumentException("attempts must be 0 (until stopped) or more, was " + maxAttempts);
        }
    }

    /** doubling pauses with 20% jitter, retried until the work is stopped */
    public static RetryPolicy untilStopped(Duration initialBackoff, Duration maxBackoff) {
        return new RetryPolicy(initialBackoff, maxBackoff, 2.0, 0.2, UNTIL_STOPPED);
    }

    /** doubling pauses with 20% jitter, at most {@code maxAttempts} attempts in all */
    public static RetryPolicy attempts(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("at least one attempt is needed, was " + maxAttempts);
        }
        return new RetryPolicy(initialBackoff, maxBackoff, 2.0, 0.2, maxAttempts);
    }

    /**
     * The one classifier: a failure is worth another attempt when a catalog error in its cause chain is retriable.
     * Anything else — a fatal catalog error, a bug — is not: retrying a bug only hides it.
     */
    public static boolean retriable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TidemarkException te) {
                return te.retriable();
            }
        }
        return false;
    }

    /** a fresh sequence of pauses for one run of work */
    public Backoff start() {
        return new Backoff(this);
    }

    /**
     * Runs {@code work} until it succeeds, fails with an error that is not {@link #retriable}, or the attempts run
     * out ({@link RetriesExhausted}, carrying the last error and the count). Each failure that is retried is logged
     * once with the pause that follows.
     *
     * @param what   what the work is, for the log ("snapshot of m1", "chunk shop.orders.0001")
     * @param pauser how to wait between attempts; it throws InterruptedException when the work is stopped meanwhile
     */
    public <T> T run(String what, Attempt<T> work, Pauser pauser) throws InterruptedException {
        Backoff backoff = start();
        while (true) {
            try {
                return work.run(backoff.attempts() + 1);
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException(what + " was stopped during attempt " + (backoff.attempts() + 1));
                }
                if (!retriable(e)) {
                    throw e;
                }
                if (backoff.exhausted()) {
                    throw new RetriesExhausted(what, backoff.attempts() + 1, e);
                }
                Duration pause = backoff.next();
                LOGGER.warn("{}: attempt {} failed, trying again in {} ms: {}", what, backoff.attempts(),
                        pause.toMillis(), e.getMessage());
                pauser.pause(pause);
            }
        }
    }

    /** the same policy as a spring-kafka container's backoff, for record-level redelivery */
    public BackOff asSpringBackOff() {
        return () -> {
            Backoff b = start();
            return (BackOffExecution) () -> b.exhausted() ? BackOffExecution.STOP : b.next().toMillis();
        };
    }

    /** one attempt of the work; {@code attempt} counts from 1 */
    @FunctionalInterface
    public interface Attempt<T> {
        T run(int attempt);
    }

    /** waits between attempts; throws InterruptedException when the work was stopped meanwhile */
    @FunctionalInterface
    public interface Pauser {
        Pauser SLEEP = pause -> Thread.sleep(pause.toMillis());

        void pause(Duration pause) throws InterruptedException;
    }

    /**
     * One run's pauses: each failure takes the next, growing pause. Not thread-safe: a run belongs to one thread.
     */
    public static final class Backoff {
        private final RetryPolicy policy;
        private int failures;
        private double current;

        private Backoff(RetryPolicy policy) {
            this.policy = policy;
            this.current = policy.initialBackoff.toMillis();
        }

        /** failures seen so far (each followed by a pause) */
        public int attempts() {
            return failures;
        }

        /** whether the attempt just failed was the last one allowed */
        public boolean exhausted() {
            return policy.maxAttempts != UNTIL_STOPPED && failures + 1 >= policy.maxAttempts;
        }

        /** records a failure and returns the pause before the next attempt */
        public Duration next() {
            failures++;
            double base = Math.min(current, policy.maxBackoff.toMillis());
            current = Math.min(current * policy.multiplier, policy.maxBackoff.toMillis());
            double random = policy.jitter == 0 ? 0 : ThreadLocalRandom.current().nextDouble() * policy.jitter * base;
            return Duration.ofMillis(Math.max(1, Math.round(base - random)));
        }

        /** the work made progress: the next failure starts again from the first pause */
        public void reset() {
            failures = 0;
            current = policy.initialBackoff.toMillis();
        }
    }
}
