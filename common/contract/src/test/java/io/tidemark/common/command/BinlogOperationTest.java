package io.tidemark.common.command;

import io.tidemark.common.position.BinlogPosition;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BinlogOperationTest {
    private static final BinlogPosition AT = BinlogPosition.ofFilePosition("mysql-bin.000004", 1234);

    @Test
    void matchesOnlyTheEventStartingAtItsFileAndOffsetWhateverTheGtidSet() {
        BinlogOperation skip = new BinlogOperation(BinlogOperation.Op.SKIP, AT, null);
        assertThat(skip.matches(BinlogPosition.of("mysql-bin.000004", 1234, "0-1-9"))).isTrue();
        assertThat(skip.matches(AT.withPos(1235))).isFalse();
        assertThat(skip.matches(BinlogPosition.ofFilePosition("mysql-bin.000005", 1234))).isFalse();
    }

    @Test
    void replaceAndInjectNeedStatementsAndSkipTakesNone() {
        assertThatThrownBy(() -> new BinlogOperation(BinlogOperation.Op.REPLACE, AT, List.of("  ")))
                .hasMessageContaining("binlog replace at").hasMessageContaining("needs at least one statement");
        assertThatThrownBy(() -> new BinlogOperation(BinlogOperation.Op.INJECT, AT, List.of()))
                .hasMessageContaining("binlog inject at").hasMessageContaining("needs at least one statement");
        assertThatThrownBy(() -> new BinlogOperation(BinlogOperation.Op.SKIP, AT, List.of("SELECT 1")))
                .hasMessageContaining("takes no statements");
        assertThat(BinlogOperation.Op.parse("replace")).isEqualTo(BinlogOperation.Op.REPLACE);
        assertThat(BinlogOperation.Op.parse("inject")).isEqualTo(BinlogOperation.Op.INJECT);
        assertThat(BinlogOperation.Op.parse("revert")).isNull();
    }
}
