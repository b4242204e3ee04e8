package io.tidemark.coordinator.orchestration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code tidemark.coordinator.precheck-concurrency}: how many migrations submitted with {@code Prefer: respond-async}
 * have their prechecks run at once. Each run logs in to the source and the target and lists tables there: a burst of
 * 500 submissions must queue here, not become 500 sessions on one source (16 concurrent table listings crashed
 * MariaDB 10.11 in {@code bench/many-migrations.sh}). Synchronous submissions run on the request's thread, as before.
 */
@Validated
@ConfigurationProperties("tidemark.coordinator")
public record PrecheckQueueProperties(@DefaultValue("4") @Min(1) @Max(64) int precheckConcurrency) {
}
