package io.tidemark.snapshot.work;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.layout.DumpLayout;
import io.tidemark.common.status.SnapshotCompleted;
import io.tidemark.common.status.SnapshotStarted;
import io.tidemark.common.status.TableDumped;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import io.tidemark.snapshot.SnapshotServiceApplication;
import io.tidemark.snapshot.support.CommandTopic;
import io.tidemark.snapshot.support.StatusLog;
import io.tidemark.snapshot.support.TableHold;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A second snapshot-service joins while the first is in the middle of a dump. The rebalance must not leave two
 * instances writing one dump directory: the first cancels its dump — and it has stopped, its source session cut —
 * before the partition moves and the next dump of the same request begins; the dump is then done once, completely,
 * by whichever instance owns the partition afterwards.
 *
 * <p>Both instances run in this JVM, so their dump threads log to one place in the order things happen: the
 * listener logs when a dump thread starts and when it has ended (after every table thread of the dump has left and
 * its source sessions are closed). The source's process list shows the dump held at b, and the next dump arrived
 * there on a session of its own. (The server keeps a cut session's wait on the lock until the lock goes; nothing
 * reads its rows any more.) The files then hold every row of b exactly once.
 */
class SnapshotRebalanceIT {
    private static final TableRef B = TableRef.of("reb", "b");
    /** sorts after b: the prechecks are held here while b is locked, so only the dump's own read of b waits */
    private static final TableRef GATE = TableRef.of("reb", "z");
    /** two partitions: a joining instance takes one of them, and only its dumps move */
    private static final int PARTITIONS = 2;
    private static final int MOVES = 1;
    private static TestKafka kafka;
    private static LocalMariaDb source;
    private static CommandTopic commands;
    private static StatusLog status;
    private static final List<ConfigurableApplicationContext> services = new ArrayList<>();
    private static final ListAppender<ILoggingEvent> DUMP_LOG = new ListAppender<>();

    @TempDir
    static Path dumps;

