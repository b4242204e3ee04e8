package io.tidemark.dm;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The keys every Tidemark service shares.
 *
 * @param secretKey base64 of 32 bytes; opens the sealed passwords commands carry
 */
@Validated
@ConfigurationProperties("tidemark")
public record SharedProperties(@NotBlank(message = "set tidemark.secret-key (base64 of 32 bytes, the same on every service)")
                               String secretKey,
                               @Valid @DefaultValue TopicSettings topics) {

    /** how the catalog's topics are created when this service is the first to start */
    public record TopicSettings(@DefaultValue("6") @Min(1) int partitions,
                                @DefaultValue("1") @Min(1) short replicationFactor) {
    }
}
