package io.tidemark.dm.relay;

import io.tidemark.common.command.DesiredRelay;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.dm.own.Ownership;
import io.tidemark.kit.kafka.KafkaClients;
import org.springframework.stereotype.Component;

/**
 * Relay ownership, as task ownership ({@link Ownership}): the worker assigned a source's partition of
 * {@code tidemark.dm.relays} runs its relay, so each source has one writer while the group is healthy.
 */
@Component
class RelayOwnership extends Ownership<DesiredRelay, DesiredRelay> {
    RelayOwnership(KafkaClients clients, TopicCatalog topics, RelaySupervisor supervisor) {
        super(clients, topics.relayGroup(), topics.dmRelays(), DesiredRelay.class, DesiredRelay.class, supervisor,
                "dm-relay-ownership");
    }
}
