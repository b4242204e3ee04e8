package io.tidemark.lightning.plan;

import io.tidemark.common.command.Command;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.kit.kafka.CommandErrors;
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
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.util.backoff.FixedBackOff;

import java.time.Duration;
import java.util.Map;

/** The planner: a listener container on the catalog's import commands, in the import planner group. */
@Configuration(proxyBeanMethods = false)
class PlanConfiguration {
    /** planning creates schemas and may retry an unreachable target for a while: one record per poll, long leash */
    private static final int MAX_POLL_INTERVAL_MS = 10 * 60 * 1000;
    /** attempts at one plan before it is reported failed for good; a plan only runs DDL, so it fails fast */
    private static final int PLAN_ATTEMPTS = 5;
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    @Bean
    ImportPlanner importPlanner(TargetSessions sessions, Timeouts timeouts, KafkaClients clients, TopicCatalog topics,
                                StatusPublisher status, WorkerId workerId, LightningProperties props) {
        return new ImportPlanner(sessions, timeouts, clients.template("chunks"), topics, status, workerId,
                RetryPolicy.attempts(PLAN_ATTEMPTS, props.firstRetryBackoff(FIRST_BACKOFF), props.maxRetryBackoff()),
                (int) props.maxStatementBytes().toBytes(), new ParquetRows.Limits(props.maxRowGroupBytes().toBytes()),
                props.chunkBytes().toBytes(), props.planPageChunks());
    }

    @Bean
    ConcurrentMessageListenerContainer<String, Command> importPlannerContainer(
            ImportPlanner planner, KafkaClients clients, TopicCatalog topics, LightningProperties props) {
        ContainerProperties cp = new ContainerProperties(topics.importCommands());
        cp.setClientId("lightning-planner");
        // the planner acknowledges a request itself, once its ImportPlanned or WorkFailed was taken by Kafka
        cp.setAckMode(ContainerProperties.AckMode.MANUAL_IMMEDIATE);
        cp.setMessageListener(planner);
        ConcurrentMessageListenerContainer<String, Command> container = new ConcurrentMessageListenerContainer<>(
                clients.consumerFactory(topics.importPlannerGroup(), Command.class, Map.of(
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1,
                        ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, MAX_POLL_INTERVAL_MS)), cp);
        // not a retry of work (the planner retries that with its RetryPolicy): a record the listener throws on, a
        // bug, is logged and skipped after two tries instead of being redelivered forever; a request of a newer
        // message version is kept and retried until this service is upgraded
        container.setCommonErrorHandler(CommandErrors.handler("lightning-planner", new FixedBackOff(1000L, 2L)));
        container.setAutoStartup(props.plannerEnabled());
        return container;
    }
}
