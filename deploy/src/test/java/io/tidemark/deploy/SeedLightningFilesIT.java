package io.tidemark.deploy;

import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.LocalS3;
import io.tidemark.testkit.TestDatabases;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's Aurora migration (migrate-aurora-to-tidb, steps 1.2–2.3) as its user runs it with Tidemark: the seed's two
 * TiDB Lightning files, values filled in and its missing quote fixed, given to the {@code tidemark} client — a process
 * of its own — against the standalone platform (all four services, real Kafka), a MariaDB target and a bucket on a
 * local S3-compatible server holding what Dumpling and an Aurora snapshot export leave there: the schema dump
 * ({@code <db>-schema-create.sql}, {@code <db>.<table>-schema.sql}) and the export's Parquet files as AWS's Spark
 * writes them. Each import ends like tidb-lightning's log, and the target ends holding the export's rows. The storage
 * locations carry no keys: the platform signs with its own default credentials chain (the {@code aws.accessKeyId} /
 * {@code aws.secretAccessKey} system properties the build sets, as {@code AWS_ACCESS_KEY_ID} /
 * {@code AWS_SECRET_ACCESS_KEY} would on a real host); the client holds none.
 */
class SeedLightningFilesIT {
    /** query-status's BYTES column of a table whose chunks are all in, e.g. {@code 120 B/120 B [##########] 100%} */
    private static final String ALL_BYTES = "\\S+ \\S+/\\S+ \\S+ \\[##########\\] 100%";
    private static final String BUCKET = "my-bucket";
    /** the seed's step 1.2 file, verbatim: its {@code user = "${user_name}} lacks the closing quote */
    private static final String SEED_SCHEMA_FILE = """
            [tidb]

            # The target TiDB cluster information.
            host = ${host}
            port = ${port}
            user = "${user_name}
            password = "${password}"
            status-port = ${status-port}  # The TiDB status port. Usually the port is 10080.
            pd-addr = "${ip}:${port}"     # The cluster PD address. Usually the port is 2379.

            [tikv-importer]
            # "local": Use the default Physical Import Mode (the "local" backend).
            # During the import, the target TiDB cluster cannot provide any service.
            # For more information about import modes, see https://docs.pingcap.com/tidb/stable/tidb-lightning-overview
            backend = "local"

            # Set the temporary storage directory for the sorted Key-Value files.
            # The directory must be empty, and the storage space must be greater than the size of the dataset to be imported.
            # For better import performance, it is recommended to use a directory different from `data-source-dir` and use flash storage,
            # which can use I/O exclusively.
            sorted-kv-dir = "${path}"

            [mydumper]
            # Set the directory of the schema file exported from Amazon Aurora
            data-source-dir = "s3://my-bucket/schema-backup"
            """;
    /** the seed's step 2.2 file, verbatim but for the placeholders' lines the schema file shares */
    private static final String SEED_DATA_MYDUMPER = """
            [mydumper]
            # Set the directory of the snapshot file exported from Amazon Aurora
            data-source-dir = "${s3_path}"  # eg: s3://my-bucket/sql-backup

            [[mydumper.files]]
            # The expression that parses the parquet file.
            pattern = '(?i)^(?:[^/]*/)*([a-z0-9_]+)\\.([a-z0-9_]+)/(?:[^/]*/)*(?:[a-z0-9\\-_.]+\\.(parquet))$'
            schema = '$1'
            table = '$2'
            type = '$3'
            """;
    private static final String ORDERS_PARQUET = """
            message spark_schema {
              optional int64 id;
              optional binary customer (STRING);
              optional int64 amount (DECIMAL(10,2));
              optional int64 placed_at (TIMESTAMP(MICROS,true));
            }
            """;
    private static final String CUSTOMERS_PARQUET = """
            message spark_schema {
              optional int32 id;
              optional binary name (STRING);
            }
            """;

    private static Stack stack;
    private static LocalMariaDb target;
    private static LocalS3 s3;
    private static Platform platform;

    @TempDir
    static Path work;

    @BeforeAll
    static void startEverything() {
        stack = Stack.named("seedcli").withS3(work, BUCKET).start();
        aliases();
    }

