package io.tidemark.coordinator.verify;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Chunk boundaries become ranges that cover every key exactly once, and each range's SQL selects just its keys. */
class ChunkPlanTest {
    @Test
    void boundariesCutTheKeyIntoRangesOpenAtBothEnds() {
        List<KeyRange> ranges = ChunkPlan.of(List.of("id"), List.of(List.of(10), List.of(20)));

        assertThat(ranges).extracting(KeyRange::describe)
                .containsExactly("id (-∞, 10]", "id (10, 20]", "id (20, +∞)");
        assertThat(ranges.get(0).where()).isEqualTo("`id` <= ?");
        assertThat(ranges.get(1).where()).isEqualTo("`id` > ? AND `id` <= ?");
        assertThat(ranges.get(1).parameters()).containsExactly(10, 20);
        assertThat(ranges.get(2).where()).isEqualTo("`id` > ?");
        assertThat(ranges.get(2).parameters()).containsExactly(20);
    }

    @Test
    void aTableWithoutKeyOrBoundariesIsOneChunkOfEveryRow() {
        KeyRange keyless = ChunkPlan.of(List.of(), List.of(List.of(1))).getFirst();
        assertThat(keyless.where()).isNull();
        assertThat(keyless.parameters()).isEmpty();
        assertThat(keyless.describe()).startsWith("whole table");

        // a keyed table smaller than one chunk: no boundary was sampled
        assertThat(ChunkPlan.of(List.of("id"), List.of())).extracting(KeyRange::describe)
                .containsExactly("id (-∞, +∞)");
    }

    @Test
    void aCompositeKeyIsComparedColumnByColumnInKeyOrder() {
        List<KeyRange> ranges = ChunkPlan.of(List.of("a", "b"), List.of(List.of(1, "x"), List.of(2, "it's")));
        KeyRange middle = ranges.get(1);

        assertThat(middle.where()).isEqualTo("((`a` > ?) OR (`a` = ? AND `b` > ?))"
                + " AND ((`a` < ?) OR (`a` = ? AND `b` <= ?))");
        assertThat(middle.parameters()).containsExactly(1, 1, "x", 2, 2, "it's");
        assertThat(middle.describe()).isEqualTo("(a, b) ((1, 'x'), (2, 'it''s')]");
        // the next range starts exactly where this one ends: no key in two chunks, none in none
        assertThat(ranges.get(2).lower()).isEqualTo(middle.upper());
    }

    @Test
    void theSamplerRefusesChunksOfNoRows() {
        assertThatThrownBy(() -> new TableVerifier(null, null, 0))
                .hasMessageContaining("chunk rows must be at least 1, not 0");
    }

    @Test
    void theChunkKeyIsThePrimaryKeyElseTheShortestUniqueKeyThatAllowsNoNull() {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        Map<String, Boolean> nullable = new LinkedHashMap<>();
        keys.put("uk_wide", List.of("a", "b"));
        nullable.put("uk_wide", false);
        keys.put("uk_nullable", List.of("c"));
        nullable.put("uk_nullable", true);
        assertThat(ChunkKey.choose(keys, nullable)).containsExactly("a", "b");

        keys.put("PRIMARY", List.of("id"));
        nullable.put("PRIMARY", false);
        assertThat(ChunkKey.choose(keys, nullable)).containsExactly("id");

        assertThat(ChunkKey.choose(Map.of("uk", List.of("c")), Map.of("uk", true))).isEmpty();
    }

    @Test
    void binaryKeysPrintAsHexAndCompareByContent() {
        KeyRange a = new KeyRange(List.of("k"), null, Arrays.asList(new byte[]{1, (byte) 0xab}));
        KeyRange b = new KeyRange(List.of("k"), null, Arrays.asList(new byte[]{1, (byte) 0xab}));
        assertThat(a.describe()).isEqualTo("k (-∞, 0x01ab]");
        assertThat(a).isEqualTo(b);
    }
}
