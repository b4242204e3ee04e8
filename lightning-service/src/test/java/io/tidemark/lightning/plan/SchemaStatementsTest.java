package io.tidemark.lightning.plan;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Dumpling's schema statements made idempotent and renamed for a route, the rest of each statement kept. */
class SchemaStatementsTest {
    @Test
    void aRoutedCreateTableGetsItsTargetNameAndKeepsItsDefinition() {
        assertThat(SchemaStatements.creatingTable("CREATE TABLE `orders` (`id` int) DEFAULT CHARSET=latin1", "`o2`"))
                .isEqualTo("CREATE TABLE `o2` (`id` int) DEFAULT CHARSET=latin1");
        assertThat(SchemaStatements.creatingTable("create table if not exists shop . `we``ird`(`id` int)", "`x`"))
                .isEqualTo("create table if not exists `x`(`id` int)");
        assertThat(SchemaStatements.idempotent(SchemaStatements.creatingTable("CREATE TABLE t (id int)", "`x`")))
                .isEqualTo("CREATE TABLE IF NOT EXISTS `x` (id int)");
        assertThat(SchemaStatements.creatingTable("/*!40101 SET NAMES binary*/", "`x`"))
                .isEqualTo("/*!40101 SET NAMES binary*/");
    }

    @Test
    void aRoutedCreateDatabaseGetsItsTargetNameAndKeepsItsCharset() {
        assertThat(SchemaStatements.creatingDatabase(
                "CREATE DATABASE `shop` /*!40100 DEFAULT CHARACTER SET utf8mb4 */", "`archive`"))
                .isEqualTo("CREATE DATABASE `archive` /*!40100 DEFAULT CHARACTER SET utf8mb4 */");
        assertThat(SchemaStatements.creatingDatabase("CREATE SCHEMA IF NOT EXISTS shop", "`a`"))
                .isEqualTo("CREATE SCHEMA IF NOT EXISTS `a`");
        assertThat(SchemaStatements.creatingDatabase("CREATE TABLE `shop` (id int)", "`a`"))
                .isEqualTo("CREATE TABLE `shop` (id int)");
    }

    @Test
    void aCreateTableGetsTheColumnsItsRouteFillsAfterItsOwnDefinitionsWhateverItsTextHolds() {
        assertThat(SchemaStatements.addingColumns("CREATE TABLE `t` (`id` int, `n` varchar(5) DEFAULT ')(',"
                        + " PRIMARY KEY (`id`)) ENGINE=InnoDB COMMENT='a ) b'", java.util.List.of("`c_source`")))
                .isEqualTo("CREATE TABLE `t` (`id` int, `n` varchar(5) DEFAULT ')(', PRIMARY KEY (`id`),\n"
                        + "  `c_source` VARCHAR(255) NOT NULL DEFAULT '') ENGINE=InnoDB COMMENT='a ) b'");
        assertThat(SchemaStatements.addingColumns("/*!40101 SET NAMES binary*/", java.util.List.of("`c`")))
                .isEqualTo("/*!40101 SET NAMES binary*/");
    }
}
