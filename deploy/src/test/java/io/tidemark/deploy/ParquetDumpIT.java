package io.tidemark.deploy;

import io.tidemark.common.layout.DumpLayout;
import io.tidemark.common.table.TableRef;
import io.tidemark.snapshot.dump.CompletionMarker;
import io.tidemark.testkit.DataDiff;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.LocalS3;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A migration in mode {@code full} with {@code "format": "parquet"} through the standalone platform (all four services
 * over a real broker, real MariaDB servers, S3Mock as its own process): snapshot-service dumps the source as an Aurora
 * snapshot export into the bucket, lightning-service imports it through its Aurora export reader, and the target ends
 * equal to the source: a table holding every type family at its edges (zero dates and TIME past a day among them,
 * which Tidemark carries in its own encoding where AWS's types cannot), and a table large enough for several part
 * files.
 */
class ParquetDumpIT {
    private static final String REPL_PASSWORD = "Repl-pw-9";
    private static final String BUCKET = "tidemark-exports";
    private static final String DB = "edges";
    private static final TableRef TYPES = TableRef.of(DB, "types");
    private static final TableRef BULK = TableRef.of(DB, "bulk");

    private static Stack stack;
    private static LocalMariaDb source;
    private static LocalMariaDb target;
    private static LocalS3 s3;
    private static Platform platform;
    private final MigrationApi api = new MigrationApi(() -> platform.coordinatorPort());

    @TempDir
    static Path work;

    @BeforeAll
    static void startEverything() throws Exception {
        // several part files, so several import chunks, for the bulk table
        stack = Stack.named("pqe2e").withSource().withS3(work, BUCKET).property("tidemark.coordinator.file-size", "256KB")
                .start();
        aliases();
        createSource();
    }

    /** the stack's parts under the names the tests use */
    private static void aliases() {
        source = stack.source();
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
    void aFullMigrationInFormatParquetGoesThroughAnAuroraExportEndingInADataDiff() throws Exception {
        // Given a source holding every type family at its edges, and a bucket on an S3-compatible store
        String storage = "s3://" + BUCKET + "/dumps?endpoint=" + s3.endpoint() + "&region=" + LocalS3.REGION
                + "&force-path-style=true";

        // When a migration in mode full is submitted in format parquet
        String id = api.submit("""
                {"name": "parquet edges", "mode": "full", "format": "parquet",
                 "source": {"host": "127.0.0.1", "port": %d, "user": "tidemark", "password": "%s"},
                 "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["%s.*"],
                 "storage": "%s"}
                """.formatted(source.port(), REPL_PASSWORD, target.port(), TestDatabases.PASSWORD, DB, storage),
                REPL_PASSWORD);

        // Then it is dumped, imported and complete, both tables in
        JsonNode view = api.awaitView(id, Duration.ofMinutes(4), v -> v.path("phase").asString().equals("completed"));
        assertThat(view.path("tables")).hasSize(2)
                .allSatisfy(t -> assertThat(t.path("state").asString()).as(t.toString()).isEqualTo("imported"));

        // and the target holds what the source holds, value for value
        DataDiff.assertSame(source, target, List.of(TYPES, BULK));
        try (Connection c = TestDatabases.connect(target); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT CAST(dtm AS CHAR), CAST(tm AS CHAR), biu, CAST(dt AS CHAR), vc"
                     + " FROM " + TYPES.quoted() + " WHERE id = 2")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("0000-00-00 00:00:00.000000");
            assertThat(rs.getString(2)).isEqualTo("-838:59:59.000000");
            assertThat(rs.getString(3)).isEqualTo("0");
            assertThat(rs.getString(4)).isEqualTo("0000-00-00");
        }

        // and the dump in the bucket is an Aurora export under the migration's directory, schema files and marker
        // beside it, no SQL data file
        String dump = "dumps/" + id + "/";
        List<String> keys = s3.keys(BUCKET, dump).stream().map(k -> k.substring(dump.length())).toList();
        String types = id + "/" + DB + "/" + DB + ".types/";
        String bulk = id + "/" + DB + "/" + DB + ".bulk/";
        assertThat(keys).contains(CompletionMarker.FILE, DumpLayout.METADATA, DumpLayout.schemaCreateFile(DB),
                DumpLayout.tableSchemaFile(TYPES), DumpLayout.tableSchemaFile(BULK), types + "_SUCCESS",
                bulk + "_SUCCESS", id + "/export_info_" + id + ".json",
                id + "/export_tables_info_" + id + "_from_1_to_2.json");
        assertThat(keys).filteredOn(k -> k.startsWith(types + "1/part-")).isNotEmpty()
                .allMatch(k -> k.endsWith("-c000.gz.parquet"));
        assertThat(keys).filteredOn(k -> k.startsWith(bulk + "1/part-")).hasSizeGreaterThan(2);
        assertThat(keys).noneMatch(k -> DumpLayout.parseDataFile(k).isPresent());
    }

    private static void createSource() throws Exception {
        TestDatabases.execute(source,
                "CREATE USER IF NOT EXISTS 'tidemark'@'%' IDENTIFIED BY '" + REPL_PASSWORD + "'",
                "GRANT SELECT, RELOAD, LOCK TABLES, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'tidemark'@'%'",
                "SET SESSION sql_mode = ''",
                "SET SESSION time_zone = '+09:00'",
                "CREATE DATABASE " + DB + " CHARACTER SET utf8mb4",
                "USE " + DB,
                """
                CREATE TABLE types (
                  id INT PRIMARY KEY, ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED,
                  mi MEDIUMINT, miu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED,
                  dec65 DECIMAL(65,30), dec9 DECIMAL(9,2), dec18 DECIMAL(18,6), dec38 DECIMAL(38,10), f FLOAT,
                  d DOUBLE, dt DATE, dtm DATETIME(6), dt0 DATETIME, ts TIMESTAMP(6) NULL DEFAULT NULL, tm TIME(6),
                  yr YEAR, c CHAR(10), vc VARCHAR(255), l1 VARCHAR(20) CHARACTER SET latin1, tx TEXT,
                  bn BINARY(4), vb VARBINARY(64), bl BLOB, js JSON, en ENUM('a','b','c d'), st SET('x','y','z'),
                  b1 BIT(1), b64 BIT(64)
                )
                """,
                """
                INSERT INTO types VALUES
                (1, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807,
                  18446744073709551615, 99999999999999999999999999999999999.999999999999999999999999999999,
                  9999999.99, 999999999999.999999, 9999999999999999999999999999.9999999999, 3.40282e38,
                  1.7976931348623157e308, '9999-12-31', '9999-12-31 23:59:59.999999', '1000-01-01 00:00:00',
                  '2038-01-19 12:14:07.999999', '838:59:59.000000', 2155, 'abc', 'héllo 😀🎉 世界', 'café',
                  'a''b"c\\\\d\\ne\\rf\\0g\\Zh', 0x00ff0001, 0x0027005c0d0a1aff, 0x00, '{"a": [1, 2.5, "x😀"]}',
                  'c d', 'x,z', b'1', b'1111111111111111111111111111111111111111111111111111111111111111'),
                (2, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0,
                  -99999999999999999999999999999999999.999999999999999999999999999999, -9999999.99,
                  -999999999999.999999, -9999999999999999999999999999.9999999999, -1.17549e-38,
                  -2.2250738585072014e-308, '0000-00-00', '0000-00-00 00:00:00', '2024-00-10 10:00:00',
                  '0000-00-00 00:00:00', '-838:59:59', 0, '', '', '', '', 0x00000000, '', '', '[]', 'a', '',
                  b'0', b'0'),
                (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                  NULL, NULL),
                (4, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0.000000000000000000000000000001, 0.01, 0.000001,
                  0.0000000001, 0.1, 0.1, '1582-10-04', '1582-10-04 23:59:59.000001', '1969-12-31 23:59:59',
                  '1970-01-01 09:00:01.5', '-00:00:01.500000', 1901, 'x ', 'tab\\there', 'ÿ', REPEAT('long😀', 3000),
                  0x41, 0x41, 0x41, '"just a string"', 'b', 'x,y,z', b'1',
                  b'1000000000000000000000000000000000000000000000000000000000000001')
                """,
                "CREATE TABLE bulk (id INT PRIMARY KEY, payload VARCHAR(200), at DATETIME(3))",
                "INSERT INTO bulk SELECT seq, CONCAT(SHA2(seq, 256), SHA2(seq + 1, 256)),"
                        + " TIMESTAMP('2024-01-01') + INTERVAL seq SECOND FROM seq_1_to_20000");
    }
}
