package io.tidemark.coordinator.orchestration;

import io.tidemark.common.topic.TopicCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Creates the coordinator's producer and reads the metadata of the topics it writes once the service is up, on a
 * thread of its own: otherwise the first POST after a start paid for both (about half a second on a busy machine),
 * under the lock every change holds. Kafka not there yet changes nothing: the first write then waits, as it would
 * have.
 */
@Component
class ProducerWarmUp {
    private static final Logger LOGGER = LoggerFactory.getLogger(ProducerWarmUp.class);

    private final KafkaTemplate<String, Object> commands;
    private final List<String> topics;

    ProducerWarmUp(KafkaTemplate<String, Object> commandTemplate, TopicCatalog topics) {
        this.commands = commandTemplate;
        this.topics = List.of(topics.migrations(), topics.snapshotCommands(), topics.importCommands(),
                topics.replicationTasks());
    }

    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        Thread.ofVirtual().name("producer-warm-up").start(() -> {
            for (String topic : topics) {
                try {
                    commands.partitionsFor(topic);
                } catch (RuntimeException e) {
                    LOGGER.debug("metadata of {} not read ahead: {}", topic, e.toString());
                    return;
                }
            }
        });
    }
}
