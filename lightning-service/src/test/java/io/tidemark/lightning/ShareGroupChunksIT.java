package io.tidemark.lightning;

import io.tidemark.common.command.ImportRequest;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.status.ChunkImported;
import io.tidemark.common.status.ImportPlanned;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.testkit.TestDatabases;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.info.InfoEndpoint;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chunk queue on a KIP-932 share group, against a real broker and a real MariaDB target: more workers than the
 * chunks topic has partitions all take chunks, and a chunk that keeps failing shows its delivery count.
 */
class ShareGroupChunksIT {
    private static final TopicCatalog TOPICS = TopicCatalog.DEFAULT;
    /** three instances of one worker each on a chunks topic of one partition: a consumer group would busy one */
    private static final int INSTANCES = 3;
    private static ServiceRig rig;
    private static final List<ConfigurableApplicationContext> more = new ArrayList<>();

    @TempDir
    static Path dumps;

    @BeforeAll
    static void start() {
        String[] args = {"--tidemark.topics.partitions=1", "--tidemark.lightning.workers=1",
                "--tidemark.lightning.attempts-per-delivery=1", "--tidemark.lightning.max-deliveries=2",
                "--tidemark.lightning.max-retry-backoff=100ms", "--tidemark.lightning.plan-page-chunks=8"};
        rig = ServiceRig.start("lightning-share", args);
        for (int i = 1; i < INSTANCES; i++) {
            List<String> own = new ArrayList<>(List.of(args));
            // the status events name the instance: the worker id is <application name>@host:pid
            own.add("--spring.application.name=lightning-service-" + i);
            own.add("--tidemark.lightning.planner-enabled=false");
            more.add(TestService.start(rig.kafka().bootstrapServers(), own.toArray(String[]::new)));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        more.forEach(ConfigurableApplicationContext::close);
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void moreWorkersThanPartitionsEachTakeChunksAndTheTargetEqualsTheSource() throws Exception {
        // given three workers, all members of the share group, on a chunks topic of one partition
        assertThat(chunkQueue(rig.service())).containsEntry("path", "share-group");
        awaitMembers(INSTANCES);
        String db = TestDatabases.uniqueSchema("many");
        int files = 18;
        writeDump(dumps.resolve(db), db, files, 20);
        String source = copyAsSource(db, files, 20);
        MigrationId m = MigrationId.of("share-" + db.replace('_', '-'));

        // when one import of many chunks runs
        request(m, db);

        // then every chunk is imported, and every worker took some of them
        await().atMost(Duration.ofSeconds(30)).until(() -> chunks(m).size() == files);
        Map<String, Long> perWorker = status().of(ChunkImported.class, m).stream()
                .collect(Collectors.groupingBy(e -> e.workerId().value().split("@")[0], Collectors.counting()));
        assertThat(perWorker).as("chunks per worker").hasSize(INSTANCES).allSatisfy((w, n) -> assertThat(n).isPositive());
        assertThat(status().of(WorkFailed.class, m)).isEmpty();
        // and its plan came in parts of at most 8 chunks (plan-page-chunks), in order, naming every chunk once
        List<ImportPlanned> parts = status().of(ImportPlanned.class, m).stream() // a redelivery repeats them, same ids
                .collect(Collectors.toMap(ImportPlanned::eventId, p -> p, (a, b) -> a, java.util.LinkedHashMap::new))
                .values().stream().toList();
        assertThat(parts).extracting(ImportPlanned::eventId).containsExactly(ImportPlanned.idFor(m, 1) + "/1-of-3",
                ImportPlanned.idFor(m, 1) + "/2-of-3", ImportPlanned.idFor(m, 1) + "/3-of-3");
        assertThat(parts).extracting(p -> p.chunks().size()).containsExactly(8, 8, 2);
        assertThat(parts.stream().flatMap(p -> p.chunks().stream()).map(ImportPlanned.PlannedChunk::chunkId))
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(chunks(m));
        // and the target holds exactly the source's rows
        String digest = "SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', id, name))) FROM `%s`.t";
        List<String> expected = rig.rows(digest.formatted(source));
        assertThat(expected.getFirst()).startsWith(files * 20 + "|");
        assertThat(rig.rows(digest.formatted(db))).isEqualTo(expected);
    }

    @Test
    void aChunkThatKeepsFailingShowsItsDeliveryCountThenImportsOnceItsCauseIsGone() throws Exception {
        // given a dump of three chunks whose target table exists, and one row of the second chunk locked on the target
        String db = TestDatabases.uniqueSchema("stuck");
        writeDump(dumps.resolve(db), db, 3, 5);
        String source = copyAsSource(db, 3, 5);
        TestDatabases.execute(rig.target(), "CREATE DATABASE `" + db + "`",
                "CREATE TABLE `" + db + "`.t (id INT PRIMARY KEY, name VARCHAR(40))",
                "SET GLOBAL innodb_lock_wait_timeout = 1");
        MigrationId m = MigrationId.of("stuck-" + db.replace('_', '-'));
        String stuckFile = db + ".t.000000001.sql";
        try (Connection lock = TestDatabases.connect(rig.target()); Statement st = lock.createStatement()) {
            lock.setAutoCommit(false);
            st.execute("INSERT INTO `" + db + "`.t VALUES (7, 'held')");

            // when the import runs while the row stays locked
            request(m, db);

            // then the chunk's failure is reported with its delivery count and the last error, and it stays queued
            // (the other two chunks go to the other workers meanwhile: wait for both, under load they may come later)
            await().atMost(Duration.ofSeconds(30)).until(() -> !redelivered(m).isEmpty() && chunks(m).size() == 2);
            WorkFailed shown = redelivered(m).getFirst();
            assertThat(shown.subject()).isEqualTo(stuckFile);
            assertThat(shown.retriable()).isTrue();
            assertThat(shown.message()).contains(stuckFile).contains("was delivered 2 times")
                    .contains("TM-30005").containsIgnoringCase("lock wait");
            assertThat(chunks(m)).hasSize(2).doesNotContain(chunkOf(m, stuckFile));
            // and it keeps counting past its put-back at the end of the queue (delivery 2 of its first record): the
            // new record's deliveries are 3, 4, … each its own event, none taken for the first record's
            await().atMost(Duration.ofSeconds(30)).until(() -> redelivered(m).stream()
                    .anyMatch(f -> f.message().contains("was delivered 4 times")));
            assertThat(redelivered(m)).extracting(WorkFailed::eventId).doesNotHaveDuplicates();
            assertThat(redelivered(m)).extracting(WorkFailed::message)
                    .anyMatch(text -> text.contains("was delivered 3 times"));

            // when the lock is gone
            lock.rollback();
        } finally {
            TestDatabases.execute(rig.target(), "SET GLOBAL innodb_lock_wait_timeout = 50");
        }

        // then the chunk is imported too, and the target equals the source
        await().atMost(Duration.ofSeconds(30)).until(() -> chunks(m).size() == 3);
        assertThat(rig.rows("SELECT id, name FROM `" + db + "`.t ORDER BY id"))
                .hasSize(15).containsExactlyElementsOf(rig.rows("SELECT id, name FROM `" + source + "`.t ORDER BY id"));
    }

    @Test
    void consumerGroupIsUsedWhenConfiguredEvenWhereTheClusterHasShareGroups() {
        try (ConfigurableApplicationContext classic = TestService.start(rig.kafka().bootstrapServers(),
                "--spring.application.name=lightning-classic", "--tidemark.lightning.planner-enabled=false",
                "--tidemark.lightning.workers=1", "--tidemark.lightning.chunk-queue=consumer-group")) {
            assertThat(chunkQueue(classic)).containsEntry("path", "consumer-group")
                    .containsEntry("group", TOPICS.importWorkerGroup())
                    .containsEntry("reason", "tidemark.lightning.chunk-queue=consumer-group");
        }
    }

    private static StatusRecorder status() {
        return rig.status();
    }

    private static List<WorkFailed> redelivered(MigrationId m) {
        return status().of(WorkFailed.class, m).stream().filter(e -> e.code().equals("TM-40021")).toList();
    }

    private static List<String> chunks(MigrationId m) {
        return status().of(ChunkImported.class, m).stream().map(ChunkImported::chunkId).distinct().toList();
    }

    private static String chunkOf(MigrationId m, String file) {
        return io.tidemark.common.command.ImportChunk.idFor(m, 1, file);
    }

    private static void request(MigrationId m, String db) throws Exception {
        ImportRequest request = new ImportRequest(ImportRequest.idFor(m, 1), m, 1,
                TestDatabases.endpoint(rig.target()), dumps.resolve(db).toString(), List.of(TableRef.of(db, "t")));
        rig.producer().send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), request)).get();
        await().atMost(Duration.ofSeconds(30)).until(() -> !status().of(ImportPlanned.class, m).isEmpty());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> chunkQueue(ConfigurableApplicationContext service) {
        return (Map<String, Object>) service.getBean(InfoEndpoint.class).info().get("chunkQueue");
    }

