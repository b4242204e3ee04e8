package io.tidemark.deploy;

import ch.qos.logback.classic.Level;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.PersistentBroker;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The embedded default: an in-process Kafka broker (or {@code --kafka}) and all four services in one JVM, local
 * disk as storage. With {@code --demo} it also starts a local MariaDB source and target and migrates sample data.
 */
public final class Standalone {
    private Standalone() {
    }

    /**
     * The in-process broker starts before any Spring context configures logging, and would print its whole
     * configuration at INFO: keep Kafka's own loggers at WARN from the first line.
     */
    private static void quietUntilSpringConfiguresLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            for (String name : new String[] {"org.apache.kafka", "kafka", "state.change.logger", "org.apache.zookeeper"}) {
                context.getLogger(name).setLevel(Level.WARN);
            }
            // "the metadata log appears to be empty" is how every fresh in-process broker starts, not a warning
            context.getLogger("org.apache.kafka.controller.QuorumController").setLevel(Level.ERROR);
        }
    }

    public static void main(String[] args) throws Exception {
        StandaloneOptions options;
        try {
            options = StandaloneOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        PrintStream out = System.out;
        Files.createDirectories(options.dataDir());
        Path log = options.dataDir().resolve("tidemark.log");

        quietUntilSpringConfiguresLogging();
        PersistentBroker broker = null;
        String bootstrap = options.kafka();
        if (bootstrap == null) {
            Path kafkaDir = options.dataDir().resolve("kafka");
            if (options.demo()) {
                // the demo makes its databases anew each run: migrations of an earlier run would point at nothing
                LocalMariaDb.deleteTree(kafkaDir);
            }
            out.println("» starting the in-process Kafka node (KRaft, log in " + kafkaDir + ")");
            broker = PersistentBroker.start(kafkaDir, options.kafkaPort());
            bootstrap = broker.bootstrapServers();
        }
        String secretKey = SecretKeys.load(options.dataDir());

        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("logging.file.name", log.toString());
        extra.put("spring.main.banner-mode", "off");
        // four contexts share one logging system: an application-name tag would name whichever configured it last
        extra.put("logging.include-application-name", "false");
        extra.put("logging.level.org.apache.kafka", "WARN");
        extra.put("logging.level.kafka", "WARN");
        extra.put("logging.level.state.change.logger", "WARN");
        extra.put("tidemark.api.token-file", ApiTokenFile.in(options.dataDir()).toString());
        if (options.demo()) {
            extra.put("logging.threshold.console", "WARN");
        }
        out.println("» starting coordinator, snapshot-service, lightning-service and dm-service (log: " + log + ")");
        Platform platform = Platform.start(bootstrap, secretKey, options.port(), extra);
        int port = platform.coordinatorPort();

        Demo demo = options.demo() ? new Demo(options.dataDir(), port, out) : null;
        PersistentBroker brokerToClose = broker;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            platform.close();
            if (demo != null) {
                demo.close();
            }
            if (brokerToClose != null) {
                brokerToClose.close();
            }
        }, "tidemark-shutdown"));

        out.println();
        out.println("Tidemark standalone is up");
        out.println("  REST API   http://localhost:" + port + "/api/v1/migrations");
        out.println("  dashboard  http://localhost:" + port + "/ (it asks for the API token below)");
        out.println("  API token  " + (System.getenv("TIDEMARK_API_TOKENS") != null ? "from TIDEMARK_API_TOKENS"
                : "in " + ApiTokenFile.in(options.dataDir()) + " (deploy/tidemark reads it from this directory;"
                + " curl -H \"Authorization: Bearer $(cat " + ApiTokenFile.in(options.dataDir()) + ")\")"));
        out.println("  health     http://localhost:" + port + "/actuator/health");
        out.println("  Kafka      " + bootstrap + (broker == null ? "" : " (in-process, kept in " + options.dataDir().resolve("kafka")
                + "; status events on tidemark.status)"));
        out.println("  stop       Ctrl-C (or kill " + ProcessHandle.current().pid() + ")");
        out.println();
        if (demo != null) {
            try {
                demo.run();
            } catch (Exception e) {
                out.println("✗ the demo failed: " + e.getMessage());
                out.println("  see " + log);
                System.exit(1);
            }
        }
    }
}
