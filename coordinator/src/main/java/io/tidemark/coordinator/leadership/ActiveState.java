package io.tidemark.coordinator.leadership;

/**
 * State besides the migrations that the coordinator keeps in memory from a compacted topic (DM source and task files,
 * relays): a standby that takes over reads it again, as the coordinator before it may have changed it since this
 * instance started.
 */
public interface ActiveState {
    /** reads the state again from its topic, committed records only; called by the election thread on a takeover */
    void reload();
}
