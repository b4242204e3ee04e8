package io.tidemark.lightning.chunk;

import io.tidemark.common.error.TidemarkException;

/** How one delivery of a chunk ended; decides whether the queue forgets the chunk or delivers it again. */
sealed interface ChunkOutcome {
    /**
     * all statements are in the target and the checkpoint says done (now, or already before this delivery);
     * {@code valueSum} is the sum of its rows' value digests, null where not known
     */
    record Imported(long rows, long bytes, boolean alreadyDone, Long valueSum) implements ChunkOutcome {
        /** a chunk whose values were not digested */
        Imported(long rows, long bytes, boolean alreadyDone) {
            this(rows, bytes, alreadyDone, null);
        }
    }

    /** a fault the user must fix; the worker reports it as WorkFailed, and it is not retried */
    record Failed(TidemarkException error) implements ChunkOutcome {
    }

    /**
     * a fault that may pass (target unreachable, a lock wait) outlasted this delivery's attempts: the chunk goes back
     * to the queue for the next free worker, resuming from its checkpoint (a share group only; a consumer group
     * retries in place)
     */
    record Retry(TidemarkException error) implements ChunkOutcome {
    }

    /** another worker advanced the checkpoint meanwhile (a rebalance gave it the chunk): it finishes the chunk */
    record TakenOver() implements ChunkOutcome {
    }

    /** the service is stopping; the checkpoint holds what was committed, the chunk is delivered again */
    record Stopped() implements ChunkOutcome {
    }
}
