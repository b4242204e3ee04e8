package io.tidemark.kit.kafka;

import io.tidemark.common.command.Command;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A share consumer is built from the same spring.kafka.* as every other client, minus what a share consumer refuses. */
class KafkaClientsShareTest {
    @Test
    void aShareConsumerTakesTheServicesSettingsWithoutTheOnesAShareGroupDecides() {
        // given consumer settings a classic member needs and a share consumer refuses (ShareConsumerConfig throws)
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of("127.0.0.1:1"));
        kafka.getConsumer().setAutoOffsetReset("latest");
        kafka.getConsumer().setIsolationLevel(KafkaProperties.IsolationLevel.READ_COMMITTED);
        kafka.getConsumer().getProperties().put("session.timeout.ms", "60000");
        kafka.getConsumer().getProperties().put("request.timeout.ms", "12345");
        KafkaClients clients = new KafkaClients(kafka, "lightning-service");

        // when the share consumer's settings are built
        Map<String, Object> config = clients.shareConsumerProperties("g-share", Map.of());

        // then the refused ones are gone, the rest kept, and records are acknowledged one by one
        assertThat(config).doesNotContainKeys(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
        assertThat(config).containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "g-share")
                .containsEntry(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit")
                .containsEntry("request.timeout.ms", "12345");
        // and the client accepts them (it connects only on the first poll)
        clients.shareConsumer("g-share", Command.class, Map.of()).close();
        assertThat(clients.bootstrapServers()).isEqualTo("127.0.0.1:1");
    }
}
