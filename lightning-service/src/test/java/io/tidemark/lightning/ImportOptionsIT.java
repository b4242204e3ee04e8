package io.tidemark.lightning;

import io.tidemark.common.command.ImportOptions;
import io.tidemark.common.command.ImportOptions.OnDuplicate;
import io.tidemark.common.command.ImportOptions.TableRoute;
import io.tidemark.common.command.ImportRequest;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.status.ChunkImported;
import io.tidemark.common.status.ImportPlanned;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.lightning.parquet.SparkExport;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.LocalS3;
import io.tidemark.testkit.TestDatabases;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

/**
 * What a TiDB Lightning file asks of an import, end to end through the planner and the workers on a real broker, a
 * real MariaDB target and a real S3-compatible server: an Aurora snapshot export read with schema files from a
 * location of their own, routes, no-schema, and on-duplicate replace / ignore / error on SQL, CSV and Parquet files.
 */
class ImportOptionsIT {
    private static final TopicCatalog TOPICS = TopicCatalog.DEFAULT;
    private static final String BUCKET = "imports";
    private static final MessageType ROWS = SparkExport.schema(
            "message spark_schema { optional int64 id; optional binary label (STRING); }");

    private static ServiceRig rig;
    private static LocalMariaDb target;
    private static StatusRecorder status;
    private static LocalS3 s3;

    @TempDir
    static Path files;
    @TempDir
    static Path s3Dir;

    @BeforeAll
    static void start() {
        rig = ServiceRig.start("lightning-options", "--tidemark.lightning.workers=2",
                "--tidemark.lightning.batch-statements=2");
        target = rig.target();
        status = rig.status();
        s3 = LocalS3.start(s3Dir, BUCKET);
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) {
            s3.stop();
        }
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void anAuroraExportInS3IsCreatedFromItsOwnSchemaLocationAndImportedIntoRoutedTables() throws Exception {
        // given an export in a bucket: orders in three part files with gaps in batch and part numbers, visits in one
        String db = TestDatabases.uniqueSchema("aurora");
        String archive = db + "_archive";
        SparkExport export = new SparkExport(files.resolve(db), "export-" + db.replace('_', '-'));
        writeRows(export.partFile(db, "orders", 1, 0), 0, 100);
        writeRows(export.partFile(db, "orders", 1, 3), 100, 50);
        writeRows(export.partFile(db, "orders", 4, 7), 150, 25);
        SparkExport.success(export.tableFolder(db, "orders").resolve("1"));
        SparkExport.success(export.tableFolder(db, "orders").resolve("4"));
        writeRows(export.partFile(db, "visits", 1, 0), 0, 10);
        SparkExport.success(export.tableFolder(db, "visits").resolve("1"));
        export.exportInfo("COMPLETE");
        TestService.upload(s3, BUCKET, "exports/" + db, files.resolve(db));
        // and the schema dump (Dumpling --no-data) under a prefix of its own
        Path schemaDir = files.resolve(db + "-schema");
        TestService.write(schemaDir, db + "-schema-create.sql",
                "CREATE DATABASE `" + db + "` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;\n");
        TestService.write(schemaDir, db + ".orders-schema.sql",
                "CREATE TABLE `orders` (`id` bigint NOT NULL, `label` varchar(40), PRIMARY KEY (`id`));\n");
        TestService.write(schemaDir, db + ".visits-schema.sql",
                "CREATE TABLE `visits` (`label` varchar(40), `id` bigint) DEFAULT CHARSET=latin1;\n");
        TestService.upload(s3, BUCKET, "schemas/" + db, schemaDir);
        MigrationId m = MigrationId.of("opt-" + db.replace('_', '-'));
        TableRef routed = TableRef.of(archive, "visits_2024");
        ImportOptions options = new ImportOptions(s3.location(BUCKET, "schemas/" + db), true, OnDuplicate.REPLACE,
                List.of(new TableRoute(TableRef.of(db, "visits"), routed)));

        // when all of it is imported
        send(m, s3.location(BUCKET, "exports/" + db), List.of(), options);

        // then each part file is a chunk, into its routed table, and each reports the rows it holds
        await().atMost(Duration.ofSeconds(90)).until(() -> status.of(ChunkImported.class, m).stream()
                .map(ChunkImported::chunkId).distinct().count() == 4 || !status.of(WorkFailed.class, m).isEmpty());
        assertThat(status.of(WorkFailed.class, m)).isEmpty();
        assertThat(status.of(ImportPlanned.class, m).getFirst().chunks()).extracting(ImportPlanned.PlannedChunk::table)
                .containsExactly(TableRef.of(db, "orders"), TableRef.of(db, "orders"), TableRef.of(db, "orders"),
                        routed);
        assertThat(status.of(ChunkImported.class, m).stream().collect(Collectors.groupingBy(ChunkImported::table,
                Collectors.summingLong(ChunkImported::rows))))
                .isEqualTo(Map.of(TableRef.of(db, "orders"), 175L, routed, 10L));
        // and the target holds exactly those rows, the routed table created from its file under its new name
        assertThat(rig.rows("SELECT COUNT(*), COUNT(DISTINCT id), MIN(id), MAX(id), SUM(label = CONCAT('row ', id))"
                + " FROM `" + db + "`.orders")).containsExactly("175|175|0|174|175");
        assertThat(rig.rows("SELECT id, label FROM " + routed.quoted() + " ORDER BY id LIMIT 2"))
                .containsExactly("0|row 0", "1|row 1");
        assertThat(rig.rows("SELECT COUNT(*) FROM " + routed.quoted())).containsExactly("10");
        assertThat(rig.rows("SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_COLLATION FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA IN ('" + db + "', '" + archive + "') ORDER BY 1, 2")).containsExactly(
                db + "|orders|utf8mb4_general_ci", archive + "|visits_2024|latin1_swedish_ci");
        assertThat(rig.rows("SELECT DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA"
                + " WHERE SCHEMA_NAME = '" + archive + "'")).containsExactly("utf8mb4");
    }

