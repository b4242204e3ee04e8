package io.tidemark.dm;

import io.tidemark.common.command.DesiredRelay;
import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.command.SafeMode;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.dm.RelayRecords.Relayed;
import io.tidemark.dm.relay.RelaySupervisor;
import io.tidemark.testkit.DataDiff;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.tidemark.dm.RelayRecords.assertContiguousAndOnce;
import static io.tidemark.dm.RelayRecords.gtidOf;
import static io.tidemark.dm.RelayRecords.readAll;
import static io.tidemark.dm.RelayRecords.records;
import static io.tidemark.dm.RelayRecords.signal;
import static io.tidemark.dm.RelayRecords.tail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay survives a SIGKILL of the dm-service that runs it, mid-stream: no shutdown, no flush, no group leave. The
 * kill is made to land inside a transaction (the service is frozen until the topic's last record lies inside one), the
 * hardest place to resume from. The successor resumes from the topic's last committed record; the topic, read record by record (not through the reader, which
 * drops what it has seen), must hold the source's binlog exactly as {@code SHOW BINLOG EVENTS} lists it — every event
 * once, in order, with its GTID — and a task reading the relay must end equal to the source.
 */
class RelayKillIT {
    private static final Pattern GTID = Pattern.compile("(\\d+-\\d+-\\d+)");

    /** one event as the source lists it */
    private record Listed(String type, long pos, long next, String gtid) {
    }

