package io.tidemark.snapshot.work;

import io.tidemark.common.command.Command;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.kit.kafka.CommandErrors;
import io.tidemark.kit.kafka.KafkaClients;
import io.tidemark.kit.status.StatusPublisher;
import io.tidemark.mysql.session.Timeouts;
import io.tidemark.snapshot.SnapshotProperties;
import io.tidemark.snapshot.aurora.AuroraRestoreSnapshot;
import io.tidemark.snapshot.aurora.AuroraSnapshot;
import io.tidemark.snapshot.aurora.RdsProperties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.util.backoff.FixedBackOff;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

import java.util.Map;

/**
 * The snapshot command consumer: one container whose listener runs up to {@code tidemark.snapshot.concurrent-dumps}
 * dumps at once, one per partition; scale further by adding instances.
 */
@Configuration(proxyBeanMethods = false)
class WorkConfiguration {

    @Bean
    SnapshotWorker snapshotWorker(SecretBox secretBox, StatusPublisher statusPublisher, SnapshotProperties properties,
                                  WorkerId workerId, Timeouts timeouts, AuroraSnapshot auroraSnapshot,
                                  AuroraRestoreSnapshot auroraRestoreSnapshot) {
        return new SnapshotWorker(secretBox, statusPublisher, properties, workerId, timeouts, auroraSnapshot,
                auroraRestoreSnapshot);
    }

    /** AWS credentials as for the export */
    @Bean
    AuroraRestoreSnapshot auroraRestoreSnapshot(RdsProperties rdsProperties) {
        return new AuroraRestoreSnapshot(rdsProperties, DefaultCredentialsProvider.builder().build());
    }

    /** AWS credentials from the service host's default chain (environment, profile, web identity, instance role) */
    @Bean
    AuroraSnapshot auroraSnapshot(RdsProperties rdsProperties) {
        return new AuroraSnapshot(rdsProperties, DefaultCredentialsProvider.builder().build());
    }

    @Bean
    ConsumerFactory<String, Command> snapshotCommandConsumerFactory(KafkaClients clients, TopicCatalog catalog) {
        // one command per poll: a paused partition never has a fetched record waiting behind it. Cooperative
        // rebalancing: a rejoin revokes only the partitions that move, so a running dump is cancelled only when its
        // partition goes to another instance; with the eager default every rejoin revoked everything first, and a
        // rejoin asked for while the broker went away (seen in SnapshotKafkaOutageIT) cancelled a dump that had
        // nowhere else to go
        return clients.consumerFactory(catalog.snapshotGroup(), Command.class,
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1,
                        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName()));
    }

    @Bean(destroyMethod = "close")
    SnapshotCommandListener snapshotCommandListener(SnapshotWorker snapshotWorker, SnapshotProperties properties) {
        return new SnapshotCommandListener(snapshotWorker, properties.concurrentDumps());
    }

    /** reads the snapshot group's offsets, never commits: see {@link SnapshotStopWatch} */
    @Bean(initMethod = "start", destroyMethod = "close")
    SnapshotStopWatch snapshotStopWatch(KafkaClients clients, TopicCatalog catalog, SnapshotCommandListener listener) {
        ConsumerFactory<String, Command> factory = clients.consumerFactory(catalog.snapshotGroup(), Command.class,
                Map.of());
        return new SnapshotStopWatch(() -> factory.createConsumer(catalog.snapshotGroup(), "snapshot-stop-watch"),
                catalog.snapshotCommands(), listener);
    }

    @Bean
    KafkaMessageListenerContainer<String, Command> snapshotCommandContainer(
            ConsumerFactory<String, Command> snapshotCommandConsumerFactory, SnapshotCommandListener listener,
            TopicCatalog catalog) {
        ContainerProperties props = new ContainerProperties(catalog.snapshotCommands());
        props.setGroupId(catalog.snapshotGroup());
        props.setAckMode(ContainerProperties.AckMode.MANUAL_IMMEDIATE);
        props.setMessageListener(listener);
        // a dump must not outlive its partition: the rebalance waits for this callback before handing it over
        props.setConsumerRebalanceListener(listener.revocationFence());
        // stopping waits for the fence, which waits for the dumps it cancels
        props.setShutdownTimeout(SnapshotCommandListener.REVOKE_WAIT.plusSeconds(10).toMillis());
        KafkaMessageListenerContainer<String, Command> container =
                new KafkaMessageListenerContainer<>(snapshotCommandConsumerFactory, props);
        // poison messages: no retries, log and commit past them; a command of a newer version is kept and retried
        container.setCommonErrorHandler(CommandErrors.handler("snapshot-service", new FixedBackOff(0L, 0L)));
        listener.bind(container);
        return container;
    }
}
