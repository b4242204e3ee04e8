package io.tidemark.coordinator.kafka;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** {@code tidemark.topics.*}: how the topics of the catalog are created when this service starts first. */
@Validated
@ConfigurationProperties("tidemark.topics")
record TopicsProperties(@DefaultValue("6") @Min(1) int partitions,
                        @DefaultValue("1") @Min(1) short replicationFactor) {
}
