package io.tidemark.dm.relay;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A source's relay topic: one partition (the binlog's order is the topic's order), deletion by the retention the relay
 * is configured with — set explicitly when the topic is created, never left to the broker's defaults, and checked on
 * every start, since a topic someone else created or altered would silently keep the relay shorter (or longer) than
 * the tasks that read it expect.
 */
final class RelayTopic {
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private RelayTopic() {
    }

    /** a topic just created is unknown to the broker that answers until the metadata reaches it: wait for that */
    private static TopicDescription describeOnceKnown(Admin admin, String topic)
            throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (true) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** the configuration the relay sets on its topic */
    static Map<String, String> configs(RelaySettings settings) {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(settings.retention().toMillis()));
        configs.put(TopicConfig.RETENTION_BYTES_CONFIG, Long.toString(settings.retentionBytes()));
        return configs;
    }

    /**
     * Creates the topic if missing and checks that it fits.
     *
     * @throws TidemarkException RELAY_TOPIC_MISCONFIGURED naming each difference
     */
    static void ensure(Admin admin, String topic, RelaySettings settings) {
        Map<String, String> wanted = configs(settings);
        try {
            try {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()).configs(wanted)))
                        .all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            List<String> problems = new ArrayList<>();
            TopicDescription description = describeOnceKnown(admin, topic);
            if (description.partitions().size() != 1) {
                problems.add("it has " + description.partitions().size() + " partitions, the relay needs 1");
            }
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config found = admin.describeConfigs(List.of(resource)).all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(resource);
            wanted.forEach((key, value) -> {
                ConfigEntry entry = found.get(key);
                String actual = entry == null ? null : entry.value();
                if (!value.equals(actual)) {
                    problems.add(key + " is " + actual + ", the relay is configured with " + value);
                }
            });
            if (!problems.isEmpty()) {
                throw new TidemarkException(ErrorCode.RELAY_TOPIC_MISCONFIGURED, topic, String.join("; ", problems));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TidemarkException(ErrorCode.INTERNAL, e, "interrupted while checking relay topic " + topic);
        } catch (ExecutionException | TimeoutException e) {
            throw new TidemarkException(ErrorCode.KAFKA_UNAVAILABLE, e, "relay topic " + topic + " (create and check"
                    + " within " + ADMIN_TIMEOUT.toSeconds() + " s)", String.valueOf(e.getCause() != null ? e.getCause() : e));
        }
    }
}
