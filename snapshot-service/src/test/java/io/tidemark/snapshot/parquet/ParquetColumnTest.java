package io.tidemark.snapshot.parquet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** AWS's documented MySQL-to-Parquet mapping, type by type, and which DATETIME texts TIMESTAMP(MICROS) can hold. */
class ParquetColumnTest {
    @ParameterizedTest(name = "{1} → {5}")
    @CsvSource(delimiter = '|', textBlock = """
            tinyint   | tinyint(4)             | 3  | 0  | `c`                        | optional int32 c
            tinyint   | tinyint(3) unsigned    | 3  | 0  | `c`                        | optional int32 c (INTEGER(16,true))
            smallint  | smallint(5) unsigned   | 5  | 0  | `c`                        | optional int32 c
            mediumint | mediumint(8) unsigned  | 7  | 0  | `c`                        | optional int64 c
            int       | int(11)                | 10 | 0  | `c`                        | optional int32 c
            int       | int(10) unsigned       | 10 | 0  | `c`                        | optional int64 c
            bigint    | bigint(20)             | 19 | 0  | `c`                        | optional int64 c
            bigint    | bigint(20) unsigned    | 20 | 0  | `c`                        | optional fixed_len_byte_array(9) c (DECIMAL(20,0))
            decimal   | decimal(9,2)           | 9  | 2  | `c`                        | optional int32 c (DECIMAL(9,2))
            decimal   | decimal(18,4)          | 18 | 4  | `c`                        | optional int64 c (DECIMAL(18,4))
            decimal   | decimal(38,10)         | 38 | 10 | `c`                        | optional fixed_len_byte_array(16) c (DECIMAL(38,10))
            decimal   | decimal(65,30)         | 65 | 30 | `c`                        | optional binary c (STRING)
            float     | float                  | 12 | 0  | (`c` + 0e0)                | optional double c
            double    | double                 | 22 | 0  | `c`                        | optional double c
            datetime  | datetime(6)            | 0  | 0  | `c`                        | optional int64 c (TIMESTAMP(MICROS,true))
            timestamp | timestamp              | 0  | 0  | `c`                        | optional int64 c (TIMESTAMP(MICROS,true))
            date      | date                   | 0  | 0  | `c`                        | optional binary c (STRING)
            time      | time(6)                | 0  | 0  | `c`                        | optional binary c (STRING)
            year      | year(4)                | 0  | 0  | `c`                        | optional int32 c
            char      | char(10)               | 0  | 0  | `c`                        | optional binary c
            varchar   | varchar(255)           | 0  | 0  | CONVERT(`c` USING utf8mb4) | optional binary c (STRING)
            longtext  | longtext               | 0  | 0  | CONVERT(`c` USING utf8mb4) | optional binary c (STRING)
            enum      | enum('a','b')          | 0  | 0  | CONVERT(`c` USING utf8mb4) | optional binary c (STRING)
            set       | set('x','y')           | 0  | 0  | CONVERT(`c` USING utf8mb4) | optional binary c (STRING)
            json      | json                   | 0  | 0  | CONVERT(`c` USING utf8mb4) | optional binary c (STRING)
            varbinary | varbinary(64)          | 0  | 0  | `c`                        | optional binary c
            blob      | blob                   | 0  | 0  | `c`                        | optional binary c
            bit       | bit(64)                | 64 | 0  | `c`                        | optional binary c
            geometry  | geometry               | 0  | 0  | `c`                        | optional binary c
            """)
    void eachTypeGetsTheParquetTypeAwsDocuments(String dataType, String columnType, long precision, long scale,
                                                String select, String parquet) {
        ParquetColumn c = ParquetColumn.of(new SourceColumn("c", dataType, columnType, precision, scale, 0, 0));

        assertThat(c.type().toString()).isEqualTo(parquet);
        assertThat(c.select()).isEqualTo(select);
    }

    @ParameterizedTest(name = "{0} fits: {1}")
    @CsvSource({
            "1970-01-01 00:00:00, true",
            "9999-12-31 23:59:59.999999, true",
            "1000-01-01 00:00:00.5, true",
            "0000-01-01 00:00:00, true",
            "0000-00-00 00:00:00, false",
            "2024-00-10 10:00:00, false",
            "2024-05-00 10:00:00, false",
            "2023-02-31 00:00:00, false",
    })
    void aTimestampHoldsEveryDayOfTheProlepticCalendarAndNoZeroOrInvalidDate(String text, boolean fits) {
        ParquetColumn c = ParquetColumn.of(SourceColumn.of("c", "datetime"));

        assertThat(c.holds(text.getBytes(StandardCharsets.US_ASCII))).isEqualTo(fits);
        if (fits) {
            LocalDateTime t = LocalDateTime.parse(text.replace(' ', 'T'));
            assertThat(ParquetColumn.micros(text.getBytes(StandardCharsets.US_ASCII)))
                    .isEqualTo(t.toEpochSecond(ZoneOffset.UTC) * 1_000_000 + t.getNano() / 1000);
        }
        assertThat(c.asText().type().toString()).isEqualTo("optional binary c (STRING)");
    }

    @ParameterizedTest(name = "DECIMAL({0}) takes {1} bytes")
    @CsvSource({"19, 9", "21, 9", "22, 10", "28, 12", "38, 16"})
    void aWideDecimalTakesTheBytesSparkGivesIt(int precision, int bytes) {
        assertThat(ParquetColumn.bytesFor(precision)).isEqualTo(bytes);
        BigInteger largest = BigInteger.TEN.pow(precision).subtract(BigInteger.ONE);
        assertThat(new BigInteger(ParquetColumn.twosComplement(largest.negate(), bytes))).isEqualTo(largest.negate());
    }
}
