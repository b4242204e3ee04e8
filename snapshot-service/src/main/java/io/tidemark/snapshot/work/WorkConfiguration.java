package io.tidemark.snapshot.work;

import io.tidemark.common.command.Command;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.serde.MessageDeserializer;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.topic.Topics;
import io.tidemark.snapshot.SnapshotProperties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.FixedBackOff;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The snapshot command consumer: one container, one dump at a time per instance; scale by adding instances. */
@Configuration(proxyBeanMethods = false)
class WorkConfiguration {

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService snapshotDumpExecutor() {
        return Executors.newSingleThreadExecutor(r -> new Thread(r, "snapshot-dump"));
    }

    @Bean
    StatusPublisher snapshotStatusPublisher(KafkaTemplate<String, StatusEvent> statusTemplate) {
        return new StatusPublisher(statusTemplate);
    }

    @Bean
    SnapshotWorker snapshotWorker(SecretBox secretBox, StatusPublisher snapshotStatusPublisher,
                                  SnapshotProperties properties, WorkerId workerId) {
        return new SnapshotWorker(secretBox, snapshotStatusPublisher, properties, workerId);
    }

    @Bean
    ConsumerFactory<String, Command> snapshotCommandConsumerFactory(
            KafkaProperties kafka) {
        // spring.kafka.* (security.protocol, SASL for MSK, timeouts) first; what this client needs on top
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.putAll(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, Topics.GROUP_SNAPSHOT,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // one command per poll: the container pauses right after it, nothing else waits in the batch
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1));
        // an unreadable record becomes a DeserializationException the error handler logs and skips
        return new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(),
                new ErrorHandlingDeserializer<>(new MessageDeserializer<>(Command.class)));
    }

    @Bean
    KafkaMessageListenerContainer<String, Command> snapshotCommandContainer(
            ConsumerFactory<String, Command> snapshotCommandConsumerFactory, SnapshotWorker snapshotWorker,
            ExecutorService snapshotDumpExecutor) {
        SnapshotCommandListener listener = new SnapshotCommandListener(snapshotWorker, snapshotDumpExecutor);
        ContainerProperties props = new ContainerProperties(Topics.SNAPSHOT_COMMANDS);
        props.setGroupId(Topics.GROUP_SNAPSHOT);
        props.setAckMode(ContainerProperties.AckMode.MANUAL_IMMEDIATE);
        props.setMessageListener(listener);
        // a dump must not outlive its partition: the rebalance waits for this callback before handing it over
        props.setConsumerRebalanceListener(listener.revocationFence());
        KafkaMessageListenerContainer<String, Command> container =
                new KafkaMessageListenerContainer<>(snapshotCommandConsumerFactory, props);
        // poison messages: no retries, log and commit past them
        DefaultErrorHandler errors = new DefaultErrorHandler(new FixedBackOff(0L, 0L));
        errors.setCommitRecovered(true);
        container.setCommonErrorHandler(errors);
        listener.bind(container);
        return container;
    }
}
