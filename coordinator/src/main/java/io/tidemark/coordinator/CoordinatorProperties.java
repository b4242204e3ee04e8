package io.tidemark.coordinator;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code tidemark.coordinator.*}: what the coordinator puts into the commands it publishes, and what it accepts.
 *
 * @param threads      tables a snapshot dumps at once (Dumpling {@code --threads})
 * @param fileSize     a dump data file is closed past this size (Dumpling {@code --filesize})
 * @param sendTimeout  how long a synchronous write to Kafka may take before the request or event fails
 * @param maxSpecBytes the largest migration spec the API accepts. A migration is kept as one Kafka message holding
 *                     its spec and its progress, so the spec must stay well below Kafka's message limit
 *                     ({@code max.request.size}, 1 MiB by default); a real spec is a few KB
 * @param prechecks    whether a new migration's source, target and storage are checked before it is accepted
 *                     (and {@code POST /api/v1/migrations/check} checks anything). Only tests of the orchestration
 *                     alone, whose endpoints are not real databases, switch it off
 * @param progressInterval a migration's {@code migration-progressed} summary on the status topic is published on
 *                     every phase change and at most this often while its progress moves (never per worker event:
 *                     hundreds of migrations must not flood the topic)
 */
@Validated
@ConfigurationProperties("tidemark.coordinator")
public record CoordinatorProperties(
        @DefaultValue("4") @Min(1) @Max(256) int threads,
        @DefaultValue("64MB") @NotNull DataSize fileSize,
        @DefaultValue("30s") @NotNull Duration sendTimeout,
        @DefaultValue("256KB") @NotNull DataSize maxSpecBytes,
        @DefaultValue("true") boolean prechecks,
        @DefaultValue("5s") @NotNull Duration progressInterval) {

    /** the default progress interval */
    public CoordinatorProperties(int threads, DataSize fileSize, Duration sendTimeout, DataSize maxSpecBytes,
                                 boolean prechecks) {
        this(threads, fileSize, sendTimeout, maxSpecBytes, prechecks, Duration.ofSeconds(5));
    }

    @ConstructorBinding
    public CoordinatorProperties {
        if (fileSize != null && fileSize.toBytes() < 1024) {
            throw new IllegalArgumentException("tidemark.coordinator.file-size is " + fileSize
                    + ", a dump file must be allowed at least 1KB; set e.g. 64MB");
        }
        if (sendTimeout != null && (sendTimeout.isNegative() || sendTimeout.isZero())) {
            throw new IllegalArgumentException("tidemark.coordinator.send-timeout is " + sendTimeout
                    + ", it must be positive; set e.g. 30s");
        }
        if (progressInterval != null && progressInterval.toMillis() < 100) {
            throw new IllegalArgumentException("tidemark.coordinator.progress-interval is " + progressInterval
                    + ", it must be at least 100ms; set e.g. 5s");
        }
        if (maxSpecBytes != null && maxSpecBytes.toBytes() < 1024) {
            throw new IllegalArgumentException("tidemark.coordinator.max-spec-bytes is " + maxSpecBytes
                    + ", a spec must be allowed at least 1KB; set e.g. 256KB");
        }
    }
}
