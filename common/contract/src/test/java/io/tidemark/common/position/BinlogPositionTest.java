package io.tidemark.common.position;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BinlogPositionTest {
    @Test
    void ordersByFileSequenceNumberNotText() {
        BinlogPosition a = BinlogPosition.ofFilePosition("mysql-bin.000009", 5000);
        BinlogPosition b = BinlogPosition.ofFilePosition("mysql-bin.000010", 4);
        assertThat(a).isLessThan(b);
        assertThat(a.isBefore(b)).isTrue();
        assertThat(a.withPos(6000)).isGreaterThan(a);
    }

    @Test
    void rotationPastSixDigitsStillOrders() {
        assertThat(BinlogPosition.ofFilePosition("mysql-bin.999999", 100))
                .isLessThan(BinlogPosition.ofFilePosition("mysql-bin.1000000", 4));
    }

    @Test
    void anOffsetBeforeTheFirstEventIsRejected() {
        assertThatThrownBy(() -> BinlogPosition.ofFilePosition("mysql-bin.000001", 3))
                .hasMessageContaining("before the first event");
    }

    @Test
    void gtidIsKeptAndShown() {
        BinlogPosition p = BinlogPosition.of("mysql-bin.000004", 109227, "0-1-42");
        assertThat(p.toString()).isEqualTo("mysql-bin.000004:109227 [0-1-42]");
        assertThat(BinlogPosition.of("f.000001", 4, " ").gtidSet()).isNull();
    }
}
