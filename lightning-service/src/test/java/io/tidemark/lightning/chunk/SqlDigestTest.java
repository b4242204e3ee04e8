package io.tidemark.lightning.chunk;

import io.tidemark.lightning.sql.ColumnList;
import io.tidemark.lightning.sql.SqlStatement;
import io.tidemark.mysql.checksum.DigestColumn;
import io.tidemark.mysql.checksum.DigestColumns;
import io.tidemark.mysql.checksum.RowDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a SQL file's statements make of its chunk's value sum: the stored values' digest, or none when uncertain. */
class SqlDigestTest {
    /** id INT, u VARCHAR utf8mb4, l VARCHAR latin1, d DECIMAL(6,2), b VARBINARY, dt DATE */
    private static final List<DigestColumn> COLUMNS = List.of(
            DigestColumns.column("id", "int", "int(11)", 0, 0, 0, null),
            DigestColumns.column("u", "varchar", "varchar(20)", 0, 0, 80, "utf8mb4"),
            DigestColumns.column("l", "varchar", "varchar(20)", 0, 0, 20, "latin1"),
            DigestColumns.column("d", "decimal", "decimal(6,2)", 2, 0, 0, null),
            DigestColumns.column("b", "varbinary", "varbinary(8)", 0, 0, 8, null),
            DigestColumns.column("dt", "date", "date", 0, 0, 0, null));
    private static final ColumnList FILE_COLUMNS = new ColumnList(List.of("id", "u", "l", "d", "b", "dt"));

    private int index;

    private SqlStatement statement(String sql, long rows) {
        // the session view: the statement's UTF-8 bytes, one char per byte
        String view = new String(sql.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        return new SqlStatement(view, index++, 0, 0, rows);
    }

    private SqlDigest digest() {
        return new SqlDigest(new RowDigest(COLUMNS), FILE_COLUMNS, null);
    }

    /** the sum of the rows as the server stores them, given value by value */
    private static long expected(String... rows) {
        RowDigest d = new RowDigest(COLUMNS);
        for (String row : rows) {
            String[] v = row.split("\\|", -1);
            for (int i = 0; i < v.length; i++) {
                if (v[i].equals("NULL")) {
                    d.nul(i);
                } else {
                    d.text(i, v[i]);
                }
            }
            d.endRow();
        }
        return d.sum();
    }

    @Test
    void digestsEachRowAsStoredByTheStatementsOrTheFilesColumns() {
        SqlDigest d = digest();
        d.session(statement("/*!40101 SET NAMES binary*/", 0));
        d.session(statement("/*!40103 SET TIME_ZONE='+00:00'*/", 0));
        d.session(statement("/*!40101 SET SQL_MODE='NO_AUTO_VALUE_ON_ZERO'*/", 0));
        d.other(statement("LOCK TABLES `t` WRITE", 0));
        d.insert(statement("INSERT INTO `t` VALUES (1,'😀 x','caf',-1.005,0x4142,'2024-02-29'),"
                + "(2,NULL,_binary'ab',7,'',NULL)", 2));
        d.insert(statement("INSERT INTO `t` (`dt`,`b`,`d`,`l`,`u`,`id`) VALUES ('2000-01-01',NULL,1e0,NULL,'z',3)", 1));
        d.other(statement("UNLOCK TABLES", 0));
        // a trailer restoring the session after the last INSERT changes none of the rows
        d.session(statement("SET TIME_ZONE=@OLD_TIME_ZONE", 0));
        assertThat(d.sum()).isNull(); // 1e0 for a DECIMAL is a double the server rounds its own way

        SqlDigest exact = digest();
        exact.insert(statement("INSERT INTO `t` VALUES (1,'😀 x','caf',-1.005,0x4142,'2024-02-29'),"
                + "(2,NULL,_binary'ab',7,'',NULL)", 2));
        exact.insert(statement("INSERT INTO `t` (`dt`,`b`,`d`,`l`,`u`,`id`) VALUES ('2000-01-01',NULL,1.5,NULL,'z',3)",
                1));
        exact.session(statement("SET TIME_ZONE=@OLD_TIME_ZONE", 0));
        assertThat(exact.sum()).isEqualTo(expected("1|😀 x|caf|-1.01|AB|2024-02-29", "2|NULL|ab|7.00||NULL",
                "3|z|NULL|1.50|NULL|2000-01-01"));
    }

    @Test
    void readsTextUnderSetNamesUtf8mb4IntoALatin1ColumnWhenItHoldsIt() {
        SqlDigest d = digest();
        d.session(statement("SET NAMES utf8mb4", 0));
        d.insert(statement("INSERT INTO t VALUES (1,'é','é€',0,NULL,NULL)", 1));
        assertThat(d.sum()).isEqualTo(expected("1|é|é€|0.00|NULL|NULL"));

        SqlDigest outsideLatin1 = digest();
        outsideLatin1.session(statement("SET NAMES utf8mb4", 0));
        outsideLatin1.insert(statement("INSERT INTO t VALUES (1,'x','中',0,NULL,NULL)", 1));
        assertThat(outsideLatin1.sum()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SET sql_mode = 'NO_BACKSLASH_ESCAPES'",
            "SET SESSION sql_mode='ANSI'",
            "SET time_zone = '+09:00'",
            "SET NAMES gbk",
            "SET character_set_client = latin1",
            "DELETE FROM t WHERE id = 1",
            "UPDATE t SET u = 'x'",
    })
    void aStatementThatMayChangeHowValuesAreStoredLeavesNoSum(String before) {
        SqlDigest d = digest();
        SqlStatement s = statement(before, 0);
        if (s.kind() == SqlStatement.Kind.SESSION) {
            d.session(s);
        } else {
            d.other(s);
        }
        d.insert(statement("INSERT INTO t VALUES (1,'a','b',1,NULL,NULL)", 1));
        assertThat(d.sum()).as(before).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "(1,'a','b',1,NULL,NOW())",                 // an expression
            "(1,'a','b',1,NULL,20240101)",              // a number for a date
            "(1,'a','b',1.5e0,NULL,NULL)",              // a double for a DECIMAL
            "(1,'a',_binary'\\x81',1,NULL,NULL)",       // replaced below by the byte 0x81 for latin1
            "('1x','a','b',1,NULL,NULL)",               // a string the server would coerce
            "(0x01,'a','b',1,NULL,NULL)",               // hex for a number
            "(1,'a','b',1,NULL)",                       // a value short
    })
    void aValueWhoseStoredFormIsNotCertainLeavesNoSum(String row) {
        SqlDigest d = digest();
        String sql = "INSERT INTO t VALUES " + row;
        String view = new String(sql.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)
                .replace("\\x81", "\u0081");
        d.insert(new SqlStatement(view, 0, 0, 0, 1));
        assertThat(d.sum()).as(row).isNull();
    }

    @Test
    void aRowCountOtherThanTheSplittersLeavesNoSum() {
        SqlDigest d = digest();
        d.insert(statement("INSERT INTO t VALUES (1,'a','b',1,NULL,NULL)", 2));
        assertThat(d.sum()).isNull();
    }
}
