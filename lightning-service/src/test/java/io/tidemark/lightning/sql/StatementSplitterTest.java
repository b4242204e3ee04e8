package io.tidemark.lightning.sql;

import io.tidemark.common.error.TidemarkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatementSplitterTest {

    private static List<SqlStatement> split(String text, int bufferSize) {
        return split(text.getBytes(StandardCharsets.UTF_8), bufferSize);
    }

    private static List<SqlStatement> split(byte[] bytes, int bufferSize) {
        List<SqlStatement> out = new ArrayList<>();
        try (StatementSplitter s = new StatementSplitter(new ByteArrayInputStream(bytes), "db.t.000000001.sql",
                1 << 20, bufferSize)) {
            for (SqlStatement st = s.next(); st != null; st = s.next()) {
                out.add(st);
            }
        }
        return out;
    }

    private static List<String> sqls(String text, int bufferSize) {
        return split(text, bufferSize).stream().map(SqlStatement::readable).toList();
    }

    /** every buffer size from 1 byte up: each marker, escape and emoji gets cut in two somewhere */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 7, 64 * 1024})
    void splitsADumplingFileWhateverTheBufferBoundaries(int bufferSize) {
        String dump = """
                /*!40101 SET NAMES binary*/;
                /*!40014 SET FOREIGN_KEY_CHECKS=0*/;
                -- a line comment; with a semicolon
                # another; comment
                INSERT INTO `t` VALUES
                (1,'it''s; here','a\\'b;c',"dq \\" ;"),
                (2,'😀 emoji; 中文',NULL,/* inline; comment */'x'),
                (3,'multi
                line;',--1,'\\\\');
                INSERT INTO `we;ird``name` (`a`,`b`) VALUES (4,5);
                """;

        List<SqlStatement> statements = split(dump, bufferSize);

        assertThat(statements).extracting(SqlStatement::readable).containsExactly(
                "/*!40101 SET NAMES binary*/",
                "/*!40014 SET FOREIGN_KEY_CHECKS=0*/",
                "INSERT INTO `t` VALUES\n(1,'it''s; here','a\\'b;c',\"dq \\\" ;\"),\n"
                        + "(2,'😀 emoji; 中文',NULL, 'x'),\n(3,'multi\nline;',--1,'\\\\')",
                "INSERT INTO `we;ird``name` (`a`,`b`) VALUES (4,5)");
        assertThat(statements).extracting(SqlStatement::kind).containsExactly(
                SqlStatement.Kind.SESSION, SqlStatement.Kind.SESSION, SqlStatement.Kind.INSERT,
                SqlStatement.Kind.INSERT);
        assertThat(statements).extracting(SqlStatement::index).containsExactly(0L, 1L, 2L, 3L);
        assertThat(statements.get(2).valueGroups()).isEqualTo(3);
        assertThat(statements.get(3).valueGroups()).as("column list is not a row").isEqualTo(1);
    }

    @Test
    void offsetsAreBytesSoAResumeCanSkipExactly() {
        String dump = "INSERT INTO t VALUES ('😀');\n  INSERT INTO t VALUES ('b');";
        byte[] bytes = dump.getBytes(StandardCharsets.UTF_8);

        List<SqlStatement> statements = split(bytes, 3);

        assertThat(statements.get(0).startOffset()).isZero();
        assertThat(statements.get(0).endOffset()).isEqualTo("INSERT INTO t VALUES ('😀');"
                .getBytes(StandardCharsets.UTF_8).length);
        assertThat(statements.get(1).startOffset()).isEqualTo(statements.get(0).endOffset() + 3);
        assertThat(statements.get(1).endOffset()).isEqualTo(bytes.length);
    }

    @Test
    void versionCommentKeepsItsSemicolonsAndEmptyStatementsAreSkipped() {
        assertThat(sqls(";;  /*!50003 SET @a=1; SET @b=2 */ ;\n;", 4))
                .containsExactly("/*!50003 SET @a=1; SET @b=2 */");
    }

    @Test
    void rewritesOnlyTheHeadOfAStatementThatWritesRows() {
        List<SqlStatement> st = split("insert into t values ('INSERT INTO x');"
                + "INSERT IGNORE INTO t VALUES (1);REPLACE INTO `t` VALUES (2);SET @x=1;", 16);

        assertThat(st).extracting(SqlStatement::kind).containsExactly(SqlStatement.Kind.INSERT,
                SqlStatement.Kind.INSERT, SqlStatement.Kind.INSERT, SqlStatement.Kind.SESSION);
        assertThat(st.get(0).writtenInto("REPLACE", "`d`.`t`", ColumnList.NONE))
                .contains("REPLACE INTO `d`.`t` values ('INSERT INTO x')");
        assertThat(st.get(1).writtenInto("INSERT", "`d`.`t`", ColumnList.NONE))
                .contains("INSERT INTO `d`.`t` VALUES (1)");
        assertThat(st.get(2).writtenInto("INSERT IGNORE", "`d`.`t`", ColumnList.NONE))
                .contains("INSERT IGNORE INTO `d`.`t` VALUES (2)");
        assertThat(st.get(3).writtenInto("REPLACE", "`d`.`t`", ColumnList.NONE)).isEmpty();
    }

    @Test
    void aStatementLongerThanTheBufferStaysWhole() {
        StringBuilder sb = new StringBuilder("INSERT INTO t VALUES ");
        for (int i = 0; i < 5_000; i++) {
            sb.append(i == 0 ? "" : ",").append("(").append(i).append(",'v;").append(i).append("🙂')");
        }
        String statement = sb.toString();

        List<SqlStatement> st = split(statement + ";" + statement + ";", 1000);

        assertThat(st).hasSize(2);
        assertThat(st.get(1).readable()).isEqualTo(statement);
        assertThat(st.get(1).sql()).isEqualTo(new String(statement.getBytes(StandardCharsets.UTF_8),
                StandardCharsets.ISO_8859_1));
        assertThat(st.get(1).valueGroups()).isEqualTo(5_000);
    }

    @Test
    void unterminatedQuoteNamesFileAndOffset() {
        assertThatThrownBy(() -> split("SET @a=1;\nINSERT INTO t VALUES ('abc);\n", 5))
                .isInstanceOf(TidemarkException.class)
                .hasMessageContaining("TM-40002")
                .hasMessageContaining("db.t.000000001.sql")
                .hasMessageContaining("starting at byte 32");
    }

    @Test
    void statementWithoutSemicolonAtEndIsATruncatedFile() {
        assertThatThrownBy(() -> split("INSERT INTO t VALUES (1);\nINSERT INTO t VALUES (2),(", 8))
                .isInstanceOf(TidemarkException.class)
                .hasMessageContaining("TM-40002")
                .hasMessageContaining("statement starting at byte 26 is not terminated");
    }

    @Test
    void unclosedCommentIsCorrupt() {
        assertThatThrownBy(() -> split("SELECT 1; /* open", 4))
                .hasMessageContaining("comment starting at byte 10 is not closed");
    }

    /** a latin1 column's stored bytes (é = 0xE9) and a binary column's are not UTF-8; they must pass unchanged */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 64 * 1024})
    void bytesOfAnyCharsetComeOutExactlyAsInTheFile(int bufferSize) {
        byte[] head = "INSERT INTO `t` VALUES (1,'caf".getBytes(StandardCharsets.US_ASCII);
        // caf\xE9', then '\xC3\x80\xFF' holding an escaped quote and a doubled one; 0xC3 alone is no UTF-8
        byte[] tail = {(byte) 0xE9, '\'', ',', '\'', (byte) 0xC3, (byte) 0x80, (byte) 0xFF, '\\', '\'', '\'', '\'',
                ';', '\'', ')', ';'};
        byte[] file = new byte[head.length + tail.length];
        System.arraycopy(head, 0, file, 0, head.length);
        System.arraycopy(tail, 0, file, head.length, tail.length);

        List<SqlStatement> statements = split(file, bufferSize);

        assertThat(statements).hasSize(1);
        assertThat(statements.getFirst().sql().getBytes(StandardCharsets.ISO_8859_1))
                .containsExactly(java.util.Arrays.copyOf(file, file.length - 1));
        assertThat(statements.getFirst().kind()).isEqualTo(SqlStatement.Kind.INSERT);
        assertThat(statements.getFirst().valueGroups()).isEqualTo(1);
        assertThat(statements.getFirst().writtenInto("REPLACE", "`d`.`t`", ColumnList.NONE).orElseThrow()
                .getBytes(StandardCharsets.ISO_8859_1)).startsWith("REPLACE INTO `d`.`t` VALUES".getBytes(
                StandardCharsets.US_ASCII)).endsWith(java.util.Arrays.copyOfRange(file, 16, file.length - 1));
    }

    @Test
    void aStatementOverTheLimitIsRejected() {
        StatementSplitter s = new StatementSplitter(
                new ByteArrayInputStream("SELECT 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx';"
                        .repeat(100).getBytes(StandardCharsets.UTF_8)), "f.sql", 2048, 7);
        assertThat(s.next()).isNotNull();
        StatementSplitter tiny = new StatementSplitter(
                new ByteArrayInputStream(("SELECT '" + "x".repeat(5000) + "';").getBytes(StandardCharsets.UTF_8)),
                "f.sql", 2048, 7);
        assertThatThrownBy(tiny::next).hasMessageContaining("longer than 2048 bytes");
    }
}
