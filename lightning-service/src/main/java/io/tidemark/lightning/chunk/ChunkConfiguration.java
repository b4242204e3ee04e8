package io.tidemark.lightning.chunk;

import io.tidemark.common.command.Command;
import io.tidemark.common.topic.Topics;
import io.tidemark.lightning.LightningProperties;
import io.tidemark.lightning.status.StatusPublisher;
import io.tidemark.lightning.target.TargetSessions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;

import java.util.Properties;

/** The worker role: {@code tidemark.lightning.workers} members of {@link Topics#GROUP_IMPORT_WORKER}. */
@Configuration(proxyBeanMethods = false)
class ChunkConfiguration {

    @Bean
    ChunkWorkers chunkWorkers(ConsumerFactory<String, Command> commandConsumerFactory, TargetSessions sessions,
                              StatusPublisher status, LightningProperties props) {
        ChunkImporter importer = new ChunkImporter(sessions, status, props.batchStatements(),
                props.batchBytes().toBytes(), (int) props.maxStatementBytes().toBytes(), props.maxRetryBackoff());
        Properties overrides = new Properties();
        // one chunk per poll: the rest stay in Kafka for other members instead of waiting behind a long chunk
        overrides.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new ChunkWorkers(props.workers(), (i, stop) -> new ChunkWorker("lightning-worker-" + i,
                () -> new ConsumerGroupChunkQueue(commandConsumerFactory.createConsumer(Topics.GROUP_IMPORT_WORKER,
                        "lightning-worker", "-" + i, overrides)),
                importer, status, stop));
    }
}
