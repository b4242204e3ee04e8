package io.tidemark.deploy.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeOptionsTest {
    private static final Set<String> SERVICES = Set.of("coordinator", "snapshot", "lightning", "dm");

    @Test
    void aServiceTakesItsKafkaAndPortAndPassesTheRestToSpring() {
        NodeOptions o = NodeOptions.parse(new String[]{"lightning", "--data-dir=/tmp/c", "--kafka=h:9092",
                "--port=8083", "--tidemark.lightning.workers=4"}, SERVICES);

        assertThat(o.role()).isEqualTo("lightning");
        assertThat(o.kafka()).isEqualTo("h:9092");
        assertThat(o.port()).isEqualTo(8083);
        assertThat(o.spring()).containsExactly("--tidemark.lightning.workers=4");
    }

    @Test
    void aPortThatIsNotANumberIsNamedWithWhatToGive() {
        assertThatThrownBy(() -> NodeOptions.parse(new String[]{"broker", "--kafka-port=abc"}, SERVICES))
                .hasMessageStartingWith("--kafka-port=abc is not a port: give a number from 0 to 65535")
                .hasMessageContaining("usage: Node broker")
                .hasMessageNotContaining("NumberFormatException");
        assertThatThrownBy(() -> NodeOptions.parse(new String[]{"dm", "--kafka=h:1", "--port=70000"}, SERVICES))
                .hasMessageStartingWith("--port=70000 is not a port");
    }

    @Test
    void aMisspeltBrokerOptionStopsStartUpInsteadOfBeingIgnored() {
        assertThatThrownBy(() -> NodeOptions.parse(new String[]{"broker", "--kafak-port=9092"}, SERVICES))
                .hasMessageStartingWith("the broker takes no argument '--kafak-port=9092'");
    }

    @Test
    void aServiceWithoutKafkaOrAnUnknownRoleIsRefused() {
        assertThatThrownBy(() -> NodeOptions.parse(new String[]{"dm"}, SERVICES))
                .hasMessageStartingWith("--kafka=HOST:PORT is required for a service");
        assertThatThrownBy(() -> NodeOptions.parse(new String[]{"importer"}, SERVICES))
                .hasMessageStartingWith("unknown role 'importer': use broker, coordinator, dm, lightning, snapshot");
        assertThatThrownBy(() -> NodeOptions.parse(new String[]{"dm", "--kafka=h:1", "stray"}, SERVICES))
                .hasMessageStartingWith("'stray' is not of the form --key=value");
    }

    @Test
    void theBrokerDefaultsToAnyFreePort() {
        NodeOptions o = NodeOptions.parse(new String[]{"broker", "--data-dir=d"}, SERVICES);

        assertThat(o.kafkaPort()).isZero();
        assertThat(o.spring()).isEqualTo(List.of());
    }
}
