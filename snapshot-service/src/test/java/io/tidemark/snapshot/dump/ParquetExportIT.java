package io.tidemark.snapshot.dump;

import io.tidemark.common.layout.DumpLayout;
import io.tidemark.common.storage.Storages;
import io.tidemark.common.table.TableFilter;
import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.precheck.source.SourceFacts;
import io.tidemark.snapshot.parquet.ExportLayout;
import io.tidemark.snapshot.parquet.ParquetCompression;
import io.tidemark.snapshot.parquet.ParquetSettings;
import io.tidemark.snapshot.parquet.ParquetTable;
import io.tidemark.snapshot.support.ParquetParts;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.LocalS3;
import io.tidemark.testkit.TestDatabases;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static io.tidemark.snapshot.support.ParquetParts.ascii;
import static io.tidemark.snapshot.support.ParquetParts.bytes;
import static io.tidemark.snapshot.support.ParquetParts.isNull;
import static io.tidemark.snapshot.support.ParquetParts.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dumps a real MariaDB source in format parquet, to local disk and to a real S3-compatible server (S3Mock), and reads
 * the files back with parquet-java: an Aurora export's layout and metadata files, AWS's types at the edges of every
 * type family, Tidemark's text form for DATETIME values TIMESTAMP cannot hold, part files past the file size, small
 * row groups, and nothing left of an earlier dump. That lightning-service imports these files exactly is the deploy
 * module's ParquetDumpIT.
 */
class ParquetExportIT {
    private static final String EXPORT = "m-parquet";
    private static final String BUCKET = "exports";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static LocalMariaDb source;
    private static LocalS3 s3;

    @TempDir
    static Path work;

    @BeforeAll
    static void start() {
        source = TestDatabases.startSource("pqdump");
        s3 = LocalS3.start(work.resolve("s3"), BUCKET);
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (source != null) {
            source.close();
        }
    }

