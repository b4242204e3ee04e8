package io.tidemark.lightning.sql;

import io.tidemark.lightning.target.SessionText;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which columns a dump's rows fill, read from its CREATE TABLE or CSV header, and how an INSERT comes to name them. */
class ColumnListTest {

    @Test
    void aMySqlCreateTableGivesItsInsertableColumnsInOrder() {
        // SHOW CREATE TABLE as Dumpling writes it: keys, a generated and an invisible column, literals with commas
        String ddl = """
                CREATE TABLE `orders` (
                  `id` bigint NOT NULL AUTO_INCREMENT,
                  `label` varchar(20) DEFAULT 'a, b) AS (x' COMMENT 'GENERATED ALWAYS, INVISIBLE',
                  `amount` decimal(10,2) NOT NULL,
                  `kind` enum('x,y','z') DEFAULT NULL,
                  `total` decimal(12,2) GENERATED ALWAYS AS ((`amount` * 2)) VIRTUAL,
                  `secret` int DEFAULT NULL /*!80023 INVISIBLE */,
                  `we``ird, (name)` int DEFAULT NULL,
                  PRIMARY KEY (`id`),
                  UNIQUE KEY `uk` (`label`,`amount`),
                  KEY `k` (`kind`),
                  CONSTRAINT `fk` FOREIGN KEY (`id`) REFERENCES `other` (`id`),
                  CONSTRAINT `chk` CHECK ((`amount` >= 0))
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4""";

        ColumnList columns = ColumnList.ofCreateTable(ddl);

        assertThat(columns.names()).containsExactly("id", "label", "amount", "kind", "we`ird, (name)");
        assertThat(columns.sql()).isEqualTo("(`id`,`label`,`amount`,`kind`,`we``ird, (name)`)");
    }

    @Test
    void aMariaDbCreateTableWithBareNamesAndSystemVersioning() {
        String ddl = SessionText.utf8("create table `a(b` (id INT PRIMARY KEY, l VARCHAR(20) CHARACTER SET latin1,"
                + " c int AS (id + 1) PERSISTENT, 名字 varchar(5),"
                + " row_start TIMESTAMP(6) GENERATED ALWAYS AS ROW START INVISIBLE,"
                + " row_end TIMESTAMP(6) GENERATED ALWAYS AS ROW END INVISIBLE,"
                + " PERIOD FOR SYSTEM_TIME(row_start, row_end), INDEX (l)) WITH SYSTEM VERSIONING");

        ColumnList columns = ColumnList.ofCreateTable(ddl);

        assertThat(columns.names()).containsExactly("id", "l", SessionText.utf8("名字"));
        assertThat(columns.readableSql()).isEqualTo("(`id`,`l`,`名字`)");
    }

    @Test
    void statementsThatDefineNoColumnsGiveNone() {
        assertThat(ColumnList.ofCreateTable("/*!40101 SET NAMES binary*/").isEmpty()).isTrue();
        assertThat(ColumnList.ofCreateTable("SET @x = (1)").isEmpty()).isTrue();
        assertThat(ColumnList.ofCreateTable("CREATE TABLE `t` LIKE `u`").isEmpty()).isTrue();
    }

    @Test
    void aCsvHeaderNamesItsColumnsInTheLoadDialect() {
        assertThat(ColumnList.ofCsvHeader("\"id\",\"la\\\"bel\",\"a,b\",\"x\"\"y\",plain\r").names())
                .containsExactly("id", "la\"bel", "a,b", "x\"y", "plain");
        assertThat(ColumnList.ofCsvHeader("").isEmpty()).isTrue();
    }

    @Test
    void anInsertWithoutColumnListGetsTheDumpsColumnsAndGoesIntoTheChunksTable() {
        ColumnList columns = new ColumnList(List.of("id", "label"));

        assertThat(statement("INSERT INTO `t` VALUES (1,'a'),(2,'b')").writtenInto("REPLACE", "`db2`.`t2`", columns))
                .contains("REPLACE INTO `db2`.`t2` (`id`,`label`) VALUES (1,'a'),(2,'b')");
        assertThat(statement("insert into db.`we``ird`\nvalue (1,'a')").writtenInto("INSERT", "`x`.`y`", columns))
                .contains("INSERT INTO `x`.`y` (`id`,`label`) value (1,'a')");
        assertThat(statement("INSERT IGNORE INTO t VALUES (1,'a')").writtenInto("REPLACE", "`x`.`t`", columns))
                .contains("REPLACE INTO `x`.`t` (`id`,`label`) VALUES (1,'a')");
        assertThat(statement("INSERT INTO`t`VALUES(1,'a')").writtenInto("INSERT", "`x`.`t`", columns))
                .contains("INSERT INTO `x`.`t` (`id`,`label`) VALUES(1,'a')");
        assertThat(statement("INSERT LOW_PRIORITY into `d` . `t` VALUES (1,'a')")
                .writtenInto("INSERT IGNORE", "`x`.`t`", columns))
                .contains("INSERT IGNORE INTO `x`.`t` (`id`,`label`) VALUES (1,'a')");
    }

    @Test
    void anInsertNamingItsColumnsKeepsThem() {
        ColumnList columns = new ColumnList(List.of("id", "label"));

        assertThat(statement("INSERT INTO `t` (`label`,`id`) VALUES ('a',1)").writtenInto("REPLACE", "`x`.`t`",
                columns)).contains("REPLACE INTO `x`.`t` (`label`,`id`) VALUES ('a',1)");
        assertThat(statement("INSERT INTO t(id) VALUES (1)").writtenInto("REPLACE", "`x`.`t`", columns))
                .contains("REPLACE INTO `x`.`t` (id) VALUES (1)");
        assertThat(statement("INSERT INTO t SELECT 1, 'a'").writtenInto("REPLACE", "`x`.`t`", columns))
                .contains("REPLACE INTO `x`.`t` SELECT 1, 'a'");
        assertThat(statement("INSERT INTO `t` VALUES (1,'a')").writtenInto("REPLACE", "`x`.`t`", ColumnList.NONE))
                .contains("REPLACE INTO `x`.`t` VALUES (1,'a')");
    }

    @Test
    void aStatementWhoseTableCannotBeToldIsNotRewritten() {
        assertThat(statement("INSERT INTO (1)").writtenInto("REPLACE", "`x`.`t`", ColumnList.NONE)).isEmpty();
        assertThat(statement("/*!40000 INSERT INTO t VALUES (1) */").writtenInto("REPLACE", "`x`.`t`",
                ColumnList.NONE)).isEmpty();
    }

    private static SqlStatement statement(String sql) {
        return new SqlStatement(sql, 0, 0, sql.length(), 1);
    }
}
