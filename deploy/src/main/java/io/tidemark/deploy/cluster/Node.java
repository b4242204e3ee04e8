package io.tidemark.deploy.cluster;

import io.tidemark.coordinator.CoordinatorApplication;
import io.tidemark.deploy.ApiTokenFile;
import io.tidemark.deploy.SecretKeys;
import io.tidemark.dm.DmServiceApplication;
import io.tidemark.lightning.LightningServiceApplication;
import io.tidemark.snapshot.SnapshotServiceApplication;
import io.tidemark.testkit.PersistentBroker;
import org.springframework.boot.builder.SpringApplicationBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * One process of a cluster that {@code deploy/cluster.sh} starts on one machine: the Kafka broker (KRaft, its own
 * JVM) or one instance of one service, which talks to the others only through Kafka, as on separate machines.
 * <pre>
 * Node broker      --data-dir=D --kafka-port=P
 * Node coordinator --data-dir=D --kafka=H:P [--port=8080] [--key=value …]
 * Node snapshot|lightning|dm --data-dir=D --kafka=H:P [--key=value …]
 * </pre>
 * Every service reads the secret key from {@code TIDEMARK_SECRET_KEY} or {@code D/secret.key} (created once, mode
 * 600), so all of them seal and open with the same key. Further {@code --key=value} arguments are Spring properties.
 */
public final class Node {
    static final Map<String, Supplier<SpringApplicationBuilder>> SERVICES = Map.of(
            "coordinator", CoordinatorApplication::app,
            "snapshot", SnapshotServiceApplication::app,
            "lightning", LightningServiceApplication::app,
            "dm", DmServiceApplication::app);

    private Node() {
    }

    public static void main(String[] args) throws Exception {
        NodeOptions options;
        try {
            options = NodeOptions.parse(args, SERVICES.keySet());
        } catch (NodeOptions.UsageException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Files.createDirectories(options.dataDir());
        if (options.role().equals("broker")) {
            broker(options.dataDir(), options.kafkaPort());
            return;
        }
        int port = options.port() != null ? options.port() : options.role().equals("coordinator") ? 8080 : 0;
        List<String> all = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + options.kafka(),
                "--tidemark.secret-key=" + SecretKeys.load(options.dataDir()),
                "--tidemark.topics.partitions=6",
                "--tidemark.topics.replication-factor=1",
                "--spring.main.banner-mode=off",
                "--logging.level.org.apache.kafka=WARN",
                "--server.port=" + port));
        if (options.role().equals("coordinator")) {
            all.add("--tidemark.api.token-file=" + ApiTokenFile.in(options.dataDir()));
        }
        all.addAll(options.spring()); // the caller's own properties win
        SERVICES.get(options.role()).get().run(all.toArray(String[]::new));
    }

    /** the broker in this JVM until it is told to stop (SIGTERM); prints where it listens once it does */
    private static void broker(Path dataDir, int port) throws InterruptedException {
        PersistentBroker broker = PersistentBroker.start(dataDir.resolve("kafka"), port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "broker-shutdown"));
        System.out.println("Kafka broker ready at " + broker.bootstrapServers() + " (KRaft, log in "
                + dataDir.resolve("kafka") + ")");
        System.out.flush();
        stopped.await();
    }
}
