package io.tidemark.snapshot.dump;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ColumnTest {
    @Test
    void generatedColumnsAreLeftOutAndForceAColumnList() {
        Column id = Column.of("id", "int", "auto_increment");
        Column virtual = Column.of("g", "bigint", "VIRTUAL GENERATED");
        Column stored = Column.of("s", "bigint", "STORED GENERATED");
        Column persistent = Column.of("p", "bigint", "PERSISTENT GENERATED");

        assertThat(List.of(virtual, stored, persistent)).allMatch(Column::generated);
        assertThat(Column.dumped(List.of(id, virtual, stored, persistent))).containsExactly(id);
        assertThat(Column.needsColumnList(List.of(id, virtual))).isTrue();
        assertThat(Column.needsColumnList(List.of(id))).isFalse();
    }

    @Test
    void mysqlDefaultGeneratedColumnsHoldDataAndAreDumped() {
        Column created = Column.of("created", "timestamp", "DEFAULT_GENERATED on update CURRENT_TIMESTAMP");

        assertThat(created.generated()).isFalse();
        assertThat(Column.dumped(List.of(created))).containsExactly(created);
    }

    @Test
    void invisibleColumnsAreDumpedThroughAColumnList() {
        Column hidden = Column.of("h", "int", "INVISIBLE");

        assertThat(hidden.invisible()).isTrue();
        assertThat(Column.dumped(List.of(hidden))).containsExactly(hidden);
        assertThat(Column.needsColumnList(List.of(hidden))).isTrue();
    }
}
