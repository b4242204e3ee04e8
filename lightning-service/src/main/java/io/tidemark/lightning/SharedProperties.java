package io.tidemark.lightning;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The keys every Tidemark service shares.
 *
 * @param secretKey base64 of 32 bytes, the same on every service: opens the passwords commands carry
 * @param topics    how this service creates the topic catalog if it starts first
 */
@Validated
@ConfigurationProperties("tidemark")
public record SharedProperties(@NotBlank String secretKey, @DefaultValue @Valid TopicSettings topics) {

    /** {@code tidemark.topics.*} */
    public record TopicSettings(@DefaultValue("6") @Min(1) int partitions,
                                @DefaultValue("1") @Min(1) short replicationFactor) {
    }
}
