package io.tidemark.coordinator.leadership;

import io.tidemark.coordinator.store.TailedTopic;

/**
 * State besides the migrations that the coordinator keeps in memory from a compacted topic (DM source and task files,
 * relays): a standby keeps it current by tailing that topic ({@link TailedTopic}), so its reads are at most a poll
 * behind, and reads it again whole when it takes over, as the coordinator before it may have changed it since.
 */
public interface ActiveState extends TailedTopic {
    /** reads the state again from its topic, committed records only; called by the election thread on a takeover */
    void reload();
}
