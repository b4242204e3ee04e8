package io.tidemark.snapshot;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of the snapshot service, under {@code tidemark.snapshot}.
 *
 * @param statementSizeBytes an INSERT statement of a data file is closed past this size (Dumpling's
 *                           {@code --statement-size}, 1 MiB by default)
 * @param maxAttempts        how often a dump that failed with a retriable error (source unreachable, a query
 *                           failed, storage) is tried before the failure is reported as final
 * @param retryBackoff       the pause before the second attempt; doubled for each further one
 */
@Validated
@ConfigurationProperties("tidemark.snapshot")
public record SnapshotProperties(
        @DefaultValue("1048576")
        @Min(value = 4096, message = "tidemark.snapshot.statement-size-bytes must be at least 4096") long statementSizeBytes,
        @DefaultValue("3")
        @Min(value = 1, message = "tidemark.snapshot.max-attempts must be at least 1") int maxAttempts,
        @DefaultValue("2s")
        @NotNull(message = "tidemark.snapshot.retry-backoff must be a duration such as 2s") Duration retryBackoff) {

    public SnapshotProperties {
        if (retryBackoff != null && retryBackoff.isNegative()) {
            throw new IllegalArgumentException("tidemark.snapshot.retry-backoff is " + retryBackoff
                    + "; use a positive duration such as 2s");
        }
    }
}
