package io.tidemark.deploy;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StandaloneOptionsTest {
    @Test
    void defaultsServeTheApiOn8080WithAnInProcessBroker() {
        StandaloneOptions o = StandaloneOptions.parse();
        assertThat(o.port()).isEqualTo(8080);
        assertThat(o.kafka()).isNull();
        assertThat(o.dataDir()).isEqualTo(Path.of(".tidemark").toAbsolutePath());
        assertThat(o.demo()).isFalse();
    }

    @Test
    void theUserChoosesThePortAndAnExternalKafka() {
        StandaloneOptions o = StandaloneOptions.parse("--port=9090", "--kafka=broker:9092", "--demo");
        assertThat(o.port()).isEqualTo(9090);
        assertThat(o.kafka()).isEqualTo("broker:9092");
        assertThat(o.demo()).isTrue();
    }

    @Test
    void anUnknownOptionIsNamed() {
        assertThatThrownBy(() -> StandaloneOptions.parse("--prot=9090"))
                .hasMessageStartingWith("unknown option --prot");
    }

    @Test
    void aBadPortNamesOptionValueAndRange() {
        assertThatThrownBy(() -> StandaloneOptions.parse("--port=70000"))
                .hasMessageContaining("--port=70000 is not a port number (1..65535)");
    }

    @Test
    void anExternalKafkaExcludesTheEmbeddedBrokersPort() {
        assertThatThrownBy(() -> StandaloneOptions.parse("--kafka=b:9092", "--kafka-port=9093"))
                .hasMessageContaining("--kafka and --kafka-port exclude each other");
    }
}
