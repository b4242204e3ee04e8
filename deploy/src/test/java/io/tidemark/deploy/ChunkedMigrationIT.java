package io.tidemark.deploy;

import io.tidemark.common.layout.DumpLayout;
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
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A keyed table above {@code tidemark.snapshot.chunk-rows} is dumped in key ranges by several threads while the source
 * is written, imported from the ranges' files and replicated (mode all): the target ends equal to the source.
 */
class ChunkedMigrationIT {
    private static final String REPL_PASSWORD = "Repl-pw-11";
    private static final int ROWS = 20_000;
    private static final TableRef ACCOUNTS = TableRef.of("bank", "accounts");
    private static final TableRef LEDGER = TableRef.of("bank", "ledger");

    private static Stack stack;
    private final MigrationApi api = new MigrationApi(() -> stack.platform().coordinatorPort());

    @BeforeAll
    static void startEverything() throws Exception {
        stack = Stack.named("chunked").withSource().property("tidemark.snapshot.chunk-rows", 4_000).start();
        TestDatabases.execute(stack.source(),
                "CREATE USER IF NOT EXISTS 'tidemark'@'%' IDENTIFIED BY '" + REPL_PASSWORD + "'",
                "GRANT SELECT, RELOAD, LOCK TABLES, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'tidemark'@'%'",
                "CREATE DATABASE bank",
                "CREATE TABLE bank.accounts (id INT NOT NULL PRIMARY KEY, balance INT NOT NULL, note VARCHAR(60))",
                "CREATE TABLE bank.ledger (at DATETIME(6) NOT NULL, what VARCHAR(60))",
                "INSERT INTO bank.accounts SELECT seq, 100, CONCAT('seed ', seq) FROM bank.seq_1_to_" + ROWS,
                "ANALYZE TABLE bank.accounts");
    }

    @AfterAll
    static void stopEverything() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aTableDumpedInKeyRangesUnderWritesIsImportedAndReplicatedExactly() throws Exception {
        Path storage = Files.createTempDirectory("tidemark-chunked-dumps");
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong writes = new AtomicLong();
        Thread writer = Thread.ofPlatform().name("source-writer").start(() -> write(writing, writes));

        // Given a source under write load, When a migration in mode all is submitted
        String id = submit(storage);

        // Then the large table was dumped in at least 3 key ranges, each into files of its own
        JsonNode view = api.awaitView(id, Duration.ofMinutes(3),
                v -> v.path("phase").asString().equals("replicating"));
        writing.set(false);
        writer.join();
        assertThat(writes.get()).as("writes landed on the source while it was dumped").isPositive();
        List<Integer> numbers;
        try (Stream<Path> files = Files.walk(storage)) {
            numbers = files.map(f -> DumpLayout.parseDataFile(f.getFileName().toString()))
                    .flatMap(java.util.Optional::stream).filter(d -> d.table().equals(ACCOUNTS))
                    .map(DumpLayout.DataFile::index).toList();
        }
        assertThat(numbers).as("data files of %s", ACCOUNTS).hasSizeGreaterThanOrEqualTo(3);
        assertThat(view.path("tables").valueStream()
                .filter(t -> t.path("table").asString().equals(ACCOUNTS.toString())).findFirst().orElseThrow()
                .path("snapshotPoint").isObject()).as("one point for the table read in ranges").isTrue();

        // And after replication the target equals the source
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> DataDiff.same(stack.source(), stack.target(), List.of(ACCOUNTS, LEDGER)));
        DataDiff.assertSame(stack.source(), stack.target(), List.of(ACCOUNTS, LEDGER));
    }

    /** transfers between the first and last ranges, rows added at both ends, and keyless ledger rows */
    private static void write(AtomicBoolean writing, AtomicLong writes) {
        try (Connection c = TestDatabases.connect(stack.source()); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            long i = 0;
            while (writing.get()) {
                i++;
                int from = ThreadLocalRandom.current().nextInt(1, 1_000);
                int to = ThreadLocalRandom.current().nextInt(ROWS - 1_000, ROWS + 1);
                st.execute("UPDATE bank.accounts SET balance = balance - 1 WHERE id = " + from);
                st.execute("UPDATE bank.accounts SET balance = balance + 1 WHERE id = " + to);
                st.execute("INSERT INTO bank.accounts VALUES (" + (ROWS + i) + ", 0, 'top')");
                st.execute("INSERT INTO bank.accounts VALUES (" + (-i) + ", 0, 'bottom')");
                st.execute("DELETE FROM bank.accounts WHERE id = " + (ROWS / 2 + i));
                st.execute("INSERT INTO bank.ledger VALUES (NOW(6), 'transfer " + i + "')");
                c.commit();
                writes.incrementAndGet();
                Thread.sleep(5);
            }
        } catch (Exception e) {
            throw new IllegalStateException("the source writer failed", e);
        }
    }

    private String submit(Path storage) throws Exception {
        String spec = """
                {"name": "chunked bank", "mode": "all",
                 "source": {"host": "127.0.0.1", "port": %d, "user": "tidemark", "password": "%s"},
                 "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["bank.*"],
                 "storage": "%s"}
                """.formatted(stack.source().port(), REPL_PASSWORD, stack.target().port(), TestDatabases.PASSWORD,
                storage.toUri());
        return api.submit(spec, REPL_PASSWORD);
    }
}