    /** the stack's parts under the names the tests use */
    private static void aliases() {
        target = stack.target();
        s3 = stack.s3();
        platform = stack.platform();
    }

    @AfterAll
    static void stopEverything() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theSeedsSchemaFileThenItsDataFileImportTheDumpAndTheAuroraExportEndingInTheExportsRows() throws Exception {
        // Given Dumpling's schema dump and an Aurora snapshot export of one database in the bucket
        String db = TestDatabases.uniqueSchema("aurora");
        String exportId = "export-" + db.replace('_', '-');
        putSchemaDump(db);
        putAuroraExport(db, exportId);
        // and the seed's two files with the values filled in
        Path schemaFile = Files.writeString(work.resolve("tidb-lightning-schema.toml"),
                filled(SEED_SCHEMA_FILE, location("schema-backup")));
        Path dataFile = Files.writeString(work.resolve("tidb-lightning-data.toml"),
                filled(SEED_SCHEMA_FILE.substring(0, SEED_SCHEMA_FILE.indexOf("[mydumper]")) + SEED_DATA_MYDUMPER,
                        location("export")));

        // When the schema file is imported with the client
        CliRun schema = tidemark("import", "--config", schemaFile.toString());

        // Then it ends as tidb-lightning's log does, having noted what Tidemark does instead of the physical import
        assertThat(schema.exit()).as(schema.output()).isZero();
        assertThat(schema.output()).contains("note: " + schemaFile + ":" + lineOf(SEED_SCHEMA_FILE, "backend = ")
                + " tikv-importer.backend: ");
        assertThat(schema.lastLine()).isEqualTo("the whole procedure completed");
        // and the tables stand on the target, empty
        assertThat(rows("SELECT (SELECT COUNT(*) FROM `" + db + "`.customers), (SELECT COUNT(*) FROM `" + db
                + "`.orders)")).containsExactly("0|0");

        // When the data file is imported
        CliRun data = tidemark("import", "--config", dataFile.toString());

        // Then it reports progress and each table, and ends the same way
        assertThat(data.exit()).as(data.output()).isZero();
        assertThat(data.output()).contains("note: " + dataFile + ":" + lineOf(SEED_SCHEMA_FILE, "backend = ")
                        + " tikv-importer.backend: ", "progress: ")
                .containsPattern(Pattern.quote(db + ".orders") + " +imported +2/2 +5 +" + ALL_BYTES + " +5 +5 +ok")
                .containsPattern(Pattern.quote(db + ".customers") + " +imported +1/1 +2 +" + ALL_BYTES + " +2 +2 +ok")
                .doesNotContain(TestDatabases.PASSWORD);
        assertThat(data.lastLine()).isEqualTo("the whole procedure completed");
        // and the target holds the export's rows, value for value
        assertThat(rows("SELECT id, customer, amount, CAST(placed_at AS CHAR) FROM `" + db + "`.orders ORDER BY id"))
                .containsExactly(
                        "1|Ada|19.99|2026-11-02 09:14:08",
                        "2|Zoë|0.01|2026-11-02 09:15:00",
                        "3|中文|null|null",
                        "4|null|99999999.99|1999-12-31 23:59:59",
                        "5|Bob|-5.50|2026-11-02 10:00:00");
        assertThat(rows("SELECT id, name FROM `" + db + "`.customers ORDER BY id")).containsExactly("1|Ada", "2|Zoë");

        // and query-status shows the import completed
        Matcher accepted = Pattern.compile("import (\\S+) accepted").matcher(data.output());
        assertThat(accepted.find()).as(data.output()).isTrue();
        CliRun status = tidemark("query-status", accepted.group(1));
        assertThat(status.exit()).isZero();
        assertThat(status.output()).containsPattern("phase +completed").containsPattern("mode +import");
    }

