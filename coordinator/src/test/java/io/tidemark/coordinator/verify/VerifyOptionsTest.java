package io.tidemark.coordinator.verify;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The verify endpoint's parameters: defaults, forms, and every bad or unknown one refused by name (TM-30025). */
class VerifyOptionsTest {
    @Test
    void parametersBindWithTheirDefaults() {
        assertThat(VerifyOptions.of(Map.of())).isEqualTo(new VerifyOptions(null, false,
                VerifyOptions.DEFAULT_CHUNK_ROWS, VerifyOptions.DEFAULT_TIMEOUT));
        assertThat(VerifyOptions.of(Map.of("at", "mysql-bin.000004:1234", "lock", "true", "chunkRows", "50",
                "timeout", "90s"))).isEqualTo(new VerifyOptions(BinlogPosition.ofFilePosition("mysql-bin.000004",
                1234), true, 50, Duration.ofSeconds(90)));
        assertThat(VerifyOptions.of(Map.of("at", "now", "timeout", "PT1H")).timeout()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aBadOrUnknownParameterIsNamed() {
        assertThatThrownBy(() -> VerifyOptions.of(Map.of("chunk_rows", "5")))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.error()).isEqualTo(ErrorCode.VERIFY_REQUEST_INVALID))
                .hasMessageContaining("chunk_rows is not a parameter of verify");
        assertThatThrownBy(() -> VerifyOptions.of(Map.of("at", "binlog 4")))
                .hasMessageContaining("at 'binlog 4' is neither now nor FILE:POS");
        assertThatThrownBy(() -> VerifyOptions.of(Map.of("chunkRows", "0"))).hasMessageContaining("chunkRows is 0");
        assertThatThrownBy(() -> VerifyOptions.of(Map.of("lock", "yes"))).hasMessageContaining("lock 'yes'");
        assertThatThrownBy(() -> VerifyOptions.of(Map.of("timeout", "soon")))
                .hasMessageContaining("timeout 'soon' is not a duration");
    }
}
