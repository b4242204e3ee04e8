package io.tidemark.lightning.chunk;

import io.tidemark.common.id.WorkerId;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.kit.kafka.KafkaClients;
import io.tidemark.kit.retry.RetryPolicy;
import io.tidemark.kit.status.StatusPublisher;
import io.tidemark.lightning.LightningProperties;
import io.tidemark.lightning.parquet.ParquetRows;
import io.tidemark.lightning.target.TargetSessions;
import io.tidemark.mysql.session.Timeouts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.Map;

/**
 * The worker role: {@code tidemark.lightning.workers} members of the catalog's import worker share group, or of its
 * consumer group on a cluster without share groups ({@link ChunkQueues}).
 */
@Configuration(proxyBeanMethods = false)
class ChunkConfiguration {
    /** the first pause after a chunk attempt failed; a chunk resumes from its checkpoint, so it retries soon */
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    /**
     * How big one statement of Parquet rows grows before it is sent: Dumpling's default --statement-size, or the
     * batch size when that is smaller, so a batch never waits on one statement much larger than itself.
     */
    private static final long PARQUET_STATEMENT_BYTES = 1024 * 1024;

    /** decided before any worker starts: the share group where the cluster has one, else the consumer group */
    @Bean
    ChunkQueues chunkQueues(KafkaClients clients, TopicCatalog topics, LightningProperties props,
                            ObjectProvider<MeterRegistry> meters) {
        ChunkQueues queues = ChunkQueues.choose(clients, topics, props);
        MeterRegistry registry = meters.getIfAvailable();
        if (registry != null) {
            Gauge.builder("tidemark.lightning.chunk.queue", () -> 1)
                    .description("the queue this instance's chunk workers take chunks from (the path tag)")
                    .tag("path", queues.path().label())
                    .register(registry);
        }
        return queues;
    }

    /** {@code GET /actuator/info}: {@code chunkQueue.path}, why, and the group */
    @Bean
    InfoContributor chunkQueueInfo(ChunkQueues queues) {
        return info -> info.withDetail("chunkQueue", Map.of("path", queues.path().label(), "reason", queues.reason(),
                "group", queues.group()));
    }

    @Bean
    ChunkWorkers chunkWorkers(ChunkQueues queues, TargetSessions sessions, Timeouts timeouts, StatusPublisher status,
                              WorkerId workerId, LightningProperties props) {
        // a share group hands a chunk that keeps failing to the next free worker after a few attempts, with a
        // delivery count; a consumer group can only hand it back to the same member, so that one retries in place
        RetryPolicy retry = queues.path() == ChunkQueues.Path.SHARE_GROUP
                ? RetryPolicy.attempts(props.attemptsPerDelivery(), props.firstRetryBackoff(FIRST_BACKOFF),
                props.maxRetryBackoff())
                : RetryPolicy.untilStopped(props.firstRetryBackoff(FIRST_BACKOFF), props.maxRetryBackoff());
        ParquetRows.Limits limits = new ParquetRows.Limits(props.maxRowGroupBytes().toBytes());
        ParquetChunkLoader parquet = new ParquetChunkLoader(limits, props.batchStatements(),
                props.batchBytes().toBytes(), (int) Math.min(PARQUET_STATEMENT_BYTES, props.batchBytes().toBytes()));
        ChunkImporter importer = new ChunkImporter(sessions, timeouts, status, workerId, retry, props.batchStatements(),
                props.batchBytes().toBytes(), (int) props.maxStatementBytes().toBytes(), parquet);
        return new ChunkWorkers(props.workers(), (i, stop) -> new ChunkWorker("lightning-worker-" + i,
                () -> queues.open(i), importer, status, workerId, stop, props.maxDeliveries(),
                RetryPolicy.untilStopped(props.firstRetryBackoff(FIRST_BACKOFF), props.maxRetryBackoff())));
    }
}
