package io.tidemark.deploy;

import io.tidemark.common.table.TableRef;
import io.tidemark.testkit.DataDiff;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * DM's routes in mode all: a schema route and a table route, over a real broker and real MariaDB servers, with writes
 * on the source while it is dumped. The snapshot's import writes the routed names, its verification counts them there,
 * replication goes on writing them, and the source's names never appear on the target. Ends in a data diff of each
 * source table against its routed target table.
 */
class RoutedMigrationIT {
    private static final String SCHEMA = "shop_r";
    private static final TableRef ORDERS = TableRef.of(SCHEMA, "orders");
    private static final TableRef CUSTOMERS = TableRef.of(SCHEMA, "customers");
    /** the table route wins over the schema route for orders; customers follows the schema route */
    private static final Map<TableRef, TableRef> ROUTED = new LinkedHashMap<>(Map.of(
            ORDERS, TableRef.of("sales", "orders_v2"),
            CUSTOMERS, TableRef.of("shop_new", "customers")));

    private static Stack stack;
    private static LocalMariaDb source;
    private static LocalMariaDb target;
    private static Platform platform;
    private final MigrationApi api = new MigrationApi(() -> platform.coordinatorPort());

    @BeforeAll
    static void startEverything() throws Exception {
        stack = Stack.named("routed").withSource().start();
        source = stack.source();
        target = stack.target();
        platform = stack.platform();
        TestDatabases.execute(source,
                "CREATE DATABASE " + SCHEMA,
                "CREATE DATABASE seq", // the sequence engine's tables (seq_1_to_N) need a database to be named in
                "CREATE TABLE " + CUSTOMERS + " (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(64) NOT NULL,"
                        + " balance DECIMAL(12,2))",
                "CREATE TABLE " + ORDERS + " (id BIGINT PRIMARY KEY AUTO_INCREMENT, customer_id INT NOT NULL,"
                        + " total DECIMAL(12,2) NOT NULL, note VARCHAR(200), created_at DATETIME(6))",
                "INSERT INTO " + CUSTOMERS + " (name, balance) SELECT CONCAT('c', seq), seq / 10"
                        + " FROM seq.seq_1_to_2000",
                "INSERT INTO " + ORDERS + " (customer_id, total, note, created_at) SELECT 1 + seq % 2000, seq / 7,"
                        + " IF(seq % 5 = 0, NULL, CONCAT('order ', seq)), '2026-01-01' + INTERVAL seq SECOND"
                        + " FROM seq.seq_1_to_20000");
    }

    @AfterAll
    static void stopEverything() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void modeAllWritesTheRoutedNamesFromTheSnapshotOnAndVerifiesThemThere() throws Exception {
        Path storage = Files.createTempDirectory("tidemark-routed-dumps");
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong writes = new AtomicLong();
        Thread writer = new Thread(() -> writeWhileMigrating(writing, writes), "source-writer");

        // Given a source under write load, When a migration in mode all with a table and a schema route is submitted
        writer.start();
        String id = api.submit(spec(storage), TestDatabases.PASSWORD);

        // Then it passes the snapshot and the import's verification into replication
        JsonNode view = api.awaitView(id, Duration.ofMinutes(3), v -> v.path("phase").asString().equals("replicating"));
        writing.set(false);
        writer.join();
        assertThat(writes.get()).as("writes landed on the source while it was dumped").isPositive();
        // each source table is shown with its target, counted there with the rows and values its files held
        assertThat(view.path("tables").valueStream().map(t -> t.path("table").asString() + " -> "
                + t.path("target").asString() + " " + t.path("values").asString() + " "
                + (t.path("rowsInTarget").asLong(-1) == t.path("rowsInFiles").asLong(-2))))
                .containsExactlyInAnyOrder("shop_r.customers -> shop_new.customers equal true",
                        "shop_r.orders -> sales.orders_v2 equal true");

        // And writes after the import arrive under the routed names too
        TestDatabases.execute(source,
                "INSERT INTO " + ORDERS + " (customer_id, total, note) VALUES (7, 70.00, 'after the import')",
                "UPDATE " + CUSTOMERS + " SET balance = balance + 1 WHERE id <= 50",
                "DELETE FROM " + ORDERS + " WHERE id BETWEEN 100 AND 120");
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> DataDiff.same(source, target, ROUTED));
        DataDiff.assertSame(source, target, ROUTED);

        // the source's names were never written on the target
        try (Connection c = TestDatabases.connect(target); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.SCHEMATA"
                     + " WHERE SCHEMA_NAME = '" + SCHEMA + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("schema %s on the target", SCHEMA).isZero();
        }
        try (Connection c = TestDatabases.connect(target); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES"
                     + " WHERE TABLE_SCHEMA IN ('sales', 'shop_new') ORDER BY 1, 2")) {
            List<String> tables = new java.util.ArrayList<>();
            while (rs.next()) {
                tables.add(rs.getString(1) + "." + rs.getString(2));
            }
            assertThat(tables).containsExactly("sales.orders_v2", "shop_new.customers");
        }
    }

    private String spec(Path storage) {
        return """
                {"name": "routed shop", "mode": "all",
                 "source": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["%s.*"],
                 "routes": [{"schemaPattern": "%s", "tablePattern": "orders",
                             "targetSchema": "sales", "targetTable": "orders_v2"},
                            {"schemaPattern": "shop_*", "targetSchema": "shop_new"}],
                 "storage": "%s"}
                """.formatted(source.port(), TestDatabases.PASSWORD, target.port(), TestDatabases.PASSWORD,
                SCHEMA, SCHEMA, storage.toUri());
    }

    /** inserts, updates and deletes on both tables while the snapshot runs */
    private static void writeWhileMigrating(AtomicBoolean writing, AtomicLong writes) {
        try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement()) {
            long i = 0;
            while (writing.get()) {
                i++;
                st.execute("INSERT INTO " + ORDERS + " (customer_id, total, note, created_at) VALUES ("
                        + (1 + i % 2000) + ", " + i + ".5, 'during dump " + i + "', NOW(6))");
                st.execute("UPDATE " + ORDERS + " SET total = total + 1 WHERE id = " + (1 + i * 37 % 20000));
                st.execute("UPDATE " + CUSTOMERS + " SET name = CONCAT(name, '!') WHERE id = " + (1 + i % 2000));
                st.execute("DELETE FROM " + ORDERS + " WHERE id = " + (10_000 + i));
                writes.addAndGet(4);
                Thread.sleep(20);
            }
        } catch (Exception e) {
            throw new IllegalStateException("the source writer failed", e);
        }
    }
}
