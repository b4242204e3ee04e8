package io.tidemark.coordinator;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The coordinator: the users' front door (REST) and the orchestrator (DM's dm-master + dmctl). It keeps every
 * migration's durable state on the compacted {@code tidemark.migrations} topic, publishes commands to the workers
 * and aggregates their status events.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CoordinatorApplication {

    /** the builder the standalone launcher and the tests start this service with; add properties to it */
    public static SpringApplicationBuilder app() {
        return new SpringApplicationBuilder(CoordinatorApplication.class).properties("spring.config.name=coordinator");
    }

    public static void main(String[] args) {
        app().run(args);
    }
}
