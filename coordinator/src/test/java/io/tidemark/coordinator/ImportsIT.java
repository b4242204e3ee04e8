package io.tidemark.coordinator;

import io.tidemark.common.command.Command;
import io.tidemark.common.command.ImportOptions;
import io.tidemark.common.command.ImportRequest;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.common.status.ChunkImported;
import io.tidemark.common.status.ImportPlanned;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.LocalS3;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.Closing;
import io.tidemark.testkit.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * TiDB Lightning files and mode-import migrations through the API, against a real MariaDB target (prechecks, the
 * count after the import), a real S3 server (the listing of the files) and a real broker (the import request), the
 * test acting as the lightning-service.
 */
class ImportsIT {
    private static final String BUCKET = "tidemark-imports";
    private static final WorkerId WORKER = WorkerId.forService("test-lightning");
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String PART = "/1/part-00000-3d1e9f2a-4c5b-c000.gz.parquet";

    private static TestKafka kafka;
    private static LocalMariaDb target;
    private static LocalS3 s3;
    private static Harness h;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        target = TestDatabases.startTarget("coordinator-imports");
        s3 = LocalS3.start(dir.resolve("s3"), BUCKET);
        h = Harness.start(kafka, "tidemark.db.connect-timeout=2s");
    }

    @AfterAll
    static void stop() {
        Closing.quietly(h, s3, target, kafka);
    }

    private static String resource(String path) {
        try (InputStream in = ImportsIT.class.getResourceAsStream("/lightning/" + path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code s3://bucket/prefix} on the test's S3 server, without keys: the coordinator has its own credentials */
    private static String s3(String prefix) {
        return "s3://" + BUCKET + "/" + prefix + "?endpoint=" + s3.endpoint() + "&region=" + LocalS3.REGION
                + "&force-path-style=true";
    }

    /** the seed's file with real values filled in: the test's target, and the files under {@code prefix} */
    private static String seedFile(String name, String prefix) {
        return resource("seed-filled/" + name)
                .replace("host = \"10.0.1.5\"", "host = \"" + target.host() + "\"")
                .replace("port = 4000", "port = " + target.port())
                .replace("user = \"tidemark\"", "user = \"root\"")
                .replace("password = \"s3cr3t-tidb\"", "password = \"" + TestDatabases.PASSWORD + "\"")
                .replaceAll("data-source-dir = \"[^\"]*\"", "data-source-dir = \"" + s3(prefix) + "\"");
    }

    private static void put(String prefix, String... keys) {
        for (String key : keys) {
            s3.put(BUCKET, prefix + "/" + key, ("-- " + key + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Harness.Response submit(String path, String fileName, String toml) {
        return h.send("POST", path + "?name=" + URLEncoder.encode(fileName, StandardCharsets.UTF_8),
                "application/toml", toml);
    }

    private static ImportRequest awaitImportRequest(String id) {
        return await().atMost(PATIENCE).until(() -> h.records(TopicCatalog.DEFAULT.importCommands(), id).stream()
                .map(r -> MessageCodec.read(r.value(), Command.class)).filter(ImportRequest.class::isInstance)
                .map(ImportRequest.class::cast).reduce((a, b) -> b).orElse(null), r -> r != null);
    }

    private static JsonNode awaitMigration(String id, Predicate<JsonNode> condition) {
        return await().atMost(PATIENCE).until(() -> h.migration(id), condition::test);
    }

    private static Map<String, JsonNode> byName(JsonNode list, String field) {
        Map<String, JsonNode> items = new TreeMap<>();
        list.forEach(n -> items.put(n.get(field).asString(), n));
        return items;
    }

    private static List<String> migrationNames() {
        return h.get("/api/v1/migrations").json().findValuesAsString("name");
    }

    @Test
    void theSeedsTwoFilesFilledInImportTheSchemaThenTheAuroraExport() throws SQLException {
        // Given the schema export of step 1.1 (Dumpling --no-data) and the snapshot export of step 2.1 in S3
        put("schema-backup", "metadata", "mydb-schema-create.sql", "mydb.orders-schema.sql",
                "my_db1-schema-create.sql", "my_db1.table1-schema.sql");
        put("aurora-export", "my-export/export_info_my-export.json", "my-export/mydb/mydb.orders" + PART,
                "my-export/mydb/mydb.orders/_SUCCESS", "my-export/my_db1/my_db1.table1" + PART,
                "my-export/my_db1/my_db1.table1/_SUCCESS");

        // When the schema file of step 1.2 is submitted as it is (its values filled in, its quote closed)
        String schemaToml = seedFile("tidb-lightning-schema.toml", "schema-backup");
        Harness.Response schema = submit("/api/v1/imports", "tidb-lightning-schema.toml", schemaToml);

        // Then it becomes an import of the two tables' CREATE TABLE files, with a note on each physical-mode key
        assertThat(schema.status()).as(schema.body()).isEqualTo(201);
        JsonNode created = schema.json();
        String schemaId = created.get("id").asString();
        assertThat(schemaId).startsWith("tidb-lightning-schema-");
        assertThat(schema.raw().headers().firstValue("Location")).hasValue("/api/v1/migrations/" + schemaId);
        assertThat(created.get("mode").asString()).isEqualTo("import");
        assertThat(created.get("source").isNull()).isTrue();
        assertThat(created.get("storage").asString()).isEqualTo(s3("schema-backup"));
        assertThat(created.get("targetTables").asString()).isEqualTo("create");
        assertThat(created.get("onDuplicate").asString()).isEqualTo("replace");
        assertThat(byName(created.get("notes"), "key").keySet()).containsExactly("tidb.pd-addr", "tidb.status-port",
                "tikv-importer.backend", "tikv-importer.sorted-kv-dir");
        assertThat(byName(created.get("notes"), "key").get("tikv-importer.backend").get("line").asInt())
                .isEqualTo(15);
        assertThat(schema.body()).doesNotContain(TestDatabases.PASSWORD);
        ImportRequest schemaRequest = awaitImportRequest(schemaId);
        assertThat(schemaRequest.location()).isEqualTo(s3("schema-backup"));
        assertThat(schemaRequest.tables()).containsExactly(TableRef.of("my_db1", "table1"),
                TableRef.of("mydb", "orders"));
        assertThat(schemaRequest.options()).isEqualTo(new ImportOptions(null, true, ImportOptions.OnDuplicate.REPLACE,
                List.of()));
        assertThat(TestDatabases.secretBox().open(schemaRequest.target().password()))
                .isEqualTo(TestDatabases.PASSWORD);

        // When the lightning-service has created the tables (no rows to import), the schema import completes
        TestDatabases.execute(target, "CREATE DATABASE mydb", "CREATE DATABASE my_db1",
                "CREATE TABLE mydb.orders (id INT PRIMARY KEY)", "CREATE TABLE my_db1.table1 (id INT PRIMARY KEY)");
        MigrationId m = MigrationId.of(schemaId);
        h.report(new ImportPlanned(ImportPlanned.idFor(m, 1), m, WORKER, 1, Instant.now(), List.of()));
        awaitMigration(schemaId, v -> v.get("phase").asString().equals("completed"));

        // Then the data file of step 2.2 imports the export into those tables, by the seed's Parquet rule
        Harness.Response data = submit("/api/v1/imports", "tidb-lightning-data.toml",
                seedFile("tidb-lightning-data.toml", "aurora-export"));
        assertThat(data.status()).as(data.body()).isEqualTo(201);
        ImportRequest dataRequest = awaitImportRequest(data.json().get("id").asString());
        assertThat(dataRequest.location()).isEqualTo(s3("aurora-export"));
        assertThat(dataRequest.tables()).containsExactly(TableRef.of("my_db1", "table1"),
                TableRef.of("mydb", "orders"));
        assertThat(dataRequest.options().createSchema()).isTrue();
        assertThat(data.json().get("filter").valueStream().map(JsonNode::asString).toList())
                .containsExactly("my_db1.table[12]", "mydb.*");
    }

    @Test
    void aCsvSectionReachesTheImportRequestInTheFormatTheWorkersRead() {
        // given a dump of CSV files written with '|', ' around fields, NULL for NULL, CRLF and no header
        put("pipes", "pipes_db-schema-create.sql", "pipes_db.items-schema.sql", "pipes_db.items.000000001.csv");
        String toml = seedFile("tidb-lightning-schema.toml", "pipes") + "\n[mydumper.csv]\nseparator = '|'\n"
                + "delimiter = \"'\"\nheader = false\nnull = 'NULL'\nterminator = \"\\r\\n\"\n";

        // when the file is submitted
        Harness.Response r = submit("/api/v1/imports", "tidb-lightning-pipes.toml", toml);

        // then the import request carries that format to the lightning-service
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        ImportRequest request = awaitImportRequest(r.json().get("id").asString());
        assertThat(request.tables()).containsExactly(TableRef.of("pipes_db", "items"));
        assertThat(request.options().csv()).isEqualTo(new io.tidemark.common.command.CsvFormat("|", "'", "\r\n",
                false, List.of("NULL"), true));
    }

    @Test
    void theSeedsFileAsItIsIsRefusedNamingTheUnclosedQuoteOnLineSix() {
        Harness.Response refused = submit("/api/v1/imports", "tidb-lightning-schema.toml",
                resource("seed-as-is/tidb-lightning-schema.toml"));

        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        JsonNode error = refused.json();
        assertThat(error.get("code").asString()).isEqualTo("TM-10013");
        assertThat(error.get("message").asString()).startsWith("TiDB Lightning file tidb-lightning-schema.toml cannot"
                + " be imported: ");
        assertThat(error.get("remedy").asString()).contains("fix each named key");
        JsonNode line6 = byName(error.get("problems"), "key").get("tidb.user");
        assertThat(line6.get("line").asInt()).isEqualTo(6);
        assertThat(line6.get("cause").asString()).contains("does not parse as TOML");
        assertThat(line6.get("fix").asString()).contains("close the string")
                .contains("the seed's own `user = \"${user_name}` line lacks it");
        assertThat(migrationNames()).doesNotContain("tidb-lightning-schema-as-is");
    }

    @Test
    void anUnknownKeyIsRefusedWithTheNearestKnownOne() {
        String toml = seedFile("tidb-lightning-schema.toml", "nowhere").replace("[mydumper]",
                "[mydumper]\nfliter = ['shop.*']");

        Harness.Response refused = submit("/api/v1/imports/check", "typo.toml", toml);

        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.json().get("problems")).singleElement().satisfies(p -> {
            assertThat(p.get("key").asString()).isEqualTo("mydumper.fliter");
            assertThat(p.get("line").asInt()).isEqualTo(24);
            assertThat(p.get("fix").asString()).isEqualTo("did you mean `mydumper.filter`?");
        });

        // and a file sent as JSON is refused saying how to send it
        Harness.Response asJson = h.send("POST", "/api/v1/imports", "application/json", toml);
        assertThat(asJson.status()).as(asJson.body()).isEqualTo(415);
        assertThat(asJson.json().get("message").asString()).contains("Content-Type: application/toml");

        // and so is a misspelt query parameter, before the file is read
        Harness.Response misspelt = h.send("POST", "/api/v1/imports/check?nmae=x.toml", "application/toml", toml);
        assertThat(misspelt.status()).as(misspelt.body()).isEqualTo(400);
        assertThat(misspelt.json().get("code").asString()).isEqualTo("TM-10001");
        assertThat(misspelt.json().get("message").asString()).contains("query parameter `nmae` is not one"
                + " /api/v1/imports/check takes").contains("did you mean `name`?");
    }

    @Test
    void aSelectedTableWithoutADataFileTheRulesMatchIsRefusedNamingTheTable() {
        // the seed's rule admits [a-z0-9_]+ only: a table named with a $ gets no file, which Lightning would skip
        put("dollar-export", "exp/shop/shop.orders" + PART, "exp/shop/shop.ta$ble" + PART);
        String toml = seedFile("tidb-lightning-data.toml", "dollar-export")
                .replace("filter = ['my_db1.table[12]', 'mydb.*']", "filter = ['shop.*']");

        Harness.Response refused = submit("/api/v1/imports", "dollar.toml", toml);

        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.json().get("problems")).singleElement().satisfies(p -> {
            assertThat(p.get("key").asString()).isEqualTo("mydumper.files[1].pattern");
            assertThat(p.get("cause").asString()).contains("matches no data file of `shop`.`ta$ble`, which the"
                    + " filter selects").contains("exp/shop/shop.ta$ble" + PART);
            assertThat(p.get("fix").asString()).contains("[^/.]+").contains("\"!shop.ta$ble\"");
        });
        assertThat(migrationNames()).doesNotContain("dollar");
    }

    @Test
    void aCheckListsTheTablesTheirFilesAndRoutesAndCreatesNothing() {
        put("check-export", "exp/crm/crm.users" + PART, "exp/crm/crm.users/2/part-00001.gz.parquet",
                "exp/crm/crm.users/_SUCCESS", "exp/crm/crm.notes" + PART);
        String toml = seedFile("tidb-lightning-data.toml", "check-export")
                .replace("filter = ['my_db1.table[12]', 'mydb.*']", "filter = ['crm.*']")
                + "\n[[routes]]\nschema-pattern = \"crm\"\ntable-pattern = \"users\"\ntarget-schema = \"crm_new\"\n";

        Harness.Response checked = submit("/api/v1/imports/check", "check.toml", toml);

        assertThat(checked.status()).as(checked.body()).isEqualTo(200);
        JsonNode report = checked.json();
        Map<String, JsonNode> tables = byName(report.get("tables"), "table");
        assertThat(tables.keySet()).containsExactly("crm.notes", "crm.users");
        assertThat(tables.get("crm.users").get("target").asString()).isEqualTo("crm_new.users");
        assertThat(tables.get("crm.users").get("dataFiles").valueStream().map(JsonNode::asString).toList())
                .containsExactly("exp/crm/crm.users" + PART, "exp/crm/crm.users/2/part-00001.gz.parquet");
        assertThat(tables.get("crm.notes").get("target").asString()).isEqualTo("crm.notes");
        assertThat(report.get("notes")).hasSize(4);
        // the export holds no CREATE TABLE file, so the tables must exist: they do not
        Map<String, JsonNode> checks = byName(report.get("checks"), "name");
        assertThat(checks.get("storage_readable").get("state").asString()).isEqualTo("PASS");
        assertThat(checks.get("target_tables").get("state").asString()).isEqualTo("FAIL");
        assertThat(checks.get("target_tables").get("message").asString()).contains("has no table crm.notes,"
                + " crm_new.users").contains("the files hold no CREATE TABLE statement for them");
        assertThat(report.get("passed").asBoolean()).isFalse();
        assertThat(migrationNames()).doesNotContain("check");

        // and submitted, it is refused for the same reason, as a JSON spec's prechecks refuse it
        Harness.Response refused = submit("/api/v1/imports", "check.toml", toml);
        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.json().get("code").asString()).isEqualTo("TM-10008");
        assertThat(byName(refused.json().get("failures"), "name").keySet()).containsExactly("target_tables");
        assertThat(migrationNames()).doesNotContain("check");
    }

    @Test
    void keysInDataSourceDirListTheFilesAndTravelSealedOnly() {
        String accessKey = "AKIATOMLKEYS";
        String secret = "wJalrXUtnFEMI+K7MDENG/toml";
        put("keys-export", "metadata", "keysdb-schema-create.sql", "keysdb.orders-schema.sql");
        // a connect timeout of its own gives the location an S3 client of its own, made while the chain is empty
        String location = s3("keys-export") + "&connect-timeout=8s";
        String toml = seedFile("tidb-lightning-schema.toml", "keys-export").replace(s3("keys-export"),
                location + "&access-key=" + accessKey + "&secret-access-key=" + secret);

        // Given a coordinator whose own credentials chain holds nothing, When the file with keys is submitted
        String chainKey = System.clearProperty("aws.accessKeyId");
        String chainSecret = System.clearProperty("aws.secretAccessKey");
        Harness.Response created;
        try {
            created = submit("/api/v1/imports", "keys.toml", toml);
        } finally {
            if (chainKey != null) {
                System.setProperty("aws.accessKeyId", chainKey);
                System.setProperty("aws.secretAccessKey", chainSecret);
            }
        }

        // Then its files were listed with the file's keys, and the keys show nowhere
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(accessKey).doesNotContain("wJalr").doesNotContain("sealed:");
        String id = created.json().get("id").asString();
        assertThat(h.migration(id).get("storage").asString())
                .isEqualTo(location + "&access-key=***&secret-access-key=***");
        ImportRequest request = awaitImportRequest(id);
        assertThat(request.tables()).containsExactly(TableRef.of("keysdb", "orders"));
        assertThat(request.location()).startsWith(location + "&access-key=sealed:v1:")
                .contains("&secret-access-key=sealed:v1:");
        for (String topic : List.of(TopicCatalog.DEFAULT.migrations(), TopicCatalog.DEFAULT.importCommands())) {
            assertThat(h.records(topic, id)).as(topic).isNotEmpty().allSatisfy(r ->
                    assertThat(new String(r.value(), StandardCharsets.UTF_8)).doesNotContain(accessKey)
                            .doesNotContain("wJalr"));
        }
    }

    @Test
    void filesThatCannotBeListedFailTheStorageCheckBesideEveryOtherCheck() {
        String spec = """
                {"name": "no bucket", "mode": "import",
                 "target": {"host": "%s", "port": %d, "user": "root", "password": "%s"},
                 "storage": "%s"}
                """.formatted(target.host(), target.port(), TestDatabases.PASSWORD,
                s3("export").replace(BUCKET, "no-such-bucket"));

        Harness.Response refused = h.post("/api/v1/migrations", spec);

        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        Map<String, JsonNode> failures = byName(refused.json().get("failures"), "name");
        assertThat(failures.keySet()).containsExactly("storage_readable");
        assertThat(failures.get("storage_readable").get("message").asString())
                .contains("bucket no-such-bucket does not exist");
        assertThat(refused.json().get("notChecked").valueStream().map(JsonNode::asString).toList())
                .containsExactly("target_tables");
        assertThat(migrationNames()).doesNotContain("no bucket");
    }

    @Test
    void aJsonImportIsRequestedWithItsOptionsAndCompletesOnceItsTablesHoldTheRowsOfTheirChunks()
            throws IOException, SQLException {
        // Given Dumpling's data files in one folder and their CREATE TABLE files in another
        String shop = TestDatabases.uniqueSchema("jsonimport");
        Path data = Files.createDirectories(dir.resolve(shop + "-data"));
        Path schemas = Files.createDirectories(dir.resolve(shop + "-schema"));
        for (String f : List.of(shop + ".orders.000000001.sql", shop + ".orders.000000002.sql",
                shop + ".items.000000001.sql", "other.t.000000001.sql")) {
            Files.writeString(data.resolve(f), "INSERT INTO x VALUES (1);\n");
        }
        for (String f : List.of(shop + ".orders-schema.sql", shop + ".items-schema.sql")) {
            Files.writeString(schemas.resolve(f), "CREATE TABLE x (id INT);\n");
        }

        // When an import of them is submitted as a JSON spec
        Harness.Response created = h.post("/api/v1/migrations", """
                {"name": "%s", "mode": "import",
                 "target": {"host": "%s", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["%s.*"], "storage": "%s", "schemaStorage": "%s", "onDuplicate": "ignore"}
                """.formatted(shop, target.host(), target.port(), TestDatabases.PASSWORD, shop, data.toUri(),
                schemas.toUri()));

        // Then one import request carries the tables the filter selects and every option
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asString();
        MigrationId m = MigrationId.of(id);
        ImportRequest request = awaitImportRequest(id);
        TableRef orders = TableRef.of(shop, "orders");
        TableRef items = TableRef.of(shop, "items");
        assertThat(request.messageId()).isEqualTo(ImportRequest.idFor(m, 1));
        assertThat(request.location()).isEqualTo(data.toUri().toString());
        assertThat(request.tables()).containsExactly(items, orders);
        assertThat(request.options()).isEqualTo(new ImportOptions(schemas.toUri().toString(), true,
                ImportOptions.OnDuplicate.IGNORE, List.of()));
        JsonNode importing = h.migration(id);
        assertThat(importing.get("phase").asString()).isEqualTo("importing");
        assertThat(importing.get("schemaStorage").asString()).isEqualTo(schemas.toUri().toString());

        // When the workers import its chunks, but one row of items did not reach the target
        TestDatabases.execute(target, "CREATE DATABASE " + shop,
                "CREATE TABLE " + shop + ".orders (id INT PRIMARY KEY)", "INSERT INTO " + shop + ".orders VALUES"
                        + " (1), (2), (3)", "CREATE TABLE " + shop + ".items (id INT PRIMARY KEY)",
                "INSERT INTO " + shop + ".items VALUES (1)");
        h.report(new ImportPlanned(ImportPlanned.idFor(m, 1), m, WORKER, 1, Instant.now(), List.of(
                new ImportPlanned.PlannedChunk("o1", orders, 10), new ImportPlanned.PlannedChunk("o2", orders, 10),
                new ImportPlanned.PlannedChunk("i1", items, 10))));
        h.report(new ChunkImported(ChunkImported.idFor("o1"), m, WORKER, 1, Instant.now(), "o1", orders, 2, 10));
        h.report(new ChunkImported(ChunkImported.idFor("o2"), m, WORKER, 1, Instant.now(), "o2", orders, 1, 10));
        h.report(new ChunkImported(ChunkImported.idFor("i1"), m, WORKER, 1, Instant.now(), "i1", items, 2, 10));

        // Then the count finds it and the import fails, naming the table and both numbers
        JsonNode failed = awaitMigration(id, v -> v.get("phase").asString().equals("failed"));
        assertThat(failed.at("/error/code").asString()).isEqualTo("TM-30015");
        assertThat(failed.at("/error/message").asString()).isEqualTo("target root@" + target.host() + ":"
                + target.port() + " does not hold the rows the imported files did: " + shop + ".items: 2 rows in"
                + " the files, 1 in the target");
        assertThat(failed.at("/error/stage").asString()).isEqualTo("import");
        Map<String, JsonNode> tables = byName(failed.get("tables"), "table");
        assertThat(tables.get(shop + ".orders").get("rowsInFiles").asLong()).isEqualTo(3);
        assertThat(tables.get(shop + ".orders").get("rowsInTarget").asLong()).isEqualTo(3);
        assertThat(tables.get(shop + ".items").get("rowsInTarget").asLong()).isEqualTo(1);

        // When the row is put right and the import retried, it is counted again and completes
        TestDatabases.execute(target, "INSERT INTO " + shop + ".items VALUES (2)");
        Harness.Response retried = h.post("/api/v1/migrations/" + id + "/retry", "");
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        JsonNode done = awaitMigration(id, v -> v.get("phase").asString().equals("completed"));
        assertThat(done.get("error").isNull()).isTrue();
        assertThat(byName(done.get("tables"), "table").get(shop + ".items").get("rowsInTarget").asLong())
                .isEqualTo(2);
        List<ImportRequest> requests = new ArrayList<>(h.records(TopicCatalog.DEFAULT.importCommands(), id).stream()
                .map(r -> MessageCodec.read(r.value(), Command.class)).filter(ImportRequest.class::isInstance)
                .map(ImportRequest.class::cast).toList());
        assertThat(requests).allSatisfy(r -> assertThat(r.messageId()).isEqualTo(ImportRequest.idFor(m, 1)));
    }
}