    @Test
    void everyTypeFamilyIsWrittenWithAwsTypesInAnExportsLayout(@TempDir Path dir) throws Exception {
        // given a table with every type family at its edges, written in a session at +09:00, and an empty table
        String db = TestDatabases.uniqueSchema("pq");
        TestDatabases.execute(source,
                "SET SESSION sql_mode = ''",
                "SET SESSION time_zone = '+09:00'",
                "CREATE DATABASE " + db,
                "USE " + db,
                """
                CREATE TABLE all_types (
                  id INT PRIMARY KEY, ti TINYINT, tiu TINYINT UNSIGNED, siu SMALLINT UNSIGNED, miu MEDIUMINT UNSIGNED,
                  i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED,
                  dec1 DECIMAL(65,30), dec2 DECIMAL(10,2), dec3 DECIMAL(38,10), f FLOAT, d DOUBLE,
                  dt DATE, dtm DATETIME(6), ts TIMESTAMP(6) NULL DEFAULT NULL, tm TIME(6), yr YEAR,
                  c CHAR(10), vc VARCHAR(255), l1 VARCHAR(20) CHARACTER SET latin1, bn BINARY(4), bl BLOB,
                  js JSON, en ENUM('a','b','c d'), st SET('x','y','z'), b64 BIT(64),
                  gen BIGINT AS (i + 1) VIRTUAL
                ) DEFAULT CHARSET = utf8mb4
                """,
                """
                INSERT INTO all_types (id, ti, tiu, siu, miu, i, iu, bi, biu, dec1, dec2, dec3, f, d, dt, dtm, ts, tm,
                  yr, c, vc, l1, bn, bl, js, en, st, b64) VALUES
                (1, 127, 255, 65535, 16777215, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615,
                  99999999999999999999999999999999999.999999999999999999999999999999, 99999999.99,
                  9999999999999999999999999999.9999999999, 3.40282e38, 1.7976931348623157e308,
                  '9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 12:14:07.999999', '838:59:59.000000', 2155,
                  'abc', 'héllo 😀🎉 世界', 'café', 0x00ff0001, 0x0027005c0d0a1aff, '{"a": [1, 2.5, "x😀"]}', 'c d',
                  'x,z', b'1111111111111111111111111111111111111111111111111111111111111111'),
                (2, -128, 0, 0, 0, -2147483648, 0, -9223372036854775808, 0,
                  -99999999999999999999999999999999999.999999999999999999999999999999, -0.01,
                  -9999999999999999999999999999.9999999999, -1.17549e-38, -2.2250738585072014e-308,
                  '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '-838:59:59', 0,
                  '', '', '', 0x00000000, '', '[]', 'a', '', b'0'),
                (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                (4, 0, 1, 1, 1, 1, 1, 1, 1, 0.000000000000000000000000000001, 0.10, 0.0000000001, 0.1, 0.1,
                  '2024-02-29', '2024-02-29 12:34:56.123456', '1970-01-01 09:00:01', '-00:00:01.500000', 1901,
                  'x ', 'tab\\there', 'ÿ', 0x41, 0x41, '"just a string"', 'b', 'x,y,z', b'1')
                """,
                "CREATE TABLE empty_one (id INT PRIMARY KEY)");

        // when it is dumped in format parquet
        List<TableResult> reported = new CopyOnWriteArrayList<>();
        DumpResult result = dump(db + ".*", dir.toString(), 1 << 30, ParquetSettings.defaults(), reported);

        // then the data is laid out as an Aurora export, the schema files and metadata beside it as in an SQL dump
        TableRef allTypes = TableRef.of(db, "all_types");
        TableRef empty = TableRef.of(db, "empty_one");
        ExportLayout layout = new ExportLayout(EXPORT);
        String folder = EXPORT + "/" + db + "/" + db + ".all_types";
        assertThat(layout.tableFolder(allTypes)).isEqualTo(folder);
        TableResult types = result.results().getFirst();
        assertThat(types.table()).isEqualTo(allTypes);
        assertThat(types.rows()).isEqualTo(4);
        // the zero DATETIME of row 2 began a second file, whose footer says its DATETIMEs are text
        assertThat(types.files()).hasSize(2).allMatch(f -> f.matches(
                folder + "/1/part-0000[01]-[0-9a-f-]{36}-c000\\.gz\\.parquet"));
        assertThat(exportFiles(dir)).containsExactlyInAnyOrder(types.files().get(0), types.files().get(1),
                folder + "/_SUCCESS", layout.successFile(empty), layout.exportInfoFile(), layout.tablesInfoFile(2));
        assertThat(result.results().get(1).files()).isEmpty();
        assertThat(dir.resolve(DumpLayout.schemaCreateFile(db))).exists();
        assertThat(dir.resolve(DumpLayout.tableSchemaFile(allTypes))).exists();
        assertThat(dir.resolve(DumpLayout.METADATA)).exists();
        assertThat(reported).extracting(TableResult::table).containsExactlyInAnyOrder(allTypes, empty);

        // and the first file has AWS's types: unsigned widened, DECIMAL by precision, TIMESTAMP(MICROS) for DATETIME
        ParquetParts first = ParquetParts.read(dir.resolve(types.files().get(0)));
        assertThat(first.schema().getName()).isEqualTo("spark_schema");
        assertThat(first.schema().getFields()).extracting(t -> t.getName()).doesNotContain("gen");
        assertThat(List.of("tiu", "siu", "iu", "biu", "dec1", "dec2", "dec3", "f", "dt", "dtm", "ts", "tm", "yr", "c",
                "vc", "bl", "js", "b64").stream().map(first::type).toList()).containsExactly(
                "optional int32 tiu (INTEGER(16,true))", "optional int32 siu", "optional int64 iu",
                "optional fixed_len_byte_array(9) biu (DECIMAL(20,0))", "optional binary dec1 (STRING)",
                "optional int64 dec2 (DECIMAL(10,2))", "optional fixed_len_byte_array(16) dec3 (DECIMAL(38,10))",
                "optional double f", "optional binary dt (STRING)", "optional int64 dtm (TIMESTAMP(MICROS,true))",
                "optional int64 ts (TIMESTAMP(MICROS,true))", "optional binary tm (STRING)", "optional int32 yr",
                "optional binary c", "optional binary vc (STRING)", "optional binary bl", "optional binary js (STRING)",
                "optional binary b64");
        assertThat(first.footer()).doesNotContainKey(ParquetTable.TEMPORAL_TEXT);
        Group max = first.rows().getFirst();
        assertThat(ParquetParts.fixedDecimal(max, "biu", 0)).isEqualTo(new BigDecimal("18446744073709551615"));
        assertThat(ParquetParts.fixedDecimal(max, "dec3", 10))
                .isEqualTo(new BigDecimal("9999999999999999999999999999.9999999999"));
        assertThat(text(max, "dec1")).isEqualTo("99999999999999999999999999999999999.999999999999999999999999999999");
        assertThat(max.getLong("dec2", 0)).isEqualTo(9_999_999_999L);
        assertThat(max.getInteger("tiu", 0)).isEqualTo(255);
        assertThat(max.getLong("bi", 0)).isEqualTo(Long.MAX_VALUE);
        assertThat(max.getDouble("f", 0)).isEqualTo((double) Float.parseFloat("3.40282e38"));
        assertThat(max.getDouble("d", 0)).isEqualTo(Double.MAX_VALUE);
        assertThat(max.getLong("dtm", 0)).isEqualTo(micros("9999-12-31T23:59:59.999999"));
        // written at +09:00, the TIMESTAMP is its instant: 03:14:07.999999 UTC
        assertThat(max.getLong("ts", 0)).isEqualTo(micros("2038-01-19T03:14:07.999999"));
        assertThat(text(max, "tm")).isEqualTo("838:59:59.000000");
        assertThat(max.getInteger("yr", 0)).isEqualTo(2155);
        assertThat(text(max, "vc")).isEqualTo("héllo 😀🎉 世界");
        assertThat(text(max, "l1")).isEqualTo("café");
        assertThat(HexFormat.of().formatHex(bytes(max, "bl"))).isEqualTo("0027005c0d0a1aff");
        assertThat(HexFormat.of().formatHex(bytes(max, "b64"))).isEqualTo("ffffffffffffffff");
        assertThat(text(max, "js")).contains("x😀");
        assertThat(text(max, "st")).isEqualTo("x,z");

        // and the second file holds the DATETIME and TIMESTAMP columns as text, zero dates and all, from row 2 on
        ParquetParts second = ParquetParts.read(dir.resolve(types.files().get(1)));
        assertThat(second.footer()).containsEntry(ParquetTable.TEMPORAL_TEXT, "[\"dtm\",\"ts\"]");
        assertThat(second.type("dtm")).isEqualTo("optional binary dtm (STRING)");
        assertThat(second.type("dt")).isEqualTo("optional binary dt (STRING)");
        assertThat(second.rows()).hasSize(3);
        Group min = second.rows().getFirst();
        assertThat(text(min, "dtm")).isEqualTo("0000-00-00 00:00:00.000000");
        assertThat(text(min, "ts")).isEqualTo("0000-00-00 00:00:00.000000");
        assertThat(text(min, "dt")).isEqualTo("0000-00-00");
        assertThat(text(min, "tm")).isEqualTo("-838:59:59.000000");
        assertThat(min.getInteger("yr", 0)).isZero();
        assertThat(ascii(bytes(min, "bn"))).isEqualTo("\0\0\0\0");
        assertThat(second.schema().getFields()).allSatisfy(f -> assertThat(isNull(second.rows().get(1), f.getName()))
                .as(f.getName()).isEqualTo(!f.getName().equals("id")));
        assertThat(text(second.rows().get(2), "dtm")).isEqualTo("2024-02-29 12:34:56.123456");
        assertThat(text(second.rows().get(2), "ts")).isEqualTo("1970-01-01 00:00:01.000000");

        // and the export's JSON files say what AWS's say: the task complete, each table complete with its types
        JsonNode info = JSON.readTree(dir.resolve(layout.exportInfoFile()).toFile());
        assertThat(info.path("exportTaskIdentifier").asString()).isEqualTo(EXPORT);
        assertThat(info.path("status").asString()).isEqualTo("COMPLETE");
        assertThat(info.path("percentProgress").asInt()).isEqualTo(100);
        JsonNode tables = JSON.readTree(dir.resolve(layout.tablesInfoFile(2)).toFile()).path("perTableStatus");
        assertThat(tables.values()).extracting(t -> t.path("target").asString())
                .containsExactly(db + ".all_types", db + ".empty_one");
        assertThat(tables.values()).allMatch(t -> t.path("status").asString().equals("COMPLETE"));
        JsonNode biu = tables.get(0).path("schemaMetadata").path("originalTypeMappings").values().stream()
                .filter(m -> m.path("columnName").asString().equals("biu")).findFirst().orElseThrow();
        assertThat(biu.path("originalType").asString()).isEqualTo("bigint");
        assertThat(biu.path("expectedExportedType").asString()).isEqualTo("fixed_len_byte_array(9) (DECIMAL(20,0))");
        assertThat(tables.get(0).path("tidemarkTemporalTextColumns").values()).extracting(JsonNode::asString)
                .containsExactly("dtm", "ts");
    }

