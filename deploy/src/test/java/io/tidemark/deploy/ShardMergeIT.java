package io.tidemark.deploy;

import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * DM's shard merge from one source: two schemas of two tables each ({@code shard_1.t_1} … {@code shard_2.t_2}), each
 * with its own key range, routed by one wildcard rule into {@code merged.t}, in mode all with writes on every shard
 * during the dump. The merged table ends equal to the union of the shards; a DDL on one shard then stops replication
 * with TM-30032, as the migration coordinates no shard DDL (shard-mode pessimistic is a DM task's; see
 * ShardSourcesMergeIT).
 */
class ShardMergeIT {
    private static final List<String> SHARDS = List.of("shard_1.t_1", "shard_1.t_2", "shard_2.t_1", "shard_2.t_2");
    private static final String COLUMNS = "id, amount, note, updated_at";

    private static Stack stack;
    private static LocalMariaDb source;
    private static LocalMariaDb target;
    private static Platform platform;
    private final MigrationApi api = new MigrationApi(() -> platform.coordinatorPort());

    @BeforeAll
    static void startEverything() throws Exception {
        stack = Stack.named("shards").withSource().start();
        source = stack.source();
        target = stack.target();
        platform = stack.platform();
        List<String> setup = new ArrayList<>(List.of("CREATE DATABASE shard_1", "CREATE DATABASE shard_2",
                "CREATE DATABASE seq")); // the sequence engine's seq_1_to_N need a database to be named in
        for (int i = 0; i < SHARDS.size(); i++) {
            long base = (i + 1) * 1_000_000L; // each shard its own key range, so the merged keys never collide
            setup.add("CREATE TABLE " + SHARDS.get(i) + " (id BIGINT PRIMARY KEY AUTO_INCREMENT,"
                    + " amount DECIMAL(12,2) NOT NULL, note VARCHAR(100), updated_at DATETIME(6)) AUTO_INCREMENT = "
                    + (base + 5001));
            setup.add("INSERT INTO " + SHARDS.get(i) + " (" + COLUMNS + ") SELECT " + base + " + seq, seq / 3,"
                    + " IF(seq % 7 = 0, NULL, CONCAT('" + SHARDS.get(i) + " row ', seq)),"
                    + " '2026-01-01' + INTERVAL seq MINUTE FROM seq.seq_1_to_5000");
        }
        // two more shards, both counting their keys from 1: their rows would overwrite each other's once merged
        for (String collide : List.of("collide_1", "collide_2")) {
            setup.add("CREATE DATABASE " + collide);
            setup.add("CREATE TABLE " + collide + ".t (id INT PRIMARY KEY AUTO_INCREMENT, v INT)");
            setup.add("INSERT INTO " + collide + ".t (v) SELECT seq FROM seq.seq_1_to_100");
        }
        TestDatabases.execute(source, setup.toArray(String[]::new));
    }

    @AfterAll
    static void stopEverything() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theShardsAreMergedIntoOneTableThroughTheSnapshotAndReplicationAndAShardDdlStopsClearly() throws Exception {
        Path storage = Files.createTempDirectory("tidemark-shard-dumps");
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong writes = new AtomicLong();
        Thread writer = new Thread(() -> writeWhileMigrating(writing, writes), "shard-writer");

        // Given shards under write load, When a migration in mode all merging them into one table is submitted
        writer.start();
        String id = api.submit(spec(storage), TestDatabases.PASSWORD);

        // Then its import is verified on the one merged table (all shards' files against its count) before replication
        JsonNode view = api.awaitView(id, Duration.ofMinutes(3), v -> v.path("phase").asString().equals("replicating"));
        writing.set(false);
        writer.join();
        assertThat(writes.get()).as("writes landed on the shards while they were dumped").isPositive();
        // the shards' auto-increment keys do not overlap, but may once a counter runs into another's range
        assertThat(view.path("warnings").valueStream().map(w -> w.path("name").asString()).toList())
                .contains("shard_tables");
        assertThat(view.path("tables").valueStream().map(t -> t.path("table").asString() + " -> "
                + t.path("target").asString() + " " + t.path("values").asString() + " "
                + (t.path("rowsInTarget").asLong(-1) == t.path("rowsInFiles").asLong(-2))))
                .containsExactlyInAnyOrderElementsOf(SHARDS.stream().map(s -> s + " -> merged.t equal true").toList());

        // And row changes on every shard after the import reach the merged table: it equals the union of the shards
        TestDatabases.execute(source,
                "INSERT INTO shard_2.t_1 (amount, note) VALUES (1.25, 'after the import')",
                "UPDATE shard_1.t_2 SET amount = amount + 1 WHERE id <= 2000100",
                "DELETE FROM shard_2.t_2 WHERE id BETWEEN 4000200 AND 4000300");
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> unionOfShards().equals(merged()));
        assertThat(merged()).as("merged.t on the target against the union of the shards on the source")
                .hasSize(unionOfShards().size()).containsExactlyElementsOf(unionOfShards());

