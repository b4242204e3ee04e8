package io.tidemark.lightning.chunk;

import io.tidemark.common.command.Command;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.kit.kafka.KafkaClients;
import io.tidemark.kit.retry.RetryPolicy;
import io.tidemark.kit.status.StatusPublisher;
import io.tidemark.lightning.LightningProperties;
import io.tidemark.lightning.parquet.ParquetRows;
import io.tidemark.lightning.target.TargetSessions;
import io.tidemark.mysql.session.Timeouts;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;

import java.time.Duration;
import java.util.Map;

/** The worker role: {@code tidemark.lightning.workers} members of the catalog's import worker group. */
@Configuration(proxyBeanMethods = false)
class ChunkConfiguration {
    /** the first pause after a chunk attempt failed; a chunk resumes from its checkpoint, so it retries soon */
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    /**
     * How big one statement of Parquet rows grows before it is sent: Dumpling's default --statement-size, or the
     * batch size when that is smaller, so a batch never waits on one statement much larger than itself.
     */
    private static final long PARQUET_STATEMENT_BYTES = 1024 * 1024;

    @Bean
    ChunkWorkers chunkWorkers(KafkaClients clients, TopicCatalog topics, TargetSessions sessions, Timeouts timeouts,
                              StatusPublisher status, WorkerId workerId, LightningProperties props) {
        RetryPolicy retry = RetryPolicy.untilStopped(props.firstRetryBackoff(FIRST_BACKOFF), props.maxRetryBackoff());
        ParquetRows.Limits limits = new ParquetRows.Limits(props.maxRowGroupBytes().toBytes());
        ParquetChunkLoader parquet = new ParquetChunkLoader(limits, props.batchStatements(),
                props.batchBytes().toBytes(), (int) Math.min(PARQUET_STATEMENT_BYTES, props.batchBytes().toBytes()));
        ChunkImporter importer = new ChunkImporter(sessions, timeouts, status, workerId, retry, props.batchStatements(),
                props.batchBytes().toBytes(), (int) props.maxStatementBytes().toBytes(), parquet);
        // one chunk per poll: the rest stay in Kafka for other members instead of waiting behind a long chunk
        ConsumerFactory<String, Command> consumers = clients.consumerFactory(topics.importWorkerGroup(),
                Command.class, Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1));
        return new ChunkWorkers(props.workers(), (i, stop) -> new ChunkWorker("lightning-worker-" + i,
                () -> new ConsumerGroupChunkQueue(consumers.createConsumer(null, "lightning-worker-", "" + i),
                        topics.importChunks()),
                importer, status, workerId, stop));
    }
}
