package io.tidemark.deploy;

import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.table.TableRef;
import io.tidemark.testkit.DataDiff;
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
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole path over a real broker and real MariaDB servers: coordinator → snapshot-service → lightning-service →
 * dm-service, a migration in mode {@code all} of tables covering the types users have, with writes on the source
 * during the dump and after it. It ends in a data diff, source against target.
 */
class MigrationEndToEndIT {
    private static final String REPL_PASSWORD = "Repl-pw-9";
    private static final List<TableRef> TABLES = Demo.TABLES.stream().map(t -> TableRef.of(Demo.SCHEMA, t)).toList();

    private static Stack stack;
    private static LocalMariaDb source;
    private static LocalMariaDb target;
    private static Platform platform;
    private final MigrationApi api = new MigrationApi(() -> platform.coordinatorPort());

    @BeforeAll
    static void startEverything() throws Exception {
        stack = Stack.named("e2e").withSource().start();
        aliases();
        try (Connection c = TestDatabases.connect(source)) {
            SampleData.create(c, REPL_PASSWORD);
        }
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
    void modeAllMigratesEveryTypeWithWritesDuringAndAfterTheDump() throws Exception {
        Path storage = Files.createTempDirectory("tidemark-e2e-dumps");
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong writes = new AtomicLong();
        Thread writer = new Thread(() -> writeWhileMigrating(writing, writes), "source-writer");

        // Given a source under write load, When a migration in mode all is submitted
        writer.start();
        String id = submit(storage);

        // Then it passes through the snapshot and the import into replication
        JsonNode view = api.awaitView(id, Duration.ofMinutes(4), v -> v.path("phase").asString().equals("replicating"));
        writing.set(false);
        writer.join();
        assertThat(writes.get()).as("writes landed on the source while it was dumped").isPositive();
        BinlogPosition start = position(view.path("positions").path("snapshotStart"));
        BinlogPosition end = position(view.path("positions").path("snapshotEnd"));
        assertThat(start.file()).startsWith("mysql-bin.");
        assertThat(end).as("source writes landed inside the snapshot window, so safe mode had an overlap to replay")
                .isGreaterThan(start);
        assertThat(view.path("tables")).hasSize(TABLES.size());
        // the import of its own dump was verified on the target before replication wrote there, values included
        assertThat(view.path("tables").valueStream().map(t -> t.path("table").asString() + " "
                + t.path("values").asString() + " " + (t.path("rowsInTarget").asLong(-1) == t.path("rowsInFiles")
                .asLong(-2)))).containsExactlyInAnyOrderElementsOf(TABLES.stream().map(t -> t + " equal true")
                .toList());
        assertThat(view.path("tables").valueStream().filter(t -> t.path("table").asString().equals("shop.audit_log"))
                .findFirst().orElseThrow().path("snapshotPoint").isObject())
                .as("the keyless table got its own snapshot point").isTrue();

        // And writes after the import (DML and DDL) arrive too
        try (Connection c = TestDatabases.connect(source)) {
            SampleData.writeMore(c);
        }
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> DataDiff.same(source, target, TABLES));
        DataDiff.assertSame(source, target, TABLES);

        // the filter's exclusion held: shop.tmp_* never reached the target
        try (Connection c = TestDatabases.connect(target); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES"
                     + " WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME LIKE 'tmp%'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
        // and replication reports where it is and that it has caught up
        JsonNode last = api.awaitView(id, Duration.ofSeconds(30),
                v -> v.path("lagSeconds").asLong(-1) == 0 && !v.path("positions").path("replication").isMissingNode());
        assertThat(last.path("positions").path("replication").path("file").asString()).startsWith("mysql-bin.");
        assertThat(last.toString()).doesNotContain(REPL_PASSWORD).doesNotContain(TestDatabases.PASSWORD);
    }

    /** a stream of inserts, updates and deletes, as production traffic during a dump, keyless table included */
    private static void writeWhileMigrating(AtomicBoolean writing, AtomicLong writes) {
        try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement()) {
            long i = 0;
            while (writing.get()) {
                i++;
                st.execute("INSERT INTO shop.customers (name, email, country, created_at, balance) VALUES ("
                        + "'during dump " + i + " 🌊', 'during" + i + "@example.com', 'CN', NOW(6), " + i + ")");
                st.execute("UPDATE shop.orders SET total = total + 1 WHERE id = " + (1 + i * 37 % 20000));
                st.execute("DELETE FROM shop.order_items WHERE order_id = " + (5000 + i) + " AND line = 2");
                st.execute("UPDATE shop.products SET weight_kg = NULL, description = CONCAT(description, '!')"
                        + " WHERE sku = 'SKU-" + String.format("%05d", 1 + i % 500) + "'");
                // audit_log has no key at all: rows identical to others, an UPDATE and a DELETE of one of several
                // identical rows. Replaying the snapshot window would duplicate them; each table's own snapshot
                // point (skipped before, applied once after) keeps it exact.
                st.execute("INSERT INTO shop.audit_log VALUES ('2026-01-01 00:00:00', 'twin', 'same row')");
                st.execute("INSERT INTO shop.audit_log VALUES ('2026-01-01 00:00:00', 'twin', 'same row')");
                st.execute("UPDATE shop.audit_log SET action = 'changed twin' WHERE actor = 'twin'"
                        + " AND action = 'same row' LIMIT 1");
                st.execute("DELETE FROM shop.audit_log WHERE actor = 'twin' LIMIT 1");
                writes.addAndGet(8);
                Thread.sleep(20);
            }
        } catch (Exception e) {
            throw new IllegalStateException("the source writer failed", e);
        }
    }

    private String submit(Path storage) throws Exception {
        String spec = """
                {"name": "e2e shop", "mode": "all",
                 "source": {"host": "127.0.0.1", "port": %d, "user": "tidemark", "password": "%s"},
                 "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["shop.*", "!shop.tmp_*"],
                 "storage": "%s"}
                """.formatted(source.port(), REPL_PASSWORD, target.port(), TestDatabases.PASSWORD, storage.toUri());
        return api.submit(spec, REPL_PASSWORD);
    }

    private static BinlogPosition position(JsonNode n) {
        return BinlogPosition.ofFilePosition(n.path("file").asString(), n.path("pos").asLong());
    }

}
