package io.tidemark.coordinator.access;

import io.tidemark.common.error.TidemarkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiTokensTest {
    private static final String OLD = "old-token-0123456789abcdef0123456789";
    private static final String NEW = "new-token-0123456789abcdef0123456789";

    @TempDir
    Path dir;

    @Test
    void everyConfiguredTokenIsAcceptedSoATokenCanBeRotated() {
        ApiTokens tokens = ApiTokens.of(new ApiAccessProperties(List.of(OLD, " " + NEW + " "), dir.resolve("t"), false));

        assertThat(tokens.accepts(OLD)).isTrue();
        assertThat(tokens.accepts(NEW)).isTrue();
        assertThat(tokens.accepts(OLD.substring(1))).isFalse();
        assertThat(tokens.accepts("")).isFalse();
        assertThat(tokens.accepts(null)).isFalse();
        assertThat(dir.resolve("t")).as("no file when tokens are configured").doesNotExist();
    }

    @Test
    void aShortConfiguredTokenStopsTheStartNamingTheSettingAndTheFix() {
        assertThatThrownBy(() -> ApiTokens.of(new ApiAccessProperties(List.of(OLD, "short"), dir.resolve("t"), false)))
                .isInstanceOf(TidemarkException.class)
                .hasMessageContaining("TM-10037").hasMessageContaining("tidemark.api.tokens")
                .hasMessageContaining("token 2 has 5 characters").hasMessageContaining("openssl rand");
    }

    @Test
    void aTokenFileTooShortIsRefusedRatherThanTrusted() throws Exception {
        Path file = dir.resolve("api-token");
        Files.writeString(file, "abc\n");

        assertThatThrownBy(() -> ApiTokens.of(new ApiAccessProperties(List.of(), file, false)))
                .hasMessageContaining("TM-10037").hasMessageContaining(file.toString())
                .hasMessageContaining("delete it");
    }
}
