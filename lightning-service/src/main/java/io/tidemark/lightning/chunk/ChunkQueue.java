package io.tidemark.lightning.chunk;

import io.tidemark.common.command.ImportChunk;

import java.time.Duration;
import java.util.Optional;

/**
 * Where a worker takes chunks from, one at a time. The worker commits nothing itself: it tells the queue whether the
 * chunk it holds is finished ({@link #complete}) or must be delivered again ({@link #release}).
 * <p>
 * Threading: every method is called from the one worker loop thread that owns the queue; the chunk itself is imported
 * on another thread, while the loop calls {@link #keepAlive} so the queue never times the worker out, however long
 * the chunk takes.
 * <p>
 * Today's implementation is a classic consumer group ({@link ConsumerGroupChunkQueue}). A KIP-932 share group
 * (Kafka 4.2's "queues for Kafka": {@code KafkaShareConsumer}, explicit per-record acknowledgement, delivery counts,
 * more workers than partitions) fits this interface as it is: take = poll one record, keepAlive = poll with
 * {@code share.acquisition.lock} renewal, complete = {@code acknowledge(ACCEPT)}, release = {@code acknowledge(RELEASE)}.
 */
interface ChunkQueue extends AutoCloseable {
    /** the next chunk, or empty when none arrived within {@code wait}; at most one is held at a time */
    Optional<ImportChunk> take(Duration wait);

    /** keeps this worker's membership alive while the held chunk is being imported; hands out nothing new */
    void keepAlive(Duration wait);

    /** the held chunk is finished, imported or failed for good: it is not delivered again */
    void complete();

    /** the held chunk is not finished: deliver it again, to this worker or another */
    void release();

    @Override
    void close();
}
