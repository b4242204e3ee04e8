package io.tidemark.snapshot.dump;

import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Four sessions writing to a source while it is dumped, each running numbered transactions until closed, so commits
 * land close together during the dump. A writer's failure fails the test when it reads {@link #committed()} or closes.
 */
final class SourceWriters implements AutoCloseable {
    /** one transaction, numbered {@code n} across all writers (from 1); its session has autocommit off */
    interface Transaction {
        void run(Statement st, int n) throws SQLException;
    }

    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger committed = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    SourceWriters(String name, LocalMariaDb source, Transaction transaction) {
        for (int i = 0; i < 4; i++) {
            threads.add(Thread.ofPlatform().name(name + "-writer-" + i).start(() -> {
                try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement()) {
                    c.setAutoCommit(false);
                    while (!stopped) {
                        transaction.run(st, next.incrementAndGet());
                        c.commit();
                        committed.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
    }

    /** how many transactions committed so far */
    int committed() {
        assertThat(failures).as("the writers failed").isEmpty();
        return committed.get();
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).as("the writers failed").isEmpty();
    }
}
