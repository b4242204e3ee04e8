package io.tidemark.lightning.chunk;

import io.tidemark.common.table.ExtractedColumn;
import io.tidemark.lightning.sql.ColumnList;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The columns a route fills (DM's extract-*) written beside a dump's own: in INSERTs, in LOAD DATA, in lists. */
class FilledColumnsTest {
    private static final FilledColumns FILLED = new FilledColumns(List.of(new ExtractedColumn("c_source", "mysql-01"),
            new ExtractedColumn("c_table", "o'1")));
    private static final String HEAD = "REPLACE INTO `merged`.`t` ";

    @Test
    void everyTupleOfAnInsertGetsTheFilledValuesAndItsListTheirColumnsWhateverItsStringsHold() {
        String sql = HEAD + "(`id`,`note`) VALUES (1,'a ) (b'),(2,'it''s'),\n(3,'back\\\\'),(4,NULL),(5,CONCAT('x'))";
        assertThat(FILLED.intoInsert(sql, HEAD.length())).isEqualTo(HEAD + "(`id`,`note`, `c_source`, `c_table`)"
                + " VALUES (1,'a ) (b', 'mysql-01', 'o''1'),(2,'it''s', 'mysql-01', 'o''1'),\n"
                + "(3,'back\\\\', 'mysql-01', 'o''1'),(4,NULL, 'mysql-01', 'o''1'),"
                + "(5,CONCAT('x'), 'mysql-01', 'o''1')");
    }

    @Test
    void nothingFilledLeavesTheStatementAsItIsAndAnInsertWithoutAColumnListIsRefused() {
        String sql = HEAD + "VALUES (1)";
        assertThat(new FilledColumns(List.of()).intoInsert(sql, HEAD.length())).isSameAs(sql);
        assertThatThrownBy(() -> FILLED.intoInsert(sql, HEAD.length())).hasMessage("the INSERT names no columns");
    }

    @Test
    void loadDataSetsTheFilledColumnsAndAHeaderlessFileHoldsTheTargetsOtherColumns() {
        assertThat(FILLED.loadDataSet()).isEqualTo(" SET `c_source` = 'mysql-01', `c_table` = 'o''1'");
        assertThat(new FilledColumns(List.of()).loadDataSet()).isEmpty();
        assertThat(FILLED.withoutFilled(new ColumnList(List.of("id", "C_SOURCE", "note", "c_table"))).names())
                .containsExactly("id", "note");
    }
}
