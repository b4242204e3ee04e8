package io.tidemark.deploy;

import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
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
    private final MigrationApi api = new MigrationApi(() -> stack.platform().coordinatorPort());

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
            // the shards of the shard-mode pessimistic task, each its own key range (ddl.t_1, ddl.t_2)
            setup.add("CREATE DATABASE ddl");
            for (String table : List.of("ddl.t_1", "ddl.t_2")) {
                long base = (n + 2 + (table.endsWith("2") ? 1 : 0) + (id.equals("mysql-02") ? 10 : 0)) * 1_000_000L;
                setup.add("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY AUTO_INCREMENT,"
                        + " amount DECIMAL(12,2) NOT NULL, note VARCHAR(100)) AUTO_INCREMENT = " + (base + 1001));
                setup.add("INSERT INTO " + table + " (" + COLUMNS + ") SELECT " + base + " + seq, seq / 3,"
                        + " CONCAT('" + id + " " + table + " row ', seq) FROM seq.seq_1_to_1000");
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
            assertThat(created.statusCode()).as(created.body()).isIn(201, 409); // 409: the other test made it
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

    @Test
    void withShardModePessimisticADdlReachingTheShardsAtDifferentTimesUnderWritesIsAppliedOnceAllReachedIt()
            throws Exception {
        // Given a task merging both sources' ddl.t_1 and ddl.t_2 into merged.d with shard-mode pessimistic
        for (String id : List.of("mysql-01", "mysql-02")) {
            LocalMariaDb db = sources.get(id);
            post("/api/v1/sources", """
                    source-id: "%s"
                    from:
                      host: "%s"
                      port: %d
                      user: "root"
                      password: "%s"
                    """.formatted(id, db.host(), db.port(), TestDatabases.PASSWORD)); // 201, or 409 when created
        }
        String task = task(Files.createTempDirectory("tidemark-xddl-1"), Files.createTempDirectory("tidemark-xddl-2"))
                .replace("name: \"xmerge\"", "name: \"xddl\"\nshard-mode: \"pessimistic\"")
                .replace("db-name: \"shop\"", "db-name: \"ddl\"").replace("schema-pattern: \"shop\"",
                        "schema-pattern: \"ddl\"").replace("target-table: \"t\"", "target-table: \"d\"");
        HttpResponse<String> started = post("/api/v1/tasks", task);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> {
            JsonNode view = taskView("xddl");
            return view.path("instances").size() == 2 && view.path("instances").valueStream()
                    .allMatch(i -> i.path("migration").path("phase").asString().equals("replicating"));
        });

        // When writes run on every shard and one shard's table gains a column
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong writes = new AtomicLong();
        List<Thread> writers = new ArrayList<>();
        for (String id : List.of("mysql-01", "mysql-02")) {
            Thread t = new Thread(() -> writeDdlShards(sources.get(id), writing, writes), "ddl-writer-" + id);
            t.start();
            writers.add(t);
        }
        Thread.sleep(500);
        TestDatabases.execute(stack.source(), "ALTER TABLE ddl.t_1 ADD COLUMN extra INT");

        // Then the lock holds that shard at its DDL and waits for the three others; the merged table is unchanged
        JsonNode lock = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> locks("xddl"), l -> l.size() == 1 && l.get(0).path("shards").size() == 1).get(0);
        assertThat(lock.path("id").asString()).isEqualTo("xddl-merged.d");
        assertThat(lock.path("state").asString()).isEqualTo("waiting");
        assertThat(lock.path("statement").asString()).isEqualTo("ALTER TABLE `merged`.`d` ADD COLUMN extra INT");
        assertThat(lock.path("shards").get(0).path("table").asString()).isEqualTo("ddl.t_1");
        assertThat(lock.path("waitingFor").size()).isEqualTo(3);
        JsonNode held = taskView("xddl").path("instances").valueStream()
                .filter(i -> i.path("sourceId").asString().equals("mysql-01")).findFirst().orElseThrow();
        assertThat(held.path("migration").path("shardDdls").valueStream().map(d -> d.path("table").asString()
                + " -> " + d.path("target").asString()).toList()).as("query-status shows what the shard waits at")
                .containsExactly("ddl.t_1 -> merged.d");
        assertThat(columns("merged", "d")).doesNotContain("extra");
        CliRun listed = CliRun.of(stack.platform().coordinatorPort(), Files.createTempDirectory("tidemark-cli"),
                Duration.ofSeconds(60), "shard-ddl-lock", "xddl");
        assertThat(listed.exit()).as(listed.output()).isZero();
        assertThat(listed.output()).contains("lock xddl-merged.d (waiting): ALTER TABLE `merged`.`d` ADD COLUMN"
                + " extra INT").containsPattern("ddl\\.t_1 +xddl-mysql-01-\\S+ +mysql-bin\\.\\d+:\\d+ +false");

        // and the shards not there yet keep replicating: a row of another source's shard reaches the merged table
        TestDatabases.execute(second, "INSERT INTO ddl.t_2 (amount, note) VALUES (7.77, 'while the lock waits')");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> CliRun.rows(
                stack.target(), "SELECT COUNT(*) FROM merged.d WHERE note = 'while the lock waits'").equals(
                List.of("1")));

        // When the task is paused and resumed while the shard waits, Then it resumes from before the DDL (the
        // checkpoint held there), skips what the other tables already applied, and waits at the same DDL again
        assertThat(post("/api/v1/tasks/xddl/pause", "").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> taskView("xddl")
                .path("instances").valueStream().allMatch(i -> i.path("migration").path("phase").asString()
                        .equals("stopped")));
        assertThat(post("/api/v1/tasks/xddl/resume", "").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> taskView("xddl")
                .path("instances").valueStream().allMatch(i -> i.path("migration").path("phase").asString()
                        .equals("replicating")));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> locks("xddl"), l -> l.size() == 1 && l.get(0).path("shards").size() == 1
                        && l.get(0).path("shards").get(0).path("table").asString().equals("ddl.t_1"));

        // When the other shards make the same change, one after another under the writes
        TestDatabases.execute(second, "ALTER TABLE ddl.t_2 ADD COLUMN extra INT");
        Thread.sleep(700);
        TestDatabases.execute(stack.source(), "ALTER TABLE ddl.t_2 ADD COLUMN extra INT");
        Thread.sleep(700);
        TestDatabases.execute(second, "ALTER TABLE ddl.t_1 ADD COLUMN extra INT");

        // Then the DDL runs once on the merged table and every shard goes on past it
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> columns("merged", "d").contains("extra"));
        Thread.sleep(1000);
        writing.set(false);
        for (Thread t : writers) {
            t.join();
        }
        assertThat(writes.get()).isPositive();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> ddlShards().equals(ddlMerged()));
        assertThat(ddlMerged()).as("merged.d against the union of the four shards, with the new column")
                .hasSize(ddlShards().size()).containsExactlyElementsOf(ddlShards())
                .anyMatch(r -> !r.contains("|null|"));
        assertThat(locks("xddl")).as("no lock left once every shard went on").isEmpty();
        for (JsonNode i : taskView("xddl").path("instances")) {
            assertThat(i.path("migration").path("phase").asString()).isEqualTo("replicating");
        }

        // When the shards then make different changes, Then the lock blocks naming them, and nothing is applied
        TestDatabases.execute(stack.source(), "ALTER TABLE ddl.t_1 ADD COLUMN more INT",
                "ALTER TABLE ddl.t_2 ADD COLUMN more INT");
        TestDatabases.execute(second, "ALTER TABLE ddl.t_1 ADD COLUMN more INT",
                "ALTER TABLE ddl.t_2 ADD COLUMN more BIGINT");
        JsonNode blocked = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> locks("xddl"), l -> l.size() == 1 && l.get(0).path("state").asString().equals("blocked"))
                .get(0);
        assertThat(blocked.path("error").path("code").asString()).isEqualTo("TM-30038");
        assertThat(blocked.path("error").path("message").asString()).contains("reached different DDLs")
                .contains("ADD COLUMN more BIGINT");
        assertThat(blocked.path("waitingFor")).isEmpty();
        assertThat(columns("merged", "d")).doesNotContain("more");

        // When the user unlocks it, Then the first shard's DDL runs once and every shard goes on, ending equal
        CliRun unlocked = CliRun.of(stack.platform().coordinatorPort(), Files.createTempDirectory("tidemark-cli"),
                Duration.ofSeconds(60), "shard-ddl-lock", "unlock", "xddl-merged.d");
        assertThat(unlocked.exit()).as(unlocked.output()).isZero();
        assertThat(unlocked.output()).contains("shard DDL lock xddl-merged.d unlocked");
        TestDatabases.execute(second, "INSERT INTO ddl.t_2 (amount, note, extra, more) VALUES (1, 'after unlock', 2,"
                + " 3)");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> locks("xddl").isEmpty() && columns("merged", "d").contains("more")
                        && ddlShards().equals(ddlMerged()));
        assertThat(CliRun.rows(stack.target(), "SELECT more FROM merged.d WHERE note = 'after unlock'"))
                .containsExactly("3");
    }

    private JsonNode locks(String task) throws Exception {
        HttpResponse<String> r = api.call("GET", "/api/v1/shard-ddl-locks?task=" + task, null, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static List<String> columns(String schema, String table) throws Exception {
        return CliRun.rows(stack.target(), "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '"
                + schema + "' AND TABLE_NAME = '" + table + "'");
    }

    /** the four ddl shards' rows with their source (and the new column, NULL where a shard lacks it yet) */
    private static List<String> ddlShards() throws Exception {
        List<String> out = new ArrayList<>();
        for (String id : List.of("mysql-01", "mysql-02")) {
            for (String table : List.of("ddl.t_1", "ddl.t_2")) {
                boolean has = CliRun.rows(sources.get(id), "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE"
                        + " TABLE_SCHEMA = 'ddl' AND TABLE_NAME = '" + table.substring(4) + "' AND COLUMN_NAME ="
                        + " 'extra'").equals(List.of("1"));
                out.addAll(rows(sources.get(id), "SELECT " + COLUMNS + ", " + (has ? "extra" : "NULL") + ", '" + id
                        + "' FROM " + table));
            }
        }
        out.sort(null);
        return out;
    }

    private static List<String> ddlMerged() throws Exception {
        List<String> out = rows(stack.target(), "SELECT " + COLUMNS + ", extra, c_source FROM merged.d");
        out.sort(null);
        return out;
    }

    /** inserts (with the new column once the shard has it), updates and deletes on a source's two ddl shards */
    private static void writeDdlShards(LocalMariaDb db, AtomicBoolean writing, AtomicLong writes) {
        try (Connection c = TestDatabases.connect(db); Statement st = c.createStatement()) {
            long i = 0;
            while (writing.get()) {
                i++;
                String table = i % 2 == 0 ? "ddl.t_1" : "ddl.t_2";
                try {
                    st.execute("INSERT INTO " + table + " (amount, note, extra) VALUES (" + i + ".5, 'w " + i + "', "
                            + i + ")");
                } catch (java.sql.SQLException noColumnYet) {
                    st.execute("INSERT INTO " + table + " (amount, note) VALUES (" + i + ".5, 'w " + i + "')");
                }
                st.execute("UPDATE " + table + " SET amount = amount + 1 WHERE id % 1000 = " + (i * 37 % 1000));
                st.execute("DELETE FROM " + table + " WHERE id % 1000 = " + ((500 + i) % 1000));
                writes.addAndGet(3);
                Thread.sleep(15);
            }
        } catch (Exception e) {
            throw new IllegalStateException("the ddl shard writer failed", e);
        }
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
        return taskView("xmerge");
    }

    private JsonNode taskView(String name) throws Exception {
        HttpResponse<String> r = api.call("GET", "/api/v1/tasks/" + name, null, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> post(String path, String yaml) throws Exception {
        return api.call("POST", path, "application/yaml", yaml);
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
