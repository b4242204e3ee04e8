package io.tidemark.snapshot;

import io.tidemark.snapshot.aurora.RdsProperties;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The snapshot service (DM's Dump unit): takes {@code SnapshotRequest}s from the catalog's snapshot commands topic,
 * records the source's binlog position and dumps schema and data in Dumpling's layout, reporting on the status
 * topic. The shared wiring (secret key, worker id, topic catalog, Kafka clients, status publisher) comes from the
 * service kit; this service adds only its command listener. Scans only its own package, so the standalone launcher
 * can run it beside the other services in one JVM.
 */
@SpringBootApplication
@EnableConfigurationProperties({SnapshotProperties.class, RdsProperties.class})
public class SnapshotServiceApplication {
    /** the service as the standalone launcher and tests start it; add properties before {@code run()} */
    public static SpringApplicationBuilder app() {
        return new SpringApplicationBuilder(SnapshotServiceApplication.class)
                .properties("spring.config.name=snapshot-service");
    }

    public static void main(String[] args) {
        app().run(args);
    }
}
