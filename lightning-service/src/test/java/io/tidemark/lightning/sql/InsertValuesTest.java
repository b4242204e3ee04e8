package io.tidemark.lightning.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InsertValuesTest {

    /** the values of a one-row INSERT, the statement given as text and sent as its UTF-8 bytes (the session view) */
    private static List<SqlValue> values(String literals) {
        List<List<SqlValue>> rows = rows("INSERT INTO `t` VALUES (" + literals + ")");
        assertThat(rows).hasSize(1);
        return rows.getFirst();
    }

    private static SqlValue value(String literal) {
        List<SqlValue> values = values(literal);
        assertThat(values).hasSize(1);
        return values.getFirst();
    }

    private static List<List<SqlValue>> rows(String sql) {
        List<List<SqlValue>> rows = new ArrayList<>();
        InsertValues reader = InsertValues.of(sessionView(sql.getBytes(StandardCharsets.UTF_8))).orElseThrow();
        assertThat(reader.read(rows::add)).as("read " + sql).isTrue();
        return rows;
    }

    private static String sessionView(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(SqlValue v) {
        return switch (v) {
            case SqlValue.Text t -> t.bytes();
            case SqlValue.Hex h -> h.bytes();
            case SqlValue.Bits b -> b.bytes();
            default -> throw new AssertionError("not a string: " + v);
        };
    }

    @Test
    void readsNullBooleansAndNumbers() {
        List<SqlValue> v = values("NULL, null, TRUE, false, 42, -7, -12.50, .5, 1e3, -2.5E-3, 18446744073709551615");
        assertThat(v.get(0)).isInstanceOf(SqlValue.Null.class);
        assertThat(v.get(1)).isInstanceOf(SqlValue.Null.class);
        assertThat(v.get(2)).isEqualTo(new SqlValue.Bool(true));
        assertThat(v.get(3)).isEqualTo(new SqlValue.Bool(false));
        assertThat(v.subList(4, 11)).containsExactly(new SqlValue.Number("42"), new SqlValue.Number("-7"),
                new SqlValue.Number("-12.50"), new SqlValue.Number(".5"), new SqlValue.Number("1e3"),
                new SqlValue.Number("-2.5E-3"), new SqlValue.Number("18446744073709551615"));
        assertThat(((SqlValue.Number) v.get(5)).integer()).isTrue();
        assertThat(((SqlValue.Number) v.get(6)).integer()).isFalse();
        assertThat(((SqlValue.Number) v.get(9)).exponent()).isTrue();
        assertThat(((SqlValue.Number) v.get(6)).exponent()).isFalse();
    }

    @Test
    void unescapesStringsAsTheServerDoes() {
        SqlValue v = value("'a\\0b\\'c\\\"d\\be\\nf\\rg\\th\\Zi\\\\j\\%k\\_l\\qm''n'");
        assertThat(v).isInstanceOf(SqlValue.Text.class);
        assertThat(((SqlValue.Text) v).introducer()).isEqualTo(SqlValue.Introducer.NONE);
        // \% and \_ keep their backslash outside LIKE; an unknown escape is the char itself
        assertThat(bytes(v)).isEqualTo("a\0b'c\"d\be\nf\rg\th\u001ai\\j\\%k\\_lqm'n".getBytes(StandardCharsets.US_ASCII));
        assertThat(bytes(value("''"))).isEmpty();
        assertThat(bytes(value("\"say \"\"hi\"\", it's \\\"me\\\"\""))).isEqualTo(
                "say \"hi\", it's \"me\"".getBytes(StandardCharsets.US_ASCII));
        assertThat(bytes(value("'it''s, (not) the end'"))).isEqualTo("it's, (not) the end".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void keepsMultiByteUtf8TextAsItsBytes() {
        SqlValue v = value("'naïve 日本 🐟'");
        assertThat(new String(bytes(v), StandardCharsets.UTF_8)).isEqualTo("naïve 日本 🐟");
        SqlValue introduced = value("_utf8mb4'é'");
        assertThat(((SqlValue.Text) introduced).introducer()).isEqualTo(SqlValue.Introducer.UTF8);
        assertThat(bytes(introduced)).isEqualTo("é".getBytes(StandardCharsets.UTF_8));
        assertThat(((SqlValue.Text) value("_utf8 'x'")).introducer()).isEqualTo(SqlValue.Introducer.UTF8);
    }

    @Test
    void readsABinaryBlobWithQuoteBackslashAndNulBytes() {
        byte[] blob = {0, '\'', '\\', '"', (byte) 0xff, (byte) 0x80, 0x1a, '\n', 'z'};
        // as mysqldump escapes it: \0 \' \\ \" raw high bytes \Z \n
        byte[] literal = {'_', 'b', 'i', 'n', 'a', 'r', 'y', '\'', '\\', '0', '\\', '\'', '\\', '\\', '\\', '"',
                (byte) 0xff, (byte) 0x80, '\\', 'Z', '\\', 'n', 'z', '\''};
        String sql = "INSERT INTO t VALUES (" + sessionView(literal) + ",_binary 'x')";
        List<SqlValue> row = new ArrayList<>();
        assertThat(InsertValues.of(sql).orElseThrow().read(row::addAll)).isTrue();
        assertThat(((SqlValue.Text) row.get(0)).introducer()).isEqualTo(SqlValue.Introducer.BINARY);
        assertThat(bytes(row.get(0))).isEqualTo(blob);
        assertThat(bytes(row.get(1))).isEqualTo(new byte[]{'x'});
    }

    @Test
    void readsHexAndBitValues() {
        assertThat(value("0x00FFa1")).isInstanceOf(SqlValue.Hex.class);
        assertThat(bytes(value("0x00FFa1"))).isEqualTo(new byte[]{0, (byte) 0xff, (byte) 0xa1});
        assertThat(bytes(value("0x123"))).isEqualTo(new byte[]{0x01, 0x23});
        assertThat(bytes(value("X'4142'"))).isEqualTo(new byte[]{'A', 'B'});
        assertThat(bytes(value("x''"))).isEmpty();
        assertThat(bytes(value("_binary 0x41"))).isEqualTo(new byte[]{'A'});
        assertThat(value("b'101'")).isInstanceOf(SqlValue.Bits.class);
        assertThat(bytes(value("b'101'"))).isEqualTo(new byte[]{5});
        assertThat(bytes(value("B'000000001'"))).isEqualTo(new byte[]{0, 1});
        assertThat(bytes(value("b'11111111'"))).isEqualTo(new byte[]{(byte) 0xff});
        assertThat(bytes(value("0b1000000010"))).isEqualTo(new byte[]{2, 2});
        assertThat(bytes(value("b''"))).isEmpty();
    }

    @Test
    void readsManyRowsAndTheStatementsOwnColumnList() {
        InsertValues reader = InsertValues.of("INSERT IGNORE INTO `db`.`t` (`id`, name ,`we``ird`) VALUES\n"
                + "(1,'a',NULL),\n(2 , 'b,c' , 0x00) ,(3,'',-1.5)").orElseThrow();
        assertThat(reader.columns().names()).containsExactly("id", "name", "we`ird");
        List<List<SqlValue>> rows = new ArrayList<>();
        assertThat(reader.read(rows::add)).isTrue();
        assertThat(rows).hasSize(3);
        assertThat(rows.get(1).get(0)).isEqualTo(new SqlValue.Number("2"));
        assertThat(bytes(rows.get(1).get(1))).isEqualTo("b,c".getBytes(StandardCharsets.US_ASCII));
        assertThat(rows.get(2).get(2)).isEqualTo(new SqlValue.Number("-1.5"));
        assertThat(InsertValues.of("REPLACE INTO t VALUE (1)").orElseThrow().columns().isEmpty()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT INTO t VALUES (NOW())",
            "INSERT INTO t VALUES (DEFAULT)",
            "INSERT INTO t VALUES (1+1)",
            "INSERT INTO t VALUES (- 1)",
            "INSERT INTO t VALUES ('a' 'b')",
            "INSERT INTO t VALUES (N'national')",
            "INSERT INTO t VALUES (_latin1'x')",
            "INSERT INTO t VALUES (_utf8mb4 0x41)",
            "INSERT INTO t VALUES ('x' COLLATE utf8mb4_bin)",
            "INSERT INTO t VALUES (1 /* c */)",
            "INSERT INTO t VALUES ('unterminated)",
            "INSERT INTO t VALUES (x'123')",
            "INSERT INTO t VALUES (12abc)",
            "INSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE a = 1",
            "INSERT INTO t VALUES (1),(2) AS new",
    })
    void refusesAnythingButLiterals(String sql) {
        assertThat(InsertValues.of(sql).orElseThrow().read(row -> { })).as(sql).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"INSERT INTO t SELECT * FROM u", "INSERT INTO t SET a = 1", "SET NAMES binary",
            "INSERT INTO t (a, b + 1) VALUES (1, 2)"})
    void hasNoValuesToReadForOtherStatements(String sql) {
        assertThat(InsertValues.of(sql)).as(sql).isEmpty();
    }
}
