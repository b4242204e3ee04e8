package io.tidemark.deploy.cluster;

import io.tidemark.coordinator.CoordinatorApplication;
import io.tidemark.deploy.SecretKeys;
import io.tidemark.dm.DmServiceApplication;
import io.tidemark.lightning.LightningServiceApplication;
import io.tidemark.snapshot.SnapshotServiceApplication;
import io.tidemark.testkit.PersistentBroker;
import org.springframework.boot.builder.SpringApplicationBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
        if (args.length == 0 || !(args[0].equals("broker") || SERVICES.containsKey(args[0]))) {
            System.err.println("usage: Node broker|coordinator|snapshot|lightning|dm --data-dir=DIR"
                    + " (--kafka-port=PORT | --kafka=HOST:PORT) [--key=value …]");
            System.exit(2);
        }
        Map<String, String> options = new LinkedHashMap<>();
        List<String> spring = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            int eq = a.indexOf('=');
            String key = a.startsWith("--") && eq > 2 ? a.substring(2, eq) : null;
            if (key != null && List.of("data-dir", "kafka", "kafka-port", "port").contains(key)) {
                options.put(key, a.substring(eq + 1));
            } else {
                spring.add(a);
            }
        }
        Path dataDir = Path.of(options.getOrDefault("data-dir", ".tidemark-cluster")).toAbsolutePath();
        Files.createDirectories(dataDir);
        if (args[0].equals("broker")) {
            broker(dataDir, Integer.parseInt(options.getOrDefault("kafka-port", "0")));
            return;
        }
        String kafka = options.get("kafka");
        if (kafka == null) {
            System.err.println("--kafka=HOST:PORT is required for a service");
            System.exit(2);
        }
        List<String> all = new ArrayList<>(List.of(
                "--spring.kafka.bootstrap-servers=" + kafka,
                "--tidemark.secret-key=" + SecretKeys.load(dataDir),
                "--tidemark.topics.partitions=6",
                "--tidemark.topics.replication-factor=1",
                "--spring.main.banner-mode=off",
                "--logging.level.org.apache.kafka=WARN",
                "--server.port=" + options.getOrDefault("port", args[0].equals("coordinator") ? "8080" : "0")));
        all.addAll(spring); // the caller's own properties win
        SERVICES.get(args[0]).get().run(all.toArray(String[]::new));
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
