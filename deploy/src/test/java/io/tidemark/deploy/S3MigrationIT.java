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
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A migration whose dump lives in S3, through all four services over a real broker, real MariaDB servers and an
 * S3-compatible server on this machine (S3Mock as its own process): mode {@code full}, dumped by snapshot-service into
 * the bucket, imported by lightning-service from there, ending in a data diff. The storage location carries no keys:
 * each service signs with its own AWS default credentials chain — here the {@code aws.accessKeyId} and
 * {@code aws.secretAccessKey} system properties the build sets, on a real host its environment, profile, web identity
 * or instance role.
 */
class S3MigrationIT {
    private static final String REPL_PASSWORD = "Repl-pw-9";
    private static final String BUCKET = "tidemark-dumps";
    private static final List<TableRef> TABLES = Demo.TABLES.stream().map(t -> TableRef.of(Demo.SCHEMA, t)).toList();

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
        stack = Stack.named("s3e2e").withSource().withS3(work, BUCKET).start();
        aliases();
        try (Connection c = TestDatabases.connect(source)) {
            SampleData.create(c, REPL_PASSWORD);
        }
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
    void aFullMigrationDumpsIntoS3AndImportsFromThereEndingInADataDiff() throws Exception {
        // Given a source holding every type family, and a bucket on an S3-compatible store
        TestDatabases.execute(target, "DROP DATABASE IF EXISTS " + Demo.SCHEMA);
        String storage = "s3://" + BUCKET + "/dumps?endpoint=" + s3.endpoint() + "&region=" + LocalS3.REGION
                + "&force-path-style=true";

        // When a migration in mode full is submitted with its storage there
        String id = api.submit("""
                {"name": "s3 shop", "mode": "full",
                 "source": {"host": "127.0.0.1", "port": %d, "user": "tidemark", "password": "%s"},
                 "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["shop.*", "!shop.tmp_*"],
                 "storage": "%s"}
                """.formatted(source.port(), REPL_PASSWORD, target.port(), TestDatabases.PASSWORD, storage),
                REPL_PASSWORD);

        // Then it is dumped, imported and complete, every table in
        JsonNode view = api.awaitView(id, Duration.ofMinutes(4), v -> v.path("phase").asString().equals("completed"));
        assertThat(view.path("storage").asString()).isEqualTo(storage);
        assertThat(view.path("tables")).hasSize(TABLES.size())
                .allSatisfy(t -> assertThat(t.path("state").asString()).as(t.toString()).isEqualTo("imported"));

        // and the target holds what the source holds, table by table
        DataDiff.assertSame(source, target, TABLES);

        // and the dump is in the bucket under the migration's own directory, in Dumpling's layout, marker included;
        // nothing else is left there (the coordinator's write probe is gone again)
        String dumpPrefix = "dumps/" + id + "/";
        List<String> dump = s3.keys(BUCKET, dumpPrefix).stream().map(k -> k.substring(dumpPrefix.length())).toList();
        assertThat(dump).contains(CompletionMarker.FILE, DumpLayout.METADATA,
                DumpLayout.schemaCreateFile(Demo.SCHEMA));
        for (TableRef table : TABLES) {
            assertThat(dump).contains(DumpLayout.tableSchemaFile(table), DumpLayout.dataFile(table, 0, "sql"));
        }
        assertThat(dump).noneMatch(k -> k.contains("tmp_"));
        assertThat(s3.keys(BUCKET, "dumps/")).allMatch(k -> k.startsWith(dumpPrefix));
        assertThat(api.get(id).toString()).doesNotContain(REPL_PASSWORD).doesNotContain(TestDatabases.PASSWORD);
    }

    @Test
    void keysInTheLocationAreAllEveryServiceNeedsAndTravelSealed() throws Exception {
        // Given a location with keys, as Dumpling and TiDB Lightning take them, and services whose own credentials
        // chain is empty (S3Mock checks no signature: a service that did not open the sealed keys would fail with
        // missing credentials or an unreadable secret, not a wrong signature)
        TestDatabases.execute(target, "DROP DATABASE IF EXISTS " + Demo.SCHEMA);
        String accessKey = "AKIADEPLOYKEYS";
        String secret = "dEpLoY+secret/KEY";
        String storage = "s3://" + BUCKET + "/keyed?endpoint=" + s3.endpoint() + "&region=" + LocalS3.REGION
                + "&force-path-style=true&connect-timeout=8s&access-key=" + accessKey + "&secret-access-key="
                + secret;
        String chainKey = System.clearProperty("aws.accessKeyId");
        String chainSecret = System.clearProperty("aws.secretAccessKey");
        try {
            // When a migration in mode full dumps there and imports from there
            String id = api.submit("""
                    {"name": "s3 keys", "mode": "full",
                     "source": {"host": "127.0.0.1", "port": %d, "user": "tidemark", "password": "%s"},
                     "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                     "filter": ["shop.*", "!shop.tmp_*"],
                     "storage": "%s"}
                    """.formatted(source.port(), REPL_PASSWORD, target.port(), TestDatabases.PASSWORD, storage),
                    REPL_PASSWORD);

            // Then snapshot-service and lightning-service opened the keys themselves: it completes, equal
            JsonNode view = api.awaitView(id, Duration.ofMinutes(4),
                    v -> v.path("phase").asString().equals("completed") || v.path("phase").asString().equals("failed"));
            assertThat(view.path("phase").asString()).as(view.toString()).isEqualTo("completed");
            DataDiff.assertSame(source, target, TABLES);
            assertThat(s3.keys(BUCKET, "keyed/" + id + "/")).contains("keyed/" + id + "/" + CompletionMarker.FILE);

            // and no view shows the keys
            assertThat(api.get(id).toString()).doesNotContain(accessKey).doesNotContain("dEpLoY")
                    .contains("access-key=***");
        } finally {
            if (chainKey != null) {
                System.setProperty("aws.accessKeyId", chainKey);
                System.setProperty("aws.secretAccessKey", chainSecret);
            }
        }
    }
}