    @Test
    void partFilesSplitPastTheFileSizeRowGroupsStaySmallAndADumpAgainLeavesNothingOfTheFirst(@TempDir Path dir)
            throws Exception {
        // given a table of 5,000 hardly compressible rows
        String db = TestDatabases.uniqueSchema("pqrot");
        TestDatabases.execute(source,
                "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".big (id INT PRIMARY KEY, payload VARCHAR(200))",
                "INSERT INTO " + db + ".big SELECT seq, CONCAT(SHA2(seq, 256), SHA2(seq + 1, 256)) FROM " + db
                        + ".seq_1_to_5000");
        ParquetSettings settings = new ParquetSettings(ParquetCompression.SNAPPY, 64 * 1024);

        // when it is dumped twice into one place, with 100 KiB files of 64 KiB row groups, in snappy
        dump(db + ".*", dir.toString(), 100 * 1024, settings, new CopyOnWriteArrayList<>());
        TableResult r = dump(db + ".*", dir.toString(), 100 * 1024, settings, new CopyOnWriteArrayList<>())
                .results().getFirst();

        // then the rows are spread over several part files, each of several row groups no larger than asked
        assertThat(r.rows()).isEqualTo(5000);
        assertThat(r.files()).hasSizeGreaterThan(2)
                .allMatch(f -> f.matches(".*/1/part-[0-9]{5}-[0-9a-f-]{36}-c000\\.snappy\\.parquet"));
        long rows = 0;
        long bytes = 0;
        for (String f : r.files()) {
            ParquetParts part = ParquetParts.read(dir.resolve(f));
            assertThat(part.rowGroups()).hasSizeGreaterThan(1)
                    .allSatisfy(g -> assertThat(g.getCompressedSize()).isLessThanOrEqualTo(64 * 1024));
            rows += part.rowGroups().stream().mapToLong(BlockMetaData::getRowCount).sum();
            bytes += Files.size(dir.resolve(f));
        }
        assertThat(rows).isEqualTo(5000);
        assertThat(r.bytes()).isEqualTo(bytes);
        // and only the second dump's files are there: the first's part files went before it began
        assertThat(exportFiles(dir)).filteredOn(f -> f.endsWith(".parquet")).containsExactlyInAnyOrderElementsOf(
                r.files());
    }

