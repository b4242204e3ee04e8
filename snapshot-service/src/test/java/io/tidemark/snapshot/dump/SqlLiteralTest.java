package io.tidemark.snapshot.dump;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SqlLiteralTest {

    private static String render(ColumnKind kind, byte[] raw) {
        ByteBuf out = new ByteBuf();
        SqlLiteral.append(out, kind, raw);
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    private static String render(ColumnKind kind, String text) {
        return render(kind, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void nullIsNullWhateverTheKind() {
        for (ColumnKind kind : ColumnKind.values()) {
            assertThat(render(kind, (byte[]) null)).isEqualTo("NULL");
        }
    }

    @ParameterizedTest
    @CsvSource({
            "18446744073709551615", "-9223372036854775808", "255", "-128",
            "-99999999999999999999999999999999999.999999999999999999999999999999",
            "1.7976931348623157e308", "3.40282e38", "-2.2250738585072014e-308", "0", "2155", "0000"})
    void numbersKeepTheServersTextUnquoted(String text) {
        assertThat(render(ColumnKind.NUMBER, text)).isEqualTo(text);
    }

    @Test
    void stringsEscapeTheSevenSpecialBytes() {
        String raw = "a'b\"c\\d\ne\rf\0g\u001ah";
        assertThat(render(ColumnKind.TEXT, raw)).isEqualTo("'a\\'b\\\"c\\\\d\\ne\\rf\\0g\\Zh'");
    }

    @Test
    void multiByteUtf8AndEmojiPassUnchanged() {
        String raw = "héllo 😀🎉 世界";
        assertThat(render(ColumnKind.TEXT, raw)).isEqualTo("'" + raw + "'");
    }

    @Test
    void nonUtf8BytesOfOtherCharsetsPassUnchanged() {
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xe9};
        ByteBuf out = new ByteBuf();
        SqlLiteral.append(out, ColumnKind.TEXT, latin1);
        assertThat(out.toByteArray()).containsExactly('\'', 'c', 'a', 'f', 0xe9, '\'');
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "0000-00-00 00:00:00|'0000-00-00 00:00:00'",
            "9999-12-31 23:59:59.999999|'9999-12-31 23:59:59.999999'",
            "-838:59:59.000000|'-838:59:59.000000'",
            "c d|'c d'",
            "x,z|'x,z'"})
    void temporalEnumAndSetValuesAreQuotedText(String raw, String literal) {
        assertThat(render(ColumnKind.TEXT, raw)).isEqualTo(literal);
    }

    @Test
    void jsonIsQuotedWithItsQuotesAndBackslashesEscaped() {
        assertThat(render(ColumnKind.TEXT, "{\"a\": \"x\\ny\"}")).isEqualTo("'{\\\"a\\\": \\\"x\\\\ny\\\"}'");
    }

    @Test
    void binaryIsHexAndEmptyBinaryIsAnEmptyString() {
        assertThat(render(ColumnKind.BYTES, new byte[]{0x00, (byte) 0xff, 0x27, 0x5c})).isEqualTo("0x00ff275c");
        assertThat(render(ColumnKind.BYTES, new byte[0])).isEqualTo("''");
    }

    @Test
    void bitsAreBitValueLiteralsWithoutLeadingZeros() {
        assertThat(render(ColumnKind.BIT, new byte[]{0x01})).isEqualTo("b'1'");
        assertThat(render(ColumnKind.BIT, new byte[]{0x00})).isEqualTo("b'0'");
        assertThat(render(ColumnKind.BIT, new byte[]{0x02, 0x01})).isEqualTo("b'1000000001'");
        byte[] ones = new byte[8];
        java.util.Arrays.fill(ones, (byte) 0xff);
        assertThat(render(ColumnKind.BIT, ones)).isEqualTo("b'" + "1".repeat(64) + "'");
    }

    @ParameterizedTest
    @CsvSource({
            "BIGINT, NUMBER", "tinyint, NUMBER", "decimal, NUMBER", "float, NUMBER", "double, NUMBER", "year, NUMBER",
            "bit, BIT", "varbinary, BYTES", "binary, BYTES", "longblob, BYTES", "geometry, BYTES",
            "varchar, TEXT", "longtext, TEXT", "json, TEXT", "enum, TEXT", "set, TEXT", "datetime, TEXT",
            "timestamp, TEXT", "time, TEXT", "date, TEXT", "inet6, TEXT"})
    void kindFollowsTheDataType(String dataType, ColumnKind kind) {
        assertThat(ColumnKind.of(dataType)).isEqualTo(kind);
    }
}
