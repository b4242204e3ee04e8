package io.tidemark.deploy;

import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verified cut-over as a user runs it: a migration in mode incremental replicates a routed schema (shop →
 * shop_tidb) over a real broker and real MariaDB servers; {@code tidemark verify}, run as a process, waits for
 * replication to apply the source's current position and finds every table equal (exit 0), then finds the one row
 * changed on the target behind Tidemark's back, naming its table and the chunk's key range (exit 1).
 */
class VerifyIT {
    private static Stack stack;
    private static LocalMariaDb source;
    private static LocalMariaDb target;
    private static Platform platform;
    private final MigrationApi api = new MigrationApi(() -> platform.coordinatorPort());

    @BeforeAll
    static void startEverything() throws Exception {
        stack = Stack.named("verify").withSource().start();
        aliases();
    }

    /** the stack's parts under the names the tests use */
    private static void aliases() {
        source = stack.source();
        target = stack.target();
        platform = stack.platform();
    }

    @AfterAll
    static void stopEverything() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void verifyFindsEveryTableEqualWhileReplicatingThenNamesTheChunkOfARowChangedOnTheTarget() throws Exception {
        // Given the same tables on both sides (the target's under the routed schema) and a migration replicating
        String orders = "(id INT PRIMARY KEY, customer VARCHAR(40), total DECIMAL(10,2), at DATETIME(3))";
        String notes = "(line INT, note VARCHAR(40))"; // no key: one chunk
        TestDatabases.execute(source, "CREATE DATABASE shop", "CREATE TABLE shop.orders " + orders,
                "CREATE TABLE shop.notes " + notes);
        TestDatabases.execute(target, "CREATE DATABASE shop_tidb", "CREATE TABLE shop_tidb.orders " + orders,
                "CREATE TABLE shop_tidb.notes " + notes);
        for (LocalMariaDb db : new LocalMariaDb[]{source, target}) {
            String schema = db == source ? "shop" : "shop_tidb";
            try (Connection c = TestDatabases.connect(db); Statement st = c.createStatement()) {
                for (int i = 1; i <= 30; i++) {
                    st.execute("INSERT INTO " + schema + ".orders VALUES (" + i + ", 'customer " + i + "', " + i
                            + ".5, '2026-01-02 03:04:05.678')");
                }
                st.execute("INSERT INTO " + schema + ".notes VALUES (1, 'a'), (1, 'a'), (2, NULL)");
            }
        }
        String id = api.submit("""
                {"name": "verify shop", "mode": "incremental",
                 "source": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["shop.*"],
                 "routes": [{"schemaPattern": "shop", "targetSchema": "shop_tidb"}]}
                """.formatted(source.port(), TestDatabases.PASSWORD, target.port(), TestDatabases.PASSWORD),
                TestDatabases.PASSWORD);
        api.awaitView(id, Duration.ofMinutes(1), v -> v.path("phase").asString().equals("replicating")
                && !v.path("positions").path("replication").isMissingNode());
        // and writes on the source after the start, which verify must wait for
        TestDatabases.execute(source, "UPDATE shop.orders SET total = total + 100 WHERE id IN (3, 17, 29)",
                "INSERT INTO shop.orders VALUES (31, 'late', 1.00, NOW(3))", "DELETE FROM shop.notes WHERE line = 2");
        Path work = Files.createTempDirectory("tidemark-verify");

        // When verify runs, Then every table is equal and the exit status says so
        CliRun equal = CliRun.of(platform.coordinatorPort(), work, Duration.ofMinutes(2), "verify", id,
                "--chunk-rows", "10", "--timeout", "60s");
        assertThat(equal.exit()).as(equal.output()).isZero();
        assertThat(equal.output()).containsPattern("shop\\.orders\\s+shop_tidb\\.orders\\s+4\\s+ok")
                .containsPattern("shop\\.notes\\s+shop_tidb\\.notes\\s+1\\s+ok")
                .contains("all 2 tables equal");

        // When a row is changed on the target behind Tidemark's back
        TestDatabases.execute(target, "UPDATE shop_tidb.orders SET customer = 'tampered' WHERE id = 15");

        // Then verify names the table and the chunk holding the row, with both sides' counts, and exits 1
        CliRun different = CliRun.of(platform.coordinatorPort(), work, Duration.ofMinutes(2), "verify", id,
                "--chunk-rows", "10", "--lock");
        assertThat(different.exit()).as(different.output()).isEqualTo(1);
        assertThat(different.output()).containsPattern("shop\\.orders\\s+shop_tidb\\.orders\\s+4\\s+different")
                .containsPattern("shop\\.notes\\s+shop_tidb\\.notes\\s+1\\s+ok")
                .contains("shop.orders chunk id (10, 20]: source 10 rows, checksum ")
                .contains("(source tables read-locked)")
                .contains("1 of 2 tables differ");

        // And --json gives a script the same verdict
        CliRun json = CliRun.of(platform.coordinatorPort(), work, Duration.ofMinutes(2), "--json", "verify", id,
                "--chunk-rows", "10");
        assertThat(json.exit()).isEqualTo(1);
        assertThat(json.output()).contains("\"equal\" : false").contains("\"range\" : \"id (10, 20]\"");

        // And a position replication never reaches ends the wait with where it is: exit 1, nothing compared
        CliRun late = CliRun.of(platform.coordinatorPort(), work, Duration.ofMinutes(1), "verify", id,
                "--at", "mysql-bin.000099:4", "--timeout", "2s");
        assertThat(late.exit()).isEqualTo(1);
        assertThat(late.output()).contains("TM-30024").contains("did not reach the source position"
                + " mysql-bin.000099:4 within 2s (it has applied up to mysql-bin.000001:");

        // And a migration that no longer replicates cannot be verified at a position: refused, exit 2
        HttpResponse<String> stopped = api.post(id, "stop");
        assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(200);
        api.awaitView(id, Duration.ofSeconds(30), v -> v.path("phase").asString().equals("stopped"));
        CliRun refused = CliRun.of(platform.coordinatorPort(), work, Duration.ofMinutes(1), "verify", id);
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.output()).contains("TM-30023").contains("migration " + id + " is not replicating")
                .contains("its phase is stopped");
        // the DM task form of the endpoint names a task it does not know
        HttpResponse<String> noTask = api.call("POST", "/api/v1/tasks/nope/verify", null, null);
        assertThat(noTask.statusCode()).isEqualTo(404);
        assertThat(noTask.body()).contains("nope");
    }
}
