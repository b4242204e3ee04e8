package io.tidemark.snapshot.dump;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KeyRangesTest {
    @Test
    void aTableAtOrBelowTheThresholdIsOneRange() {
        assertThat(KeyRanges.count(0, 200_000)).isEqualTo(1);
        assertThat(KeyRanges.count(200_000, 200_000)).isEqualTo(1);
        assertThat(KeyRanges.count(200_001, 200_000)).isEqualTo(2);
        assertThat(KeyRanges.count(5_000_000, 0)).as("chunk-rows 0 turns ranges off").isEqualTo(1);
        assertThat(KeyRanges.integer(1, 10, 10, 200_000)).containsExactlyElementsOf(KeyRanges.whole());
        assertThat(KeyRanges.whole().getFirst().condition(List.of("id"))).isEqualTo("1=1");
    }

    @Test
    void anIntegerKeyIsCutEvenlyAndTheEndRangesAreOpen() {
        List<KeyRanges.Range> ranges = KeyRanges.integer(1, 1_000_000, 1_000_000, 250_000);

        assertThat(ranges).hasSize(4);
        assertThat(ranges).extracting(KeyRanges.Range::lower)
                .containsExactly(List.of(), List.of(250_000L), List.of(500_000L), List.of(750_000L));
        assertThat(ranges).extracting(KeyRanges.Range::upper)
                .containsExactly(List.of(250_000L), List.of(500_000L), List.of(750_000L), List.of());
        assertThat(ranges.getFirst().condition(List.of("id"))).isEqualTo("((`id` < ?))");
        assertThat(ranges.get(1).condition(List.of("id"))).isEqualTo("((`id` >= ?)) AND ((`id` < ?))");
        assertThat(ranges.getLast().condition(List.of("id"))).isEqualTo("((`id` >= ?))");
        assertThat(ranges).extracting(KeyRanges.Range::firstFile).containsExactly(0, 100_000, 200_000, 300_000);
    }

    @Test
    void everyIntegerKeyFallsInExactlyOneRangeEvenBeyondTheSampledBounds() {
        List<KeyRanges.Range> ranges = KeyRanges.integer(-5, 95, 1_000, 100);
        for (long key = -50; key <= 150; key++) {
            long k = key;
            assertThat(ranges.stream().filter(r -> contains(r, k)).count()).as("key %d", key).isEqualTo(1);
        }
    }

    @Test
    void aSpanNarrowerThanTheRangeCountGivesFewerRangesAndExtremeBoundsDoNotOverflow() {
        assertThat(KeyRanges.integer(1, 3, 10_000_000, 100)).as("keys 1, 2, 3: (< 2), (>= 2)").hasSize(2);
        List<KeyRanges.Range> extreme = KeyRanges.integer(Long.MIN_VALUE, Long.MAX_VALUE, 400, 100);
        assertThat(extreme).hasSize(4);
        assertThat(extreme.get(2).lower()).containsExactly(-1L);
    }

    @Test
    void anIntegerKeyWithOutliersIsSparseAndIsSampledInstead() {
        assertThat(KeyRanges.dense(1, 1_000_000, 990_000)).isTrue();
        assertThat(KeyRanges.dense(1, 1_000_000, 400_000)).isFalse();
        assertThat(KeyRanges.dense(-5, 1_000_000, 30_000)).isFalse();
    }

    @Test
    void aCompositeKeyIsComparedLexicographically() {
        List<KeyRanges.Range> ranges = KeyRanges.fromBoundaries(List.of(List.of("7", "b"), List.of("9", "a")));

        assertThat(ranges).hasSize(3);
        KeyRanges.Range middle = ranges.get(1);
        assertThat(middle.condition(List.of("a", "b"))).isEqualTo(
                "((`a` > ?) OR (`a` = ? AND `b` >= ?)) AND ((`a` < ?) OR (`a` = ? AND `b` < ?))");
        assertThat(middle.parameters()).containsExactly("7", "7", "b", "9", "9", "a");
    }

    @Test
    void stringBoundariesGiveStringRangesAndNoBoundaryTheWholeTable() {
        List<KeyRanges.Range> ranges = KeyRanges.fromBoundaries(List.of(List.of("m")));
        assertThat(ranges).hasSize(2);
        assertThat(ranges.getFirst().condition(List.of("name"))).isEqualTo("((`name` < ?))");
        assertThat(ranges.getLast().parameters()).containsExactly("m");
        assertThat(KeyRanges.fromBoundaries(List.of())).containsExactlyElementsOf(KeyRanges.whole());
    }

    /** evaluates a range's condition over a single integer key, as the server would */
    private static boolean contains(KeyRanges.Range r, long key) {
        boolean above = r.lower().isEmpty() || key >= (Long) r.lower().getFirst();
        boolean below = r.upper().isEmpty() || key < (Long) r.upper().getFirst();
        return above && below;
    }
}
