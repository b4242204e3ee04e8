package io.tidemark.lightning.parquet;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.storage.LocalStorage;
import io.tidemark.common.storage.Storage;
import io.tidemark.common.table.TableRef;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Parquet files written as Spark writes an Aurora export, read back into SQL value tuples: each type family at its
 * edges, resumption by row, row-group ranges, and every way a file can be refused.
 */
class ParquetRowsTest {
    private static final TableRef TABLE = TableRef.of("shop", "edges");
    private static final long ROW_GROUP = 128L * 1024 * 1024;

    @TempDir
    Path dir;

    private ParquetRows.Limits limits() {
        return new ParquetRows.Limits(256L * 1024 * 1024);
    }

    @Test
    void writesEachAwsTypeFamilyAtItsEdgesAsTheSqlLiteralThatHoldsIt() throws Exception {
        // given a file with the physical and logical types AWS writes for MySQL (Spark: spark_schema, optional)
        MessageType schema = SparkExport.schema("""
                message spark_schema {
                  optional int64 id;
                  optional int32 tiny_u (INTEGER(16,true));
                  optional int64 int_u;
                  optional fixed_len_byte_array(9) big_u (DECIMAL(20,0));
                  optional int32 dec9 (DECIMAL(9,2));
                  optional int64 dec18 (DECIMAL(18,4));
                  optional fixed_len_byte_array(16) dec38 (DECIMAL(38,10));
                  optional binary dec65 (STRING);
                  optional double f;
                  optional int64 dt (TIMESTAMP(MICROS,true));
                  optional binary day (STRING);
                  optional binary t (STRING);
                  optional int32 yr;
                  optional binary name (STRING);
                  optional binary raw;
                  optional boolean flag;
                }
                """);
        Path file = dir.resolve("shop/shop.edges/1/part-00000-a-c000.gz.parquet");
        SparkExport.write(file, schema, ROW_GROUP, (groups, out) -> {
            Group g = groups.newGroup()
                    .append("id", Long.MIN_VALUE)
                    .append("tiny_u", 255)
                    .append("int_u", 4294967295L)
                    .append("big_u", SparkExport.unsignedBigint("18446744073709551615"))
                    .append("dec9", -999999999)
                    .append("dec18", 999999999999999999L)
                    .append("dec38", SparkExport.fixedDecimal(
                            new BigDecimal("-9999999999999999999999999999.9999999999"), 10, 16))
                    .append("dec65", "-99999999999999999999999999999999999.999999999999999999999999999999")
                    .append("f", (double) 0.1f)
                    .append("dt", SparkExport.micros("1969-07-20T20:17:40.000001"))
                    .append("day", "1969-07-20")
                    .append("t", "-838:59:59.000000")
                    .append("yr", 1901)
                    .append("name", "Zoë 😀 it's a \\ and a \0 and a \n")
                    .append("raw", Binary.fromConstantByteArray(new byte[]{0, (byte) 0xff, '\'', 0x1a}))
                    .append("flag", true);
            out.accept(g);
            out.accept(groups.newGroup().append("id", 2L)); // every other column NULL
        });

        // when it is read
        List<String> rows = readAll(new LocalStorage(dir), "shop/shop.edges/1/part-00000-a-c000.gz.parquet");

        // then each value is the exact literal of its column, in the session's one-char-per-byte view
        assertThat(rows).containsExactly(view("(-9223372036854775808,255,4294967295,18446744073709551615,"
                        + "-9999999.99,99999999999999.9999,-9999999999999999999999999999.9999999999,"
                        + "_utf8mb4'-99999999999999999999999999999999999.999999999999999999999999999999',"
                        + Double.toString(0.1f) // a FLOAT as AWS widens it to DOUBLE
                        + ",'1969-07-20 20:17:40.000001',_utf8mb4'1969-07-20',"
                        + "_utf8mb4'-838:59:59.000000',1901,_utf8mb4'Zoë 😀 it\\'s a \\\\ and a \\0 and a \\n',")
                        + "_binary'\\0" + (char) 0xff + "\\'\\Z',1)",
                "(2,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL)");
    }

