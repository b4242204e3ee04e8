package io.tidemark.dm.task;

import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.topic.Topics;
import io.tidemark.dm.sync.StatusSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/** Publishes status events on the public status topic, keyed by migration id. Asynchronous; thread-safe. */
@Component
class KafkaStatusSink implements StatusSink {
    private static final Logger LOGGER = LoggerFactory.getLogger(KafkaStatusSink.class);

    private final KafkaTemplate<String, StatusEvent> template;

    KafkaStatusSink(KafkaTemplate<String, StatusEvent> template) {
        this.template = template;
    }

    @Override
    public void publish(StatusEvent event) {
        template.send(Topics.STATUS, event.migrationId().value(), event).whenComplete((r, e) -> {
            if (e != null) {
                LOGGER.warn("status event {} not published: {}", event.eventId(), e.getMessage());
            }
        });
    }
}
