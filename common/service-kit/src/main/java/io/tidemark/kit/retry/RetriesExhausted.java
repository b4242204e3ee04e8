package io.tidemark.kit.retry;

import io.tidemark.common.error.TidemarkException;

/**
 * A retriable failure that kept failing until the policy's attempts ran out. It carries the last catalog error and
 * the count, so the final report says both what failed and that Tidemark stopped trying (the catalog's
 * {@code remedyAfterGivingUp}), never "Tidemark retries" over work that no longer runs.
 */
public final class RetriesExhausted extends RuntimeException {
    private final int attempts;
    private final TidemarkException last;

    RetriesExhausted(String what, int attempts, RuntimeException last) {
        super(what + ": gave up after " + attempts + " attempts: " + last.getMessage(), last);
        this.attempts = attempts;
        this.last = findCatalogError(last);
    }

    public int attempts() {
        return attempts;
    }

    /** the catalog error of the last attempt */
    public TidemarkException last() {
        return last;
    }

    private static TidemarkException findCatalogError(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TidemarkException te) {
                return te;
            }
        }
        throw new IllegalArgumentException("only retriable catalog errors are retried", failure);
    }
}
