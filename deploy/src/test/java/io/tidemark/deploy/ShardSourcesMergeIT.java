package io.tidemark.deploy;

import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * DM's shard merge across sources: two MariaDB sources, each with {@code shop.t_1} and {@code shop.t_2} (each table its
 * own key range), merged by one DM task in mode all into {@code merged.t}, with DM's extract-source and extract-table
 * columns recording where each row came from, under writes on every shard while they are dumped. The merged table ends
 * equal to the union of the four shards, each row with its source's name and its table's suffix.
 */
class ShardSourcesMergeIT {
    private static final List<String> TABLES = List.of("shop.t_1", "shop.t_2");
    private static final String COLUMNS = "id, amount, note";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static Stack stack;
    private static LocalMariaDb second;
    private static Map<String, LocalMariaDb> sources;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startEverything() throws Exception {
        stack = Stack.named("xmerge").withSource().start();
        second = TestDatabases.startSource("xmerge2");
        sources = Map.of("mysql-01", stack.source(), "mysql-02", second);
        int n = 0;
        for (String id : List.of("mysql-01", "mysql-02")) {
            List<String> setup = new ArrayList<>(List.of("CREATE DATABASE shop", "CREATE DATABASE seq"));
            for (String table : TABLES) {
                long base = ++n * 1_000_000L; // every shard of every source its own key range
                setup.add("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY AUTO_INCREMENT,"
                        + " amount DECIMAL(12,2) NOT NULL, note VARCHAR(100)) AUTO_INCREMENT = " + (base + 3001));
                setup.add("INSERT INTO " + table + " (" + COLUMNS + ") SELECT " + base + " + seq, seq / 3,"
                        + " IF(seq % 7 = 0, NULL, CONCAT('" + id + " " + table + " row ', seq))"
                        + " FROM seq.seq_1_to_3000");
            }
            // and a table on each source counting its keys from 1: merged, their rows would overwrite each other's
            setup.add("CREATE DATABASE coll");
            setup.add("CREATE TABLE coll.t (id INT PRIMARY KEY AUTO_INCREMENT, v INT)");
            setup.add("INSERT INTO coll.t (v) SELECT seq FROM seq.seq_1_to_100");
            TestDatabases.execute(sources.get(id), setup.toArray(String[]::new));
        }
    }

    @AfterAll
    static void stopEverything() {
        if (second != null) {
            second.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void twoSourcesShardsAreMergedIntoOneTableWithTheirSourceAndTableRecordedThroughSnapshotAndReplication()
            throws Exception {
        // Given both sources created, and a task merging their shards with DM's extract-source and extract-table
        for (String id : List.of("mysql-01", "mysql-02")) {
            LocalMariaDb db = sources.get(id);
            HttpResponse<String> created = post("/api/v1/sources", """
                    source-id: "%s"
                    from:
                      host: "%s"
                      port: %d
                      user: "root"
                      password: "%s"
                    """.formatted(id, db.host(), db.port(), TestDatabases.PASSWORD));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
        String task = task(Files.createTempDirectory("tidemark-xmerge-1"), Files.createTempDirectory("tidemark-xmerge-2"));
        HttpResponse<String> checked = post("/api/v1/tasks/check", task);
        assertThat(checked.statusCode()).as(checked.body()).isEqualTo(200);
        assertThat(checked.body()).doesNotContain(TestDatabases.PASSWORD)
                .contains("the shards of several sources merged into merged.t (from mysql-01:shop.t_1 `id`");

        // and a task merging the two sources' colliding tables is refused before anything starts, with DM's fix
        String colliding = task(Files.createTempDirectory("tidemark-xcoll-1"), Files.createTempDirectory(
                "tidemark-xcoll-2")).replace("name: \"xmerge\"", "name: \"xcollide\"")
                .replace("db-name: \"shop\"", "db-name: \"coll\"").replace("tbl-name: \"t_*\"", "tbl-name: \"t\"")
                .replace("schema-pattern: \"shop\"", "schema-pattern: \"coll\"")
                .replace("table-pattern: \"t_*\"", "table-pattern: \"t\"")
                .replace("target-schema: \"merged\"", "target-schema: \"collided\"");
        HttpResponse<String> refused = post("/api/v1/tasks", colliding);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(refused.body()).contains("TM-10008").contains("shard_sources: the source tables merged into"
                        + " collided.t have auto-increment primary keys whose values overlap: mysql-01:coll.t `id`"
                        + " holds 1–100 and mysql-02:coll.t `id` holds 1–100")
                .contains("as DM advises").doesNotContain(TestDatabases.PASSWORD);

        // When it starts while every shard is written to
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong writes = new AtomicLong();
        List<Thread> writers = new ArrayList<>();
        for (String id : List.of("mysql-01", "mysql-02")) {
            Thread t = new Thread(() -> writeWhileMigrating(sources.get(id), writing, writes), "writer-" + id);
            t.start();
            writers.add(t);
        }
        HttpResponse<String> started = post("/api/v1/tasks", task);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        assertThat(started.body()).doesNotContain(TestDatabases.PASSWORD);

        // Then both sources' migrations import into the one table, each verified on its own rows, and replicate
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
            JsonNode view = taskView();
            for (JsonNode i : view.path("instances")) {
                assertThat(i.path("migration").path("phase").asString()).as("%s", i).isNotEqualTo("failed");
            }
            return view.path("instances").size() == 2 && view.path("instances").valueStream()
                    .allMatch(i -> i.path("migration").path("phase").asString().equals("replicating"));
        });
        writing.set(false);
        for (Thread t : writers) {
            t.join();
        }
        assertThat(writes.get()).as("writes landed on the shards while they were dumped").isPositive();
        for (JsonNode i : taskView().path("instances")) {
            assertThat(i.path("migration").path("tables").valueStream().map(t -> t.path("table").asString()
                    + " -> " + t.path("target").asString() + " " + t.path("values").asString()))
                    .as("the import of %s, counted and checksummed on its own rows of merged.t", i.path("sourceId"))
                    .containsExactlyInAnyOrder("shop.t_1 -> merged.t equal", "shop.t_2 -> merged.t equal");
        }

        // And row changes on both sources after the import reach the merged table
        TestDatabases.execute(stack.source(), "INSERT INTO shop.t_2 (amount, note) VALUES (1.25, 'after')",
                "UPDATE shop.t_1 SET amount = amount + 1 WHERE id <= 1000100");
        TestDatabases.execute(second, "DELETE FROM shop.t_1 WHERE id BETWEEN 3000200 AND 3000300",
                "UPDATE shop.t_2 SET note = 'changed' WHERE id <= 4000050");
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> unionOfShards().equals(merged()));
        assertThat(merged()).as("merged.t against the union of the four shards with their source and table")
                .hasSize(unionOfShards().size()).containsExactlyElementsOf(unionOfShards());
        assertThat(merged()).anyMatch(r -> r.endsWith("|mysql-02|2")).anyMatch(r -> r.endsWith("|mysql-01|1"));
    }

