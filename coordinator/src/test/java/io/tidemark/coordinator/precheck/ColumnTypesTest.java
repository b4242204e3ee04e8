package io.tidemark.coordinator.precheck;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which source column types a target column takes every value of, when rows are written by column name. */
class ColumnTypesTest {
    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            // the same type as each server writes it
            "int(11)               | int                   | true",
            "INT(11) UNSIGNED      | int unsigned          | true",
            "tinyint(1)            | tinyint(4)            | true",
            // integers: wider of the same signedness, or unsigned into a strictly wider signed one
            "int                   | bigint                | true",
            "bigint                | int                   | false",
            "int unsigned          | bigint                | true",
            "int unsigned          | int                   | false",
            "int                   | int unsigned          | false",
            // decimals: as many digits on each side of the point
            "decimal(10,2)         | decimal(12,2)         | true",
            "decimal(10,2)         | decimal(12,4)         | true",
            "decimal(10,2)         | decimal(10,3)         | false",
            "decimal(10,2)         | int(11)               | false",
            // strings: at least as long, into a varchar or a text that holds it in utf8mb4
            "varchar(40)           | varchar(80)           | true",
            "varchar(80)           | varchar(40)           | false",
            "char(10)              | varchar(10)           | true",
            "varchar(10)           | char(10)              | false",
            "varchar(40)           | text                  | true",
            "varchar(100)          | tinytext              | false",
            "text                  | mediumtext            | true",
            "mediumtext            | text                  | false",
            "varbinary(16)         | blob                  | true",
            // fractions of a second, and types that must match exactly
            "datetime              | datetime(6)           | true",
            "datetime(6)           | datetime(3)           | false",
            "datetime              | timestamp             | false",
            "float                 | double                | true",
            "enum('a','b')         | enum('a','b')         | true",
            "enum('a','b')         | enum('a')             | false",
            "json                  | longtext              | false",
    })
    void aTargetTypeTakesTheSourcesValuesWhenItIsTheSameOrWider(String source, String target, boolean fits) {
        assertThat(ColumnTypes.fits(source, target)).isEqualTo(fits);
    }
}
