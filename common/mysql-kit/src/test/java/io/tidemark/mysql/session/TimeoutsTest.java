package io.tidemark.mysql.session;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeoutsTest {
    @Test
    void defaultsAreTenSecondsTwoMinutesAndADay() {
        assertThat(Timeouts.defaults()).isEqualTo(new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(120),
                Duration.ofHours(24)));
    }

    @Test
    void aZeroOrNegativeTimeoutIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> Timeouts.defaults().withConnect(Duration.ZERO))
                .hasMessage("tidemark.db.connect-timeout is PT0S; it must be positive, e.g. 10s");
        assertThatThrownBy(() -> Timeouts.defaults().withRead(Duration.ofSeconds(-1)))
                .hasMessageStartingWith("tidemark.db.read-timeout is PT-1S");
        assertThatThrownBy(() -> Timeouts.defaults().withLongOperation(null))
                .hasMessageStartingWith("tidemark.db.long-operation-timeout is null");
    }

    @Test
    void theLongOperationTimeoutIsNeverShorterThanTheReadTimeout() {
        assertThatThrownBy(() -> Timeouts.defaults().withLongOperation(Duration.ofSeconds(60)))
                .hasMessageContaining("tidemark.db.long-operation-timeout is PT1M, shorter than tidemark.db.read-timeout PT2M");
    }

    @Test
    void aTimeoutTheDriverCannotCountIsRefused() {
        assertThatThrownBy(() -> Timeouts.defaults().withLongOperation(Duration.ofDays(30)))
                .hasMessageContaining("at most 596h");
    }
}
