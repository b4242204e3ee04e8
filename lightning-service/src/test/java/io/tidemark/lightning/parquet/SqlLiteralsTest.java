package io.tidemark.lightning.parquet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** What goes into a literal as text and what as bytes, and dates at the edges of the calendar. */
class SqlLiteralsTest {
    @ParameterizedTest(name = "{0} is UTF-8: {1}")
    @CsvSource({
            "'', true",
            "41626320, true",             // ASCII
            "c3a9, true",                 // é
            "e282ac, true",               // €
            "f09f9880, true",             // 😀, four bytes
            "f48fbfbf, true",             // U+10FFFF, the last code point
            "e9, false",                  // latin1 é: a lone lead byte
            "c3, false",                  // a sequence cut short
            "c0af, false",                // overlong '/'
            "e080af, false",              // overlong, three bytes
            "eda080, false",              // a surrogate, which utf8mb4 refuses
            "f4908080, false",            // above U+10FFFF
            "ff, false",
    })
    void recognisesTextTheServerTakesAsUtf8mb4(String hex, boolean utf8) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        assertThat(SqlLiterals.isUtf8(bytes, 0, bytes.length)).isEqualTo(utf8);

        StringBuilder sql = new StringBuilder();
        SqlLiterals.text(bytes, 0, bytes.length, sql);
        assertThat(sql.toString()).startsWith(utf8 ? "_utf8mb4'" : "_binary'");
    }

    @ParameterizedTest(name = "{0} µs = {1}")
    @CsvSource({
            "0, 1970-01-01 00:00:00.000000",
            "-1, 1969-12-31 23:59:59.999999",
            "-14182940000000, 1969-07-20 20:17:40.000000",
            "253402300799999999, 9999-12-31 23:59:59.999999",
            "-30610224000000000, 1000-01-01 00:00:00.000000",
    })
    void microsecondsAreAUtcWallClock(long micros, String text) {
        assertThat(SqlLiterals.dateTime(micros)).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0} is a date and time: {1}")
    @CsvSource({
            "0000-00-00 00:00:00, true",
            "2024-00-10 10:11:12.123456, true",
            "2023-02-31 00:00:00.5, true",
            "2023-02-31 00:00:00., false",
            "2023-02-31 00:00:00.1234567, false",
            "2023-02-31, false",
            "2023-02-31T00:00:00, false",
            "2023-01-01 00:00:0x, false",
    })
    void aDateTimeAsTextIsTakenOnlyInMySqlsOwnShape(String text, boolean temporal) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        StringBuilder sql = new StringBuilder();

        assertThat(SqlLiterals.temporal(bytes, 0, bytes.length, sql)).isEqualTo(temporal);
        assertThat(sql.toString()).isEqualTo(temporal ? "'" + text + "'" : "");
    }
}
