package io.tidemark.coordinator;

import io.tidemark.common.command.Command;
import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.storage.Storages;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.storage.s3.S3Credentials;
import io.tidemark.storage.s3.S3Storage;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.LocalS3;
import io.tidemark.testkit.SilentServer;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.Closing;
import io.tidemark.testkit.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The prechecks of a new migration against real MariaDB servers, through the API: every check of the mode runs before
 * anything is stored or published, a refusal lists every failing item with its instruction, and a server that never
 * answers fails the request within the connect timeout.
 */
class PrechecksIT {
    private static final String PASSWORD = TestDatabases.PASSWORD;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

    private static final String BUCKET = "tidemark-dumps";
    /**
     * A collation only the source has, defined by an Index.xml in its --character-sets-dir (MariaDB reads extra UCA
     * collations from it), so that the target really lacks one: both servers are otherwise one MariaDB build.
     */
    private static final String SOURCE_ONLY_COLLATION = "utf8mb4_tidemark_ci";
    private static final String SOURCE_CHARSETS = """
            <?xml version='1.0' encoding="utf-8"?>
            <charsets max-id="2047">
              <charset name="utf8mb4">
                <collation name="%s" id="2000">
                  <rules><reset>a</reset><p>\\u00E6</p></rules>
                </collation>
              </charset>
            </charsets>
            """.formatted(SOURCE_ONLY_COLLATION);

    private static TestKafka kafka;
    private static LocalMariaDb source;
    private static LocalMariaDb target;
    private static LocalS3 s3;
    private static Harness h;
    private static Path charsets;

    @TempDir
    static Path dumps;

    @BeforeAll
    static void start() throws IOException {
        kafka = TestKafka.start();
        charsets = Files.createTempDirectory("tidemark-charsets");
        Files.writeString(charsets.resolve("Index.xml"), SOURCE_CHARSETS);
        source = TestDatabases.startSource("coordinator-prechecks", "--character-sets-dir=" + charsets);
        target = TestDatabases.startTarget("coordinator-prechecks");
        s3 = LocalS3.start(dumps.resolve("s3"), BUCKET);
        h = Harness.start(kafka, "tidemark.db.connect-timeout=" + CONNECT_TIMEOUT.toSeconds() + "s");
    }

    @AfterAll
    static void stop() {
        Closing.quietly(h, s3, source, target, kafka);
        try {
            if (charsets != null) {
                Files.deleteIfExists(charsets.resolve("Index.xml"));
                Files.deleteIfExists(charsets);
            }
        } catch (IOException e) {
            // a temporary file left behind
        }
    }

    private static String spec(String name, String mode, String sourceHost, int sourcePort, String targetHost,
                               int targetPort, String schema, String extra) {
        return spec(name, mode, sourceHost, sourcePort, targetHost, targetPort, schema, dumps.toUri().toString(),
                extra);
    }

    private static String spec(String name, String mode, String sourceHost, int sourcePort, String targetHost,
                               int targetPort, String schema, String storage, String extra) {
        return """
                {"name": "%s", "mode": "%s",
                 "source": {"host": "%s", "port": %d, "user": "root", "password": "%s"},
                 "target": {"host": "%s", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["%s.*"], "storage": "%s"%s}
                """.formatted(name, mode, sourceHost, sourcePort, PASSWORD, targetHost, targetPort, PASSWORD, schema,
                storage, extra);
    }

    /** a spec from the test's source into the test's target */
    private static String spec(String name, String mode, String schema, String extra) {
        return spec(name, mode, source.host(), source.port(), target.host(), target.port(), schema, extra);
    }

    /** a spec from the test's source into the test's target, dumping to {@code storage} */
    private static String specTo(String storage, String name, String mode, String schema) {
        return spec(name, mode, source.host(), source.port(), target.host(), target.port(), schema, storage, "");
    }

    /** {@code s3://bucket/dumps} on the test's S3 server, as Dumpling writes it, without keys */
    private static String s3(String bucket, String parameters) {
        return "s3://" + bucket + "/dumps?endpoint=" + s3.endpoint() + "&region=" + LocalS3.REGION
                + "&force-path-style=true" + parameters;
    }

    /** POST /check: every check by name, in the order they ran */
    private static Map<String, JsonNode> check(String spec) {
        Harness.Response r = h.post("/api/v1/migrations/check", spec);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Map<String, JsonNode> checks = new TreeMap<>();
        r.json().get("checks").forEach(c -> checks.put(c.get("name").asString(), c));
        return checks;
    }

