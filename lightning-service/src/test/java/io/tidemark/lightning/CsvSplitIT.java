package io.tidemark.lightning;

import io.tidemark.common.command.ImportOptions;
import io.tidemark.common.command.ImportOptions.OnDuplicate;
import io.tidemark.common.command.ImportRequest;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.status.ChunkImported;
import io.tidemark.common.status.ImportPlanned;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.mysql.checksum.DigestColumns;
import io.tidemark.mysql.checksum.ValueChecksum;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.LocalS3;
import io.tidemark.testkit.TestDatabases;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * A Dumpling CSV file in a real S3-compatible server, imported with strict-format into a real MariaDB target through a
 * real broker: cut into byte ranges at row ends, each range its own chunk, every row landing once with its values.
 */
class CsvSplitIT {
    private static final TopicCatalog TOPICS = TopicCatalog.DEFAULT;
    private static final String BUCKET = "csv";
    private static final int ROWS = 400;

    private static ServiceRig rig;
    private static LocalMariaDb target;
    private static StatusRecorder status;
    private static LocalS3 s3;

    @TempDir
    static Path files;
    @TempDir
    static Path s3Dir;

    @BeforeAll
    static void start() {
        rig = ServiceRig.start("lightning-csvsplit", "--tidemark.lightning.workers=2",
                "--tidemark.lightning.chunk-bytes=2KB");
        target = rig.target();
        status = rig.status();
        s3 = LocalS3.start(s3Dir, BUCKET);
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) {
            s3.stop();
        }
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void aStrictFormatCsvFileIsImportedInByteRangesWithEveryRowOnceAndItsValueSums() throws Exception {
        // given a Dumpling CSV of 400 rows (about 12KB: six ranges of 2KB) with NULLs, quoted commas and escapes
        String db = TestDatabases.uniqueSchema("csvsplit");
        Path dir = files.resolve(db);
        TestService.write(dir, db + "-schema-create.sql", "CREATE DATABASE `" + db + "`;\n");
        TestService.write(dir, db + ".t-schema.sql", "CREATE TABLE `t` (`id` int NOT NULL, `label` varchar(40),"
                + " `amount` decimal(10,2), PRIMARY KEY (`id`));\n");
        StringBuilder csv = new StringBuilder("\"id\",\"label\",\"amount\"\n");
        for (int id = 0; id < ROWS; id++) {
            String label = id % 7 == 0 ? "\\N" : "\"row " + id + (id % 5 == 0 ? ", with \\\"comma\\\"" : "") + "\"";
            csv.append(id).append(',').append(label).append(',').append(id % 3 == 0 ? "\\N" : id + ".25")
                    .append('\n');
        }
        // the last row has no line feed, as some writers leave it
        csv.setLength(csv.length() - 1);
        TestService.write(dir, db + ".t.000000000.csv", csv.toString());
        TestService.upload(s3, BUCKET, "dumps/" + db, dir);
        MigrationId m = MigrationId.of("csv-" + db.replace('_', '-'));

        // when it is imported with strict-format
        rig.producer().send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), new ImportRequest(
                ImportRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(target), s3.location(BUCKET, "dumps/" + db),
                List.of(), new ImportOptions(null, true, OnDuplicate.REPLACE, List.of(), true)))).get();

        // then the file is planned as several byte-range chunks covering it whole
        await().atMost(Duration.ofSeconds(90)).until(() -> !status.of(ImportPlanned.class, m).isEmpty()
                || !status.of(WorkFailed.class, m).isEmpty());
        assertThat(status.of(WorkFailed.class, m)).isEmpty();
        List<ImportPlanned.PlannedChunk> planned = status.of(ImportPlanned.class, m).getFirst().chunks();
        assertThat(planned).hasSizeGreaterThan(3).allMatch(c -> c.chunkId().contains("#bytes-"));
        assertThat(planned.stream().mapToLong(ImportPlanned.PlannedChunk::sizeBytes).sum()).isEqualTo(csv.length());
        await().atMost(Duration.ofSeconds(90)).until(() -> status.of(ChunkImported.class, m).stream()
                .map(ChunkImported::chunkId).distinct().count() == planned.size()
                || !status.of(WorkFailed.class, m).isEmpty());
        assertThat(status.of(WorkFailed.class, m)).isEmpty();
        Map<String, ChunkImported> imported = status.of(ChunkImported.class, m).stream()
                .collect(Collectors.toMap(ChunkImported::chunkId, e -> e, (a, b) -> a));
        // and each range reports its rows (none counted twice, the header in none) and a value sum
        assertThat(imported.values().stream().mapToLong(ChunkImported::rows).sum()).isEqualTo(ROWS);
        assertThat(imported.values()).allMatch(e -> e.rows() > 0 && e.valueSum() != null);
        // and the target holds every row once with its values, the sums of the ranges equal to the target's
        TableRef t = TableRef.of(db, "t");
        assertThat(rig.rows("SELECT COUNT(*), COUNT(DISTINCT id), MIN(id), MAX(id), COUNT(label), SUM(amount)"
                + " FROM " + t.quoted())).containsExactly("400|400|0|399|342|53133.50");
        assertThat(rig.rows("SELECT label FROM " + t.quoted() + " WHERE id = 5"))
                .containsExactly("row 5, with \"comma\"");
        long sum = imported.values().stream().mapToLong(ChunkImported::valueSum).sum();
        try (Connection c = TestDatabases.connect(target)) {
            assertThat(sum).isEqualTo(ValueChecksum.of(c, t, DigestColumns.of(c, t)).sum());
        }
    }

    @Test
    void aRangeWhoseSessionIsKilledMidLoadIsLoadedAgainWholeAndTheDoneRangesAreNot() throws Exception {
        // given a CSV of 6,000 rows (about 60 ranges) into a table without a key, so a range loaded twice would show
        String db = TestDatabases.uniqueSchema("csvkill");
        Path dir = files.resolve(db);
        int rows = 6000;
        TestService.write(dir, db + "-schema-create.sql", "CREATE DATABASE `" + db + "`;\n");
        TestService.write(dir, db + ".t-schema.sql", "CREATE TABLE `t` (`id` int NOT NULL, `v` varchar(40));\n");
        StringBuilder csv = new StringBuilder("\"id\",\"v\"\n");
        for (int id = 1; id <= rows; id++) {
            csv.append(id).append(",\"row-").append(id).append("\"\n");
        }
        TestService.write(dir, db + ".t.000000000.csv", csv.toString());
        TestService.upload(s3, BUCKET, "dumps/" + db, dir);
        MigrationId m = MigrationId.of("csv-" + db.replace('_', '-'));
        TableRef t = TableRef.of(db, "t");
        try (Connection lock = TestDatabases.connect(target); Statement st = lock.createStatement()) {
            // when the import runs until some ranges are done, then one range's LOAD DATA waits on a table lock
            rig.producer().send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), new ImportRequest(
                    ImportRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(target),
                    s3.location(BUCKET, "dumps/" + db), List.of(),
                    new ImportOptions(null, true, OnDuplicate.REPLACE, List.of(), true)))).get();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(5))
                    .until(() -> !status.of(ChunkImported.class, m).isEmpty()
                            || !status.of(WorkFailed.class, m).isEmpty());
            st.execute("LOCK TABLES " + t.quoted() + " WRITE");
            long session = awaitLoadWaitingOnTheLock();
            long doneBefore = status.of(ChunkImported.class, m).stream().map(ChunkImported::chunkId).distinct()
                    .count();
            assertThat(doneBefore).as("the kill falls mid-import").isBetween(1L, 58L);
            // and its session is killed
            st.execute("KILL CONNECTION " + session);
            st.execute("UNLOCK TABLES");
        }

        // then every range is imported in the end, the killed one again whole, each row exactly once
        await().atMost(Duration.ofSeconds(90)).until(() -> !status.of(ImportPlanned.class, m).isEmpty()
                && status.of(ChunkImported.class, m).stream().map(ChunkImported::chunkId).distinct().count()
                == status.of(ImportPlanned.class, m).getFirst().chunks().size());
        assertThat(status.of(WorkFailed.class, m)).extracting(WorkFailed::code, WorkFailed::retriable)
                .containsOnly(tuple("TM-30001", true)).isNotEmpty();
        assertThat(rig.rows("SELECT COUNT(*), COUNT(DISTINCT id), MIN(id), MAX(id), SUM(v = CONCAT('row-', id))"
                + " FROM " + t.quoted())).containsExactly("6000|6000|1|6000|6000");
        Map<String, ChunkImported> imported = status.of(ChunkImported.class, m).stream()
                .collect(Collectors.toMap(ChunkImported::chunkId, e -> e, (a, b) -> a));
        assertThat(imported.values().stream().mapToLong(ChunkImported::rows).sum()).isEqualTo(rows);
        try (Connection c = TestDatabases.connect(target)) {
            assertThat(imported.values().stream().mapToLong(ChunkImported::valueSum).sum())
                    .isEqualTo(ValueChecksum.of(c, t, DigestColumns.of(c, t)).sum());
        }
    }

    /** a worker's session whose LOAD DATA waits on the test's table lock */
    private static long awaitLoadWaitingOnTheLock() {
        long[] id = new long[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            try (Connection c = TestDatabases.connect(target); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id FROM information_schema.processlist WHERE id <> "
                         + "CONNECTION_ID() AND state LIKE 'Waiting for table%' AND info LIKE 'LOAD DATA%'")) {
                if (!rs.next()) {
                    return false;
                }
                id[0] = rs.getLong(1);
                return true;
            }
        });
        return id[0];
    }
}
