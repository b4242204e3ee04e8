package io.tidemark.dm.relay;

import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.dm.sync.EventSource;
import io.tidemark.dm.sync.ExactRowsDeserializers;
import io.tidemark.dm.sync.RelaySources;
import io.tidemark.dm.sync.SyncSettings;
import io.tidemark.kit.kafka.KafkaClients;
import org.springframework.stereotype.Component;

import java.util.Map;

/** The replicator's way to a source's relay: the service's consumer settings, topic catalog and queue size. */
@Component
class RelayStreams implements RelaySources {
    private final KafkaClients clients;
    private final TopicCatalog topics;
    private final SyncSettings settings;

    RelayStreams(KafkaClients clients, TopicCatalog topics, SyncSettings settings) {
        this.clients = clients;
        this.topics = topics;
        this.settings = settings;
    }

    @Override
    public EventSource open(String sourceId, BinlogPosition start) {
        // assigned, never subscribed: the group id only names the client in the broker's logs
        return new RelayStream(topics.relay(sourceId), clients.consumerProperties(topics.prefix() + ".relay-reader",
                Map.of()), start, ExactRowsDeserializers.create(), settings.queueCapacity());
    }
}
