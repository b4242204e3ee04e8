package io.tidemark.snapshot.aurora;

import io.tidemark.common.command.AuroraExport;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RdsPropertiesTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/rds-s3-export";

    private static RdsProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("tidemark.aws.rds", RdsProperties.class);
    }

    @Test
    void theKeysBindWithTheirDefaults() {
        RdsProperties defaults = bind(Map.of());
        assertThat(defaults.endpoint()).isNull();
        assertThat(defaults.pollInterval()).isEqualTo(Duration.ofSeconds(30));

        RdsProperties set = bind(Map.of("tidemark.aws.rds.endpoint", "http://127.0.0.1:4566",
                "tidemark.aws.rds.region", "eu-west-1", "tidemark.aws.rds.poll-interval", "200ms"));
        assertThat(set.endpoint()).isEqualTo(URI.create("http://127.0.0.1:4566"));
        assertThat(set.pollInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(set.regionOf(new AuroraExport("c1", null, "b", "", ROLE, "alias/k", null, false)))
                .isEqualTo("eu-west-1");
        assertThat(set.regionOf(new AuroraExport("c1", "us-east-2", "b", "", ROLE, "alias/k", null, false)))
                .isEqualTo("us-east-2");
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> new RdsProperties(URI.create("rds.internal:443"), null, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1))).hasMessageContaining("tidemark.aws.rds.endpoint");
        assertThatThrownBy(() -> new RdsProperties(null, "Frankfurt", Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1))).hasMessageContaining("tidemark.aws.rds.region is 'Frankfurt'");
        assertThatThrownBy(() -> new RdsProperties(null, null, Duration.ZERO, Duration.ofSeconds(1),
                Duration.ofSeconds(1))).hasMessageContaining("tidemark.aws.rds.poll-interval is PT0S");
    }

    @Test
    void aSnapshotWithoutRegionNeedsTheServicesDefault() {
        RdsProperties none = bind(Map.of());
        assertThatThrownBy(() -> none.regionOf(new AuroraExport("c1", null, "b", "", ROLE, "alias/k", null, false)))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.error()).isEqualTo(ErrorCode.INVALID_SPEC))
                .hasMessageContaining("snapshot.region is missing").hasMessageContaining("tidemark.aws.rds.region");
    }
}
