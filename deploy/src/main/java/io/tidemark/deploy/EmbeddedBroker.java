package io.tidemark.deploy;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * The in-process KRaft broker of the embedded default: one node, replication factor 1. Its log lives in a temporary
 * directory for the life of the process; point {@code --kafka} at a real cluster for state that outlives it.
 */
final class EmbeddedBroker implements AutoCloseable {
    private final EmbeddedKafkaKraftBroker broker;

    private EmbeddedBroker(EmbeddedKafkaKraftBroker broker) {
        this.broker = broker;
    }

    static EmbeddedBroker start(int port) {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        if (port > 0) {
            broker.kafkaPorts(port);
        }
        broker.brokerProperties(Map.of(
                "offsets.topic.num.partitions", "1",
                "offsets.topic.replication.factor", "1",
                "group.initial.rebalance.delay.ms", "0",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "share.coordinator.state.topic.replication.factor", "1",
                "share.coordinator.state.topic.min.isr", "1",
                "log.cleaner.enable", "true"));
        // Kafka's storage formatter prints to System.out whatever the log level: keep the console for the user
        PrintStream console = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            broker.afterPropertiesSet();
        } finally {
            System.setOut(console);
        }
        return new EmbeddedBroker(broker);
    }

    String bootstrapServers() {
        return broker.getBrokersAsString();
    }

    @Override
    public void close() {
        broker.destroy();
    }
}