    @Test
    void withNoSchemaATargetTableThatIsMissingFailsThePlanNamingItBeforeAnythingIsImported() throws Exception {
        // given a Dumpling dump of two tables, of which the target has only one, and no-schema
        String db = TestDatabases.uniqueSchema("noschema");
        Path dir = files.resolve(db);
        for (String t : List.of("present", "absent")) {
            TestService.write(dir, db + "." + t + "-schema.sql", "CREATE TABLE `" + t + "` (`id` int);\n");
            TestService.write(dir, db + "." + t + ".000000000.sql", "INSERT INTO `" + t + "` VALUES (1),(2);\n");
        }
        TestDatabases.execute(target, "CREATE DATABASE `" + db + "`", "CREATE TABLE `" + db + "`.present (id int)");
        MigrationId m = MigrationId.of("opt-" + db.replace('_', '-'));

        send(m, dir.toString(), List.of(), new ImportOptions(null, false, OnDuplicate.REPLACE, List.of()));

        // then the plan fails naming the missing table and why, and queued nothing
        WorkFailed failed = awaitFailure(m);
        assertThat(failed.code()).isEqualTo("TM-30014");
        assertThat(failed.subject()).isEqualTo("plan");
        assertThat(failed.retriable()).isFalse();
        assertThat(failed.message()).contains("has no table " + db + ".absent: no-schema is set")
                .doesNotContain(db + ".present");
        assertThat(status.of(ImportPlanned.class, m)).isEmpty();
        assertThat(rig.rows("SELECT COUNT(*) FROM `" + db + "`.present")).containsExactly("0");
        assertThat(rig.rows("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + db + "'"))
                .containsExactly("1");
    }

    @Test
    void aTableWithoutCreateTableFileAtTheSchemaLocationMustExistAndEveryMissingOneIsNamed() throws Exception {
        // given an export of three tables, a schema location holding the CREATE TABLE of only one of them
        String db = TestDatabases.uniqueSchema("partial");
        SparkExport export = new SparkExport(files.resolve(db), "e1");
        for (String t : List.of("a", "b", "c")) {
            writeRows(export.partFile(db, t, 1, 0), 0, 3);
            SparkExport.success(export.tableFolder(db, t).resolve("1"));
        }
        Path schemaDir = files.resolve(db + "-schema");
        TestService.write(schemaDir, db + ".a-schema.sql", "CREATE TABLE `a` (`id` bigint, `label` text);\n");
        TestService.upload(s3, BUCKET, "schemas/" + db, schemaDir);
        MigrationId m = MigrationId.of("opt-" + db.replace('_', '-'));

        send(m, files.resolve(db).toString(), List.of(), new ImportOptions(s3.location(BUCKET, "schemas/" + db),
                true, OnDuplicate.REPLACE, List.of()));

        WorkFailed failed = awaitFailure(m);
        assertThat(failed.code()).isEqualTo("TM-30014");
        assertThat(failed.message()).contains("has no table " + db + ".b, " + db + ".c: the files hold no CREATE"
                        + " TABLE file for them (looked in s3://" + BUCKET + "/schemas/" + db)
                .doesNotContain(LocalS3.SECRET_KEY);
        assertThat(status.of(ImportPlanned.class, m)).isEmpty();
        assertThat(rig.rows("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" + db + "'"))
                .containsExactly("0");
    }

    /** each mode against a row the target already holds, on each load path: SQL, CSV (LOAD DATA) and Parquet */
    @ParameterizedTest
    @EnumSource(OnDuplicate.class)
    void onDuplicateDecidesWhatARowWhoseKeyTheTargetHoldsDoes(OnDuplicate mode) throws Exception {
        String db = TestDatabases.uniqueSchema("dup_" + mode.code());
        Path dump = files.resolve(db + "-dump");
        TestService.write(dump, db + ".s.000000000.sql", "INSERT INTO `s` VALUES (1,'new'),(2,'new');\n");
        TestService.write(dump, db + ".c.000000000.csv", "\"id\",\"label\"\n1,\"new\"\n2,\"new\"\n");
        SparkExport export = new SparkExport(files.resolve(db + "-export"), "e1");
        Path parquet = export.partFile(db, "p", 1, 0);
        SparkExport.write(parquet, ROWS, 1 << 20, (groups, out) -> {
            out.accept(groups.newGroup().append("id", 1L).append("label", "new"));
            out.accept(groups.newGroup().append("id", 2L).append("label", "new"));
        });
        SparkExport.success(parquet.getParent());
        TestDatabases.execute(target, "CREATE DATABASE `" + db + "`");
        for (String t : List.of("s", "c", "p")) {
            TestDatabases.execute(target, "CREATE TABLE `" + db + "`." + t + " (id BIGINT PRIMARY KEY, label TEXT)",
                    "INSERT INTO `" + db + "`." + t + " VALUES (1, 'old')");
        }
        MigrationId fromDump = MigrationId.of("opt-" + db.replace('_', '-') + "-dump");
        MigrationId fromExport = MigrationId.of("opt-" + db.replace('_', '-') + "-export");
        ImportOptions options = new ImportOptions(null, false, mode, List.of());

        send(fromDump, dump.toString(), List.of(), options);
        send(fromExport, export.exportDir().getParent().toString(), List.of(), options);

        await().atMost(Duration.ofSeconds(60)).until(() -> outcomes(fromDump) == 2 && outcomes(fromExport) == 1);
        List<String> expected = switch (mode) {
            case REPLACE -> List.of("1|new", "2|new");
            case IGNORE -> List.of("1|old", "2|new");
            case ERROR -> List.of("1|old");
        };
        for (String t : List.of("s", "c", "p")) {
            assertThat(rig.rows("SELECT id, label FROM `" + db + "`." + t + " ORDER BY id")).as(t)
                    .containsExactlyElementsOf(expected);
        }
        if (mode == OnDuplicate.ERROR) {
            // each chunk fails for good with the target's duplicate-key error, naming its table and file
            Map<String, String> tableOfFile = Map.of(db + ".s.000000000.sql", db + ".s", db + ".c.000000000.csv",
                    db + ".c", files.resolve(db + "-export").relativize(parquet).toString(), db + ".p");
            List<WorkFailed> failures = List.of(status.of(WorkFailed.class, fromDump), status.of(WorkFailed.class,
                    fromExport)).stream().flatMap(List::stream).toList();
            assertThat(failures).extracting(WorkFailed::subject).containsOnlyOnceElementsOf(tableOfFile.keySet());
            for (WorkFailed f : failures) {
                assertThat(f.code()).as(f.subject()).isEqualTo("TM-30003");
                assertThat(f.retriable()).isFalse();
                assertThat(f.message()).as(f.subject()).contains(tableOfFile.get(f.subject()) + " (file " + f.subject())
                        .contains("Duplicate entry '1'");
            }
        } else {
            // every chunk reports the rows its file holds, however many the target replaced or kept
            assertThat(status.of(WorkFailed.class, fromDump)).isEmpty();
            assertThat(status.of(WorkFailed.class, fromExport)).isEmpty();
            assertThat(List.of(status.of(ChunkImported.class, fromDump), status.of(ChunkImported.class, fromExport))
                    .stream().flatMap(List::stream).toList()).extracting(e -> e.table().table(), ChunkImported::rows)
                    .containsOnly(tuple("s", 2L), tuple("c", 2L), tuple("p", 2L));
        }
    }

    @Test
    void aRoutedDumplingDumpLandsInTheRoutedTablesWhateverTableItsStatementsName() throws Exception {
        // given a Dumpling dump of an SQL table and a CSV table, both routed to other names in another database
        String db = TestDatabases.uniqueSchema("route");
        String other = db + "_new";
        Path dir = files.resolve(db);
        TestService.write(dir, db + "-schema-create.sql", "CREATE DATABASE `" + db + "`;\n");
        TestService.write(dir, db + ".t-schema.sql",
                "CREATE TABLE `t` (`id` int NOT NULL, `label` varchar(20), PRIMARY KEY (`id`));\n");
        TestService.write(dir, db + ".c-schema.sql", "CREATE TABLE `c` (`id` int, `label` varchar(20));\n");
        TestService.write(dir, db + ".t.000000000.sql", "INSERT INTO `t` VALUES (1,'one'),(2,'two');\n"
                + "INSERT INTO `" + db + "`.`t` (`label`,`id`) VALUES ('three',3);\n");
        TestService.write(dir, db + ".c.000000000.csv", "\"id\",\"label\"\n1,\"a\"\n");
        MigrationId m = MigrationId.of("opt-" + db.replace('_', '-'));
        TableRef t = TableRef.of(other, "t_renamed");
        TableRef c = TableRef.of(other, "c_renamed");

        send(m, dir.toString(), List.of(TableRef.of(db, "t"), TableRef.of(db, "c")), new ImportOptions(null, true,
                OnDuplicate.REPLACE, List.of(new TableRoute(TableRef.of(db, "t"), t),
                new TableRoute(TableRef.of(db, "c"), c))));

        await().atMost(Duration.ofSeconds(60)).until(() -> outcomes(m) == 2);
        assertThat(status.of(WorkFailed.class, m)).isEmpty();
        assertThat(status.of(ChunkImported.class, m)).extracting(ChunkImported::table, ChunkImported::rows)
                .containsOnly(tuple(t, 3L), tuple(c, 1L));
        assertThat(rig.rows("SELECT id, label FROM " + t.quoted() + " ORDER BY id"))
                .containsExactly("1|one", "2|two", "3|three");
        assertThat(rig.rows("SELECT id, label FROM " + c.quoted())).containsExactly("1|a");
        assertThat(rig.rows("SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA IN ('"
                + db + "', '" + other + "') ORDER BY 2")).containsExactly(other + "|c_renamed", other + "|t_renamed");
    }

    @Test
    void shardsRoutedIntoOneTableFillTheColumnsTheirRouteFillsFromSqlAndCsvFilesWithTheirValueChecksum()
            throws Exception {
        // given two shards of one dump, an SQL one (with and without a column list, strings holding parentheses and
        // quotes) and a CSV one, merged into one table whose route fills c_source and c_table (DM's extract-*)
        String db = TestDatabases.uniqueSchema("fill");
        Path dir = files.resolve(db);
        TestService.write(dir, db + "-schema-create.sql", "CREATE DATABASE `" + db + "`;\n");
        for (String t : List.of("t_1", "t_2")) {
            TestService.write(dir, db + "." + t + "-schema.sql",
                    "CREATE TABLE `" + t + "` (`id` int NOT NULL, `label` varchar(20), PRIMARY KEY (`id`));\n");
        }
        TestService.write(dir, db + ".t_1.000000000.sql", "INSERT INTO `t_1` VALUES (1,'a (b)'),(2,'it''s');\n"
                + "INSERT INTO `t_1` (`label`,`id`) VALUES ('back\\\\',3);\n");
        TestService.write(dir, db + ".t_2.000000000.csv", "\"id\",\"label\"\n11,\"x\"\n12,\"y\"\n");
        MigrationId m = MigrationId.of("opt-" + db.replace('_', '-'));
        TableRef merged = TableRef.of(db + "_m", "t");
        List<TableRoute> routes = List.of(
                new TableRoute(TableRef.of(db, "t_1"), merged, List.of(
                        new io.tidemark.common.table.ExtractedColumn("c_source", "mysql-01"),
                        new io.tidemark.common.table.ExtractedColumn("c_table", "1"))),
                new TableRoute(TableRef.of(db, "t_2"), merged, List.of(
                        new io.tidemark.common.table.ExtractedColumn("c_source", "mysql-01"),
                        new io.tidemark.common.table.ExtractedColumn("c_table", "2"))));

        // when both are imported
        send(m, dir.toString(), List.of(TableRef.of(db, "t_1"), TableRef.of(db, "t_2")),
                new ImportOptions(null, true, OnDuplicate.REPLACE, routes));

        // then the merged table is created with the filled columns and every row holds its shard's values
        await().atMost(Duration.ofSeconds(60)).until(() -> outcomes(m) == 2);
        assertThat(status.of(WorkFailed.class, m)).isEmpty();
        assertThat(rig.rows("SELECT id, label, c_source, c_table FROM " + merged.quoted() + " ORDER BY id"))
                .containsExactly("1|a (b)|mysql-01|1", "2|it's|mysql-01|1", "3|back\\|mysql-01|1",
                        "11|x|mysql-01|2", "12|y|mysql-01|2");
        // and each chunk still reports the value checksum of its file's own columns
        assertThat(status.of(ChunkImported.class, m)).extracting(ChunkImported::rows).containsOnly(3L, 2L);
        assertThat(status.of(ChunkImported.class, m)).allSatisfy(c -> assertThat(c.valueSum()).isNotNull());
    }

    private static void send(MigrationId m, String location, List<TableRef> tables, ImportOptions options)
            throws Exception {
        rig.producer().send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), new ImportRequest(
                ImportRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(target), location, tables, options))).get();
    }

    /** chunks of the migration reported imported or failed so far */
    private static long outcomes(MigrationId m) {
        return status.of(ChunkImported.class, m).stream().map(ChunkImported::chunkId).distinct().count()
                + status.of(WorkFailed.class, m).stream().map(WorkFailed::subject).distinct().count();
    }

    private static WorkFailed awaitFailure(MigrationId m) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !status.of(WorkFailed.class, m).isEmpty());
        return status.of(WorkFailed.class, m).getFirst();
    }

    /** {@code count} rows (id, 'row <id>') from {@code first} */
    private static void writeRows(Path file, long first, int count) throws Exception {
        SparkExport.write(file, ROWS, 1 << 20, (groups, out) -> {
            for (long id = first; id < first + count; id++) {
                out.accept(groups.newGroup().append("id", id).append("label", "row " + id));
            }
        });
    }
}