    @Test
    void aValueTheTargetChangesOnTheWayInFailsTheImportNamingTheTableAndItsChunks() throws Exception {
        // Given the seed's export, its schema imported, and a target trigger that rewrites one customer's name
        String db = TestDatabases.uniqueSchema("altered");
        String exportId = "export-" + db.replace('_', '-');
        putSchemaDump("altered-schema", db);
        putAuroraExport("altered-export", db, exportId);
        Path dir = Files.createDirectories(work.resolve("altered"));
        Path schemaFile = Files.writeString(dir.resolve("tidb-lightning-schema.toml"),
                filled(SEED_SCHEMA_FILE, location("altered-schema")));
        Path dataFile = Files.writeString(dir.resolve("tidb-lightning-data.toml"),
                filled(SEED_SCHEMA_FILE.substring(0, SEED_SCHEMA_FILE.indexOf("[mydumper]")) + SEED_DATA_MYDUMPER,
                        location("altered-export")));
        CliRun schema = tidemark("import", "--config", schemaFile.toString());
        assertThat(schema.exit()).as(schema.output()).isZero();
        TestDatabases.execute(target, "CREATE TRIGGER `" + db + "`.rename_bob BEFORE INSERT ON `" + db
                + "`.orders FOR EACH ROW SET NEW.customer = IF(NEW.customer = 'Bob', 'Rob', NEW.customer)");

        // When the data file is imported: as many rows arrive as the files hold, one with another value
        CliRun data = tidemark("import", "--config", dataFile.toString());

        // Then the import fails on its values, naming the table, both checksums and the table's chunks
        assertThat(rows("SELECT customer FROM `" + db + "`.orders WHERE id = 5")).containsExactly("Rob");
        assertThat(data.exit()).as(data.output()).isEqualTo(1);
        assertThat(data.output()).contains("TM-30015", db + ".orders: 5 rows in the files and in the target, but"
                + " their values differ").containsPattern("chunks [^)]*" + Pattern.quote(db + ".orders"))
                .doesNotContain(db + ".customers: ");
    }

    @Test
    void aValueTheTargetChangesOnTheWayInFromADumplingSqlFileFailsTheImportNamingTheTable() throws Exception {
        // Given a Dumpling SQL dump (schema imported first) and a target trigger that rewrites one customer's name
        String db = TestDatabases.uniqueSchema("sqlaltered");
        putSchemaDump("sqlaltered-schema", db);
        put("sqlaltered-data/" + db + ".orders.000000000.sql", """
                /*!40101 SET NAMES binary*/;
                INSERT INTO `orders` VALUES (1,'Ada',19.99,'2026-11-02 09:14:08'),(2,'Zoë',0.01,'2026-11-02 09:15:00'),
                (3,'中文',NULL,NULL),(4,NULL,99999999.99,'1999-12-31 23:59:59');
                INSERT INTO `orders` VALUES (5,'Bob',-5.50,'2026-11-02 10:00:00');
                """);
        put("sqlaltered-data/" + db + ".customers.000000000.sql", """
                /*!40101 SET NAMES binary*/;
                INSERT INTO `customers` VALUES (1,'Ada'),(2,'Zoë');
                """);
        Path dir = Files.createDirectories(work.resolve("sqlaltered"));
        Path schemaFile = Files.writeString(dir.resolve("tidb-lightning-schema.toml"),
                filled(SEED_SCHEMA_FILE, location("sqlaltered-schema")));
        Path dataFile = Files.writeString(dir.resolve("tidb-lightning-data.toml"),
                filled(SEED_SCHEMA_FILE, location("sqlaltered-data")));
        CliRun schema = tidemark("import", "--config", schemaFile.toString());
        assertThat(schema.exit()).as(schema.output()).isZero();
        TestDatabases.execute(target, "CREATE TRIGGER `" + db + "`.rename_bob BEFORE INSERT ON `" + db
                + "`.orders FOR EACH ROW SET NEW.customer = IF(NEW.customer = 'Bob', 'Rob', NEW.customer)");

        // When the SQL files are imported: as many rows arrive as they hold, one with another value
        CliRun data = tidemark("import", "--config", dataFile.toString());

        // Then the value sums read from the INSERTs' literals catch it: the import fails naming the table alone
        assertThat(rows("SELECT customer FROM `" + db + "`.orders WHERE id = 5")).containsExactly("Rob");
        assertThat(data.exit()).as(data.output()).isEqualTo(1);
        assertThat(data.output()).contains("TM-30015", db + ".orders: 5 rows in the files and in the target, but"
                + " their values differ").containsPattern("chunks [^)]*" + Pattern.quote(db + ".orders"))
                .doesNotContain(db + ".customers: ");
    }

