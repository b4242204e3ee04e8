package io.tidemark.deploy;

import io.tidemark.coordinator.CoordinatorApplication;
import io.tidemark.dm.DmServiceApplication;
import io.tidemark.lightning.LightningServiceApplication;
import io.tidemark.snapshot.SnapshotServiceApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * All four services in one JVM, each its own Spring context with its own configuration file, consumer groups and
 * web port, exactly as they run on separate machines: they talk only through Kafka.
 */
public final class Platform implements AutoCloseable {
    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    private final ConfigurableApplicationContext coordinator;

    private Platform(Map<String, Object> shared, int coordinatorPort) {
        start(SnapshotServiceApplication::app, shared, 0);
        start(LightningServiceApplication::app, shared, 0);
        start(DmServiceApplication::app, shared, 0);
        coordinator = start(CoordinatorApplication::app, shared, coordinatorPort);
    }

    /**
     * @param bootstrapServers Kafka to use
     * @param secretKey        the key every service seals and opens passwords with
     * @param coordinatorPort  the REST API's port (0 = any free port)
     * @param extra            further properties for every service (logging, tuning)
     */
    public static Platform start(String bootstrapServers, String secretKey, int coordinatorPort, Map<String, Object> extra) {
        Map<String, Object> shared = new LinkedHashMap<>(extra);
        shared.put("spring.kafka.bootstrap-servers", bootstrapServers);
        shared.put("tidemark.secret-key", secretKey);
        shared.put("tidemark.topics.partitions", 6);
        shared.put("tidemark.topics.replication-factor", 1);
        return new Platform(shared, coordinatorPort);
    }

    private ConfigurableApplicationContext start(Supplier<SpringApplicationBuilder> app, Map<String, Object> shared, int port) {
        Map<String, Object> props = new LinkedHashMap<>(shared);
        props.put("server.port", port);
        // as command-line arguments, not builder defaults: these must win over each service's own yaml
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        try {
            ConfigurableApplicationContext ctx = app.get().run(args);
            contexts.add(ctx);
            return ctx;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * every service's actual HTTP port by its name ({@code spring.application.name}): where each one's
     * {@code /actuator/prometheus} and health answer
     */
    public Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (ConfigurableApplicationContext ctx : contexts) {
            ports.put(ctx.getEnvironment().getProperty("spring.application.name"),
                    ((WebServerApplicationContext) ctx).getWebServer().getPort());
        }
        return ports;
    }

    /** the coordinator's actual HTTP port */
    public int coordinatorPort() {
        return ((WebServerApplicationContext) coordinator).getWebServer().getPort();
    }

    @Override
    public void close() {
        List<ConfigurableApplicationContext> reversed = new ArrayList<>(contexts);
        Collections.reverse(reversed);
        for (ConfigurableApplicationContext ctx : reversed) {
            try {
                ctx.close();
            } catch (RuntimeException ignored) {
                // closing the rest matters more than one context's shutdown error
            }
        }
        contexts.clear();
    }
}
