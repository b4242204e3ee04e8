package io.tidemark.coordinator.migration;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicationRateTest {
    private static final Instant T0 = Instant.parse("2026-12-03T09:00:00Z");

    @Test
    void theRateIsMeasuredOverWindowsOfAtLeastTwoSecondsAndStartsAgainWhenTheCountDoes() {
        ReplicationRate first = ReplicationRate.start(100, T0);
        assertThat(first.rowsPerSecond()).isNull();

        // reports inside the window keep its start
        ReplicationRate soon = first.next(900, T0.plusMillis(1500));
        assertThat(soon).isEqualTo(first);

        // a report past it measures from the window's start
        ReplicationRate measured = soon.next(4100, T0.plusSeconds(4));
        assertThat(measured.rowsPerSecond()).isEqualTo(1000.0);
        assertThat(measured.rowsApplied()).isEqualTo(4100);

        // a lower count is another worker (or a restart) counting from 0: no rate until its first window
        ReplicationRate restarted = measured.next(50, T0.plusSeconds(5));
        assertThat(restarted.rowsPerSecond()).isNull();
        assertThat(restarted.next(2050, T0.plusSeconds(7)).rowsPerSecond()).isEqualTo(1000.0);
    }
}
