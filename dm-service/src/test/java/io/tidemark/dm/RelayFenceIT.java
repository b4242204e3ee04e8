package io.tidemark.dm;

import io.tidemark.common.command.DesiredRelay;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.dm.RelayRecords.Relayed;
import io.tidemark.dm.relay.RelaySupervisor;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static io.tidemark.dm.RelayRecords.assertContiguousAndOnce;
import static io.tidemark.dm.RelayRecords.endOffset;
import static io.tidemark.dm.RelayRecords.readAll;
import static io.tidemark.dm.RelayRecords.readUncommitted;
import static io.tidemark.dm.RelayRecords.records;
import static io.tidemark.dm.RelayRecords.signal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A relay owner frozen (SIGSTOP) past its group session while it holds relayed records it has not committed, then
 * resumed after its successor started writing, must not write into the relay topic again: the successor's writer
 * fences it (one transactional id per relay topic), so what the old owner still flushes or commits is refused, and it
 * stops relaying. Without the fence its records would land after the successor's, duplicated, and the topic's last
 * record would no longer say where the relay stands. The topic, read record by record as readers see it, must hold
 * every event once, contiguous, GTIDs rising, up to where the source stands.
 */
class RelayFenceIT {
    @Test
    void aFrozenOwnerResumedAfterItsSuccessorIsFencedAndNeverWritesAgain() throws Exception {
        try (LocalMariaDb source = TestDatabases.startSource("relayfence");
             DmHarness harness = new DmHarness()) {
            String s = TestDatabases.uniqueSchema("relayfence");
            String sourceId = "src-" + s.replace('_', '-');
            String topic = TopicCatalog.DEFAULT.relay(sourceId);
            TestDatabases.execute(source, "CREATE DATABASE " + s, "USE " + s,
                    "CREATE TABLE acct (id INT PRIMARY KEY, balance BIGINT NOT NULL, pad VARCHAR(1000))",
                    "CREATE TABLE journal (acct INT, amount BIGINT)");
            // the frozen owner's binlog dump thread blocks writing to it, and the source lets its successor (the same
            // replica server id) stream only once that thread is gone: after net_write_timeout (60 s by default)
            TestDatabases.execute(source, "SET GLOBAL net_write_timeout = 2");
            BinlogPosition start = DmHarness.masterStatus(source);

            // given a dm-service in its own JVM (group session 6 s) relaying the source under a steady write load
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger written = new AtomicInteger();
            AtomicReference<Exception> writeError = new AtomicReference<>();
            Thread writer = new Thread(() -> RelayKillIT.write(source, s, false, writing, written,
                    writeError), "test-writer");
            Process first = harness.startServiceProcess("relayfence");
            Path firstLog = Path.of("target", "kill-logs", "relayfence.log");
            ConfigurableApplicationContext second = null;
            try {
                harness.publish(new DesiredRelay(sourceId, TestDatabases.endpoint(source), 7500, start, true));
                writer.start();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> records(harness, topic) >= 150);

                // when it is frozen holding an open transaction, past its session, and a second instance takes over
                long openFrom = freezeInsideAKafkaTransaction(harness, topic, first);
                second = harness.startService();
                RelaySupervisor relays = second.getBean(RelaySupervisor.class);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> "running".equals(relays.states().get(sourceId)));
                long taken = records(harness, topic);
                await().atMost(Duration.ofSeconds(10)).until(() -> records(harness, topic) > taken + 50);

                // and the frozen one is resumed while its successor writes
                signal(first, "CONT");
                String fenced = "relay of source " + sourceId + " was fenced by a newer writer of " + topic
                        + " and stops relaying";
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                        .until(() -> Files.readString(firstLog).contains(fenced));
                long afterFence = records(harness, topic);
                await().atMost(Duration.ofSeconds(10)).until(() -> records(harness, topic) > afterFence + 50);
                writing.set(false);
                writer.join();
                assertThat(writeError.get()).isNull();
                BinlogPosition end = DmHarness.masterStatus(source);
                await().atMost(Duration.ofSeconds(20)).until(() -> relays.relayed(sourceId).orElse(start), end::equals);

                // then the topic holds the source's binlog once, contiguous, and its last record is where it stands
                assertThat(end.file()).as("the test writes less than one binlog file").isEqualTo(start.file());
                List<Relayed> relayed = readAll(harness, topic, end);
                assertContiguousAndOnce(relayed, start, end);
                assertThat(RelayRecords.tail(harness, topic)).as("the relay's checkpoint").isEqualTo(relayed.getLast());
                // the frozen owner's open transaction was taken back, not relayed: its records are in the log, aborted
                Set<Long> committed = relayed.stream().map(Relayed::offset).collect(Collectors.toSet());
                assertThat(readUncommitted(harness, topic, openFrom).stream()
                        .filter(r -> !committed.contains(r.offset())))
                        .as("records of the frozen owner's transaction (from offset %s), aborted", openFrom)
                        .isNotEmpty();
                // and the old owner said so, and never took the relay up again
                String log = Files.readString(firstLog);
                assertThat(log).contains(fenced, "TM-20056", "another dm-service took the relay over");
                assertThat(log.substring(log.indexOf(fenced)))
                        .as("what the fenced owner logged after the fence").doesNotContain("relay of source "
                                + sourceId + " continues at");
                assertThat(relays.states()).containsEntry(sourceId, "running");
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
     * Freezes the service (SIGSTOP) at moments of the stream until it holds a Kafka transaction open with records
     * already in the log (the log's end lies past its last stable offset), and leaves it frozen there.
     *
     * @return the first offset of the open transaction (the last stable offset)
     */
    private static long freezeInsideAKafkaTransaction(DmHarness harness, String topic, Process service)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
            signal(service, "STOP");
            Thread.sleep(300);
            long stable = endOffset(harness, topic, true);
            if (endOffset(harness, topic, false) > stable) {
                return stable;
            }
            signal(service, "CONT");
            Thread.sleep(10 + attempt * 7 % 40);
        }
        throw new AssertionError("the relay never held a transaction open within 15 s");
    }
}
