package io.tidemark.snapshot;

import io.tidemark.snapshot.parquet.ParquetCompression;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotPropertiesTest {

    @Test
    void theRetryPolicyTakesTheAttemptsAndPausesConfigured() {
        SnapshotProperties p = properties(5, Duration.ofMillis(200), Duration.ofSeconds(3));

        assertThat(p.retryPolicy().maxAttempts()).isEqualTo(5);
        assertThat(p.retryPolicy().initialBackoff()).isEqualTo(Duration.ofMillis(200));
        assertThat(p.retryPolicy().maxBackoff()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aLongestPauseBelowTheFirstIsRefusedNamingBothKeys() {
        assertThatThrownBy(() -> properties(3, Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .hasMessageContaining("tidemark.snapshot.max-retry-backoff (PT1S)")
                .hasMessageContaining("tidemark.snapshot.retry-backoff (PT5S)")
                .hasMessageContaining("raise it to at least PT5S");
    }

    @Test
    void aZeroFirstPauseIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> properties(3, Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("tidemark.snapshot.retry-backoff is PT0S");
    }

    private static SnapshotProperties properties(int attempts, Duration backoff, Duration maxBackoff) {
        return new SnapshotProperties(1 << 20, attempts, backoff, maxBackoff, 4, ParquetCompression.GZIP, 8L << 20,
                200_000);
    }
}
