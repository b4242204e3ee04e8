package io.tidemark.lightning;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * DM's Load unit as a service (TiDB Lightning's logical import): the planner turns an import request into schemas on
 * the target and one chunk per data file; any number of workers import the chunks with checkpoints on the target.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class LightningServiceApplication {
    public static SpringApplicationBuilder app() {
        return new SpringApplicationBuilder(LightningServiceApplication.class)
                .properties("spring.config.name=lightning-service");
    }

    public static void main(String[] args) {
        app().run(args);
    }
}