    @Test
    void timestampsAreUtcWallClocksToTheMicrosecondOnBothSidesOf1970() throws Exception {
        MessageType schema = SparkExport.schema("message spark_schema { optional int64 ts (TIMESTAMP(MICROS,true));"
                + " optional int64 ms (TIMESTAMP(MILLIS,false)); optional int32 d (DATE); }");
        SparkExport.write(dir.resolve("t.parquet"), schema, ROW_GROUP, (groups, out) -> {
            out.accept(groups.newGroup().append("ts", -1L).append("ms", -1L).append("d", -1));
            out.accept(groups.newGroup().append("ts", SparkExport.micros("9999-12-31T23:59:59.999999"))
                    .append("ms", 1L).append("d", (int) LocalDate.of(1000, 1, 1).toEpochDay()));
        });

        assertThat(readAll(new LocalStorage(dir), "t.parquet")).containsExactly(
                "('1969-12-31 23:59:59.999999','1969-12-31 23:59:59.999000','1969-12-31')",
                "('9999-12-31 23:59:59.999999','1970-01-01 00:00:00.001000','1000-01-01')");
    }

    @Test
    void aSpark2FileKeepsItsJulianDatesBeforeTheGregorianCalendarAsTheirDayAndTime() throws Exception {
        // given Spark 2 wrote 1500-01-01 12:00 as its hybrid (Julian) calendar counts it
        GregorianCalendar julian = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
        julian.clear();
        julian.set(1500, Calendar.JANUARY, 1, 12, 0, 0);
        long julianMicros = julian.getTimeInMillis() * 1000;
        MessageType schema = SparkExport.schema("message spark_schema { optional int64 ts (TIMESTAMP(MICROS,true)); }");
        SparkExport.write(dir.resolve("old.parquet"), schema, ROW_GROUP, Map.of("org.apache.spark.version", "2.4.8"),
                (groups, out) -> out.accept(groups.newGroup().append("ts", julianMicros)));

        // then it reads as that day, not as the proleptic Gregorian day ten days off
        assertThat(readAll(new LocalStorage(dir), "old.parquet"))
                .containsExactly("('1500-01-01 12:00:00.000000')");
    }

    @ParameterizedTest
    @EnumSource(value = CompressionCodecName.class, names = {"GZIP", "SNAPPY", "ZSTD", "UNCOMPRESSED"})
    void readsEachCodecAwsAndSparkWrite(CompressionCodecName codec) throws Exception {
        MessageType schema = SparkExport.schema(
                "message spark_schema { optional int64 n; optional binary label (STRING); }");
        SparkExport.write(dir.resolve("c.parquet"), schema, ROW_GROUP, Map.of(), codec, (groups, out) -> {
            for (long i = 0; i < 1000; i++) {
                out.accept(groups.newGroup().append("n", i).append("label", "n" + i));
            }
        });

        List<String> rows = readAll(new LocalStorage(dir), "c.parquet");
        assertThat(rows).hasSize(1000);
        assertThat(rows.get(999)).isEqualTo("(999,_utf8mb4'n999')");
    }

