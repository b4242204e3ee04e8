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

    /** a cell of a non-integer source column (the sign is not read for those) */
    private static Object convert(Column column, int code, Serializable raw) {
        return ValueConverter.convert(column, code, SourceTypes.Sign.SIGNED, raw);
    }

    private static final int TINY = ColumnType.TINY.getCode();
    private static final int SHORT = ColumnType.SHORT.getCode();
    private static final int INT24 = ColumnType.INT24.getCode();
    private static final int LONG = ColumnType.LONG.getCode();
    private static final int LONGLONG = ColumnType.LONGLONG.getCode();

    @ParameterizedTest(name = "{0} {1} cell {2} into {3}")
    @CsvSource({
            // the source's width and signedness read the cell, whatever the target column is
            "LONG, UNSIGNED, -1, bigint, bigint(20) unsigned, 4294967295",
            "TINY, UNSIGNED, -1, int, int(11), 255",
            "SHORT, SIGNED, -32768, int, int(11), -32768",
            "SHORT, UNSIGNED, -32768, int, int(11), 32768",
            "INT24, UNSIGNED, -1, bigint, bigint(20), 16777215",
            "INT24, SIGNED, -8388608, int, int(11), -8388608",
            "TINY, SIGNED, -128, smallint, smallint(6), -128",
            "LONG, UNSIGNED, -2147483648, bigint, bigint(20) unsigned, 2147483648",
            // same type on both sides, as the import creates it
            "TINY, UNSIGNED, -1, tinyint, tinyint(3) unsigned, 255",
            "SHORT, UNSIGNED, -1, smallint, smallint(5) unsigned, 65535",
            "LONG, SIGNED, -2147483648, int, int(11), -2147483648",
            "LONGLONG, SIGNED, -9223372036854775808, bigint, bigint(20), -9223372036854775808",
            // the library may hand a cell without sign extension: its bits are what counts
            "SHORT, SIGNED, 32768, int, int(11), -32768",
            "TINY, SIGNED, 255, int, int(11), -1",
    })
    void integersAreReadByTheSourceWidthAndSignednessThenTakenByTheTarget(String code, SourceTypes.Sign sign,
                                                                         long cell, String dataType,
                                                                         String columnType, long expected) {
        int typeCode = ColumnType.valueOf(code).getCode();
        Serializable raw = typeCode == LONGLONG ? (Serializable) cell : (Serializable) (int) cell;
        assertThat(ValueConverter.convert(col(dataType, columnType), typeCode, sign, raw)).isEqualTo(expected);
    }

    @Test
    void bigintUnsignedAboveLongMaxIsABigIntegerInAnyTargetThatHoldsIt() {
        Column c = col("bigint", "bigint(20) unsigned");
        assertThat(ValueConverter.convert(c, LONGLONG, SourceTypes.Sign.UNSIGNED, -1L))
                .isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(ValueConverter.convert(c, LONGLONG, SourceTypes.Sign.UNSIGNED, Long.MIN_VALUE))
                .isEqualTo(new BigInteger("9223372036854775808"));
        assertThat(ValueConverter.convert(c, LONGLONG, SourceTypes.Sign.UNSIGNED, 42L)).isEqualTo(42L);
        assertThat(ValueConverter.convert(col("decimal", "decimal(20,0)"), LONGLONG, SourceTypes.Sign.UNSIGNED, -1L))
                .isEqualTo(new BigDecimal("18446744073709551615"));
    }

    @Test
    void anIntegerOutsideTheTargetColumnsRangeIsRefusedNamingValueAndRange() {
        TableSchema counters = new TableSchema(TableRef.of("shop", "counters"),
                List.of(new Column("id", "int", "int(11)", null, false, false), col("hits", "int", "int(11)")),
                List.of(0), TableSchema.KeyKind.PRIMARY);
        BitSet both = new BitSet();
        both.set(0, 2);
        BitSet unsigned = new BitSet();
        unsigned.set(1);
        SourceTypes source = new SourceTypes(new byte[] {(byte) LONG, (byte) LONG}, unsigned, new BitSet(), "test");

        assertThatThrownBy(() -> ValueConverter.row(counters, source, both, new Serializable[] {7, -1}))
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.error()).isEqualTo(ErrorCode.TARGET_STATEMENT_FAILED);
                    assertThat(e.detail()).isEqualTo("target rejected a statement for shop.counters, column hits: the"
                            + " source sends 4294967295, which the target column hits int(11) cannot hold"
                            + " (-2147483648 to 2147483647); make the target column's type match the source's"
                            + " (compare SHOW CREATE TABLE on both)");
                });
        assertThat(ValueConverter.row(counters, source, both, new Serializable[] {7, 2147483647}))
                .containsExactly(7L, 2147483647L);
        assertThatThrownBy(() -> ValueConverter.convert(col("tinyint", "tinyint(3) unsigned"), SHORT,
                SourceTypes.Sign.SIGNED, -1)).isInstanceOf(ValueConverter.Unfit.class)
                .hasMessageContaining("the source sends -1, which the target column c tinyint(3) unsigned cannot hold"
                        + " (0 to 255)");
    }

    @Test
    void anUnknownSignednessOnlyMattersWhenTheTopBitIsSetAndThenRefusesRatherThanGuesses() {
        Column c = col("bigint", "bigint(20)");
        assertThat(ValueConverter.convert(c, LONG, SourceTypes.Sign.UNKNOWN, 2147483647)).isEqualTo(2147483647L);
        assertThat(ValueConverter.convert(c, TINY, SourceTypes.Sign.UNKNOWN, 0)).isEqualTo(0L);

        assertThatThrownBy(() -> ValueConverter.convert(c, LONG, SourceTypes.Sign.UNKNOWN, -1))
                .isInstanceOf(ValueConverter.Unfit.class)
                .hasMessageStartingWith("the source's INT cell reads -1 if the source column is signed and 4294967295"
                        + " if it is UNSIGNED")
                .hasMessageContaining("set binlog_row_metadata=MINIMAL on the source");
        assertThatThrownBy(() -> ValueConverter.convert(c, INT24, SourceTypes.Sign.UNKNOWN, -8388608))
                .hasMessageStartingWith("the source's MEDIUMINT cell reads -8388608 if the source column is signed and"
                        + " 8388608 if it is UNSIGNED");
    }

    @Test
    void floatWidensExactlyAndDecimalPassesThrough() {
        assertThat(convert(col("float", "float"), 0, 0.1f)).isEqualTo((double) 0.1f);
        assertThat(convert(col("double", "double"), 0, Double.MIN_VALUE)).isEqualTo(Double.MIN_VALUE);
        BigDecimal d = new BigDecimal("-12345678901234567890123456789012345.123456789012345678901234567890");
        assertThat(convert(col("decimal", "decimal(65,30)"), 0, d)).isEqualTo(d);
    }

    @Test
    void enumIndexAndSetMaskBecomeTheirMembers() {
        Column en = col("enum", "enum('alpha','be,ta','it''s')");
        assertThat(convert(en, 0, 1)).isEqualTo("alpha");
        assertThat(convert(en, 0, 2)).isEqualTo("be,ta");
        assertThat(convert(en, 0, 3)).isEqualTo("it's");
        assertThat(convert(en, 0, 0)).isEqualTo("");
        Column set = col("set", "set('x','y','z')");
        assertThat(convert(set, 0, 0b101L)).isEqualTo("x,z");
        assertThat(convert(set, 0, 0L)).isEqualTo("");
    }

    @Test
    void bitsBecomeBigEndianBytesOfTheColumnWidth() {
        BitSet b = new BitSet();
        b.set(0);
        b.set(9);
        assertThat((byte[]) convert(col("bit", "bit(10)"), 0, b)).containsExactly(0x02, 0x01);
        BitSet all = new BitSet();
        all.set(0, 64);
        assertThat((byte[]) convert(col("bit", "bit(64)"), 0, all)).hasSize(8)
                .containsOnly((byte) 0xFF);
    }

    @Test
    void textDecodesByCharsetAndBinaryStaysBytes() {
        byte[] emoji = "emoji 🚀 ü".getBytes(StandardCharsets.UTF_8);
        assertThat(convert(text("varchar", "utf8mb4"), 0, emoji)).isEqualTo("emoji 🚀 ü");
        byte[] latin1 = {(byte) 0x63, (byte) 0xE9, (byte) 0x81};
        assertThat(convert(text("varchar", "latin1"), 0, latin1)).isEqualTo(latin1);
        byte[] blob = {0, (byte) 0xFF, 1};
        assertThat(convert(text("blob", null), 0, blob)).isEqualTo(blob);
        byte[] invalid = {(byte) 0xC3};
        assertThat(convert(text("text", "utf8mb4"), 0, invalid)).isEqualTo(invalid);
    }

    @Test
    void mariadbJsonIsTextAndTemporalsPassAsText() {
        byte[] json = "{\"k\": [1, \"🚀\"]}".getBytes(StandardCharsets.UTF_8);
        assertThat(convert(text("longtext", "utf8mb4"), ColumnType.BLOB.getCode(), json))
                .isEqualTo("{\"k\": [1, \"🚀\"]}");
        assertThat(convert(col("datetime", "datetime(6)"), 0, "0000-00-00 00:00:00.000000"))
                .isEqualTo("0000-00-00 00:00:00.000000");
        assertThat(convert(col("year", "year(4)"), 0, 0)).isEqualTo(0L);
        assertThat(convert(col("int", "int(11)"), 0, null)).isNull();
    }

    @Test
    void aStringForAnIntColumnIsACatalogErrorNamingTableColumnAndCause() {
        TableSchema orders = new TableSchema(TableRef.of("shop", "orders"),
                List.of(new Column("id", "int", "int(11)", null, false, false), col("qty", "int", "int(11)")),
                List.of(0), TableSchema.KeyKind.PRIMARY);
        BitSet both = new BitSet();
        both.set(0, 2);
        byte[] types = {(byte) ColumnType.LONG.getCode(), (byte) ColumnType.VARCHAR.getCode()};

        SourceTypes source = new SourceTypes(types, new BitSet(), new BitSet(), "test");
        assertThatThrownBy(() -> ValueConverter.row(orders, source, both,
                new Serializable[] {7, "12 pcs".getBytes(StandardCharsets.UTF_8)}))
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.error()).isEqualTo(ErrorCode.TARGET_STATEMENT_FAILED);
                    assertThat(e.detail()).isEqualTo("target rejected a statement for shop.orders, column qty: the"
                            + " source sends a string, which the target column qty int(11) cannot hold; make the"
                            + " target column's type match the source's (compare SHOW CREATE TABLE on both)");
                    assertThat(e.retriable()).isFalse();
                });
        byte[] ints = {(byte) LONG, (byte) LONG};
        assertThat(ValueConverter.row(orders, new SourceTypes(ints, new BitSet(), new BitSet(), "test"), both,
                new Serializable[] {7, 12})).containsExactly(7L, 12L);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "date|date|integer|an integer",
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

        int code = kind.equals("integer") ? LONG : 0;
        assertThatThrownBy(() -> convert(col(dataType, columnType), code, raw))
                .isInstanceOf(ValueConverter.Unfit.class)
                .hasMessageStartingWith("the source sends " + words + ", which the target column c " + columnType
                        + " cannot hold");
    }

    private static Column col(String name, String dataType, String columnType) {
        return new Column(name, dataType, columnType, null, true, false);
    }
}
