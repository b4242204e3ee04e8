package io.tidemark.dm.sync;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.table.TableRef;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.util.BitSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parallel path: the sync session converts the key columns only, the worker the whole row, to the same result. */
class RowChangeTest {
    private static final int LONG = ColumnType.LONG.getCode();
    private static final TableSchema COUNTERS = new TableSchema(TableRef.of("shop", "counters"),
            List.of(new Column("id", "int", "int(11)", null, false, false),
                    new Column("hits", "int", "int(11)", null, true, false)),
            List.of(0), TableSchema.KeyKind.PRIMARY);
    private static final BitSet BOTH = new BitSet();
    private static final SourceTypes UNSIGNED_HITS;

    static {
        BOTH.set(0, 2);
        BitSet unsigned = new BitSet();
        unsigned.set(1);
        UNSIGNED_HITS = new SourceTypes(new byte[] {(byte) LONG, (byte) LONG}, unsigned, new BitSet(), "test");
    }

    @Test
    void theRouterConvertsOnlyTheKeyColumns() {
        RowStatements rs = new RowStatements(COUNTERS);
        assertThat(rs.keyColumns()).containsExactly(true, false);
        // hits' cell does not fit the target: only converting it would say so, and routing does not
        assertThat(ValueConverter.row(COUNTERS, UNSIGNED_HITS, BOTH, new Serializable[] {7, -1}, rs.keyColumns()))
                .containsExactly(7L, null);
    }

    @Test
    void aRawChangeBuildsWhatTheConvertedPathBuilds() {
        RowStatements rs = new RowStatements(COUNTERS);
        Serializable[] before = {7, 1};
        Serializable[] after = {8, 2};
        RowChange raw = new RowChange.Raw(rs, COUNTERS, null, UNSIGNED_HITS, true, BOTH, before, BOTH, after);
        List<SqlStatement> built = rs.update(ValueConverter.row(COUNTERS, UNSIGNED_HITS, BOTH, before),
                ValueConverter.row(COUNTERS, UNSIGNED_HITS, BOTH, after), true);

        assertThat(raw.statements()).isEqualTo(built).hasSize(2);
        assertThat(raw.size()).isEqualTo(2);
        RowChange insert = new RowChange.Raw(rs, COUNTERS, null, UNSIGNED_HITS, false, null, null, BOTH, after);
        assertThat(insert.statements()).singleElement().satisfies(s -> {
            assertThat(s.sql()).startsWith("INSERT INTO `shop`.`counters`");
            assertThat(s.params()).containsExactly(8L, 2L);
        });
        RowChange delete = new RowChange.Raw(rs, COUNTERS, null, UNSIGNED_HITS, true, BOTH, before, null, null);
        assertThat(delete.statements()).singleElement().satisfies(s -> {
            assertThat(s.sql()).isEqualTo("DELETE FROM `shop`.`counters` WHERE `id` = ?");
            assertThat(s.params()).containsExactly(7L);
        });
        assertThat(delete.size()).isEqualTo(1);
    }

    @Test
    void aCellThatDoesNotFitFailsOnTheWorkerNamingTableAndColumn() {
        RowChange raw = new RowChange.Raw(new RowStatements(COUNTERS), COUNTERS, null, UNSIGNED_HITS, false, null,
                null, BOTH, new Serializable[] {7, -1});
        assertThatThrownBy(raw::statements).isInstanceOfSatisfying(TidemarkException.class, e -> {
            assertThat(e.error()).isEqualTo(ErrorCode.TARGET_STATEMENT_FAILED);
            assertThat(e.detail()).contains("shop.counters, column hits").contains("4294967295");
        });
    }
}
