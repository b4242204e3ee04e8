package io.tidemark.lightning.chunk;

import io.tidemark.common.command.ImportChunk;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where a worker takes chunks from, one at a time. The worker commits nothing itself: it tells the queue whether the
 * chunk it holds is finished ({@link #complete}), failed for good ({@link #reject}) or must be delivered again
 * ({@link #release}).
 * <p>
 * Threading: every method is called from the one worker loop thread that owns the queue; the chunk itself is imported
 * on another thread, while the loop calls {@link #keepAlive} so the queue never times the worker out, however long
 * the chunk takes.
 * <p>
 * Two implementations, chosen once at start-up ({@link ChunkQueues}): a KIP-932 share group ({@link ShareChunkQueue}:
 * any number of workers, a delivery count per chunk) where the cluster has share groups, else a classic consumer group
 * ({@link ConsumerGroupChunkQueue}: at most one busy worker per partition).
 */
interface ChunkQueue extends AutoCloseable {
    /** the next chunk, or empty when none arrived within {@code wait}; at most one is held at a time */
    Optional<Delivery> take(Duration wait);

    /** keeps this worker's membership (and its hold on the chunk) alive while it is imported; hands out nothing new */
    void keepAlive(Duration wait);

    /** the held chunk is finished (imported, or found imported): it is not delivered again */
    void complete();

    /** the held chunk failed for good and was reported: it is not delivered again */
    void reject();

    /** the held chunk is not finished: deliver it again, to this worker or another */
    void release();

    @Override
    void close();

    /**
     * One delivery of a chunk; {@code count} is how many times the queue has handed it out, this one included, where
     * the queue counts (a share group does, a consumer group does not)
     */
    record Delivery(ImportChunk chunk, OptionalInt count) {
    }
}
