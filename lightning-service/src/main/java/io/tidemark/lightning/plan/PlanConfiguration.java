package io.tidemark.lightning.plan;

import io.tidemark.common.command.Command;
import io.tidemark.common.topic.Topics;
import io.tidemark.lightning.LightningProperties;
import io.tidemark.lightning.status.StatusPublisher;
import io.tidemark.lightning.target.TargetSessions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

import java.util.Properties;

/** The planner's listener container on {@link Topics#IMPORT_COMMANDS}, group {@link Topics#GROUP_IMPORT_PLANNER}. */
@Configuration(proxyBeanMethods = false)
class PlanConfiguration {
    /** planning creates schemas and may retry an unreachable target for a while: one record per poll, long leash */
    private static final int MAX_POLL_INTERVAL_MS = 10 * 60 * 1000;

    @Bean
    ConcurrentMessageListenerContainer<String, Command> importPlannerContainer(
            ConsumerFactory<String, Command> commandConsumerFactory, TargetSessions sessions,
            KafkaTemplate<String, Object> kafkaTemplate, StatusPublisher status, LightningProperties props) {
        ContainerProperties cp = new ContainerProperties(Topics.IMPORT_COMMANDS);
        cp.setGroupId(Topics.GROUP_IMPORT_PLANNER);
        cp.setClientId("lightning-planner");
        cp.setAckMode(ContainerProperties.AckMode.RECORD);
        Properties consumer = new Properties();
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        consumer.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, String.valueOf(MAX_POLL_INTERVAL_MS));
        cp.setKafkaConsumerProperties(consumer);
        cp.setMessageListener(new ImportPlanner(sessions, kafkaTemplate, status,
                (int) props.maxStatementBytes().toBytes(), props.maxRetryBackoff()));
        ConcurrentMessageListenerContainer<String, Command> container =
                new ConcurrentMessageListenerContainer<>(commandConsumerFactory, cp);
        // an unreadable record or an unexpected bug is logged and skipped after two tries, never redelivered forever
        container.setCommonErrorHandler(new DefaultErrorHandler(new FixedBackOff(1000L, 2L)));
        container.setAutoStartup(props.plannerEnabled());
        return container;
    }
}
