package io.tidemark.deploy;

import io.tidemark.common.table.TableRef;
import io.tidemark.testkit.DataDiff;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A migration submitted with {@code Prefer: respond-async} on the whole platform: answered 202 while its prechecks
 * have not yet run, then checked, dumped, imported and completed like one submitted synchronously, ending in a data
 * diff.
 */
class AsyncSubmissionIT {
    private static final List<TableRef> TABLES = List.of(TableRef.of("async_small", "t"));

    private static Stack stack;
    private final MigrationApi api = new MigrationApi(() -> stack.platform().coordinatorPort());

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.named("async").withSource().start();
        TestDatabases.execute(stack.source(), "CREATE DATABASE async_small",
                "CREATE TABLE async_small.t (id BIGINT PRIMARY KEY, v VARCHAR(64) NOT NULL, n INT NULL)",
                "INSERT INTO async_small.t SELECT seq, MD5(seq), IF(seq % 7 = 0, NULL, seq) FROM async_small.seq_1_to_1000");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void anAsynchronousSubmissionIsAnsweredBeforeItsPrechecksAndCompletesWithTheSameRows() throws Exception {
        Path storage = Files.createTempDirectory("tidemark-async-dumps");
        // When a small migration is submitted asynchronously
        JsonNode accepted = api.submitAsync("""
                {"name": "async-small", "mode": "full",
                 "source": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["async_small.*"], "storage": "%s"}
                """.formatted(stack.source().port(), TestDatabases.PASSWORD, stack.target().port(),
                TestDatabases.PASSWORD, storage.toUri()), TestDatabases.PASSWORD);

        // Then the answer came before its prechecks ran
        assertThat(accepted.path("phase").asString()).isEqualTo("checking");
        assertThat(accepted.path("error").isNull()).isTrue();

        // and once they passed it goes the whole way, and the target holds the source's rows
        String id = accepted.path("id").asString();
        JsonNode done = api.awaitView(id, Duration.ofMinutes(2), v -> v.path("phase").asString().equals("completed"));
        assertThat(done.path("tables").get(0).path("rowsImported").asLong()).isEqualTo(1000);
        DataDiff.assertSame(stack.source(), stack.target(), TABLES);
    }
}