    /**
     * every worker joined and was assigned the chunks topic (a member gets its assignment at a heartbeat after it
     * joined): otherwise the first to fetch could take every chunk before the others are there
     */
    private static void awaitMembers(int members) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                rig.kafka().bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                var group = admin.describeShareGroups(List.of(TOPICS.importWorkerShareGroup())).all()
                        .get(10, TimeUnit.SECONDS).get(TOPICS.importWorkerShareGroup());
                return group.members().size() == members && group.members().stream().allMatch(m -> m.assignment()
                        .topicPartitions().stream().anyMatch(tp -> tp.topic().equals(TOPICS.importChunks())));
            });
        }
    }

    /** a Dumpling dump of table t in {@code files} files of {@code rows} rows each, ids from 1 */
    private static void writeDump(Path dir, String db, int files, int rows) throws Exception {
        TestService.write(dir, db + "-schema-create.sql", "CREATE DATABASE `" + db + "`;\n");
        TestService.write(dir, db + ".t-schema.sql",
                "CREATE TABLE `t` (`id` int NOT NULL, `name` varchar(40), PRIMARY KEY (`id`));\n");
        for (int f = 0; f < files; f++) {
            TestService.write(dir, String.format("%s.t.%09d.sql", db, f), "INSERT INTO `t` VALUES "
                    + values(f, rows) + ";\n");
        }
    }

    /** the same rows in another schema of the target server: the source the import is compared with */
    private static String copyAsSource(String db, int files, int rows) throws Exception {
        String source = db + "_src";
        List<String> sql = new ArrayList<>(List.of("CREATE DATABASE `" + source + "`",
                "CREATE TABLE `" + source + "`.t (id INT PRIMARY KEY, name VARCHAR(40))"));
        for (int f = 0; f < files; f++) {
            sql.add("INSERT INTO `" + source + "`.t VALUES " + values(f, rows));
        }
        TestDatabases.execute(rig.target(), sql.toArray(String[]::new));
        return source;
    }

    private static String values(int file, int rows) {
        List<String> out = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            int id = file * rows + r + 1;
            out.add("(" + id + ",'row " + id + " of file " + file + "')");
        }
        return String.join(",", out);
    }
}
