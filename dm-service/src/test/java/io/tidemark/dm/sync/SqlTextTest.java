package io.tidemark.dm.sync;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlTextTest {
    private static String whole(String sql, Object... values) {
        StringBuilder out = new StringBuilder();
        SqlText.of(sql).appendWhole(out, Arrays.asList(values));
        return out.toString();
    }

    @Test
    void insertsJoinIntoOneMultiRowStatement() {
        SqlText t = SqlText.of("INSERT INTO `db`.`t` (`id`, `a?b`) VALUES (?, ?)");
        assertThat(t.multiRow()).isTrue();
        StringBuilder out = new StringBuilder(t.rowsHead());
        t.appendRow(out, List.of(1L, "x"));
        out.append(',');
        t.appendRow(out, Arrays.asList(2L, null));
        assertThat(out).hasToString("INSERT INTO `db`.`t` (`id`, `a?b`) VALUES (1, 'x'),(2, NULL)");
        assertThat(SqlText.of("REPLACE INTO `t` (`id`) VALUES (?)").rowsHead()).isEqualTo("REPLACE INTO `t` (`id`) VALUES ");
    }

    @Test
    void updatesAndDeletesAreWrittenWhole_aQuestionMarkInANameIsNoPlaceholder() {
        assertThat(SqlText.of("UPDATE `t` SET `a` = ? WHERE `id` = ?").multiRow()).isFalse();
        assertThat(whole("UPDATE `t?` SET `a` = ? WHERE `id` = ? LIMIT 1", "v", 7L))
                .isEqualTo("UPDATE `t?` SET `a` = 'v' WHERE `id` = 7 LIMIT 1");
        assertThatThrownBy(() -> whole("DELETE FROM `t` WHERE `id` = ?")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deletesByAOneColumnKeyJoinIntoOneInList_byEveryColumnTheyStayWhole() {
        SqlText t = SqlText.of("DELETE FROM `db`.`t` WHERE `id` = ?");
        assertThat(t.multiRow()).isTrue();
        StringBuilder out = new StringBuilder(t.rowsHead());
        t.appendRow(out, List.of(1L));
        out.append(',');
        t.appendRow(out, List.of(2L));
        out.append(t.rowsTail());
        assertThat(out).hasToString("DELETE FROM `db`.`t` WHERE `id` IN (1,2)");
        assertThat(SqlText.of("DELETE FROM `t` WHERE `a` = ? AND `b` = ?").multiRow()).isFalse();
        assertThat(SqlText.of("DELETE FROM `t` WHERE `a` <=> ? LIMIT 1").multiRow()).isFalse();
        assertThat(SqlText.of("INSERT INTO `t` (`a`) VALUES (?)").rowsTail()).isEmpty();
    }

    @Test
    void literalsReadBackExactly() {
        assertThat(whole("SELECT ?, ?, ?, ?, ?", new BigInteger("18446744073709551615"), new BigDecimal("1E+3"),
                new BigDecimal("-0.00010"), 0.1d, -1.5e300))
                .isEqualTo("SELECT 18446744073709551615, 1000, -0.00010, 0.1, -1.5E300");
        assertThat(whole("SELECT ?", "it's \"q\" \\ \n\r\t\0\032 🙂 Zoë"))
                .isEqualTo("SELECT 'it\\'s \\\"q\\\" \\\\ \\n\\r\t\\0\\Z 🙂 Zoë'");
        assertThat(whole("SELECT ?, ?", new byte[] {0, (byte) 0xff, 0x1a}, new byte[0])).isEqualTo("SELECT X'00FF1A', X''");
        assertThatThrownBy(() -> whole("SELECT ?", Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
