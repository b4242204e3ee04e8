package io.tidemark.coordinator;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code tidemark.coordinator.*}: what the coordinator puts into the commands it publishes.
 *
 * @param threads     tables a snapshot dumps at once (Dumpling {@code --threads})
 * @param fileSize    a dump data file is closed past this size (Dumpling {@code --filesize})
 * @param sendTimeout how long a synchronous write to Kafka may take before the request or event fails
 */
@Validated
@ConfigurationProperties("tidemark.coordinator")
public record CoordinatorProperties(
        @DefaultValue("4") @Min(1) @Max(256) int threads,
        @DefaultValue("64MB") @NotNull DataSize fileSize,
        @DefaultValue("30s") @NotNull Duration sendTimeout) {

    public CoordinatorProperties {
        if (fileSize != null && fileSize.toBytes() < 1024) {
            throw new IllegalArgumentException("tidemark.coordinator.file-size is " + fileSize
                    + ", a dump file must be allowed at least 1KB; set e.g. 64MB");
        }
        if (sendTimeout != null && (sendTimeout.isNegative() || sendTimeout.isZero())) {
            throw new IllegalArgumentException("tidemark.coordinator.send-timeout is " + sendTimeout
                    + ", it must be positive; set e.g. 30s");
        }
    }
}