    private String task(Path dump1, Path dump2) {
        return """
                name: "xmerge"
                task-mode: all
                target-database:
                  host: "127.0.0.1"
                  port: %d
                  user: "root"
                  password: "%s"
                block-allow-list:
                  shards:
                    do-tables:
                    - db-name: "shop"
                      tbl-name: "t_*"
                routes:
                  merge:
                    schema-pattern: "shop"
                    table-pattern: "t_*"
                    target-schema: "merged"
                    target-table: "t"
                    extract-table:
                      table-regexp: "t_(.*)"
                      target-column: "c_table"
                    extract-source:
                      source-regexp: "(.*)"
                      target-column: "c_source"
                loaders:
                  one:
                    dir: "%s"
                  two:
                    dir: "%s"
                mysql-instances:
                  - source-id: "mysql-01"
                    block-allow-list: "shards"
                    route-rules: ["merge"]
                    loader-config-name: "one"
                  - source-id: "mysql-02"
                    block-allow-list: "shards"
                    route-rules: ["merge"]
                    loader-config-name: "two"
                """.formatted(stack.target().port(), TestDatabases.PASSWORD, dump1.toUri(), dump2.toUri());
    }

    private JsonNode taskView() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/v1/tasks/xmerge")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> post(String path, String yaml) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(yaml)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + stack.platform().coordinatorPort() + path);
    }

    /** every shard's rows with the source's name and the table's suffix, in key order */
    private static List<String> unionOfShards() throws Exception {
        List<String> out = new ArrayList<>();
        for (String id : List.of("mysql-01", "mysql-02")) {
            for (String table : TABLES) {
                out.addAll(rows(sources.get(id), "SELECT " + COLUMNS + ", '" + id + "', '"
                        + table.substring(table.length() - 1) + "' FROM " + table));
            }
        }
        out.sort(null);
        return out;
    }

    private static List<String> merged() throws Exception {
        List<String> out = rows(stack.target(), "SELECT " + COLUMNS + ", c_source, c_table FROM merged.t");
        out.sort(null);
        return out;
    }

    private static List<String> rows(LocalMariaDb db, String select) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = TestDatabases.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(select)) {
            while (rs.next()) {
                out.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4)
                        + "|" + rs.getString(5));
            }
        }
        return out;
    }

    /** inserts, updates and deletes on both shards of a source while the snapshot runs */
    private static void writeWhileMigrating(LocalMariaDb db, AtomicBoolean writing, AtomicLong writes) {
        try (Connection c = TestDatabases.connect(db); Statement st = c.createStatement()) {
            long i = 0;
            while (writing.get()) {
                i++;
                String table = TABLES.get((int) (i % TABLES.size()));
                st.execute("INSERT INTO " + table + " (amount, note) VALUES (" + i + ".5, 'during dump " + i + "')");
                st.execute("UPDATE " + table + " SET amount = amount + 1 WHERE id % 3000 = " + (i * 37 % 3000));
                st.execute("DELETE FROM " + table + " WHERE id % 3000 = " + ((2000 + i) % 3000));
                writes.addAndGet(3);
                Thread.sleep(20);
            }
        } catch (Exception e) {
            throw new IllegalStateException("the shard writer failed", e);
        }
    }
}
