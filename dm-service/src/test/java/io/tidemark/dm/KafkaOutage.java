package io.tidemark.dm;

import io.tidemark.testkit.PersistentBroker;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real broker that a test takes away and brings back, for each test: it comes back on the same log and port, so
 * the clients started on {@link #servers()} reconnect by themselves, as after a real outage. Registered as an
 * instance {@code @RegisterExtension} field.
 */
final class KafkaOutage implements BeforeEachCallback, AfterEachCallback {
    private Path dir;
    private int port;
    /** null while Kafka is away */
    private PersistentBroker broker;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("kafka-outage");
        broker = PersistentBroker.start(dir, 0);
        String servers = broker.bootstrapServers();
        port = Integer.parseInt(servers.substring(servers.lastIndexOf(':') + 1));
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (broker != null) {
            broker.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    String servers() {
        return broker.bootstrapServers();
    }

    /** Kafka goes away: the broker stops, its log stays */
    void goAway() {
        broker.close();
        broker = null;
    }

    /** Kafka comes back on the same log and port */
    void comeBack() {
        broker = PersistentBroker.start(dir, port);
    }
}
