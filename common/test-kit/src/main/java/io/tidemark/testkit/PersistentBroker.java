package io.tidemark.testkit;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * The standalone jar's Kafka: one KRaft node (broker and controller) listening on 127.0.0.1, its log in
 * {@code <data-dir>/kafka}, formatted on first start. Because the log outlives the process, the coordinator's state
 * ({@code tidemark.migrations}) and the replication tasks' desired state survive a restart of the standalone jar,
 * and replication picks up where its checkpoint stands.
 */
public final class PersistentBroker implements AutoCloseable {
    private static final String PORTS_FILE = "tidemark-ports.properties";

    private final KafkaRaftServer server;
    private final int port;

    private PersistentBroker(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** @param requestedPort the client port; 0 = the one used last time, or any free port the first time */
    public static PersistentBroker start(Path dir, int requestedPort) {
        try {
            Files.createDirectories(dir);
            Properties ports = loadPorts(dir);
            // both free ports found while both probe sockets are open: one after the other, the system may hand the
            // same port out twice, and the broker and controller listeners would then collide
            int[] free = freePorts();
            int port = requestedPort > 0 ? requestedPort
                    : Integer.parseInt(ports.getProperty("broker", String.valueOf(free[0])));
            int controllerPort = Integer.parseInt(ports.getProperty("controller",
                    String.valueOf(free[1] != port ? free[1] : free[0])));
            ports.setProperty("broker", String.valueOf(port));
            ports.setProperty("controller", String.valueOf(controllerPort));
            try (OutputStream out = Files.newOutputStream(dir.resolve(PORTS_FILE))) {
                ports.store(out, "ports of the standalone jar's Kafka node");
            }

            Properties p = new Properties();
            p.setProperty("process.roles", "broker,controller");
            p.setProperty("node.id", "1");
            p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
            p.setProperty("controller.listener.names", "CONTROLLER");
            p.setProperty("inter.broker.listener.name", "PLAINTEXT");
            p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.setProperty("log.dirs", dir.toString());
            p.setProperty("num.partitions", "1");
            p.setProperty("default.replication.factor", "1");
            p.setProperty("offsets.topic.replication.factor", "1");
            p.setProperty("offsets.topic.num.partitions", "1");
            p.setProperty("transaction.state.log.replication.factor", "1");
            p.setProperty("transaction.state.log.min.isr", "1");
            p.setProperty("share.coordinator.state.topic.replication.factor", "1");
            p.setProperty("share.coordinator.state.topic.min.isr", "1");
            // share groups (Kafka 4.2, share.version=1 from the format): lightning's chunk workers lock a chunk for
            // as long as it imports (tidemark.lightning.chunk-lock), beyond the 60 s brokers allow by default
            p.setProperty("group.share.max.record.lock.duration.ms", "3600000");
            // the first share group creates the share state topic: 50 partitions by default took long enough on a
            // busy machine that the chunk partitions' initialisation failed and was retried only 30 s later
            // (group.share.initialize.retry.interval.ms), so a first import waited 30 s for its first chunk
            p.setProperty("share.coordinator.state.topic.num.partitions", "1");
            p.setProperty("group.share.initialize.retry.interval.ms", "1000");
            p.setProperty("group.initial.rebalance.delay.ms", "0");
            KafkaConfig config = KafkaConfig.fromProps(p, false);

            if (!Files.exists(dir.resolve("meta.properties"))) {
                format(dir);
            }
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            awaitListening(port);
            return new PersistentBroker(server, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the in-process Kafka node in " + dir, e);
        }
    }

    /** the broker's listener accepts connections: a client started right after never meets a refused connection */
    private static void awaitListening(int port) throws IOException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (java.net.Socket probe = new java.net.Socket()) {
                probe.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the in-process Kafka node does not listen on 127.0.0.1:" + port
                            + " 60 s after it started", e);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the Kafka node to listen", interrupted);
                }
            }
        }
    }

    private static void format(Path dir) {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(dir.toString())
                    .setDirectories(List.of(dir.toString()))
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    // share groups (KIP-932) for lightning's chunk queue; 4.2's release version implies it, said here
                    // so a change of default never silently sends the chunk workers back to a consumer group
                    .setFeatureLevel("share.version", (short) 1)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the in-process Kafka node's log directory " + dir
                    + ": " + e.getMessage() + " (delete the directory to start with an empty Kafka)", e);
        }
    }

    private static Properties loadPorts(Path dir) throws IOException {
        Properties ports = new Properties();
        Path file = dir.resolve(PORTS_FILE);
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                ports.load(in);
            }
        }
        return ports;
    }

    private static int[] freePorts() throws IOException {
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            return new int[]{a.getLocalPort(), b.getLocalPort()};
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
