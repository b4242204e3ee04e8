package io.tidemark.lightning.chunk;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The info line MySQL, MariaDB and TiDB answer a LOAD DATA with. */
class LoadDataInfoTest {
    @Test
    void readsRecordsDeletedSkippedAndWarnings() {
        assertThat(LoadDataInfo.parse("Records: 3  Deleted: 1  Skipped: 2  Warnings: 4"))
                .contains(new LoadDataInfo(3, 1, 2, 4));
        assertThat(LoadDataInfo.parse("Records: 12345678901  Deleted: 0  Skipped: 0  Warnings: 0"))
                .contains(new LoadDataInfo(12345678901L, 0, 0, 0));
    }

    @Test
    void noInfoOrAnotherStatementsInfoIsNone() {
        assertThat(LoadDataInfo.parse(null)).isEmpty();
        assertThat(LoadDataInfo.parse("")).isEmpty();
        assertThat(LoadDataInfo.parse("Rows matched: 1  Changed: 1  Warnings: 0")).isEmpty();
    }
}
