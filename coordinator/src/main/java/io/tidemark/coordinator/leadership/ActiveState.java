package io.tidemark.coordinator.leadership;

/**
 * State besides the migrations that the coordinator keeps in memory from a compacted topic (DM source and task files,
 * relays): a standby keeps it current by tailing that topic ({@link #applyRead}), so its reads are at most a poll
 * behind, and reads it again whole when it takes over, as the coordinator before it may have changed it since.
 */
public interface ActiveState {
    /** reads the state again from its topic, committed records only; called by the election thread on a takeover */
    void reload();

    /** the compacted topic the state is kept in */
    String topic();

    /**
     * A record a standby read on {@link #topic}, written by the active coordinator: the key's new value, or its
     * deletion ({@code value} null). Called by the standby's tailer thread only.
     */
    void applyRead(String key, byte[] value);
}
