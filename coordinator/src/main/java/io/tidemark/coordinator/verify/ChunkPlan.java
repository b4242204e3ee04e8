package io.tidemark.coordinator.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a table into key ranges at boundaries sampled from the source's key (every N-th key in key order, as
 * sync-diff-inspector's "limit" splitter does): {@code (-∞, b1], (b1, b2], …, (bk, +∞)}. The last range is open
 * above so that rows the target holds beyond the source's last key are compared too; a table without a usable key
 * is one chunk.
 */
final class ChunkPlan {
    private ChunkPlan() {
    }

    /**
     * @param key        the key columns; empty for a keyless table
     * @param boundaries the key values chunks end at, ascending in key order; ignored for a keyless table
     */
    static List<KeyRange> of(List<String> key, List<List<Object>> boundaries) {
        if (key.isEmpty() || boundaries.isEmpty()) {
            return List.of(KeyRange.whole(key));
        }
        List<KeyRange> ranges = new ArrayList<>(boundaries.size() + 1);
        List<Object> lower = null;
        for (List<Object> upper : boundaries) {
            ranges.add(new KeyRange(key, lower, upper));
            lower = upper;
        }
        ranges.add(new KeyRange(key, lower, null));
        return ranges;
    }
}
