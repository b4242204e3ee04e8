package io.tidemark.dm.own;

import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The latest desired state of every key (a task, a relay) in the partitions this worker is assigned. A partition is
 * read from its beginning on assignment and becomes <em>live</em> once the read reaches the end offset seen at
 * assignment: only then are its keys acted on, so nothing is started from a desired state that a later record
 * replaces.
 * Ownership thread only.
 */
final class DesiredStates<V> {
    private final class PartitionState {
        final long catchUpEnd;
        boolean live;
        final Map<String, V> values = new LinkedHashMap<>();
        final Set<String> changed = new LinkedHashSet<>();

        PartitionState(long catchUpEnd) {
            this.catchUpEnd = catchUpEnd;
        }
    }

    private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();

    void assigned(Map<TopicPartition, Long> endOffsets) {
        endOffsets.forEach((tp, end) -> partitions.put(tp, new PartitionState(end)));
    }

    /** @return the keys the revoked partitions held */
    Set<String> revoked(Collection<TopicPartition> revoked) {
        Set<String> keys = new LinkedHashSet<>();
        for (TopicPartition tp : revoked) {
            PartitionState s = partitions.remove(tp);
            if (s != null) {
                keys.addAll(s.values.keySet());
                keys.addAll(s.changed);
            }
        }
        return keys;
    }

    /** a record: a desired state, or null for a tombstone */
    void record(TopicPartition tp, String key, V value) {
        PartitionState s = partitions.get(tp);
        if (s == null) {
            return;
        }
        if (value == null) {
            s.values.remove(key);
        } else {
            s.values.put(key, value);
        }
        s.changed.add(key);
    }

    /**
     * @param position the consumer's next offset per partition
     * @return the keys to reconcile now: every key of a partition that just caught up, and the changed keys of live
     * ones
     */
    Set<String> due(java.util.function.ToLongFunction<TopicPartition> position) {
        Set<String> keys = new LinkedHashSet<>();
        for (Map.Entry<TopicPartition, PartitionState> e : partitions.entrySet()) {
            PartitionState s = e.getValue();
            if (!s.live && position.applyAsLong(e.getKey()) >= s.catchUpEnd) {
                s.live = true;
                keys.addAll(s.values.keySet());
                keys.addAll(s.changed);
                s.changed.clear();
            } else if (s.live) {
                keys.addAll(s.changed);
                s.changed.clear();
            }
        }
        return keys;
    }

    Optional<V> desired(String key) {
        for (PartitionState s : partitions.values()) {
            V t = s.values.get(key);
            if (t != null) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