    @Test
    void resumesAtAnyRowSkippingWholeRowGroupsAndReadsARangeOfRowGroups() throws Exception {
        // given a file of several row groups
        Path file = writeNumbers(dir.resolve("n.parquet"), 20_000, 16 * 1024);
        Storage storage = new LocalStorage(dir);
        List<ParquetRows.RowGroup> groups;
        try (ParquetRows rows = ParquetRows.open(storage, "n.parquet", TABLE, limits())) {
            groups = rows.rowGroups();
            assertThat(rows.rowCount()).isEqualTo(20_000);
        }
        assertThat(groups).as("the test needs several row groups").hasSizeGreaterThan(2);
        long firstGroup = groups.getFirst().rows();

        // when reading resumes past the first row group and into the second
        try (ParquetRows rows = ParquetRows.open(storage, "n.parquet", TABLE, limits())) {
            rows.skip(firstGroup + 7);
            StringBuilder sql = new StringBuilder();
            assertThat(rows.next(sql)).isTrue();
            // then the next row is exactly the one after those skipped
            assertThat(sql).hasToString("(" + (firstGroup + 7) + ",_utf8mb4'n" + (firstGroup + 7) + "')");
            assertThat(rows.position()).isEqualTo(firstGroup + 8);
        }

        // and a range of row groups holds exactly their rows, starting at the first row of the range
        try (ParquetRows rows = ParquetRows.open(storage, "n.parquet", TABLE, limits(), 1, 2)) {
            assertThat(rows.rowCount()).isEqualTo(groups.get(1).rows());
            List<String> read = drain(rows);
            assertThat(read).hasSize((int) groups.get(1).rows());
            assertThat(read.getFirst()).startsWith("(" + firstGroup + ",");
        }
        assertThat(Files.size(file)).isPositive();
    }

    @Test
    void projectsTheColumnsTheTargetTakesInTheOrderAsked() throws Exception {
        writeNumbers(dir.resolve("p.parquet"), 3, ROW_GROUP);
        try (ParquetRows rows = ParquetRows.open(new LocalStorage(dir), "p.parquet", TABLE, limits())) {
            assertThat(rows.columnNames()).containsExactly("n", "label");
            rows.project(List.of("label"));
            assertThat(drain(rows)).containsExactly("(_utf8mb4'n0')", "(_utf8mb4'n1')", "(_utf8mb4'n2')");
        }
    }

    @Test
    void dateTimesTidemarkWroteAsTextBecauseTimestampCannotHoldThemReadBackAsTheyWere() throws Exception {
        // given a file of Tidemark's own dump whose footer names the DATETIME columns it holds as text
        MessageType schema = SparkExport.schema("message spark_schema { optional binary dtm (STRING);"
                + " optional binary ts (STRING); optional binary note (STRING); }");
        Map<String, String> footer = Map.of(ParquetRows.TEMPORAL_TEXT, "[\"dtm\",\"ts\"]");
        SparkExport.write(dir.resolve("zero.parquet"), schema, ROW_GROUP, footer, (groups, out) -> {
            out.accept(groups.newGroup().append("dtm", "0000-00-00 00:00:00.000000").append("ts", "0000-00-00 00:00:00")
                    .append("note", "0000-00-00 00:00:00"));
            out.accept(groups.newGroup().append("dtm", "2024-00-10 10:11:12.5").append("ts", "2023-02-31 00:00:00"));
            out.accept(groups.newGroup().append("dtm", "9999-12-31 23:59:59.999999"));
        });

        // then they are their text as a plain literal, which the session's sql_mode stores as it is; a column the
        // footer does not name is text as ever
        assertThat(readAll(new LocalStorage(dir), "zero.parquet")).containsExactly(
                "('0000-00-00 00:00:00.000000','0000-00-00 00:00:00',_utf8mb4'0000-00-00 00:00:00')",
                "('2024-00-10 10:11:12.5','2023-02-31 00:00:00',NULL)",
                "('9999-12-31 23:59:59.999999',NULL,NULL)");
    }

