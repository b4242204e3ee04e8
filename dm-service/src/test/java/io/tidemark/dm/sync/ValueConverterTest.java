package io.tidemark.dm.sync;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.table.TableRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValueConverterTest {
    private static Column col(String dataType, String columnType) {
        return new Column("c", dataType, columnType, null, true, false);
    }

    private static Column text(String dataType, String charset) {
        return new Column("c", dataType, dataType, charset, true, false);
    }

    @ParameterizedTest
    @CsvSource({
            "tinyint, tinyint(3) unsigned, -1, 255",
            "tinyint, tinyint(4), -128, -128",
            "smallint, smallint(5) unsigned, -1, 65535",
            "smallint, smallint(6), -32768, -32768",
            "mediumint, mediumint(8) unsigned, -1, 16777215",
            "mediumint, mediumint(9), -8388608, -8388608",
            "int, int(10) unsigned, -1, 4294967295",
            "int, int(10) unsigned, -2147483648, 2147483648",
            "int, int(11), -2147483648, -2147483648",
            "bigint, bigint(20), -9223372036854775808, -9223372036854775808",
    })
    void integersBecomeUnsignedByTheColumnType(String dataType, String columnType, long binlog, long expected) {
        Object raw = dataType.equals("bigint") ? (Object) binlog : (Object) (int) binlog;
        assertThat(ValueConverter.convert(col(dataType, columnType), 0, (java.io.Serializable) raw))
                .isEqualTo(expected);
    }

    @Test
    void bigintUnsignedAboveLongMaxIsABigInteger() {
        Column c = col("bigint", "bigint(20) unsigned");
        assertThat(ValueConverter.convert(c, 0, -1L)).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(ValueConverter.convert(c, 0, Long.MIN_VALUE)).isEqualTo(new BigInteger("9223372036854775808"));
        assertThat(ValueConverter.convert(c, 0, 42L)).isEqualTo(42L);
    }

    @Test
    void floatWidensExactlyAndDecimalPassesThrough() {
        assertThat(ValueConverter.convert(col("float", "float"), 0, 0.1f)).isEqualTo((double) 0.1f);
        assertThat(ValueConverter.convert(col("double", "double"), 0, Double.MIN_VALUE)).isEqualTo(Double.MIN_VALUE);
        BigDecimal d = new BigDecimal("-12345678901234567890123456789012345.123456789012345678901234567890");
        assertThat(ValueConverter.convert(col("decimal", "decimal(65,30)"), 0, d)).isEqualTo(d);
    }

    @Test
    void enumIndexAndSetMaskBecomeTheirMembers() {
        Column en = col("enum", "enum('alpha','be,ta','it''s')");
        assertThat(ValueConverter.convert(en, 0, 1)).isEqualTo("alpha");
        assertThat(ValueConverter.convert(en, 0, 2)).isEqualTo("be,ta");
        assertThat(ValueConverter.convert(en, 0, 3)).isEqualTo("it's");
        assertThat(ValueConverter.convert(en, 0, 0)).isEqualTo("");
        Column set = col("set", "set('x','y','z')");
        assertThat(ValueConverter.convert(set, 0, 0b101L)).isEqualTo("x,z");
        assertThat(ValueConverter.convert(set, 0, 0L)).isEqualTo("");
    }

    @Test
    void bitsBecomeBigEndianBytesOfTheColumnWidth() {
        BitSet b = new BitSet();
        b.set(0);
        b.set(9);
        assertThat((byte[]) ValueConverter.convert(col("bit", "bit(10)"), 0, b)).containsExactly(0x02, 0x01);
        BitSet all = new BitSet();
        all.set(0, 64);
        assertThat((byte[]) ValueConverter.convert(col("bit", "bit(64)"), 0, all)).hasSize(8)
                .containsOnly((byte) 0xFF);
    }

    @Test
    void textDecodesByCharsetAndBinaryStaysBytes() {
        byte[] emoji = "emoji 🚀 ü".getBytes(StandardCharsets.UTF_8);
        assertThat(ValueConverter.convert(text("varchar", "utf8mb4"), 0, emoji)).isEqualTo("emoji 🚀 ü");
        byte[] latin1 = {(byte) 0x63, (byte) 0xE9, (byte) 0x81};
        assertThat(ValueConverter.convert(text("varchar", "latin1"), 0, latin1)).isEqualTo(latin1);
        byte[] blob = {0, (byte) 0xFF, 1};
        assertThat(ValueConverter.convert(text("blob", null), 0, blob)).isEqualTo(blob);
        byte[] invalid = {(byte) 0xC3};
        assertThat(ValueConverter.convert(text("text", "utf8mb4"), 0, invalid)).isEqualTo(invalid);
    }

    @Test
    void mariadbJsonIsTextAndTemporalsPassAsText() {
        byte[] json = "{\"k\": [1, \"🚀\"]}".getBytes(StandardCharsets.UTF_8);
        assertThat(ValueConverter.convert(text("longtext", "utf8mb4"), ColumnType.BLOB.getCode(), json))
                .isEqualTo("{\"k\": [1, \"🚀\"]}");
        assertThat(ValueConverter.convert(col("datetime", "datetime(6)"), 0, "0000-00-00 00:00:00.000000"))
                .isEqualTo("0000-00-00 00:00:00.000000");
        assertThat(ValueConverter.convert(col("year", "year(4)"), 0, 0)).isEqualTo(0L);
        assertThat(ValueConverter.convert(col("int", "int(11)"), 0, null)).isNull();
    }

    @Test
    void aStringForAnIntColumnIsACatalogErrorNamingTableColumnAndCause() {
        TableSchema orders = new TableSchema(TableRef.of("shop", "orders"),
                List.of(new Column("id", "int", "int(11)", null, false, false), col("qty", "int", "int(11)")),
                List.of(0), TableSchema.KeyKind.PRIMARY);
        BitSet both = new BitSet();
        both.set(0, 2);
        byte[] types = {(byte) ColumnType.LONG.getCode(), (byte) ColumnType.VARCHAR.getCode()};

        assertThatThrownBy(() -> ValueConverter.row(orders, types, both,
                new Serializable[] {7, "12 pcs".getBytes(StandardCharsets.UTF_8)}))
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.error()).isEqualTo(ErrorCode.TARGET_STATEMENT_FAILED);
                    assertThat(e.detail()).isEqualTo("target rejected a statement for shop.orders, column qty: the"
                            + " source sends a string, which the target column qty int(11) cannot hold; make the"
                            + " target column's type match the source's (compare SHOW CREATE TABLE on both)");
                    assertThat(e.retriable()).isFalse();
                });
        assertThat(ValueConverter.row(orders, types, both, new Serializable[] {7, 12})).containsExactly(7L, 12L);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "decimal|decimal(10,2)|integer|an integer",
            "datetime|datetime(6)|string|a string",
            "bit|bit(8)|integer|an integer",
            "enum|enum('a','b')|string|a string",
            "bigint|bigint(20) unsigned|decimal|a decimal",
            "double|double|date|a date or time",
    })
    void everyKindTheColumnCannotHoldIsRefusedInWords(String dataType, String columnType, String kind, String words) {
        Serializable raw = switch (kind) {
            case "integer" -> 5;
            case "string" -> "x".getBytes(StandardCharsets.UTF_8);
            case "decimal" -> new BigDecimal("1.5");
            default -> "2024-01-01";
        };

        assertThatThrownBy(() -> ValueConverter.convert(col(dataType, columnType), 0, raw))
                .isInstanceOf(ValueConverter.Unfit.class)
                .hasMessageStartingWith("the source sends " + words + ", which the target column c " + columnType
                        + " cannot hold");
    }

    private static Column col(String name, String dataType, String columnType) {
        return new Column(name, dataType, columnType, null, true, false);
    }
}
