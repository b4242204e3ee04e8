package io.tidemark.deploy;

import io.tidemark.common.table.TableRef;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.testkit.DataDiff;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * DM's relay log end to end (issue 10), through the {@code tidemark} client against the standalone platform on a real
 * broker and real MariaDB source and target: a source file with {@code enable-relay: true} fills the source's relay
 * topic; a task of that source reads the relay, so after it was paused and the source purged the binlog it stopped
 * in, resume-task still brings every row; purge-relay is refused past the paused task's checkpoint and done once the
 * task has moved on.
 */
class RelayLogIT {
    private static final String SOURCE_FILE = """
            source-id: "mysql-01"
            enable-relay: true
            from:
              host: "%s"
              user: "root"
              password: "%s"
              port: %d
            """;
    private static final String TASK_FILE = """
            name: "relayed"
            task-mode: "incremental"
            target-database:
              host: "%s"
              port: %d
              user: "root"
              password: "%s"
            block-allow-list:
              only:
                do-dbs: ["shop"]
            mysql-instances:
              - source-id: "mysql-01"
                block-allow-list: "only"
                meta:
                  binlog-name: "%s"
                  binlog-pos: %s
            """;
    private static final List<TableRef> TABLES = List.of(TableRef.of("shop", "orders"));

    private static Stack stack;
    private static LocalMariaDb source;
    private static LocalMariaDb target;

    @TempDir
    static Path work;

    @BeforeAll
    static void startEverything() {
        stack = Stack.named("relaylog").withSource().start();
        source = stack.source();
        target = stack.target();
    }

    @AfterAll
    static void stopEverything() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aPausedTaskResumesFromTheRelayAfterThePurgeAndPurgeRelayKeepsWhatItStillNeeds() throws Exception {
        String ddl = "CREATE TABLE shop.orders (id INT PRIMARY KEY, item VARCHAR(40), qty INT)";
        TestDatabases.execute(source, "CREATE DATABASE shop", ddl);
        TestDatabases.execute(target, "CREATE DATABASE shop", ddl);

        // Given a source created with enable-relay: true, whose relay topic then fills
        Path sourceFile = Files.writeString(work.resolve("source.yaml"), SOURCE_FILE.formatted(source.host(),
                TestDatabases.PASSWORD, source.port()));
        CliRun created = tidemark("operate-source", "create", sourceFile.toString());
        assertThat(created.exit()).as(created.output()).isZero();
        assertThat(created.output()).contains("tasks started from now on read the relay");
        String[] meta = masterStatus();
        TestDatabases.execute(source, "INSERT INTO shop.orders VALUES (1, 'tea', 1), (2, 'cup', 2)");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> relayRecords() > 3);

        // and a task of the source, started from the position recorded after the relay began
        Path taskFile = Files.writeString(work.resolve("task.yaml"), TASK_FILE.formatted(target.host(),
                target.port(), TestDatabases.PASSWORD, meta[0], meta[1]));
        CliRun started = tidemark("start-task", taskFile.toString());
        assertThat(started.exit()).as(started.output()).isZero();
        String migration = migrationOf(started);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> DataDiff.same(source, target, TABLES));

        // When the task is paused, the source writes on, rotates and purges the binlog the task stopped in
        CliRun paused = tidemark("pause-task", "relayed");
        assertThat(paused.exit()).as(paused.output()).isZero();
        TestDatabases.execute(source, "INSERT INTO shop.orders VALUES (3, 'pot', 3)",
                "UPDATE shop.orders SET qty = 10 WHERE id = 1");
        TestDatabases.execute(source, "FLUSH BINARY LOGS");
        TestDatabases.execute(source, "DELETE FROM shop.orders WHERE id = 2",
                "INSERT INTO shop.orders VALUES (4, 'lid', 4)");
        String current = purgeAllButTheCurrentBinlog();
        assertThat(current).isNotEqualTo(meta[0]);

        // Then purge-relay past the paused task's checkpoint is refused, naming the task and where it stands
        CliRun refused = tidemark("purge-relay", "-s", "mysql-01", "--filename", current);
        assertThat(refused.exit()).as(refused.output()).isEqualTo(2);
        assertThat(refused.output()).contains("TM-30036", migration, "still reads the relay from " + meta[0] + ":");
        long relayed = relayRecords();

        // When the task is resumed
        CliRun resumed = tidemark("resume-task", "relayed");
        assertThat(resumed.exit()).as(resumed.output()).isZero();

        // Then what the source no longer holds arrives from the relay: the target equals the source
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> DataDiff.same(source, target, TABLES));
        DataDiff.assertSame(source, target, TABLES);
        assertThat(CliRun.rows(target, "SELECT id, item, qty FROM shop.orders ORDER BY id"))
                .containsExactly("1|tea|10", "3|pot|3", "4|lid|4");

        // When the task's checkpoint has moved into the current file, purge-relay before it is done
        TestDatabases.execute(source, "INSERT INTO shop.orders VALUES (5, 'jar', 5)");
        CliRun[] purged = new CliRun[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            purged[0] = tidemark("purge-relay", "-s", "mysql-01", "--filename", current);
            return purged[0].exit() == 0;
        });
        assertThat(purged[0].output()).containsPattern("relay of source mysql-01 purged before "
                + Pattern.quote(current) + ": [1-9]\\d* records deleted");
        assertThat(relayRecords()).isLessThan(relayed);

        // and the task reads on from what is left
        TestDatabases.execute(source, "INSERT INTO shop.orders VALUES (6, 'mug', 6)");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> DataDiff.same(source, target, TABLES));
        DataDiff.assertSame(source, target, TABLES);
        assertThat(tidemark("stop-task", "relayed").exit()).isZero();
    }

    /** records the relay topic holds now (end offset less first offset) */
    private static long relayRecords() {
        TopicPartition p = new TopicPartition(TopicCatalog.DEFAULT.relay("mysql-01"), 0);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            if (c.partitionsFor(p.topic(), Duration.ofSeconds(5)).isEmpty()) {
                return 0;
            }
            return c.endOffsets(List.of(p)).get(p) - c.beginningOffsets(List.of(p)).get(p);
        }
    }

    /** FLUSH and PURGE until only the new file is left (MariaDB keeps a file a dump thread still reads, and warns) */
    private static String purgeAllButTheCurrentBinlog() throws Exception {
        TestDatabases.execute(source, "FLUSH BINARY LOGS");
        String keep = masterStatus()[0];
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            TestDatabases.execute(source, "PURGE BINARY LOGS TO '" + keep + "'");
            return CliRun.rows(source, "SHOW BINARY LOGS").getFirst().startsWith(keep + "|");
        });
        return keep;
    }

    private static String[] masterStatus() throws Exception {
        try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
            assertThat(rs.next()).isTrue();
            return new String[]{rs.getString(1), Long.toString(rs.getLong(2))};
        }
    }

    private static String migrationOf(CliRun started) {
        Matcher m = Pattern.compile("mysql-01 +(\\S+) +").matcher(started.output());
        assertThat(m.find()).as(started.output()).isTrue();
        return m.group(1);
    }

    private static CliRun tidemark(String... args) throws Exception {
        return CliRun.of(stack.platform().coordinatorPort(), work, Duration.ofMinutes(2), args);
    }
}
