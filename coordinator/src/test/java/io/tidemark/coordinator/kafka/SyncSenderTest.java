package io.tidemark.coordinator.kafka;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.serde.MessageSerializer;
import io.tidemark.common.serde.MessageType;
import io.tidemark.coordinator.CoordinatorProperties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How a message Kafka refuses for its size is named: fatal, with its size and the limit it broke, whichever side
 * refused it. The path through a real broker is CoordinatorIT's.
 */
class SyncSenderTest {
    /** a sender whose producer takes at most 2 KiB; nothing is sent, so no broker is needed */
    private final SyncSender sender = new SyncSender(new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1",
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2048), new StringSerializer(), new MessageSerializer<>())),
            new CoordinatorProperties(1, DataSize.ofMegabytes(1), Duration.ofSeconds(1), DataSize.ofKilobytes(1),
                    false));

    /** stands in for a migration's state: only its size matters here, and the codec writes versioned types only */
    @MessageType("migration")
    record State(String tables) {
    }

    @Test
    void aMessageOverTheProducersLimitIsFatalAndSaysHowLargeAndWhichLimit() {
        State state = new State("x".repeat(5000));
        MessageTooLarge e = sender.tooLarge("tidemark.migrations", "m1", state, "the state of migration m1",
                new RecordTooLargeException("The message is 5123 bytes when serialized which is larger than 2048,"
                        + " which is the value of the max.request.size configuration."));

        assertThat(e.error()).isEqualTo(ErrorCode.KAFKA_MESSAGE_TOO_LARGE);
        assertThat(e.retriable()).isFalse();
        assertThat(e.message()).isSameAs(state);
        assertThat(e.detail()).isEqualTo("the state of migration m1 (topic tidemark.migrations) is 5,032 bytes"
                + " (4.9 KiB), more than Kafka takes in one message: max.request.size of the coordinator's producer"
                + " is 2,048 bytes (2.0 KiB)");
        assertThat(e.getMessage()).startsWith("TM-50005 ")
                .contains("split it into migrations of fewer tables each")
                .contains("max.message.bytes").contains("spring.kafka.producer.properties.max.request.size")
                .contains("POST /api/v1/migrations/{id}/retry");
    }

    @Test
    void aMessageTheBrokerRefusesNamesTheTopicsLimit() {
        MessageTooLarge e = sender.tooLarge("tidemark.replication.tasks", "m1/replication", new State("p"),
                "ReplicationTask m1/replication", new RecordTooLargeException(
                        "The request included a message larger than the max message size the server will accept."));

        assertThat(e.detail()).startsWith("ReplicationTask m1/replication (topic tidemark.replication.tasks) is ")
                .endsWith("more than Kafka takes in one message: the broker refused it, so topic"
                        + " tidemark.replication.tasks takes less (its max.message.bytes, or else the broker's"
                        + " message.max.bytes, 1 MiB by default)");
    }

    @Test
    void aStateIsCheckedAgainstTheProducersLimitBeforeTheCommandsOfItsChangeGoOut() {
        sender.requireFits("tidemark.migrations", "m1", new State("x".repeat(1000)), "the state of m1");

        assertThatThrownBy(() -> sender.requireFits("tidemark.migrations", "m1", new State("x".repeat(1990)),
                "the state of migration m1"))
                .isInstanceOfSatisfying(MessageTooLarge.class, e -> assertThat(e.detail()).isEqualTo(
                        "the state of migration m1 (topic tidemark.migrations) is 2,022 bytes (2.0 KiB), more than"
                                + " Kafka takes in one message: max.request.size of the coordinator's producer is"
                                + " 2,048 bytes (2.0 KiB)"));
    }

    @Test
    void aBrokerThatCannotBeReachedIsKafkaUnavailableWhenTheTemplateThrowsAtOnce() {
        // no metadata within max.block.ms: the template throws at once instead of failing the future
        DefaultKafkaProducerFactory<String, Object> producers = new DefaultKafkaProducerFactory<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1", ProducerConfig.MAX_BLOCK_MS_CONFIG, 200),
                new StringSerializer(), new MessageSerializer<>());
        SyncSender unreachable = new SyncSender(new KafkaTemplate<>(producers), new CoordinatorProperties(1,
                DataSize.ofMegabytes(1), Duration.ofSeconds(5), DataSize.ofKilobytes(1), false));
        try {
            assertThatThrownBy(() -> unreachable.send("tidemark.migrations", "m1", Map.of("a", "b"), "the state of m1"))
                    .isInstanceOfSatisfying(TidemarkException.class, e -> {
                        assertThat(e.error()).isEqualTo(ErrorCode.KAFKA_UNAVAILABLE);
                        assertThat(e.retriable()).isTrue();
                    })
                    .hasMessageContaining("cannot write the state of m1 to tidemark.migrations to Kafka");
        } finally {
            producers.destroy();
        }
    }

    @Test
    void sizesAreReadable() {
        assertThat(SyncSender.size(900)).isEqualTo("900 bytes");
        assertThat(SyncSender.size(3_050_850)).isEqualTo("3,050,850 bytes (2.9 MiB)");
    }
}
