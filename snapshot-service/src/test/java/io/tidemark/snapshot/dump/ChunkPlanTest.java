package io.tidemark.snapshot.dump;

import io.tidemark.snapshot.dump.ChunkPlan.IndexColumn;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkPlanTest {
    @Test
    void thePrimaryKeyIsChosenBeforeAnyUniqueKey() {
        List<IndexColumn> columns = List.of(
                new IndexColumn("a_unique", "code", "varchar", false, false),
                new IndexColumn("PRIMARY", "tenant", "int", false, false),
                new IndexColumn("PRIMARY", "id", "bigint", false, false));

        assertThat(ChunkPlan.chooseKey(columns).orElseThrow()).extracting(IndexColumn::column)
                .containsExactly("tenant", "id");
    }

    @Test
    void withoutAPrimaryKeyOnlyAUniqueKeyWithoutNullableOrPrefixColumnsIsChosen() {
        List<IndexColumn> columns = List.of(
                new IndexColumn("a_nullable", "email", "varchar", true, false),
                new IndexColumn("b_prefix", "title", "varchar", false, true),
                new IndexColumn("c_whole", "sku", "char", false, false),
                new IndexColumn("c_whole", "made", "date", false, false));

        assertThat(ChunkPlan.chooseKey(columns).orElseThrow()).extracting(IndexColumn::column)
                .containsExactly("sku", "made");
    }

    @Test
    void aTableWithOnlyNullableOrInexactKeysHasNone() {
        assertThat(ChunkPlan.chooseKey(List.of())).isEmpty();
        assertThat(ChunkPlan.chooseKey(List.of(new IndexColumn("u", "email", "varchar", true, false)))).isEmpty();
        assertThat(ChunkPlan.chooseKey(List.of(new IndexColumn("PRIMARY", "x", "double", false, false))))
                .as("a float's text may not read back as the same value").isEmpty();
    }
}
