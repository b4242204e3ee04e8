package io.tidemark.dm;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * DM's Sync unit as a service: owns the replication tasks whose partitions of {@code tidemark.replication.tasks} it
 * is assigned, streams each source's binlog into its target, and reports progress on {@code tidemark.status}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DmServiceApplication {
    public static SpringApplicationBuilder app() {
        return new SpringApplicationBuilder(DmServiceApplication.class).properties("spring.config.name=dm-service");
    }

    public static void main(String[] args) {
        app().run(args);
    }
}
