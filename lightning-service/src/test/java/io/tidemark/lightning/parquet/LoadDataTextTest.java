package io.tidemark.lightning.parquet;

import io.tidemark.common.storage.LocalStorage;
import io.tidemark.common.table.TableRef;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parquet rows written as LOAD DATA text ({@link LoadDataText}): every type family as the INSERT path's literal holds
 * it, text and bytes escaped so that LOAD DATA reads back exactly their bytes, NULL as {@code \N}, YEAR 0 as 0000.
 */
class LoadDataTextTest {
    private static final TableRef TABLE = TableRef.of("shop", "edges");
    private static final long ROW_GROUP = 128L * 1024 * 1024;
    private static final MessageType SCHEMA = SparkExport.schema("""
            message spark_schema {
              optional int64 id;
              optional int32 small_u (INTEGER(16,false));
              optional fixed_len_byte_array(9) big_u (DECIMAL(20,0));
              optional int32 dec9 (DECIMAL(9,2));
              optional fixed_len_byte_array(16) dec38 (DECIMAL(38,10));
              optional binary dec65 (STRING);
              optional double d;
              optional int64 dt (TIMESTAMP(MICROS,true));
              optional int32 day (DATE);
              optional int64 t (TIME(MICROS,false));
              optional int32 yr;
              optional int32 yr0;
              optional int32 n0;
              optional binary name (STRING);
              optional binary js (JSON);
              optional binary en (ENUM);
              optional fixed_len_byte_array(16) u (UUID);
              optional binary raw;
              optional boolean flag;
              optional binary stamp;
            }
            """);
    /** yr and yr0 go into YEAR columns */
    private static final boolean[] YEARS = new boolean[20];

    static {
        YEARS[10] = true;
        YEARS[11] = true;
    }

    @TempDir
    Path dir;

