package io.tidemark.coordinator.store;

import java.util.function.BiConsumer;

/**
 * A compacted topic of the coordinator's state that a standby keeps current by tailing it, written by the active
 * coordinator: the migrations, their chunks, the DM files and relays.
 */
public interface TailedTopic {
    /** the compacted topic the state is kept in */
    String topic();

    /**
     * A record a standby read on {@link #topic}: the key's new value, or its deletion ({@code value} null). Called by
     * the standby's tailer thread only; the active coordinator's memory changes through its own writes.
     */
    void applyRead(String key, byte[] value);

    /** {@code topic}, its records applied by {@code apply} */
    static TailedTopic of(String topic, BiConsumer<String, byte[]> apply) {
        return new TailedTopic() {
            @Override
            public String topic() {
                return topic;
            }

            @Override
            public void applyRead(String key, byte[] value) {
                apply.accept(key, value);
            }
        };
    }
}
