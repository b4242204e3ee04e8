package io.tidemark.coordinator.leadership;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HaPropertiesTest {

    @Test
    void aSessionTimeoutUnderASecondIsRefusedNamingTheKeyTheValueAndTheFix() {
        assertThatThrownBy(() -> new HaProperties(true, Duration.ofMillis(500), null))
                .hasMessageContaining("TM-10046")
                .hasMessageContaining("tidemark.coordinator.ha.session-timeout is 'PT0.5S'")
                .hasMessageContaining("give at least 1s, e.g. 6s");
    }

    @Test
    void anAdvertisedUrlMustBeAnHttpUrlWithAHost() {
        for (String bad : new String[]{"coordinator-2:8080", "ftp://host/", "http://", "not a url"}) {
            assertThatThrownBy(() -> new HaProperties(true, Duration.ofSeconds(6), bad)).as(bad)
                    .hasMessageContaining("TM-10046")
                    .hasMessageContaining("tidemark.coordinator.ha.advertised-url is '" + bad + "'")
                    .hasMessageContaining("e.g. http://coordinator-2.internal:8080");
        }
        assertThat(new HaProperties(true, Duration.ofSeconds(6), "https://c2.internal:8443").advertisedUrl())
                .isEqualTo("https://c2.internal:8443");
    }

    @Test
    void theElectionHeartbeatIsAThirdOfTheSession() {
        assertThat(new HaProperties(true, Duration.ofSeconds(6), null).heartbeatInterval())
                .isEqualTo(Duration.ofSeconds(2));
    }
}
