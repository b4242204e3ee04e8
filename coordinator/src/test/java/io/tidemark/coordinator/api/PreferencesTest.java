package io.tidemark.coordinator.api;

import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PreferencesTest {
    private static boolean async(String... headers) {
        return Preferences.respondAsync(Collections.enumeration(List.of(headers)));
    }

    @Test
    void respondAsyncIsFoundAmongOtherPreferencesWhateverItsCaseAndParameters() {
        assertThat(async("respond-async")).isTrue();
        assertThat(async("Respond-Async")).isTrue();
        assertThat(async("return=minimal, respond-async")).isTrue();
        assertThat(async("wait=10", "respond-async; foo=bar")).isTrue();
        assertThat(async(" respond-async ,wait=5")).isTrue();
    }

    @Test
    void anyOtherPreferenceOrNoneLeavesTheRequestSynchronous() {
        assertThat(async()).isFalse();
        assertThat(async("return=representation", "wait=100")).isFalse();
        assertThat(async("respond-asynchronously")).isFalse();
        assertThat(Preferences.respondAsync(null)).isFalse();
    }
}
