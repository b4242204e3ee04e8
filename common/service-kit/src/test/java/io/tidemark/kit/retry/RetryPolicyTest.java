package io.tidemark.kit.retry;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {
    private final List<Duration> pauses = new ArrayList<>();
    private final RetryPolicy.Pauser recording = pauses::add;

    @Test
    void retriableErrorsAreRetriedWithGrowingJitteredPausesUpToTheMaximum() throws Exception {
        RetryPolicy policy = RetryPolicy.untilStopped(Duration.ofMillis(100), Duration.ofMillis(1000));
        AtomicInteger calls = new AtomicInteger();
        String result = policy.run("work", attempt -> {
            if (calls.incrementAndGet() < 8) {
                throw new TidemarkException(ErrorCode.TARGET_UNREACHABLE, "t", "refused");
            }
            return "done after " + attempt;
        }, recording);
        assertThat(result).isEqualTo("done after 8");
        assertThat(pauses).hasSize(7);
        // 20% jitter below the doubling base, capped at the maximum
        assertThat(pauses.get(0).toMillis()).isBetween(80L, 100L);
        assertThat(pauses.get(1).toMillis()).isBetween(160L, 200L);
        assertThat(pauses.get(6).toMillis()).isBetween(800L, 1000L);
    }

    @Test
    void aFatalErrorIsNotRetried() {
        RetryPolicy policy = RetryPolicy.untilStopped(Duration.ofMillis(1), Duration.ofMillis(1));
        assertThatThrownBy(() -> policy.run("work", attempt -> {
            throw new TidemarkException(ErrorCode.SOURCE_ACCESS_DENIED, "s", "denied");
        }, recording)).isInstanceOf(TidemarkException.class);
        assertThat(pauses).isEmpty();
    }

    @Test
    void aBugIsNotRetried() {
        RetryPolicy policy = RetryPolicy.untilStopped(Duration.ofMillis(1), Duration.ofMillis(1));
        assertThatThrownBy(() -> policy.run("work", attempt -> {
            throw new IllegalStateException("bug");
        }, recording)).isInstanceOf(IllegalStateException.class);
        assertThat(pauses).isEmpty();
    }

    @Test
    void attemptsRunOutWithTheLastErrorAndTheCount() {
        RetryPolicy policy = RetryPolicy.attempts(3, Duration.ofMillis(1), Duration.ofMillis(2));
        assertThatThrownBy(() -> policy.run("snapshot of m1", attempt -> {
            throw new TidemarkException(ErrorCode.SOURCE_UNREACHABLE, "s", "refused " + attempt);
        }, recording)).isInstanceOfSatisfying(RetriesExhausted.class, e -> {
            assertThat(e.attempts()).isEqualTo(3);
            assertThat(e.last().detail()).contains("refused 3");
            assertThat(e.getMessage()).contains("snapshot of m1").contains("gave up after 3 attempts");
        });
        assertThat(pauses).hasSize(2);
    }

    @Test
    void theRetriableFlagIsFoundAnywhereInTheCauseChain() {
        TidemarkException retriable = new TidemarkException(ErrorCode.STORAGE_IO, "s3://b", "slow down");
        assertThat(RetryPolicy.retriable(new RuntimeException("wrapped", retriable))).isTrue();
        assertThat(RetryPolicy.retriable(new RuntimeException("plain"))).isFalse();
    }

    @Test
    void invalidPoliciesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> RetryPolicy.untilStopped(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("must not be below the first one");
        assertThatThrownBy(() -> RetryPolicy.attempts(0, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessageContaining("at least one attempt");
    }
}