    @Test
    void theSeedsFileAsItIsIsRefusedNamingTheLineOfItsMissingQuote() throws Exception {
        Path asIs = Files.writeString(Files.createDirectories(work.resolve("as-is")).resolve(
                "tidb-lightning-schema.toml"), SEED_SCHEMA_FILE);

        CliRun run = tidemark("import", "--config", asIs.toString());

        assertThat(run.exit()).as(run.output()).isEqualTo(2);
        assertThat(run.output()).contains("error: " + asIs + ":6 tidb.user: ").contains("; fix: ");
        assertThat(run.lastLine()).startsWith("refused (TM-");
    }

    // --- the files a user has -------------------------------------------------------------------------------------

    /** the seed's file with this test's values: target, password, placeholders, the closing quote, the location */
    private static String filled(String seed, String dataSourceDir) {
        return seed.replace("host = ${host}", "host = \"" + target.host() + "\"")
                .replace("pd-addr = \"${ip}:${port}\"", "pd-addr = \"127.0.0.1:2379\"")
                .replace("port = ${port}", "port = " + target.port())
                .replace("user = \"${user_name}\n", "user = \"" + target.user() + "\"\n")
                .replace("password = \"${password}\"", "password = \"" + TestDatabases.PASSWORD + "\"")
                .replace("status-port = ${status-port}", "status-port = 10080")
                .replace("sorted-kv-dir = \"${path}\"", "sorted-kv-dir = \"/mnt/nvme/sorted-kv\"")
                .replace("\"s3://my-bucket/schema-backup\"", "\"" + dataSourceDir + "\"")
                .replace("\"${s3_path}\"", "\"" + dataSourceDir + "\"");
    }

    /** an S3 prefix of the bucket as the seed writes it, plus the local server's endpoint; no keys */
    private static String location(String prefix) {
        return "s3://" + BUCKET + "/" + prefix + "?endpoint=" + s3.endpoint() + "&force-path-style=true&region="
                + LocalS3.REGION;
    }

    /** what {@code dumpling --no-data --output s3://my-bucket/schema-backup} leaves there */
    private static void putSchemaDump(String db) {
        putSchemaDump("schema-backup", db);
    }

    private static void putSchemaDump(String prefix, String db) {
        put(prefix + "/metadata", """
                Started dump at: 2026-11-02 09:13:02
                SHOW MASTER STATUS:
                \tLog: mysql-bin-changelog.018128
                \tPos: 52806
                \tGTID:

                Finished dump at: 2026-11-02 09:13:03
                """);
        put(prefix + "/" + db + "-schema-create.sql",
                "/*!40101 SET NAMES binary*/;\nCREATE DATABASE `" + db + "` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;\n");
        put(prefix + "/" + db + ".orders-schema.sql", """
                /*!40101 SET NAMES binary*/;
                CREATE TABLE `orders` (
                  `id` bigint NOT NULL,
                  `customer` varchar(40) DEFAULT NULL,
                  `amount` decimal(10,2) DEFAULT NULL,
                  `placed_at` datetime DEFAULT NULL,
                  PRIMARY KEY (`id`)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
                """);
        put(prefix + "/" + db + ".customers-schema.sql", """
                /*!40101 SET NAMES binary*/;
                CREATE TABLE `customers` (
                  `id` int NOT NULL,
                  `name` varchar(40) DEFAULT NULL,
                  PRIMARY KEY (`id`)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
                """);
    }

    /**
     * An export as AWS lays it out: {@code export/<export-id>/<db>/<db>.<table>/1/part-NNNNN-<uuid>-c000.gz.parquet},
     * numbered with a gap, an empty {@code _SUCCESS} beside the parts, and {@code export_info_<export-id>.json}.
     */
    private static void putAuroraExport(String db, String exportId) throws IOException {
        putAuroraExport("export", db, exportId);
    }