        // the cut-over verification says it cannot compare a shard with the merged table, rather than a false difference
        java.net.http.HttpResponse<String> verify = api.call("POST", "/api/v1/migrations/" + id + "/verify?at=now",
                null, null);
        assertThat(verify.statusCode()).as(verify.body()).isEqualTo(200);
        JsonNode report = tools.jackson.databind.json.JsonMapper.builder().build().readTree(verify.body());
        assertThat(report.path("equal").asBoolean(true)).isFalse();
        assertThat(report.path("tables").valueStream().map(t -> t.path("problem").asString()).toList())
                .hasSize(SHARDS.size()).allSatisfy(p -> assertThat(p).isEqualTo("not compared: merged.t merges"
                        + " several source tables (shard merge), of which this is one; compare the union of the"
                        + " shards with it"));

        // When one shard changes its table's definition, Then replication stops naming the merged table
        TestDatabases.execute(source, "ALTER TABLE shard_2.t_1 ADD COLUMN extra INT");
        JsonNode failed = await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.get(id), v -> v.path("phase").asString().equals("failed"));
        assertThat(failed.path("error").path("code").asString()).isEqualTo("TM-30032");
        assertThat(failed.path("error").path("stage").asString()).isEqualTo("replication");
        assertThat(failed.path("error").path("message").asString())
                .contains("ALTER TABLE shard_2.t_1 ADD COLUMN extra INT")
                .contains("changes a shard of the merged table merged.t, and the task does not coordinate it"
                        + " (without shard-mode no shard DDL is;");
        try (Connection c = TestDatabases.connect(target); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.COLUMNS"
                     + " WHERE TABLE_SCHEMA = 'merged' AND TABLE_NAME = 't' AND COLUMN_NAME = 'extra'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the merged table was not changed under the other shards").isZero();
        }
    }

    @Test
    void shardsWhoseAutoIncrementKeysOverlapAreRefusedBeforeAnythingStarts() throws Exception {
        String spec = """
                {"name": "colliding shards", "mode": "full",
                 "source": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["collide_*.t"],
                 "routes": [{"schemaPattern": "collide_*", "tablePattern": "t",
                             "targetSchema": "collided", "targetTable": "t"}],
                 "storage": "%s"}
                """.formatted(source.port(), TestDatabases.PASSWORD, target.port(), TestDatabases.PASSWORD,
                Files.createTempDirectory("tidemark-collide").toUri());
        java.net.http.HttpResponse<String> r = api.call("POST", "/api/v1/migrations", "application/json", spec);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(r.body()).contains("TM-10008")
                .contains("shard_tables: the source tables merged into collided.t have auto-increment primary keys"
                        + " whose values overlap")
                .contains("collide_1.t `id` holds 1–100 and collide_2.t `id` holds 1–100")
                .doesNotContain(TestDatabases.PASSWORD);
        try (Connection c = TestDatabases.connect(target); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.SCHEMATA"
                     + " WHERE SCHEMA_NAME = 'collided'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("nothing was started").isZero();
        }
    }

    private String spec(Path storage) {
        return """
                {"name": "shard merge", "mode": "all",
                 "source": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["shard_*.t_*"],
                 "routes": [{"schemaPattern": "shard_*", "tablePattern": "t_*",
                             "targetSchema": "merged", "targetTable": "t"}],
                 "storage": "%s"}
                """.formatted(source.port(), TestDatabases.PASSWORD, target.port(), TestDatabases.PASSWORD,
                storage.toUri());
    }

    /** every shard's rows, in key order, as text */
    private static List<String> unionOfShards() throws Exception {
        return rows(source, String.join(" UNION ALL ", SHARDS.stream()
                .map(s -> "SELECT " + COLUMNS + " FROM " + s).toList()));
    }

    private static List<String> merged() throws Exception {
        return rows(target, "SELECT " + COLUMNS + " FROM merged.t");
    }

    private static List<String> rows(LocalMariaDb db, String select) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = TestDatabases.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM (" + select + ") u ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4));
            }
        }
        return out;
    }

    /** inserts, updates and deletes on every shard while the snapshot runs */
    private static void writeWhileMigrating(AtomicBoolean writing, AtomicLong writes) {
        try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement()) {
            long i = 0;
            while (writing.get()) {
                i++;
                String shard = SHARDS.get((int) (i % SHARDS.size()));
                long base = (i % SHARDS.size() + 1) * 1_000_000L;
                st.execute("INSERT INTO " + shard + " (amount, note, updated_at) VALUES (" + i + ".5, 'during dump "
                        + i + "', NOW(6))");
                st.execute("UPDATE " + shard + " SET amount = amount + 1 WHERE id = " + (base + 1 + i * 37 % 5000));
                st.execute("DELETE FROM " + shard + " WHERE id = " + (base + 2500 + i));
                writes.addAndGet(3);
                Thread.sleep(20);
            }
        } catch (Exception e) {
            throw new IllegalStateException("the shard writer failed", e);
        }
    }
}