    private static String state(Map<String, JsonNode> checks, String name) {
        assertThat(checks).as("checks run").containsKey(name);
        return checks.get(name).get("state").asString();
    }

    private static Map<String, JsonNode> items(JsonNode answer, String list) {
        Map<String, JsonNode> items = new TreeMap<>();
        answer.get(list).forEach(c -> items.put(c.get("name").asString(), c));
        return items;
    }

    private static boolean listed(String name) {
        return h.get("/api/v1/migrations").json().findValuesAsString("name").contains(name);
    }

    private static List<String> schemas(LocalMariaDb db) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = TestDatabases.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW DATABASES")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static long count(LocalMariaDb db, String sql) throws SQLException {
        try (Connection c = TestDatabases.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aGoodSpecPassesEveryCheckOfModeAllAndCreatesNothing() throws SQLException {
        // Given a source schema with a keyed table, and a target that has none of it yet
        String shop = TestDatabases.uniqueSchema("good");
        TestDatabases.execute(source, "CREATE DATABASE " + shop,
                "CREATE TABLE " + shop + ".orders (id INT PRIMARY KEY, total DECIMAL(10,2))",
                "INSERT INTO " + shop + ".orders VALUES (1, 9.50)");

        // When its spec is checked
        Map<String, JsonNode> checks = check(spec("good", "all", shop, ""));

        // Then every check of mode all ran and passed
        assertThat(checks.keySet()).containsExactlyInAnyOrder("source_login", "log_bin", "binlog_format",
                "binlog_row_image", "binlog_retention", "replication_privileges", "binlog_position",
                "tables_selected", "select_privilege", "target_login", "target_not_read_only",
                "meta_schema_writable", "target_privileges", "storage_writable", "source_is_not_target", "target_tables",
                "keyless_tables", "triggers", "routines", "events", "views", "spatial_types", "fulltext_indexes",
                "target_collations", "lower_case_table_names", "row_size");
        assertThat(checks.values()).allSatisfy(c -> assertThat(c.get("state").asString()).as(c.toString())
                .isEqualTo("PASS"));
        assertThat(checks.get("source_is_not_target").get("message").asString())
                .contains("source and target are different servers");

        // and nothing was created: no migration, no token left in the target's meta schema, nothing on the source
        assertThat(listed("good")).isFalse();
        assertThat(count(target, "SELECT COUNT(*) FROM tidemark_meta.identity")).isZero();
        assertThat(schemas(source)).doesNotContain("tidemark_meta");
    }

    @Test
    void whatTiDbLacksIsNamedItemByItemAndASpatialColumnOrAMissingCollationRefusesTheMigration() throws SQLException {
        // Given a source schema with a trigger, a procedure and a function, an event, a view, a SPATIAL index on a
        // POINT column, a FULLTEXT index, a column in a collation the target lacks, and a 7 MiB row (above TiDB's
        // default entry size limit)
        String shop = TestDatabases.uniqueSchema("compat");
        TestDatabases.execute(source, "CREATE DATABASE " + shop,
                "CREATE TABLE " + shop + ".orders (id INT PRIMARY KEY, total DECIMAL(10,2))",
                "CREATE TABLE " + shop + ".places (id INT PRIMARY KEY, pos POINT NOT NULL, SPATIAL INDEX sp_pos (pos))",
                "CREATE TABLE " + shop + ".docs (id INT PRIMARY KEY, body TEXT, FULLTEXT INDEX ft_body (body))",
                "CREATE TABLE " + shop + ".blobs (id INT PRIMARY KEY, doc LONGBLOB)",
                "CREATE TABLE " + shop + ".words (id INT PRIMARY KEY, word VARCHAR(40) COLLATE "
                        + SOURCE_ONLY_COLLATION + ")",
                "INSERT INTO " + shop + ".blobs VALUES (1, REPEAT('x', 7 * 1024 * 1024))",
                "CREATE TRIGGER " + shop + ".audit BEFORE INSERT ON " + shop + ".orders FOR EACH ROW"
                        + " SET NEW.total = ABS(NEW.total)",
                "CREATE PROCEDURE " + shop + ".restock() SELECT 1",
                "CREATE FUNCTION " + shop + ".price(x INT) RETURNS INT DETERMINISTIC NO SQL RETURN x",
                "CREATE EVENT " + shop + ".nightly ON SCHEDULE EVERY 1 DAY DO DELETE FROM " + shop
                        + ".orders WHERE id < 0",
                "CREATE VIEW " + shop + ".open_orders AS SELECT id FROM " + shop + ".orders");

        // When its spec is checked
        Map<String, JsonNode> checks = check(spec("compat", "all", shop, ""));

        // Then each item names what it found, with what to do
        assertThat(state(checks, "triggers")).isEqualTo("WARN");
        assertThat(checks.get("triggers").get("message").asString()).startsWith("trigger not migrated: " + shop
                + ".audit (on " + shop + ".orders); TiDB has no triggers");
        assertThat(state(checks, "routines")).isEqualTo("WARN");
        assertThat(checks.get("routines").get("message").asString()).startsWith("2 stored procedure or functions"
                + " not migrated: " + shop + ".price (function), " + shop + ".restock (procedure)");
        assertThat(state(checks, "events")).isEqualTo("WARN");
        assertThat(checks.get("events").get("message").asString()).startsWith("event not migrated: " + shop
                + ".nightly");
        assertThat(state(checks, "views")).isEqualTo("WARN");
        assertThat(checks.get("views").get("message").asString()).startsWith("view not migrated: " + shop
                + ".open_orders");
        assertThat(checks.get("views").get("instruction").asString()).contains("create them on the target");
        assertThat(state(checks, "spatial_types")).isEqualTo("FAIL");
        assertThat(checks.get("spatial_types").get("message").asString()).isEqualTo("the selected tables use spatial"
                + " types or indexes, which TiDB does not have: " + shop + ".places.pos (point), " + shop
                + ".places index sp_pos (SPATIAL)");
        assertThat(state(checks, "fulltext_indexes")).isEqualTo("WARN");
        assertThat(checks.get("fulltext_indexes").get("message").asString()).startsWith("FULLTEXT index " + shop
                + ".docs index ft_body: TiDB accepts the FULLTEXT syntax but builds no such index");
        assertThat(state(checks, "row_size")).isEqualTo("WARN");
        assertThat(checks.get("row_size").get("message").asString()).isEqualTo("rows above TiDB's default entry size"
                + " limit (txn-entry-size-limit, 6.0 MiB): " + shop + ".blobs (largest row 7.0 MiB)");
        assertThat(checks.get("row_size").get("instruction").asString()).contains("to at least 7.0 MiB");
        assertThat(state(checks, "target_collations")).isEqualTo("FAIL");
        assertThat(checks.get("target_collations").get("message").asString()).isEqualTo("target root@127.0.0.1:"
                + target.port() + " lacks collations the selected tables use: " + shop + ".words.word ("
                + SOURCE_ONLY_COLLATION + ")");
        assertThat(checks.get("target_collations").get("instruction").asString()).contains("COLLATE utf8mb4_bin");
        // both servers have one lower_case_table_names, and every name is lower case
        assertThat(state(checks, "lower_case_table_names")).isEqualTo("PASS");

        // and submitting it is refused, for the spatial column and the collation only, nothing stored
        Harness.Response refused = h.post("/api/v1/migrations", spec("compat", "all", shop, ""));
        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        Map<String, JsonNode> failures = items(refused.json(), "failures");
        assertThat(failures.keySet()).containsExactlyInAnyOrder("spatial_types", "target_collations");
        assertThat(failures.get("spatial_types").get("instruction").asString()).contains("'!db.table' filter rule");
        assertThat(listed("compat")).isFalse();
    }

    @Test
    void aStatementFormatSourceAndAReadOnlyTargetAreRefusedTogetherInSeconds() throws SQLException {
        String shop = TestDatabases.uniqueSchema("broken");
        TestDatabases.execute(source, "CREATE DATABASE " + shop,
                "CREATE TABLE " + shop + ".orders (id INT PRIMARY KEY)");
        // Given a source that logs statements and a target switched to read-only
        TestDatabases.execute(source, "SET GLOBAL binlog_format = 'STATEMENT'");
        TestDatabases.execute(target, "SET GLOBAL read_only = ON");
        try {
            // When a mode-all migration is submitted
            Instant began = Instant.now();
            Harness.Response refused = h.post("/api/v1/migrations", spec("broken", "all", shop, ""));
            Duration took = Duration.between(began, Instant.now());

            // Then it is refused in seconds, in the catalog's shape, listing both items with their instructions
            assertThat(refused.status()).as(refused.body()).isEqualTo(422);
            assertThat(took).isLessThan(Duration.ofSeconds(10));
            JsonNode answer = refused.json();
            assertThat(answer.get("code").asString()).isEqualTo("TM-10008");
            assertThat(answer.get("remedy").asString()).contains("submit the migration again");
            Map<String, JsonNode> failures = items(answer, "failures");
            assertThat(failures.keySet()).containsExactlyInAnyOrder("binlog_format", "target_not_read_only");
            assertThat(failures.get("binlog_format").get("message").asString())
                    .contains("has binlog_format=STATEMENT; row-based replication needs ROW");
            assertThat(failures.get("binlog_format").get("instruction").asString())
                    .startsWith("SET GLOBAL binlog_format='ROW'");
            assertThat(failures.get("target_not_read_only").get("message").asString())
                    .contains("127.0.0.1:" + target.port() + " is read-only").contains("read_only=ON");
            assertThat(failures.get("target_not_read_only").get("instruction").asString())
                    .startsWith("SET GLOBAL read_only = OFF");
            assertThat(answer.get("message").asString()).startsWith("2 prechecks failed: binlog_format: ")
                    .contains("; target_not_read_only: ");
            assertThat(answer.get("notChecked").valueStream().map(JsonNode::asString).toList())
                    .contains("meta_schema_writable", "source_is_not_target");

            // and nothing was stored or published
            assertThat(listed("broken")).isFalse();
            for (String topic : List.of(TopicCatalog.DEFAULT.migrations(), TopicCatalog.DEFAULT.snapshotCommands())) {
                assertThat(Harness.records(kafka, topic, key -> key.startsWith("broken-"))).isEmpty();
            }
        } finally {
            TestDatabases.execute(source, "SET GLOBAL binlog_format = 'ROW'");
            TestDatabases.execute(target, "SET GLOBAL read_only = OFF");
        }
    }

    @Test
    void serversThatAcceptAndNeverAnswerFailWithinTheConnectTimeoutCheckedAtOnce() throws IOException {
        // Given a source and a target that accept connections and never send a byte
        try (SilentServer silentSource = SilentServer.start(); SilentServer silentTarget = SilentServer.start()) {
            String spec = spec("silent", "full", "127.0.0.1", silentSource.port(), "127.0.0.1", silentTarget.port(),
                    "shop", "");

            // When a migration is submitted
            Instant began = Instant.now();
            Harness.Response refused = h.post("/api/v1/migrations", spec);
            Duration took = Duration.between(began, Instant.now());

            // Then both ends really were connected to and left hanging, both at once (not one after the other)
            assertThat(silentSource.acceptedAt()).isNotEmpty();
            assertThat(silentTarget.acceptedAt()).isNotEmpty();
            assertThat(Duration.between(silentSource.acceptedAt().getFirst(), silentTarget.acceptedAt().getFirst())
                    .abs()).isLessThan(CONNECT_TIMEOUT.dividedBy(2));

            // and the request failed within about the connect timeout, naming each unreachable host
            assertThat(refused.status()).as(refused.body()).isEqualTo(422);
            assertThat(took).isLessThan(CONNECT_TIMEOUT.plusSeconds(3));
            Map<String, JsonNode> failures = items(refused.json(), "failures");
            assertThat(failures.keySet()).contains("source_login", "target_login");
            assertThat(failures.get("source_login").get("message").asString())
                    .startsWith("cannot reach source root@127.0.0.1:" + silentSource.port());
            assertThat(failures.get("target_login").get("message").asString())
                    .startsWith("cannot reach target root@127.0.0.1:" + silentTarget.port());
            assertThat(failures.get("source_login").get("instruction").asString()).contains("host and port");
            assertThat(listed("silent")).isFalse();
        }
    }

    @Test
    void aTargetThatIsTheSourceIsRefusedAndNothingOfTidemarkStaysOnIt() throws SQLException {
        // Given a spec whose target is the source itself (test servers share server ids; MariaDB has no server_uuid)
        String shop = TestDatabases.uniqueSchema("itself");
        TestDatabases.execute(source, "CREATE DATABASE " + shop,
                "CREATE TABLE " + shop + ".orders (id INT PRIMARY KEY)");
        String spec = spec("itself", "full", source.host(), source.port(), source.host(), source.port(), shop, "");

        // When it is submitted
        Harness.Response refused = h.post("/api/v1/migrations", spec);

        // Then it is refused as one server, saying how that was seen and what to do
        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        JsonNode same = items(refused.json(), "failures").get("source_is_not_target");
        assertThat(same).as(refused.body()).isNotNull();
        assertThat(same.get("message").asString()).contains("are one server")
                .contains("read back through the source connection");
        assertThat(same.get("instruction").asString()).contains("not at the source");

        // and the meta schema the check had to create on it is gone again: Tidemark never writes to a source
        assertThat(schemas(source)).doesNotContain("tidemark_meta");
        assertThat(listed("itself")).isFalse();
    }

    @Test
    void existingTargetTablesAreComparedColumnByColumnAndPreCreatedOnesMayDiffer() throws SQLException {
        // Given source tables with rows, and target tables of the same names: one defined otherwise, one with rows
        String shop = TestDatabases.uniqueSchema("existing");
        TestDatabases.execute(source, "CREATE DATABASE " + shop,
                "CREATE TABLE " + shop + ".orders (id INT PRIMARY KEY, name VARCHAR(40), total DECIMAL(10,2))",
                "CREATE TABLE " + shop + ".items (id INT PRIMARY KEY, sku VARCHAR(20))",
                "INSERT INTO " + shop + ".orders VALUES (1, 'a', 9.50)");
        TestDatabases.execute(target, "CREATE DATABASE " + shop,
                "CREATE TABLE " + shop + ".orders (id INT PRIMARY KEY, label VARCHAR(40), amount INT)",
                "CREATE TABLE " + shop + ".items (id INT PRIMARY KEY, sku VARCHAR(20))",
                "INSERT INTO " + shop + ".orders VALUES (7, 'theirs', 3)",
                "INSERT INTO " + shop + ".items VALUES (7, 'theirs')");

        // When a full migration that would create them is submitted
        Harness.Response refused = h.post("/api/v1/migrations", spec("existing", "full", shop, ""));

        // Then it is refused with every difference, per table and per column
        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        JsonNode tables = items(refused.json(), "failures").get("target_tables");
        assertThat(tables).as(refused.body()).isNotNull();
        assertThat(tables.get("message").asString())
                .contains(shop + ".orders: column `name` varchar(40) is not on the target, column `total`"
                        + " decimal(10,2) is not on the target, column `label` varchar(40) is not on the source,"
                        + " column `amount` int(11) is not on the source, it already holds rows")
                .contains(shop + ".items: it already holds rows");
        assertThat(tables.get("instruction").asString()).contains("\"targetTables\": \"pre-created\"");

        // When the tables are declared pre-created: rows go in by name, so a missing source column is still refused
        String preCreated = spec("existing", "full", shop, ", \"targetTables\": \"pre-created\"");
        JsonNode missing = check(preCreated).get("target_tables");
        assertThat(missing.get("state").asString()).isEqualTo("FAIL");
        assertThat(missing.get("message").asString()).contains("column `name` varchar(40) is not on the target")
                .doesNotContain("`label`").doesNotContain("holds rows");

        // and a column too narrow for the source's values too
        TestDatabases.execute(target, "ALTER TABLE " + shop + ".orders ADD COLUMN name VARCHAR(80),"
                + " ADD COLUMN total INT");
        assertThat(check(preCreated).get("target_tables").get("message").asString())
                .isEqualTo("target root@127.0.0.1:" + target.port() + " already has tables that do not fit the"
                        + " source's: " + shop + ".orders: column `total` is decimal(10,2) on the source but int(11)"
                        + " on the target, which does not hold every value of it");

        // Then, once every source column fits, the tables pass, the rows already there only noted
        TestDatabases.execute(target, "ALTER TABLE " + shop + ".orders MODIFY COLUMN total DECIMAL(12,2)");
        Map<String, JsonNode> fits = check(preCreated);
        assertThat(state(fits, "target_tables")).isEqualTo("WARN");
        assertThat(fits.get("target_tables").get("message").asString())
                .contains(shop + ".orders: it already holds rows").contains(shop + ".items: it already holds rows");
        assertThat(fits.values()).noneSatisfy(c -> assertThat(c.get("state").asString()).isEqualTo("FAIL"));

        // and in mode incremental, whose tables an import filled, rows are expected and only columns compared
        Map<String, JsonNode> incremental = check(spec("existing", "incremental", shop, ""));
        assertThat(state(incremental, "target_tables")).isEqualTo("PASS");
    }

    @Test
    void onlyKeylessTablesOfEnginesWithoutAConsistentSnapshotAreWarnedOfAndTheWarningStaysOnTheMigration()
            throws SQLException {
        // Given a source schema with a keyed table, a keyless InnoDB table (its snapshot point keeps it exact), a
        // keyed MyISAM table (replay overwrites its own rows), and keyless MyISAM and MEMORY tables
        String shop = TestDatabases.uniqueSchema("keyless");
        TestDatabases.execute(source, "CREATE DATABASE " + shop,
                "CREATE TABLE " + shop + ".orders (id INT PRIMARY KEY) ENGINE=InnoDB",
                "CREATE TABLE " + shop + ".events (at DATETIME, what VARCHAR(100), UNIQUE KEY (what)) ENGINE=InnoDB",
                "CREATE TABLE " + shop + ".archive (id INT PRIMARY KEY, what VARCHAR(100)) ENGINE=MyISAM",
                "CREATE TABLE " + shop + ".log (at DATETIME, line VARCHAR(200)) ENGINE=MyISAM",
                "CREATE TABLE " + shop + ".cache (k VARCHAR(50), v VARCHAR(50)) ENGINE=MEMORY");

        // When a mode-all migration of it is submitted
        Harness.Response created = h.post("/api/v1/migrations", spec("keyless", "all", shop, ""));

        // Then it is accepted, and its view warns of the two tables no snapshot point can keep exact, with what to do
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode view = h.migration(created.json().get("id").asString());
        assertThat(view.get("warnings")).hasSize(1);
        JsonNode warning = view.get("warnings").get(0);
        assertThat(warning.get("name").asString()).isEqualTo("keyless_tables");
        assertThat(warning.get("message").asString()).isEqualTo("keyless tables " + shop + ".cache (MEMORY), "
                + shop + ".log (MyISAM): their engines read no consistent snapshot, so rows written during the"
                + " snapshot window may be replayed twice");
        assertThat(warning.get("instruction").asString()).contains("add a primary key")
                .contains("convert them to InnoDB (ALTER TABLE ... ENGINE=InnoDB)");
        assertThat(view.get("targetTables").asString()).isEqualTo("create");
    }

    @Test
    void aKeylessInnoDbTableIsExactByItsSnapshotPointAndNotWarnedOf() throws SQLException {
        // Given a source schema whose only table has no key at all, in InnoDB
        String shop = TestDatabases.uniqueSchema("pointed");
        TestDatabases.execute(source, "CREATE DATABASE " + shop,
                "CREATE TABLE " + shop + ".events (at DATETIME, what VARCHAR(100)) ENGINE=InnoDB");

        // When its spec is checked for mode all
        Map<String, JsonNode> checks = check(spec("pointed", "all", shop, ""));

        // Then the keyless check passes, saying why
        assertThat(state(checks, "keyless_tables")).isEqualTo("PASS");
        assertThat(checks.get("keyless_tables").get("message").asString())
                .contains("or is InnoDB and is kept exact by its own snapshot point (1 without a key)");
    }

    @Test
    void aTargetAccountThatMayNotWriteTheMigratedSchemaIsRefusedWithTheGrantThatFixesIt() throws SQLException {
        // Given a source schema and a target account that may read it and keep Tidemark's checkpoints, but not write it
        String shop = TestDatabases.uniqueSchema("grants");
        TestDatabases.execute(source, "CREATE DATABASE " + shop,
                "CREATE TABLE " + shop + ".orders (id INT PRIMARY KEY)");
        TestDatabases.execute(target, "CREATE USER IF NOT EXISTS 'tm_narrow'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT ALL PRIVILEGES ON tidemark_meta.* TO 'tm_narrow'@'%'",
                "GRANT SELECT ON `" + shop + "`.* TO 'tm_narrow'@'%'");
        String spec = spec("grants", "full", shop, "").replaceFirst(
                "(\"target\": \\{[^}]*\"user\": )\"root\"", "$1\"tm_narrow\"");
        assertThat(spec).contains("\"user\": \"tm_narrow\"");

        // When it is checked, then the grants on that schema fail, naming what is missing and the GRANT to run
        Map<String, JsonNode> checks = check(spec);
        assertThat(state(checks, "target_privileges")).isEqualTo("FAIL");
        JsonNode grants = checks.get("target_privileges");
        assertThat(grants.get("message").asString()).contains(shop).contains("INSERT").contains("DELETE")
                .contains("CREATE");
        assertThat(grants.get("instruction").asString()).contains("GRANT").contains("ON `")
                .contains("TO `tm_narrow`@`%`");
        assertThat(state(checks, "target_login")).isEqualTo("PASS");
    }

    @Test
    void theTargetAccountsGrantsAreCheckedOnTheRoutedSchemaNotTheSources() throws SQLException {
        // Given a target account that may write the source's schema name but not the schema the routes write
        String shop = TestDatabases.uniqueSchema("routedgrants");
        String routed = shop + "_new";
        TestDatabases.execute(source, "CREATE DATABASE " + shop,
                "CREATE TABLE " + shop + ".orders (id INT PRIMARY KEY)");
        TestDatabases.execute(target, "CREATE USER IF NOT EXISTS 'tm_routed'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT ALL PRIVILEGES ON tidemark_meta.* TO 'tm_routed'@'%'",
                "GRANT ALL PRIVILEGES ON `" + shop + "`.* TO 'tm_routed'@'%'");
        String spec = spec("routedgrants", "full", shop, ", \"routes\": [{\"schemaPattern\": \"" + shop
                + "\", \"targetSchema\": \"" + routed + "\"}]").replaceFirst(
                "(\"target\": \\{[^}]*\"user\": )\"root\"", "$1\"tm_routed\"");
        assertThat(spec).contains("\"user\": \"tm_routed\"");

        // When it is checked, then the grants fail on the routed schema
        Map<String, JsonNode> checks = check(spec);
        assertThat(state(checks, "target_privileges")).isEqualTo("FAIL");
        assertThat(checks.get("target_privileges").get("message").asString()).contains(routed);

        // and once the account may write the routed schema, they pass
        TestDatabases.execute(target, "GRANT ALL PRIVILEGES ON `" + routed + "`.* TO 'tm_routed'@'%'");
        assertThat(state(check(spec), "target_privileges")).isEqualTo("PASS");
    }

    @Test
    void anIncrementalStartThatIsNotOnTheSourceFailsItsCheck() {
        String shop = TestDatabases.uniqueSchema("start");
        Map<String, JsonNode> checks = check(spec("start", "incremental", shop,
                ", \"start\": {\"file\": \"mysql-bin.000999\", \"pos\": 4}"));

        assertThat(state(checks, "start_position")).isEqualTo("FAIL");
        assertThat(checks.get("start_position").get("message").asString())
                .contains("the file mysql-bin.000999 does not exist yet");
        assertThat(checks).doesNotContainKeys("storage_writable", "tables_selected", "keyless_tables");
    }

    @Test
    void anS3StorageIsCheckedWithTheCoordinatorsOwnCredentialsAndEachMigrationDumpsUnderItsPrefix() throws Exception {
        String shop = TestDatabases.uniqueSchema("s3");
        TestDatabases.execute(source, "CREATE DATABASE " + shop,
                "CREATE TABLE " + shop + ".orders (id INT PRIMARY KEY)");
        String storage = s3(BUCKET, "");

        // Given a bucket the coordinator reaches with the credentials of its own host (no keys in the location),
        // When a spec dumping there is checked
        Map<String, JsonNode> checks = check(specTo(storage, "s3-check", "full", shop));

        // Then the storage check wrote and deleted its probe there, and nothing of it stays in the bucket
        assertThat(state(checks, "storage_writable")).isEqualTo("PASS");
        assertThat(checks.get("storage_writable").get("message").asString())
                .contains("under s3://" + BUCKET + "/dumps/");
        assertThat(checks.values()).allSatisfy(c -> assertThat(c.get("state").asString()).as(c.toString())
                .isEqualTo("PASS"));
        assertThat(s3.keys(BUCKET, "dumps/")).isEmpty();

        // When it is submitted, Then its snapshot is requested into its own directory under the prefix, parameters kept
        Harness.Response created = h.post("/api/v1/migrations", specTo(storage, "s3-dump", "full", shop));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asString();
        SnapshotRequest request = h.commands(TopicCatalog.DEFAULT.snapshotCommands(), id, Command.class).stream()
                .filter(SnapshotRequest.class::isInstance).map(SnapshotRequest.class::cast).findFirst().orElseThrow();
        assertThat(request.location()).isEqualTo("s3://" + BUCKET + "/dumps/" + id + "?endpoint=" + s3.endpoint()
                + "&region=us-east-1&force-path-style=true");
        assertThat(h.migration(id).get("storage").asString()).isEqualTo(storage);
    }

    @Test
    void anS3BucketThatDoesNotExistFailsTheStorageCheckNamingIt() throws SQLException {
        String shop = TestDatabases.uniqueSchema("nobucket");
        TestDatabases.execute(source, "CREATE DATABASE " + shop,
                "CREATE TABLE " + shop + ".orders (id INT PRIMARY KEY)");

        Harness.Response refused = h.post("/api/v1/migrations", specTo(s3("no-such-bucket", ""), "no-bucket",
                "full", shop));

        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        Map<String, JsonNode> failures = items(refused.json(), "failures");
        assertThat(failures.keySet()).containsExactly("storage_writable");
        assertThat(failures.get("storage_writable").get("message").asString())
                .contains("bucket no-such-bucket does not exist in region us-east-1 (endpoint " + s3.endpoint());
        assertThat(failures.get("storage_writable").get("instruction").asString()).contains("create the bucket");
        assertThat(listed("no-bucket")).isFalse();
    }

    @Test
    void keysInAnS3LocationAreCheckedWithThenTravelAndAreStoredSealedOnly() throws SQLException {
        String shop = TestDatabases.uniqueSchema("s3keys");
        TestDatabases.execute(source, "CREATE DATABASE " + shop,
                "CREATE TABLE " + shop + ".orders (id INT PRIMARY KEY)");
        String accessKey = "AKIAKEYSINTHEURI";
        String secret = "wJalrXUtnFEMI+K7MDENG/bPxRfiCY";
        // a connect timeout of their own gives these locations S3 clients of their own, made while the chain is empty
        String withoutKeys = s3(BUCKET, "&connect-timeout=9s");
        String withKeys = withoutKeys + "&access-key=" + accessKey + "&secret-access-key=" + secret;

        // Given a coordinator whose own default credentials chain holds nothing (S3Mock checks no signature: a key
        // that is not used shows as missing credentials, not as a wrong signature)
        String chainKey = System.clearProperty("aws.accessKeyId");
        String chainSecret = System.clearProperty("aws.secretAccessKey");
        Harness.Response created;
        try {
            Map<String, JsonNode> withoutThem = check(specTo(withoutKeys, "s3-no-keys", "full", shop));
            assertThat(state(withoutThem, "storage_writable")).isEqualTo("FAIL");
            assertThat(withoutThem.get("storage_writable").get("message").asString())
                    .contains("no valid credentials");

            // When a spec with keys in its storage is submitted
            created = h.post("/api/v1/migrations", specTo(withKeys, "s3-keys", "full", shop));
        } finally {
            if (chainKey != null) {
                System.setProperty("aws.accessKeyId", chainKey);
                System.setProperty("aws.secretAccessKey", chainSecret);
            }
        }

        // Then the storage check passed with the location's keys, and the migration is accepted
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(accessKey).doesNotContain("wJalr").doesNotContain("sealed:");
        String id = created.json().get("id").asString();
        assertThat(h.migration(id).get("storage").asString()).isEqualTo(withoutKeys
                + "&access-key=***&secret-access-key=***");

        // and what travels and what is stored holds the keys sealed, never in plaintext
        for (String topic : List.of(TopicCatalog.DEFAULT.migrations(), TopicCatalog.DEFAULT.snapshotCommands())) {
            List<String> records = h.records(topic, id).stream().map(r -> new String(r.value(),
                    StandardCharsets.UTF_8)).toList();
            assertThat(records).as(topic).isNotEmpty().allSatisfy(r -> assertThat(r).doesNotContain(accessKey)
                    .doesNotContain("wJalr").contains("secret-access-key=sealed:v1:"));
        }
        SnapshotRequest request = h.commands(TopicCatalog.DEFAULT.snapshotCommands(), id, Command.class).stream()
                .filter(SnapshotRequest.class::isInstance).map(SnapshotRequest.class::cast).findFirst().orElseThrow();
        // a worker holding the same secret key signs with the keys as written
        assertThat(((S3Storage) Storages.open(request.location())).location().options().credentials())
                .isEqualTo(new S3Credentials.Keys(accessKey, secret, null));
    }

    @Test
    void anUnknownS3ParameterIsRefusedAtPostBeforeAnyCheck() {
        String shop = TestDatabases.uniqueSchema("s3typo");

        Harness.Response typo = h.post("/api/v1/migrations/check", specTo(s3(BUCKET, "&regoin=eu-west-1"
                + "&secret-acess-key=wJalrXUtnFEMI"), "s3-typo", "full", shop));
        assertThat(typo.status()).as(typo.body()).isEqualTo(400);
        assertThat(typo.json().get("code").asString()).isEqualTo("TM-40008");
        assertThat(typo.json().get("message").asString()).contains("unknown parameter 'regoin' (did you mean"
                + " region?)");
        assertThat(typo.json().get("remedy").asString()).contains("s3://bucket/prefix?param=value");
        assertThat(typo.body()).doesNotContain("wJalr");
    }
}