    @Test
    void aRelayKilledMidStreamIsTakenOverWithoutAGapOrADuplicate() throws Exception {
        try (LocalMariaDb source = TestDatabases.startSource("relaykill");
             LocalMariaDb target = TestDatabases.startTarget("relaykill");
             DmHarness harness = new DmHarness()) {
            String s = TestDatabases.uniqueSchema("relaykill");
            String sourceId = "src-" + s.replace('_', '-');
            String topic = TopicCatalog.DEFAULT.relay(sourceId);
            String[] ddl = {"CREATE TABLE acct (id INT PRIMARY KEY, balance BIGINT NOT NULL, pad VARCHAR(1000))",
                    "CREATE TABLE journal (acct INT, amount BIGINT)"};
            TestDatabases.execute(source, "CREATE DATABASE " + s, "USE " + s, ddl[0], ddl[1]);
            TestDatabases.execute(target, "CREATE DATABASE " + s, "USE " + s, ddl[0], ddl[1]);
            List<TableRef> tables = List.of(TableRef.of(s, "acct"), TableRef.of(s, "journal"));
            BinlogPosition start = DmHarness.masterStatus(source);

            // given a dm-service in its own JVM relaying the source under a steady write load
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger written = new AtomicInteger();
            AtomicReference<Exception> writeError = new AtomicReference<>();
            Thread writer = new Thread(() -> write(source, s, writing, written, writeError), "test-writer");
            Process first = harness.startServiceProcess("relaykill");
            ConfigurableApplicationContext second = null;
            try {
                harness.publish(new DesiredRelay(sourceId, TestDatabases.endpoint(source), 7400, start, true));
                writer.start();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> records(harness, topic) >= 150);
                long growing = records(harness, topic);
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                        .until(() -> records(harness, topic) > growing);

                // when it is killed while the records still flow, inside a transaction
                Relayed killedAt = killInsideATransaction(harness, topic, first);
                assertThat(first.waitFor()).as("exit of the killed service").isNotZero();
                int writtenAtKill = written.get();

                // then the source goes on being written while no one relays it, and a second instance takes over
                await().atMost(Duration.ofSeconds(5)).until(() -> written.get() > writtenAtKill + 20);
                long atKill = records(harness, topic);
                assertThat(atKill).as("relay records at the kill").isGreaterThan(growing);
                second = harness.startService();
                RelaySupervisor relays = second.getBean(RelaySupervisor.class);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> "running".equals(relays.states().get(sourceId)));
                await().atMost(Duration.ofSeconds(10)).until(() -> records(harness, topic) > atKill + 50);
                writing.set(false);
                writer.join();
                assertThat(writeError.get()).isNull();
                BinlogPosition end = DmHarness.masterStatus(source);
                await().atMost(Duration.ofSeconds(20)).until(() -> relays.relayed(sourceId).orElse(start), end::equals);
                assertThat(relays.states()).containsEntry(sourceId, "running");

                // and the topic holds the source's binlog from the start on, every event once, contiguous
                assertThat(end.file()).as("the test writes less than one binlog file").isEqualTo(start.file());
                List<Relayed> relayed = readAll(harness, topic, end);
                List<Listed> listed = binlogEvents(source, start, end);
                assertContiguousAndOnce(relayed, start, end);
                assertThat(relayed).as("the tail the kill left stays where it was").contains(killedAt);
                List<Listed> fromRelay = relayed.stream().filter(r -> !r.artificial())
                        .map(r -> new Listed(r.type(), r.pos(), r.next(), gtidOf(r))).toList();
                assertThat(fromRelay).as("the relayed events against SHOW BINLOG EVENTS").hasSameSizeAs(listed);
                for (int i = 0; i < listed.size(); i++) {
                    Listed want = listed.get(i);
                    Listed got = fromRelay.get(i);
                    assertThat(got.pos() + "->" + got.next()).as("event %s (%s)", i, want.type())
                            .isEqualTo(want.pos() + "->" + want.next());
                    assertThat(got.gtid()).as("GTID of event %s at %s", i, want.pos()).isEqualTo(want.gtid());
                }

                // and a task reading the relay from the same start ends equal to the source
                MigrationId id = MigrationId.of("relaykill-" + s.replace('_', '-'));
                ReplicationTask task = DmHarness.task(id, 1, source, target, List.of(s + ".*"), start, null)
                        .withSafeMode(SafeMode.of(false, Duration.ZERO)).withRelay(sourceId);
                harness.publish(task);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() ->
                        DataDiff.same(source, target, tables) || !harness.statuses(id, WorkFailed.class).isEmpty());
                assertThat(harness.statuses(id, WorkFailed.class)).isEmpty();
                DataDiff.assertSame(source, target, tables);
                assertThat(DmHarness.count(target, "SELECT COUNT(*) FROM " + s + ".journal"))
                        .isEqualTo(written.get());
            } finally {
                writing.set(false);
                first.destroyForcibly();
                if (second != null) {
                    second.close();
                }
            }
        }
    }

    /**
     * Freezes the service (SIGSTOP) at moments of the stream until the relay's last record lies inside a transaction,
     * then kills it there (SIGKILL): its successor must resume inside that transaction, under the transaction's GTID.
     * A frozen process sends nothing, so the last record read while it is frozen is the one the kill leaves.
     *
     * @return the relay's last record at the kill
     */
    private static Relayed killInsideATransaction(DmHarness harness, String topic, Process service)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
            signal(service, "STOP");
            Thread.sleep(300);
            Relayed tail = tail(harness, topic);
            if (tail.openGtid() != null && !tail.type().contains("GTID")) {
                service.destroyForcibly();
                return tail;
            }
            signal(service, "CONT");
            Thread.sleep(10 + attempt * 7 % 40);
        }
        throw new AssertionError("the relay's last record never lay inside a transaction within 15 s");
    }

    /** the source's own list of its events from {@code start} to {@code end}, in one file */
    private static List<Listed> binlogEvents(LocalMariaDb source, BinlogPosition start, BinlogPosition end)
            throws Exception {
        List<Listed> out = new ArrayList<>();
        try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW BINLOG EVENTS IN '" + start.file() + "' FROM " + start.pos())) {
            while (rs.next()) {
                long pos = rs.getLong("Pos");
                if (pos >= end.pos()) {
                    break;
                }
                String type = rs.getString("Event_type");
                Matcher m = GTID.matcher(rs.getString("Info"));
                out.add(new Listed(type, pos, rs.getLong("End_log_pos"),
                        type.equalsIgnoreCase("Gtid") && m.find() ? m.group(1) : null));
            }
        }
        return out;
    }

    /**
     * One transaction every few milliseconds, each several events: an account, a balance update, now and then a
     * delete, and a journal row (keyless: a row applied twice would stay twice).
     */
    static void write(LocalMariaDb source, String schema, AtomicBoolean writing, AtomicInteger written,
                      AtomicReference<Exception> error) {
        write(source, schema, true, writing, written, error);
    }

    /** @param longTransactions every fourth transaction ≈ 100 KB, else all a few events */
    static void write(LocalMariaDb source, String schema, boolean longTransactions, AtomicBoolean writing,
                      AtomicInteger written, AtomicReference<Exception> error) {
        try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement()) {
            st.execute("USE " + schema);
            c.setAutoCommit(false);
            for (int i = 1; writing.get(); i++) {
                st.execute("INSERT INTO acct VALUES (" + i + ", " + i + ", NULL)");
                st.execute("UPDATE acct SET balance = balance + " + i + " WHERE id = " + (i / 2 + 1));
                if (i % 7 == 0) {
                    st.execute("DELETE FROM acct WHERE id = " + (i - 5));
                }
                st.execute("INSERT INTO journal VALUES (" + i + ", " + i % 13 + ")");
                if (longTransactions && i % 4 == 0) {
                    // a long transaction (≈ 100 KB of events, many producer batches), where the kill is made to land
                    for (int k = 0; k < 40; k++) {
                        st.execute("UPDATE acct SET balance = balance + 1, pad = REPEAT('" + (char) ('a' + k % 26)
                                + "', 1000) WHERE id = " + (i - k));
                    }
                }
                c.commit();
                written.incrementAndGet();
                Thread.sleep(5);
            }
        } catch (Exception e) {
            error.set(e);
        }
    }
}
