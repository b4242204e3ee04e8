package io.tidemark.coordinator.precheck;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.precheck.CheckResult;
import io.tidemark.mysql.precheck.Fact;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Which tables the keyless check warns of, on recorded definitions: those without a key that get no snapshot point. */
class KeylessTablesCheckTest {
    private static final TableDefinition.Column ID = new TableDefinition.Column("id", "int", false, false);
    private static final TableDefinition.Column NOTE = new TableDefinition.Column("note", "text", true, true);

    private static TableDefinition table(String name, String engine, boolean keyed) {
        return new TableDefinition(TableRef.of("shop", name), List.of(ID, NOTE), keyed ? List.of("id") : List.of(),
                List.of(), engine, null);
    }

    private static CheckResult check(TableDefinition... tables) {
        Map<String, TableDefinition> byKey = new LinkedHashMap<>();
        for (TableDefinition t : tables) {
            byKey.put(t.key(), t);
        }
        return new KeylessTablesCheck().check(new MigrationFacts(null, null, null, null, Fact.of(byKey), null, null));
    }

    @Test
    void keylessInnoDbTablesPassAsTheirSnapshotPointsKeepThemExact() {
        CheckResult result = check(table("orders", "InnoDB", true), table("events", "InnoDB", false));

        assertThat(result.state()).isEqualTo(CheckResult.State.PASS);
        assertThat(result.message()).endsWith("or is InnoDB and is kept exact by its own snapshot point"
                + " (1 without a key)");
    }

    @Test
    void keylessTablesOfOtherEnginesAreWarnedOfWithTheirEngineWhileKeyedOnesAreNot() {
        CheckResult result = check(table("events", "InnoDB", false), table("log", "MyISAM", false),
                table("archive", "Aria", true), table("odd", null, false));

        assertThat(result.state()).isEqualTo(CheckResult.State.WARN);
        assertThat(result.message()).isEqualTo("keyless tables shop.log (MyISAM), shop.odd (engine unknown): their"
                + " engines read no consistent snapshot, so rows written during the snapshot window may be replayed"
                + " twice");
        assertThat(result.instruction()).contains("convert them to InnoDB");
    }

    @Test
    void manyAreNamedUpToTenAndCounted() {
        CheckResult result = check(IntStream.range(0, 12)
                .mapToObj(i -> table("t" + (10 + i), "MEMORY", false)).toArray(TableDefinition[]::new));

        assertThat(result.message()).startsWith("keyless tables shop.t10 (MEMORY), ").contains("shop.t19 (MEMORY)")
                .contains(" and 2 more:").doesNotContain("shop.t20");
    }

    @Test
    void tablesThatCouldNotBeReadAreAWarningNotAPass() {
        CheckResult result = new KeylessTablesCheck().check(new MigrationFacts(null, null, null, null,
                Fact.failed(new TidemarkException(ErrorCode.SOURCE_QUERY_FAILED, "dm@db:3306", "timeout")), null, null));

        assertThat(result.state()).isEqualTo(CheckResult.State.WARN);
        assertThat(result.message()).startsWith("cannot read the selected tables' keys and engines: ");
    }
}
