package io.tidemark.coordinator.orchestration;

import io.tidemark.coordinator.kafka.SyncSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Publishes commands synchronously, so a phase is saved only after its command is in Kafka. */
final class CommandPublisher {
    private static final Logger LOGGER = LoggerFactory.getLogger(CommandPublisher.class);

    private final SyncSender sender;

    CommandPublisher(SyncSender sender) {
        this.sender = sender;
    }

    /** @throws io.tidemark.coordinator.kafka.MessageTooLarge carrying the command Kafka refused for its size */
    void publish(List<Outgoing> commands) {
        for (Outgoing out : commands) {
            sender.send(out.topic(), out.key(), out.command(),
                    out.command().getClass().getSimpleName() + " " + out.command().messageId());
            LOGGER.info("published {} {} to {}", out.command().getClass().getSimpleName(), out.command().messageId(),
                    out.topic());
        }
    }
}