    @Test
    void aDumpToS3HasTheSameLayoutInTheBucket() throws Exception {
        String db = TestDatabases.uniqueSchema("pqs3");
        TestDatabases.execute(source,
                "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, note VARCHAR(20), at DATETIME)",
                "INSERT INTO " + db + ".t VALUES (1, 'one', '2026-01-02 03:04:05'), (2, NULL, NULL)");
        String prefix = "dumps/" + db + "/";
        String location = "s3://" + BUCKET + "/" + prefix + "?endpoint=" + s3.endpoint()
                + "&region=us-east-1&force-path-style=true";

        TableResult r = dump(db + ".*", location, 1 << 20, ParquetSettings.defaults(), new CopyOnWriteArrayList<>())
                .results().getFirst();

        ExportLayout layout = new ExportLayout(EXPORT);
        TableRef t = TableRef.of(db, "t");
        assertThat(r.files()).singleElement().satisfies(f -> assertThat(f).startsWith(layout.tableFolder(t) + "/1/"));
        assertThat(s3.keys(BUCKET, prefix)).containsExactlyInAnyOrder(prefix + r.files().getFirst(),
                prefix + layout.successFile(t), prefix + layout.exportInfoFile(), prefix + layout.tablesInfoFile(1),
                prefix + DumpLayout.schemaCreateFile(db), prefix + DumpLayout.tableSchemaFile(t),
                prefix + DumpLayout.METADATA);
        byte[] part = s3.get(BUCKET, prefix + r.files().getFirst()).orElseThrow();
        assertThat(new String(part, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("PAR1");
        assertThat(part).hasSize((int) r.bytes());
    }

    private static DumpResult dump(String filter, String location, long fileSize, ParquetSettings settings,
                                   List<TableResult> reported) throws InterruptedException {
        Source from = TestDumps.source(source);
        SourceFacts checked = DumpPrechecks.run(from, new SourceSessions(), TableFilter.parse(filter));
        DumpOptions options = new DumpOptions(2, fileSize, 4096,
                new OutputFormat.Parquet(new ExportLayout(EXPORT), settings));
        return new Dump(from, new SourceSessions(), Storages.open(location), options)
                .run(checked, TestDumps.recording(reported, new CopyOnWriteArrayList<>()));
    }

    /** every file under the export's folder, as paths from the dump's root */
    private static List<String> exportFiles(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir.resolve(EXPORT))) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).toList();
        }
    }

    private static long micros(String isoLocal) {
        LocalDateTime t = LocalDateTime.parse(isoLocal);
        return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000 + t.getNano() / 1000;
    }
}
