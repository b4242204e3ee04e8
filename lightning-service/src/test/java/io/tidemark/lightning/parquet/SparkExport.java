package io.tidemark.lightning.parquet;

import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Writes an Amazon RDS / Aurora snapshot export as AWS does, for tests: Spark's parquet-mr writer (format v1, gzip,
 * message {@code spark_schema}, every column optional, Spark's footer metadata), part files named
 * {@code part-<partition>-<uuid>-c000.gz.parquet} under {@code <export>/<db>/<db>.<table>/<batch>/}, an empty
 * {@code _SUCCESS}, and the export's two JSON files.
 */
public final class SparkExport {
    private final Path root;
    private final String exportId;

    public SparkExport(Path storageRoot, String exportId) {
        this.root = storageRoot;
        this.exportId = exportId;
    }

    public Path exportDir() {
        return root.resolve(exportId);
    }

    public Path tableFolder(String db, String table) {
        return exportDir().resolve(db).resolve(db + "." + table);
    }

    /** {@code <table folder>/<batch>/part-<partition>-<uuid>-c000.gz.parquet}, AWS's current naming */
    public Path partFile(String db, String table, int batch, int partition) {
        return tableFolder(db, table).resolve(Integer.toString(batch))
                .resolve(String.format("part-%05d-%s-c000.gz.parquet", partition, UUID.randomUUID()));
    }

    /** {@code <table folder>/part-<partition>-<uuid>-c000.gz.parquet}, AWS's earlier naming */
    public Path oldPartFile(String db, String table, int partition) {
        return tableFolder(db, table).resolve(String.format("part-%05d-%s-c000.gz.parquet", partition,
                UUID.randomUUID()));
    }

    public static void success(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.write(folder.resolve(AuroraExport.SUCCESS), new byte[0]);
    }

    public void exportInfo(String status) throws IOException {
        Files.createDirectories(exportDir());
        Files.writeString(exportDir().resolve("export_info_" + exportId + ".json"), """
                {"exportTaskIdentifier":"%s","sourceArn":"arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:snap1",
                 "exportOnly":[],"snapshotTime":"Nov 2, 2026 9:14:08 AM","taskStartTime":"Nov 2, 2026 9:20:00 AM",
                 "taskEndTime":"Nov 2, 2026 9:41:12 AM","s3Bucket":"my-bucket","s3Prefix":"",
                 "exportedFilesPath":"%s","iamRoleArn":"arn:aws:iam::123456789012:role/export",
                 "kmsKeyId":"arn:aws:kms:eu-west-1:123456789012:key/abc","status":"%s","percentProgress":%d,
                 "totalExtractedDataInGB":0}
                """.formatted(exportId, exportId, status, "COMPLETE".equals(status) ? 100 : 40),
                StandardCharsets.UTF_8);
    }

    /** {@code export_tables_info_<id>_from_1_to_N.json}: each entry {target, status} */
    public void tablesInfo(List<Map.Entry<String, String>> statuses) throws IOException {
        StringBuilder entries = new StringBuilder();
        for (Map.Entry<String, String> s : statuses) {
            entries.append(entries.isEmpty() ? "" : ",").append("""
                    {"tableStatistics":{"extractionStartTime":"Nov 2, 2026 9:25:00 AM","partitioningInfo":\
                    {"numberOfPartitions":1,"numberOfCompletedPartitions":1}},"schemaMetadata":\
                    {"originalTypeMappings":[{"columnName":"id","originalType":"bigint",\
                    "expectedExportedType":"int64","originalCharMaxLength":0,"originalNumPrecision":19,\
                    "originalDateTimePrecision":0}]},"status":"%s","sizeGB":1.0E-6,"target":"%s"}"""
                    .formatted(s.getValue(), s.getKey()));
        }
        Files.createDirectories(exportDir());
        Files.writeString(exportDir().resolve("export_tables_info_" + exportId + "_from_1_to_" + statuses.size()
                + ".json"), "{\"perTableStatus\":[" + entries + "]}", StandardCharsets.UTF_8);
    }

    public static MessageType schema(String sparkSchema) {
        return MessageTypeParser.parseMessageType(sparkSchema);
    }

    /** one Parquet file as Spark 3 writes it; {@code rows} receives a factory and adds groups to the writer */
    public static void write(Path file, MessageType schema, long rowGroupBytes, Rows rows) throws IOException {
        write(file, schema, rowGroupBytes, Map.of("org.apache.spark.version", "3.4.1"), rows);
    }

    /** @param sparkMeta Spark's footer entries, e.g. its version, or org.apache.spark.legacyDateTime */
    public static void write(Path file, MessageType schema, long rowGroupBytes, Map<String, String> sparkMeta,
                             Rows rows) throws IOException {
        write(file, schema, rowGroupBytes, sparkMeta, CompressionCodecName.GZIP, rows);
    }

    /** @param codec AWS writes gzip; Spark's own default is snappy, and zstd is common elsewhere */
    public static void write(Path file, MessageType schema, long rowGroupBytes, Map<String, String> sparkMeta,
                             CompressionCodecName codec, Rows rows) throws IOException {
        Files.createDirectories(file.getParent());
        Map<String, String> meta = new HashMap<>(sparkMeta);
        meta.put("org.apache.spark.sql.parquet.row.metadata", "{\"type\":\"struct\",\"fields\":[]}");
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration())
                .withType(schema)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(codec)
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
                .withRowGroupSize(rowGroupBytes)
                .withPageSize((int) Math.min(1024 * 1024, Math.max(4096, rowGroupBytes / 8)))
                .withExtraMetaData(meta)
                .build()) {
            SimpleGroupFactory groups = new SimpleGroupFactory(schema);
            rows.write(groups, g -> {
                try {
                    writer.write(g);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @FunctionalInterface
    public interface Rows {
        void write(SimpleGroupFactory groups, Consumer<Group> out) throws IOException;
    }

    /** a DECIMAL on FIXED_LEN_BYTE_ARRAY(width): the unscaled value, big-endian two's complement, sign-extended */
    public static Binary fixedDecimal(BigDecimal value, int scale, int width) {
        byte[] unscaled = value.setScale(scale).unscaledValue().toByteArray();
        byte[] out = new byte[width];
        Arrays.fill(out, value.signum() < 0 ? (byte) 0xff : 0);
        System.arraycopy(unscaled, 0, out, width - unscaled.length, unscaled.length);
        return Binary.fromConstantByteArray(out);
    }

    /** BIGINT UNSIGNED as AWS exports it: FIXED_LEN_BYTE_ARRAY(9) DECIMAL(20,0) */
    public static Binary unsignedBigint(String value) {
        return fixedDecimal(new BigDecimal(new BigInteger(value)), 0, 9);
    }

    /** a UTC wall clock as INT64 TIMESTAMP(MICROS,true) counts it */
    public static long micros(String isoLocal) {
        LocalDateTime t = LocalDateTime.parse(isoLocal);
        return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000 + t.getNano() / 1000;
    }
}