    @Test
    void aDateTimeWrittenAsTextThatIsNoDateTimeIsACorruptFileNamingTheRowAndColumn() throws Exception {
        MessageType schema = SparkExport.schema("message spark_schema { optional binary dtm (STRING); }");
        SparkExport.write(dir.resolve("bad.parquet"), schema, ROW_GROUP,
                Map.of(ParquetRows.TEMPORAL_TEXT, "[\"dtm\"]"), (groups, out) -> {
                    out.accept(groups.newGroup().append("dtm", "2024-01-01 00:00:00"));
                    out.accept(groups.newGroup().append("dtm", "2024-01-01'); DROP TABLE x; --"));
                });

        try (ParquetRows rows = ParquetRows.open(new LocalStorage(dir), "bad.parquet", TABLE, limits())) {
            assertThatThrownBy(() -> drain(rows))
                    .isInstanceOfSatisfying(TidemarkException.class,
                            e -> assertThat(e.error()).isEqualTo(ErrorCode.DUMP_FILE_CORRUPT))
                    .hasMessageContaining("dump file bad.parquet")
                    .hasMessageContaining("row 1, column `dtm`")
                    .hasMessageContaining("YYYY-MM-DD HH:MM:SS[.ffffff]");
        }

        // and a footer naming a column that is not text, or that is no JSON, is refused when the file is opened
        MessageType numbers = SparkExport.schema("message spark_schema { optional int64 dtm; }");
        SparkExport.write(dir.resolve("int.parquet"), numbers, ROW_GROUP,
                Map.of(ParquetRows.TEMPORAL_TEXT, "[\"dtm\"]"), (groups, out) -> { });
        assertThatThrownBy(() -> ParquetRows.open(new LocalStorage(dir), "int.parquet", TABLE, limits()))
                .hasMessageContaining("its footer names column `dtm` as a date and time written as text")
                .hasMessageContaining("optional int64 dtm");
        SparkExport.write(dir.resolve("json.parquet"), numbers, ROW_GROUP,
                Map.of(ParquetRows.TEMPORAL_TEXT, "dtm"), (groups, out) -> { });
        assertThatThrownBy(() -> ParquetRows.open(new LocalStorage(dir), "json.parquet", TABLE, limits()))
                .hasMessageContaining("its footer entry tidemark.temporal-text is not JSON");
    }

    @Test
    void int96IsRefusedNamingTheFileTheColumnAndHowToWriteItInstead() throws Exception {
        MessageType schema = SparkExport.schema("message spark_schema { optional int64 id; optional int96 created; }");
        SparkExport.write(dir.resolve("legacy.parquet"), schema, ROW_GROUP, (groups, out) ->
                out.accept(groups.newGroup().append("id", 1L)));

        assertThatThrownBy(() -> ParquetRows.open(new LocalStorage(dir), "legacy.parquet", TABLE, limits()))
                .isInstanceOf(TidemarkException.class)
                .hasMessageStartingWith("TM-40010 dump file legacy.parquet holds what no MySQL-family column takes:")
                .hasMessageContaining("column `created` of table shop.edges")
                .hasMessageContaining("optional int96 created")
                .hasMessageContaining("spark.sql.parquet.outputTimestampType=TIMESTAMP_MICROS");
    }