    @BeforeAll
    static void start() throws Exception {
        kafka = TestKafka.start();
        source = TestDatabases.startSource("rebalance");
        TestDatabases.execute(source,
                "CREATE DATABASE reb",
                "USE reb",
                "CREATE TABLE a (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO a SELECT seq, CONCAT('a', seq) FROM seq_1_to_10",
                "CREATE TABLE b (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO b SELECT seq, CONCAT('b', seq) FROM seq_1_to_5000",
                "CREATE TABLE z (id INT PRIMARY KEY)",
                "INSERT INTO z VALUES (1)");
        // Spring Boot would reset logback at each service's start and drop the recorder: logback-test.xml rules
        System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
        DUMP_LOG.start();
        ((Logger) LoggerFactory.getLogger(SnapshotCommandListener.class)).addAppender(DUMP_LOG);
        services.add(startService());
        commands = new CommandTopic(kafka.bootstrapServers());
        status = new StatusLog(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(SnapshotCommandListener.class)).detachAppender(DUMP_LOG);
        System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
        services.forEach(ConfigurableApplicationContext::close);
        if (status != null) {
            status.close();
        }
        if (commands != null) {
            commands.close();
        }
        if (source != null) {
            source.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aDumpDoesNotOutliveItsPartitionWhenAnotherInstanceJoins() throws Exception {
        MigrationId m = MigrationId.of("rebalance-1");
        SnapshotRequest request = new SnapshotRequest(SnapshotRequest.idFor(m, 1), m, 1,
                TestDatabases.endpoint(source), List.of("reb.*"), dumps.resolve(m.value()).toString(), 2, 1 << 20);
        try (TableHold hold = TableHold.prepare(source, B, GATE)) {
            // given a dump held mid-way, past its prechecks: its read of table b waits on a metadata lock
            // (on the partition that moves: the first instance owns both, and the cooperative-sticky assignor has
            // it keep the first and give up the second when the next instance joins)
            commands.send(request, MOVES);
            long firstReader = hold.awaitDumpHeld(Duration.ofSeconds(60));

            // when a second instance joins the group while the lock is still held
            services.add(startService());

            // then the first dump is cancelled and has ended — every table thread gone, its session on b cut on
            // the client side — before the next dump of the request begins, while b is still locked; the next
            // dump reaches b on a session of its own (its prechecks read b) and waits there
            await().atMost(Duration.ofSeconds(60)).until(() -> dumps(request).size() == 2);
            List<Dump> dumpsSoFar = dumps(request);
            assertThat(dumpsSoFar.getFirst().ended()).as("the first dump had ended when the second began: %s",
                    dumpsSoFar).isBetween(0, dumpsSoFar.get(1).began());
            assertThat(dumpsSoFar.getFirst().reported()).isFalse();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(hold.readersOfHeld(true))
                    .as("waiting: %s", hold.waiting()).anyMatch(id -> id != firstReader));

            // when the lock goes away
            hold.release();
        }

        // then the dump completes, is reported and its command committed: nothing of it runs any more
        status.await(m, SnapshotCompleted.class, 1, Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(30)).until(() -> commands.committed(MOVES).orElse(0) == 1);
        status.poll();
        List<Dump> all = dumps(request);
        assertThat(all).as("dumps of the request, in order: %s", all).hasSize(2);
        assertThat(all.get(1).reported()).isTrue();
        assertThat(all.get(1).ended()).isPositive();
        assertThat(status.events(m, WorkFailed.class)).isEmpty();
        assertThat(status.events(m, SnapshotStarted.class)).isNotEmpty()
                .extracting(SnapshotStarted::eventId).containsOnly(SnapshotStarted.idFor(m, 1));
        assertThat(status.events(m, SnapshotCompleted.class)).as("one dump completed, not two").hasSize(1);
        assertThat(status.events(m, TableDumped.class)).filteredOn(t -> t.table().equals(B))
                .extracting(TableDumped::rows).containsOnly(5000L);
        // and the files hold every row of b exactly once: no second writer interleaved with the first
        assertThat(idsInDataFiles(dumps.resolve(m.value()), B))
                .hasSize(5000).containsExactlyElementsOf(rangeClosed(1, 5000));
    }

    /** one dump thread's life, as the listener logged it: list positions, -1 while it runs */
    private record Dump(String thread, int began, int ended, boolean reported) {
    }

    /** the dumps of the request in the order they began, from both instances */
    private static List<Dump> dumps(SnapshotRequest request) {
        Map<String, Dump> byThread = new LinkedHashMap<>();
        List<ILoggingEvent> events = List.copyOf(DUMP_LOG.list);
        for (int i = 0; i < events.size(); i++) {
            ILoggingEvent e = events.get(i);
            if (!e.getFormattedMessage().startsWith("snapshot " + request.messageId() + " ")) {
                continue;
            }
            String thread = e.getThreadName();
            if (e.getFormattedMessage().contains(" starts on ")) {
                byThread.put(thread, new Dump(thread, i, -1, false));
            } else if (e.getFormattedMessage().contains(" ended (")) {
                Dump d = byThread.get(thread);
                byThread.put(thread, new Dump(thread, d.began(), i, e.getFormattedMessage().endsWith("(reported)")));
            }
        }
        return List.copyOf(byThread.values());
    }

    /** the first column of every row in the table's data files: each row starts a line with "(" */
    private static List<Integer> idsInDataFiles(Path dir, TableRef table) throws Exception {
        List<Integer> ids = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                boolean ofTable = DumpLayout.parseDataFile(f.getFileName().toString())
                        .filter(d -> d.table().equals(table)).isPresent();
                if (ofTable) {
                    for (String line : Files.readAllLines(f)) {
                        if (line.startsWith("(")) {
                            ids.add(Integer.parseInt(line.substring(1, line.indexOf(','))));
                        }
                    }
                }
            }
        }
        ids.sort(Integer::compare);
        return ids;
    }

    private static List<Integer> rangeClosed(int from, int to) {
        return java.util.stream.IntStream.rangeClosed(from, to).boxed().toList();
    }

    private static ConfigurableApplicationContext startService() {
        return SnapshotServiceApplication.app().run(
                "--tidemark.secret-key=" + TestDatabases.SECRET_KEY,
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--server.port=0",
                "--tidemark.topics.partitions=" + PARTITIONS);
    }
}
