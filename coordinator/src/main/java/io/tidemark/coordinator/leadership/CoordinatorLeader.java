package io.tidemark.coordinator.leadership;

import io.tidemark.common.serde.MessageType;

import java.time.Instant;

/**
 * What the active coordinator writes on the leader topic when it takes over, in its first transaction: where it is,
 * so standbys can name it to clients that send them writes.
 *
 * @param url   the active coordinator's advertised URL
 * @param epoch the election's generation in which it became active; a later takeover has a higher one
 * @param since when it took over
 */
@MessageType("coordinator-leader")
public record CoordinatorLeader(String url, int epoch, Instant since) {
    /** the one key of the leader topic: compaction keeps the latest leader only */
    static final String KEY = "leader";
}