    private static void putAuroraExport(String prefix, String db, String exportId) throws IOException {
        String tables = prefix + "/" + exportId + "/" + db + "/" + db + ".";
        MessageType orders = MessageTypeParser.parseMessageType(ORDERS_PARQUET);
        put(tables + "orders/1/" + part(0), parquet(orders, List.of(
                order(orders, 1L, "Ada", 1999L, "2026-11-02T09:14:08"),
                order(orders, 2L, "Zoë", 1L, "2026-11-02T09:15:00"),
                order(orders, 3L, "中文", null, null))));
        put(tables + "orders/1/" + part(2), parquet(orders, List.of(
                order(orders, 4L, null, 9_999_999_999L, "1999-12-31T23:59:59"),
                order(orders, 5L, "Bob", -550L, "2026-11-02T10:00:00"))));
        put(tables + "orders/1/_SUCCESS", "");
        MessageType customers = MessageTypeParser.parseMessageType(CUSTOMERS_PARQUET);
        SimpleGroupFactory c = new SimpleGroupFactory(customers);
        put(tables + "customers/1/" + part(0), parquet(customers, List.of(
                c.newGroup().append("id", 1).append("name", "Ada"),
                c.newGroup().append("id", 2).append("name", "Zoë"))));
        put(tables + "customers/1/_SUCCESS", "");
        put(prefix + "/" + exportId + "/export_info_" + exportId + ".json", """
                {"exportTaskIdentifier":"%s","sourceArn":"arn:aws:rds:us-east-1:123456789012:cluster-snapshot:snap1",
                 "exportOnly":[],"snapshotTime":"Nov 2, 2026 9:14:08 AM","taskStartTime":"Nov 2, 2026 9:20:00 AM",
                 "taskEndTime":"Nov 2, 2026 9:41:12 AM","s3Bucket":"my-bucket","s3Prefix":"export",
                 "exportedFilesPath":"export/%s","iamRoleArn":"arn:aws:iam::123456789012:role/export",
                 "kmsKeyId":"arn:aws:kms:us-east-1:123456789012:key/abc","status":"COMPLETE","percentProgress":100,
                 "totalExtractedDataInGB":0}""".formatted(exportId, exportId));
    }

    private static Group order(MessageType schema, Long id, String customer, Long amountCents, String placedAt) {
        Group g = new SimpleGroupFactory(schema).newGroup().append("id", id);
        if (customer != null) {
            g.append("customer", customer);
        }
        if (amountCents != null) {
            g.append("amount", amountCents);
        }
        if (placedAt != null) {
            // a UTC wall clock, in microseconds, as AWS exports DATETIME
            LocalDateTime t = LocalDateTime.parse(placedAt);
            g.append("placed_at", t.toEpochSecond(ZoneOffset.UTC) * 1_000_000 + t.getNano() / 1000);
        }
        return g;
    }

    private static String part(int partition) {
        return String.format("part-%05d-%s-c000.gz.parquet", partition, UUID.randomUUID());
    }

    /** a Parquet file as Spark 3 writes it for AWS: format v1, gzip, message spark_schema, Spark's footer entries */
    private static byte[] parquet(MessageType schema, List<Group> rows) throws IOException {
        Path file = Files.createTempFile(work, "part-", ".parquet");
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration())
                .withType(schema)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(CompressionCodecName.GZIP)
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
                .withExtraMetaData(Map.of("org.apache.spark.version", "3.4.1",
                        "org.apache.spark.sql.parquet.row.metadata", "{\"type\":\"struct\",\"fields\":[]}"))
                .build()) {
            for (Group row : rows) {
                writer.write(row);
            }
        }
        return Files.readAllBytes(file);
    }

    private static void put(String key, String content) {
        put(key, content.getBytes(StandardCharsets.UTF_8));
    }

    private static void put(String key, byte[] content) {
        s3.put(BUCKET, key, content);
    }

    // --- the client and the target ----------------------------------------------------------------------------------

    private static CliRun tidemark(String... args) throws Exception {
        return CliRun.of(platform.coordinatorPort(), work, Duration.ofMinutes(4), args);
    }

    private static List<String> rows(String sql) throws Exception {
        return CliRun.rows(target, sql);
    }

    private static int lineOf(String text, String start) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(start)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException(start);
    }
}
