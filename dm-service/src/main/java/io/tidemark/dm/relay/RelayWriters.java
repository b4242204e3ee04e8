package io.tidemark.dm.relay;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.dm.sync.SyncSettings;
import io.tidemark.kit.kafka.KafkaClients;
import io.tidemark.mysql.session.Timeouts;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * Starts the relay of a source with {@code enable-relay: true}, on the service's own Kafka settings (the kit's
 * {@link KafkaClients}, Spring's {@link KafkaAdmin}) and topic catalog. Thread-safe. Which instance relays which
 * source (DM's start-relay/stop-relay) is decided by the caller.
 */
@Component
public class RelayWriters {
    private final RelaySettings relay;
    private final SyncSettings sync;
    private final Timeouts timeouts;
    private final SecretBox secrets;
    private final KafkaClients clients;
    private final KafkaAdmin admin;
    private final TopicCatalog topics;

    public RelayWriters(RelaySettings relay, SyncSettings sync, Timeouts timeouts, SecretBox secrets,
                        KafkaClients clients, KafkaAdmin admin, TopicCatalog topics) {
        this.relay = relay;
        this.sync = sync;
        this.timeouts = timeouts;
        this.secrets = secrets;
        this.clients = clients;
        this.admin = admin;
        this.topics = topics;
    }

    /**
     * @param serverId the replica server id the relay reads as (unique among the source's replicas and tasks)
     * @param start    where a relay that never wrote a record starts; an existing relay continues from its topic
     * @return the running writer; closing it stops the relay
     */
    public RelayWriter start(String sourceId, DatabaseEndpoint source, long serverId, BinlogPosition start) {
        RelayWriter writer = new RelayWriter(sourceId, topics.relay(sourceId), source,
                secrets.open(source.password()), serverId, start, relay, sync, timeouts,
                admin.getConfigurationProperties(), clients.producerProperties("relay-" + sourceId, Map.of()),
                clients.consumerProperties(topics.prefix() + ".relay-writer", Map.of()));
        try {
            writer.start();
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
        return writer;
    }
}
