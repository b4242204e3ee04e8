package io.tidemark.common.command;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.serde.MessageType;

import java.util.Objects;

/**
 * The coordinator's wish for one DM source's relay log ({@code enable-relay: true}), on the compacted
 * {@code TopicCatalog#dmRelays()} topic keyed by source-id: the dm-service instance assigned the key's partition runs
 * the relay writer while {@code running}, and stops it when not (or when it loses the partition).
 *
 * @param source   the source's endpoint, its password sealed as everywhere on Kafka
 * @param serverId the replica server id the relay presents to the source, stable per source-id
 * @param start    the source's binlog position when the relay was enabled, where a relay that never wrote starts;
 *                 null when the source did not answer then (the relay starts where the source is when it starts)
 * @param running  true while the source has {@code enable-relay: true}; false after stop, update without it, or
 *                 operate-source stop
 */
@MessageType("desired-relay")
public record DesiredRelay(String sourceId, DatabaseEndpoint source, long serverId, BinlogPosition start,
                           boolean running) {
    public DesiredRelay {
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(source, "source");
    }

    /** the same relay, wanted stopped: endpoint and start are kept so starting it again resumes the same relay */
    public DesiredRelay stopped() {
        return new DesiredRelay(sourceId, source, serverId, start, false);
    }
}
