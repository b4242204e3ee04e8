package io.tidemark.testkit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Kafka broker for tests: Testcontainers' Kafka where a Docker engine answers, else an in-process KRaft
 * broker (spring-kafka-test), tuned so tests start fast. {@code TIDEMARK_TEST_KAFKA=embedded|testcontainers}
 * forces the choice.
 */
public final class TestKafka implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(TestKafka.class);
    private static final String IMAGE = "apache/kafka:4.2.1";
    private static Boolean dockerAnswers;

    private final EmbeddedKafkaKraftBroker embedded;
    private final KafkaContainer container;

    private TestKafka(EmbeddedKafkaKraftBroker embedded, KafkaContainer container) {
        this.embedded = embedded;
        this.container = container;
    }

    public static TestKafka start() {
        if (useContainer()) {
            KafkaContainer container = new KafkaContainer(IMAGE)
                    .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                    .withEnv("KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "1");
            container.start();
            LOGGER.info("Kafka from Testcontainers ({}) at {}", IMAGE, container.getBootstrapServers());
            return new TestKafka(null, container);
        }
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperties(Map.ofEntries(
                Map.entry("offsets.topic.num.partitions", "1"),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                // as PersistentBroker: a first share group must not wait 30 s for its state topic
                Map.entry("share.coordinator.state.topic.num.partitions", "1"),
                Map.entry("group.share.initialize.retry.interval.ms", "1000"),
                // a share group's acquisition lock (share.record.lock.duration.ms) as the services set it: from a
                // test's seconds to a long chunk's minutes
                Map.entry("group.share.min.record.lock.duration.ms", "1000"),
                Map.entry("group.share.max.record.lock.duration.ms", "3600000")));
        broker.afterPropertiesSet();
        // spring-kafka-test publishes the broker JVM-wide as system properties, which outrank the bootstrap servers
        // a test gives a service as default properties: a later service on another broker (PersistentBroker, a
        // restarted one) would silently connect to this one. Every harness names its broker itself.
        System.clearProperty("spring.kafka.bootstrap-servers");
        System.clearProperty("spring.embedded.kafka.brokers");
        return new TestKafka(broker, null);
    }

    /**
     * A broker as a cluster before Kafka 4.2 looks to a client (Amazon MSK, on-premise): no share groups. The
     * cluster's {@code share.version} feature is downgraded to 0 right after start, so every broker refuses share
     * group requests and {@code describeFeatures} shows the feature off, as on an older cluster.
     */
    public static TestKafka startWithoutShareGroups() {
        TestKafka kafka = start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.updateFeatures(Map.of("share.version",
                            new FeatureUpdate((short) 0, FeatureUpdate.UpgradeType.SAFE_DOWNGRADE)),
                    new UpdateFeaturesOptions()).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            kafka.close();
            throw new IllegalStateException("cannot turn share groups off on the test broker: " + e, e);
        }
        return kafka;
    }

    private static synchronized boolean useContainer() {
        String forced = System.getenv("TIDEMARK_TEST_KAFKA");
        if (forced != null && !forced.isBlank()) {
            return forced.strip().toLowerCase(Locale.ROOT).equals("testcontainers");
        }
        if (dockerAnswers == null) {
            // ask Testcontainers only where an engine could be: it logs errors at length when none answers
            boolean engineConfigured = System.getenv("DOCKER_HOST") != null
                    || Files.exists(Path.of("/var/run/docker.sock"));
            try {
                dockerAnswers = engineConfigured && DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | LinkageError e) {
                dockerAnswers = false;
            }
        }
        return dockerAnswers;
    }

    public String bootstrapServers() {
        return container != null ? container.getBootstrapServers() : embedded.getBrokersAsString();
    }

    @Override
    public void close() {
        if (container != null) {
            container.stop();
        } else {
            embedded.destroy();
        }
    }
}
