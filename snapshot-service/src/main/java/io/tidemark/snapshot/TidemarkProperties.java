package io.tidemark.snapshot;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The keys every Tidemark service shares.
 *
 * @param secretKey base64 of 32 bytes; opens the passwords sealed in commands (same value on every service)
 * @param topics    how this service creates the catalog's topics when it is the first to start
 */
@Validated
@ConfigurationProperties("tidemark")
public record TidemarkProperties(
        @NotBlank(message = "tidemark.secret-key is required: base64 of 32 bytes, the same on every service "
                + "(e.g. `openssl rand -base64 32`)") String secretKey,
        @Valid @DefaultValue Topics topics) {

    /**
     * @param partitions        partitions of each topic (tidemark.topics.partitions)
     * @param replicationFactor replicas of each topic (tidemark.topics.replication-factor)
     */
    public record Topics(
            @DefaultValue("6") @Min(value = 1, message = "tidemark.topics.partitions must be at least 1") int partitions,
            @DefaultValue("1") @Min(value = 1, message = "tidemark.topics.replication-factor must be at least 1")
            @Max(value = Short.MAX_VALUE, message = "tidemark.topics.replication-factor is too large")
            int replicationFactor) {
    }
}