    @Test
    void writesEveryTypeFamilyAsTheTextLoadDataReadsBackToTheInsertPathsValue() throws Exception {
        // given a row with every type family at an edge, its text full of what LOAD DATA reads specially
        String name = "Zoë\t😀 it's a \\ and \0 and \n and \r and \u001a and \\N";
        byte[] uuid = new byte[16];
        for (int i = 0; i < 16; i++) {
            uuid[i] = (byte) (i * 17);
        }
        SparkExport.write(dir.resolve("e.parquet"), SCHEMA, ROW_GROUP,
                Map.of(ParquetRows.TEMPORAL_TEXT, "[\"stamp\"]"), (groups, out) -> {
                    out.accept(groups.newGroup().append("id", Long.MIN_VALUE).append("small_u", 65535)
                            .append("big_u", SparkExport.unsignedBigint("18446744073709551615"))
                            .append("dec9", -999999999)
                            .append("dec38", SparkExport.fixedDecimal(
                                    new java.math.BigDecimal("-9999999999999999999999999999.9999999999"), 10, 16))
                            .append("dec65", "-1.5").append("d", -2.2250738585072014E-308)
                            .append("dt", SparkExport.micros("1969-07-20T20:17:40.000001"))
                            .append("day", (int) LocalDate.of(1000, 1, 1).toEpochDay())
                            .append("t", 3_723_000_001L).append("yr", 1901).append("yr0", 0).append("n0", 0)
                            .append("name", name).append("js", "{\"a\": [1, 2]}").append("en", "b")
                            .append("u", Binary.fromConstantByteArray(uuid))
                            .append("raw", Binary.fromConstantByteArray(allBytes())).append("flag", true)
                            .append("stamp", "0000-00-00 00:00:00"));
                    out.accept(groups.newGroup().append("id", 2L)); // every other column NULL
                });

        // when it is read as LOAD DATA text
        byte[] text = readAll("e.parquet");

        // then each field is the value the INSERT path's literal gives, escaped only where LOAD DATA must read it so
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        fields(expected, "-9223372036854775808", "65535", "18446744073709551615", "-9999999.99",
                "-9999999999999999999999999999.9999999999", "-1.5", "-2.2250738585072014E-308",
                "1969-07-20 20:17:40.000001", "1000-01-01", "01:02:03.000001", "1901", "0000", "0");
        expected.write('\t');
        expected.writeBytes("Zoë\\t😀 it's a \\\\ and \\0 and \\n and \r and \u001a and \\\\N"
                .getBytes(StandardCharsets.UTF_8));
        expected.write('\t');
        fields(expected, "{\"a\": [1, 2]}", "b", "00112233-4455-6677-8899-aabbccddeeff");
        expected.write('\t');
        for (byte b : allBytes()) {
            switch (b) {
                case 0 -> expected.writeBytes(new byte[]{'\\', '0'});
                case '\t' -> expected.writeBytes(new byte[]{'\\', 't'});
                case '\n' -> expected.writeBytes(new byte[]{'\\', 'n'});
                case '\\' -> expected.writeBytes(new byte[]{'\\', '\\'});
                default -> expected.write(b);
            }
        }
        expected.write('\t');
        fields(expected, "1", "0000-00-00 00:00:00");
        expected.write('\n');
        expected.writeBytes(("2" + "\t\\N".repeat(19) + "\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(text).isEqualTo(expected.toByteArray());

        // and the reader says which columns are declared text and which plain bytes, for the statement to convert
        try (ParquetRows rows = ParquetRows.open(new LocalStorage(dir), "e.parquet", TABLE, limits())) {
            assertThat(List.of("name", "js", "en", "dec65")).allMatch(rows::isText);
            assertThat(List.of("raw", "stamp", "u", "id", "dt")).noneMatch(rows::isText);
            assertThat(rows.isPlainBytes("raw")).isTrue();
            assertThat(List.of("stamp", "name", "u", "big_u", "id")).noneMatch(rows::isPlainBytes);
        }
    }

    @Test
    void aBatchResumesMidFileAndClearsBetweenStatements() throws Exception {
        MessageType schema = SparkExport.schema(
                "message spark_schema { optional int64 n; optional binary label (STRING); }");
        SparkExport.write(dir.resolve("n.parquet"), schema, ROW_GROUP, (groups, out) -> {
            for (long i = 0; i < 5; i++) {
                out.accept(groups.newGroup().append("n", i).append("label", "a\tb" + i));
            }
        });
        try (ParquetRows rows = ParquetRows.open(new LocalStorage(dir), "n.parquet", TABLE, limits())) {
            LoadDataText text = new LoadDataText(new boolean[2]);
            rows.skip(3);
            assertThat(rows.next(text)).isTrue();
            assertThat(new String(text.buffer(), 0, text.size(), StandardCharsets.UTF_8)).isEqualTo("3\ta\\tb3\n");
            text.clear();
            assertThat(rows.next(text)).isTrue();
            assertThat(rows.next(text)).isFalse();
            assertThat(new String(text.buffer(), 0, text.size(), StandardCharsets.UTF_8)).isEqualTo("4\ta\\tb4\n");
        }
    }

    private byte[] readAll(String file) {
        try (ParquetRows rows = ParquetRows.open(new LocalStorage(dir), file, TABLE, limits())) {
            LoadDataText text = new LoadDataText(YEARS);
            while (rows.next(text)) {
                assertThat(text.size()).isPositive();
            }
            return Arrays.copyOf(text.buffer(), text.size());
        }
    }

    private static void fields(ByteArrayOutputStream out, String... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.write('\t');
            }
            out.writeBytes(values[i].getBytes(StandardCharsets.UTF_8));
        }
    }

    private static ParquetRows.Limits limits() {
        return new ParquetRows.Limits(256L * 1024 * 1024);
    }

    private static byte[] allBytes() {
        byte[] out = new byte[256];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) i;
        }
        return out;
    }
}