    @Test
    void aTypeOrAnnotationWithNoMySqlColumnIsRefusedByName() throws Exception {
        MessageType schema = SparkExport.schema("""
                message spark_schema {
                  optional int64 id;
                  optional group tags (LIST) { repeated group list { optional binary element (STRING); } }
                }
                """);
        SparkExport.write(dir.resolve("nested.parquet"), schema, ROW_GROUP, (groups, out) ->
                out.accept(groups.newGroup().append("id", 1L)));
        assertThatThrownBy(() -> ParquetRows.open(new LocalStorage(dir), "nested.parquet", TABLE, limits()))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.error()).isEqualTo(ErrorCode.DUMP_TYPE_UNSUPPORTED))
                .hasMessageContaining("column `tags` of table shop.edges")
                .hasMessageContaining("nested group");

        MessageType interval = SparkExport.schema(
                "message spark_schema { optional fixed_len_byte_array(12) span (INTERVAL); }");
        SparkExport.write(dir.resolve("interval.parquet"), interval, ROW_GROUP, (groups, out) -> { });
        assertThatThrownBy(() -> ParquetRows.open(new LocalStorage(dir), "interval.parquet", TABLE, limits()))
                .hasMessageContaining("dump file interval.parquet")
                .hasMessageContaining("column `span`")
                .hasMessageContaining("INTERVAL");
    }

    @Test
    void aTruncatedFileIsCorruptNamingTheFileAndItsTable() throws Exception {
        Path file = writeNumbers(dir.resolve("shop/shop.edges/1/part-00003-x-c000.gz.parquet"), 1000, ROW_GROUP);
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length / 2));

        assertThatThrownBy(() -> ParquetRows.open(new LocalStorage(dir),
                "shop/shop.edges/1/part-00003-x-c000.gz.parquet", TABLE, limits()))
                .isInstanceOf(TidemarkException.class)
                .hasMessageStartingWith(
                        "TM-40002 dump file shop/shop.edges/1/part-00003-x-c000.gz.parquet is unreadable")
                .hasMessageContaining("not a readable Parquet file of table shop.edges");
    }

    @Test
    void aFileWhosePagesAreDamagedIsCorruptWhenItsRowsAreRead() throws Exception {
        // given a file whose footer is intact but whose first column chunk has garbage inside its gzip stream
        Path file = writeNumbers(dir.resolve("d.parquet"), 5000, ROW_GROUP);
        long start;
        long size;
        try (ParquetFileReader footer = ParquetFileReader.open(new LocalInputFile(file))) {
            ColumnChunkMetaData chunk = footer.getRowGroups().getFirst().getColumns().getFirst();
            start = chunk.getStartingPos();
            size = chunk.getTotalSize();
        }
        byte[] bytes = Files.readAllBytes(file);
        for (long i = start + size / 2; i < start + size / 2 + 16; i++) {
            bytes[(int) i] = (byte) (bytes[(int) i] ^ 0x5a);
        }
        Files.write(file, bytes);

        // then opening works, and reading its rows stops naming the file and its table
        try (ParquetRows rows = ParquetRows.open(new LocalStorage(dir), "d.parquet", TABLE, limits())) {
            assertThatThrownBy(() -> drain(rows))
                    .isInstanceOf(TidemarkException.class)
                    .hasMessageStartingWith("TM-40002 dump file d.parquet is unreadable")
                    .hasMessageContaining("table shop.edges");
        }
    }

    @Test
    void aRowGroupLargerThanTheBoundIsRefusedBeforeAnyRowIsRead() throws Exception {
        writeNumbers(dir.resolve("big.parquet"), 20_000, ROW_GROUP);
        ParquetRows.Limits small = new ParquetRows.Limits(10_000);

        assertThatThrownBy(() -> ParquetRows.open(new LocalStorage(dir), "big.parquet", TABLE, small))
                .isInstanceOfSatisfying(TidemarkException.class, e -> assertThat(e.retriable()).isFalse())
                .hasMessageStartingWith("TM-40011 row group 0 of dump file big.parquet (table shop.edges) holds ")
                .hasMessageContaining("compressed bytes, more than the 10000 bytes a worker reads at once")
                .hasMessageContaining("raise tidemark.lightning.max-row-group-bytes")
                .hasMessageContaining("smaller row groups");
    }

    @Test
    void aFileIsReadInPlaceFetchingOnlyItsFooterAndTheColumnChunksOfTheRowGroupsRead() throws Exception {
        // given a file of several row groups of two columns, the second one wide
        Path file = writeRandomLabels(dir.resolve("w.parquet"), 40_000, 256 * 1024);
        List<BlockMetaData> blocks;
        try (ParquetFileReader footer = ParquetFileReader.open(new LocalInputFile(file))) {
            blocks = footer.getRowGroups();
        }
        assertThat(blocks).as("the test needs several row groups").hasSizeGreaterThan(3);
        long size = Files.size(file);
        RecordingStorage storage = new RecordingStorage(new LocalStorage(dir));

        // when its column n is read from the third row group on (as a chunk resumes after two row groups)
        List<String> read;
        try (ParquetRows rows = ParquetRows.open(storage, "w.parquet", TABLE, limits())) {
            rows.project(List.of("n"));
            rows.skip(blocks.get(0).getRowCount() + blocks.get(1).getRowCount());
            read = drain(rows);
        }

        // then the rows are those of the row groups read
        long first = blocks.get(0).getRowCount() + blocks.get(1).getRowCount();
        assertThat(read).hasSize((int) (40_000 - first));
        assertThat(read.getFirst()).isEqualTo("(" + first + ")");
        // and the storage was asked for the file's tail (the footer) and for column n of those row groups, each from
        // its first byte: never the whole file, nothing of the first two row groups, nothing from a local copy
        Set<Long> starts = new TreeSet<>();
        long columnBytes = 0;
        for (BlockMetaData block : blocks.subList(2, blocks.size())) {
            ColumnChunkMetaData n = block.getColumns().getFirst();
            starts.add(n.getStartingPos());
            columnBytes += n.getTotalSize();
        }
        starts.add(Math.max(0, size - ParquetInput.READ_AHEAD));
        assertThat(storage.wholeReads()).isEmpty();
        assertThat(storage.ranges()).extracting(RecordingStorage.Range::offset).isSubsetOf(starts);
        assertThat(storage.delivered()).isLessThanOrEqualTo(
                ParquetInput.READ_AHEAD + columnBytes + (long) blocks.size() * ParquetInput.READ_AHEAD)
                .isLessThan(size / 2);
    }

    @Test
    void aStorageFailingUnderTheReadIsAStorageFailureThatMayPassNotACorruptFile() throws Exception {
        // given a file larger than what is read ahead with its footer
        Path file = writeRandomLabels(dir.resolve("r.parquet"), 20_000, ROW_GROUP);
        assertThat(Files.size(file)).isGreaterThan(2L * ParquetInput.READ_AHEAD);
        RecordingStorage storage = new RecordingStorage(new LocalStorage(dir));

        try (ParquetRows rows = ParquetRows.open(storage, "r.parquet", TABLE, limits())) {
            // when the connection breaks under the read of the row group
            storage.breakReadsFrom(0);

            // then it is the storage's error, retried, naming the file
            assertThatThrownBy(() -> drain(rows))
                    .isInstanceOfSatisfying(TidemarkException.class, e -> {
                        assertThat(e.error()).isEqualTo(ErrorCode.STORAGE_IO);
                        assertThat(e.retriable()).isTrue();
                    })
                    .hasMessageContaining("reading r.parquet (row group 0 cannot be read) failed")
                    .hasMessageContaining("Connection reset");
        }

        // and a file that is gone is named as missing, not as damaged
        assertThatThrownBy(() -> ParquetRows.open(storage, "gone.parquet", TABLE, limits()))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.error()).isEqualTo(ErrorCode.DUMP_FILE_CORRUPT))
                .hasMessageContaining("dump file gone.parquet is unreadable: it is gone from " + dir.toUri());
    }

    private List<String> readAll(Storage storage, String file) {
        try (ParquetRows rows = ParquetRows.open(storage, file, TABLE, limits())) {
            return drain(rows);
        }
    }

    private static List<String> drain(ParquetRows rows) {
        List<String> out = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        while (rows.next(sql)) {
            out.add(sql.toString());
            sql.setLength(0);
        }
        return out;
    }

    /** rows {@code (n, 'n<n>')}, n = 0.. */
    static Path writeNumbers(Path file, int count, long rowGroupBytes) throws IOException {
        MessageType schema = SparkExport.schema(
                "message spark_schema { optional int64 n; optional binary label (STRING); }");
        SparkExport.write(file, schema, rowGroupBytes, (groups, out) -> {
            for (int i = 0; i < count; i++) {
                out.accept(groups.newGroup().append("n", (long) i).append("label", "n" + i));
            }
        });
        return file;
    }

    /** rows {@code (n, <48 random hex digits>)}, n = 0..: a wide column that compresses little */
    static Path writeRandomLabels(Path file, int count, long rowGroupBytes) throws IOException {
        MessageType schema = SparkExport.schema(
                "message spark_schema { optional int64 n; optional binary label (STRING); }");
        Random random = new Random(count);
        SparkExport.write(file, schema, rowGroupBytes, (groups, out) -> {
            for (long i = 0; i < count; i++) {
                out.accept(groups.newGroup().append("n", i).append("label", Long.toHexString(random.nextLong())
                        + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong())));
            }
        });
        return file;
    }

    /** text as the session carries it: its UTF-8 bytes, one char each */
    private static String view(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }
}
