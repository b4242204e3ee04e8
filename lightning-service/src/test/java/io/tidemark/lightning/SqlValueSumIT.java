package io.tidemark.lightning;

import io.tidemark.common.command.ImportRequest;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.status.ChunkImported;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.mysql.checksum.DigestColumns;
import io.tidemark.mysql.checksum.ValueChecksum;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SQL dump files (Dumpling's {@code INSERT ... VALUES}) report the value sum of the rows their literals hold, so the
 * coordinator's comparison with the target's {@link ValueChecksum} covers SQL dumps as it covers Parquet and CSV: equal
 * when every value arrived as written, different when the target changed one, none when a value is not a literal.
 */
class SqlValueSumIT {
    private static ServiceRig rig;
    private static LocalMariaDb target;
    private static StatusRecorder status;

    @TempDir
    static Path dumps;

    @BeforeAll
    static void start() {
        // two statements per batch: the sum is saved with several checkpoints of each file before it is reported
        rig = ServiceRig.start("lightning-sqlsum", "--tidemark.lightning.workers=2",
                "--tidemark.lightning.batch-statements=2");
        target = rig.target();
        status = rig.status();
    }

    @AfterAll
    static void stop() throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void eachTablesSummedChunksEqualTheTargetsValueChecksumForEveryTypeFamilyAndLiteralForm() throws Exception {
        // given a Dumpling SQL dump: a table of every type family written with every literal form, a table whose files
        // name their columns in another order or switch to SET NAMES utf8mb4, and one whose value is an expression
        String db = TestDatabases.uniqueSchema("sqlsum");
        Path dir = dumps.resolve(db);
        TestService.write(dir, db + "-schema-create.sql", "CREATE DATABASE `" + db + "`;\n");
        TestService.write(dir, db + ".kinds-schema.sql", "/*!40101 SET NAMES binary*/;\nCREATE TABLE `kinds` ("
                + "`id` int NOT NULL PRIMARY KEY, `i8` tinyint, `u64` bigint unsigned, `d` decimal(10,2), `f` double,"
                + " `dt` date, `ts` datetime(3), `tm` timestamp NULL, `t` time, `y` year, `c` char(5),"
                + " `v` varchar(40), `l` varchar(20) CHARACTER SET latin1, `tx` text, `e` enum('a','b'),"
                + " `s` set('x','y','z'), `bn` binary(4), `vb` varbinary(16), `bl` blob, `bt` bit(10)"
                + ") DEFAULT CHARSET=utf8mb4;\n");
        TestService.write(dir, db + ".kinds.000000000.sql", """
                /*!40101 SET NAMES binary*/;
                /*!40014 SET FOREIGN_KEY_CHECKS=0*/;
                INSERT INTO `kinds` VALUES
                (1,-128,18446744073709551615,-12.5,1.5e3,'2024-02-29','2024-02-29 13:14:15.120','2024-01-01 00:00:00',\
                '-838:59:59',1999,'ab ','it''s \\"q\\" \\\\ \\n 😀 \\%','plain','tab\\there\\Z',_utf8mb4'b','z,x',\
                _binary'a\\0',0x00FF1A,x'DEADBEEF',b'1010101010'),
                (2,TRUE,0,0.005,-0.0,'0000-00-00','1970-01-01 00:00:01','2038-01-19 03:14:07','12:00:00',69,'',\
                '中文',NULL,'',_binary'a','',_binary'\\'\\\\\\0',_binary'',_binary'',b'0');
                INSERT INTO `kinds` VALUES (3,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,\
                NULL,NULL,NULL,NULL,NULL);
                INSERT INTO `kinds` VALUES (4,FALSE,42,7,NULL,'1999-12-31','1999-12-31 23:59:59.999',NULL,'838:59:59',\
                '2155','x','\\'',NULL,'',NULL,'y',0x41424344,'',NULL,0x03FF);
                """);
        TestService.write(dir, db + ".pairs-schema.sql",
                "CREATE TABLE `pairs` (`id` int PRIMARY KEY, `name` varchar(30), `amount` decimal(8,3));\n");
        TestService.write(dir, db + ".pairs.000000000.sql", """
                /*!40101 SET NAMES binary*/;
                INSERT INTO `pairs` (`name`,`amount`,`id`) VALUES ('one',1.5,1),('two',-0.25,2);
                INSERT INTO `pairs` (amount, id, `name`) VALUES (3,3,'three');
                """);
        TestService.write(dir, db + ".pairs.000000001.sql", """
                /*!40101 SET NAMES utf8mb4*/;
                INSERT INTO `pairs` VALUES (4,'vier ß',4.0005),(5,_binary'fuenf',5);
                """);
        TestService.write(dir, db + ".exprs-schema.sql", "CREATE TABLE `exprs` (`id` int, `v` varchar(10));\n");
        TestService.write(dir, db + ".exprs.000000000.sql",
                "INSERT INTO `exprs` VALUES (1,'plain');\nINSERT INTO `exprs` VALUES (2,CONCAT('a','b'));\n");
        // 0x81: a byte MySQL's latin1 reads as U+0081 and Java's windows-1252 does not read at all
        TestService.write(dir, db + ".odd-schema.sql", "CREATE TABLE `odd` (`id` int, `l` varchar(10) CHARACTER SET latin1);\n");
        TestService.writeBytes(dir, db + ".odd.000000000.sql", "INSERT INTO `odd` VALUES (1,'caf",
                TestService.bytes(0xE9), "'),(2,'", TestService.bytes(0x81), "');\n");
        MigrationId m = MigrationId.of("sqlsum-" + db.replace('_', '-'));

        // when it is imported
        import_(m, dir, db, "kinds", "pairs", "exprs", "odd");
        await().atMost(Duration.ofSeconds(60)).until(() -> chunks(m).size() == 5
                || !status.of(WorkFailed.class, m).isEmpty());

        // then every row is in, and each table's chunk sums add up to the target's value checksum of its values
        assertThat(status.of(WorkFailed.class, m)).isEmpty();
        assertThat(rig.rows("SELECT COUNT(*) FROM `" + db + "`.kinds")).containsExactly("4");
        assertThat(rig.rows("SELECT id, c, v, s, HEX(bn), CAST(bt AS UNSIGNED) FROM `" + db + "`.kinds WHERE id = 1"))
                .containsExactly("1|ab|it's \"q\" \\ \n 😀 \\%|x,z|61000000|682");
        assertThat(valueSumOfChunks(m, db, "kinds")).isNotNull().isEqualTo(valueChecksum(db, "kinds"));
        assertThat(rig.rows("SELECT id, name, amount FROM `" + db + "`.pairs ORDER BY id")).containsExactly(
                "1|one|1.500", "2|two|-0.250", "3|three|3.000", "4|vier ß|4.001", "5|fuenf|5.000");
        assertThat(valueSumOfChunks(m, db, "pairs")).isNotNull().isEqualTo(valueChecksum(db, "pairs"));
        // and the file whose value is an expression reports no sum rather than a guess
        assertThat(rig.rows("SELECT id, v FROM `" + db + "`.exprs ORDER BY id")).containsExactly("1|plain", "2|ab");
        assertThat(status.of(ChunkImported.class, m)).filteredOn(e -> e.table().table().equals("exprs"))
                .isNotEmpty().extracting(ChunkImported::valueSum).containsOnlyNulls();
        // and so does the file whose latin1 byte Java cannot read as MySQL does
        assertThat(rig.rows("SELECT id, HEX(l) FROM `" + db + "`.odd ORDER BY id")).containsExactly("1|636166E9", "2|81");
        assertThat(status.of(ChunkImported.class, m)).filteredOn(e -> e.table().table().equals("odd"))
                .isNotEmpty().extracting(ChunkImported::valueSum).containsOnlyNulls();
    }

    @Test
    void aTriggerThatRewritesAValueOnInsertMakesTheReportedSumDifferFromTheTargets() throws Exception {
        // given a SQL dump, and a target table whose BEFORE INSERT trigger rewrites one value behind the import's back
        String db = TestDatabases.uniqueSchema("sqltrig");
        Path dir = dumps.resolve(db);
        TestService.write(dir, db + "-schema-create.sql", "CREATE DATABASE `" + db + "`;\n");
        StringBuilder rows = new StringBuilder("/*!40101 SET NAMES binary*/;\nINSERT INTO `visits` VALUES ");
        for (int n = 0; n < 20; n++) {
            rows.append(n == 0 ? "" : ",").append('(').append(n).append(",'v").append(n).append("-😀')");
        }
        TestService.write(dir, db + ".visits.000000000.sql", rows.append(";\n").toString());
        TestDatabases.execute(target, "CREATE DATABASE `" + db + "`", "USE `" + db + "`",
                "CREATE TABLE visits (n BIGINT, label VARCHAR(40)) DEFAULT CHARSET=utf8mb4",
                "CREATE TRIGGER shout BEFORE INSERT ON visits FOR EACH ROW"
                        + " SET NEW.label = IF(NEW.n = 7, 'changed', NEW.label)");
        MigrationId m = MigrationId.of("sqltrig-" + db.replace('_', '-'));

        // when it is imported
        import_(m, dir, db, "visits");
        await().atMost(Duration.ofSeconds(60)).until(() -> !status.of(ChunkImported.class, m).isEmpty()
                || !status.of(WorkFailed.class, m).isEmpty());

        // then the row count agrees, but the sum of the values the file holds is not the target's
        assertThat(status.of(WorkFailed.class, m)).isEmpty();
        ChunkImported imported = status.of(ChunkImported.class, m).getFirst();
        assertThat(imported.rows()).isEqualTo(20);
        assertThat(rig.rows("SELECT COUNT(*) FROM `" + db + "`.visits")).containsExactly("20");
        assertThat(imported.valueSum()).isNotNull().isNotEqualTo(valueChecksum(db, "visits"));
        // and with the changed value put back the sums agree: the difference is that value's alone
        TestDatabases.execute(target, "UPDATE `" + db + "`.visits SET label = CONCAT('v7-',"
                + " CONVERT(0xF09F9880 USING utf8mb4)) WHERE n = 7");
        assertThat(imported.valueSum()).isEqualTo(valueChecksum(db, "visits"));
    }

    private static void import_(MigrationId m, Path dir, String db, String... tables) throws Exception {
        List<TableRef> refs = java.util.Arrays.stream(tables).map(t -> TableRef.of(db, t)).toList();
        rig.producer().send(new ProducerRecord<>(TopicCatalog.DEFAULT.importCommands(), m.value(), new ImportRequest(
                ImportRequest.idFor(m, 1), m, 1, TestDatabases.endpoint(target), dir.toString(), refs))).get();
    }

    /** each chunk's first report (a rebalance may repeat one, never change it) */
    private static Map<String, ChunkImported> chunks(MigrationId m) {
        return status.of(ChunkImported.class, m).stream()
                .collect(Collectors.toMap(ChunkImported::chunkId, e -> e, (a, b) -> a));
    }

    /** the sum of the value sums the table's chunks reported; null if one reported none */
    private static Long valueSumOfChunks(MigrationId m, String db, String table) {
        long sum = 0;
        for (ChunkImported c : chunks(m).values()) {
            if (!c.table().equals(TableRef.of(db, table))) {
                continue;
            }
            if (c.valueSum() == null) {
                return null;
            }
            sum += c.valueSum();
        }
        return sum;
    }

    /** the table's value checksum computed by the target, as the coordinator computes it after an import */
    private static long valueChecksum(String db, String table) throws Exception {
        try (Connection c = TestDatabases.connect(target)) {
            TableRef t = TableRef.of(db, table);
            return ValueChecksum.of(c, t, DigestColumns.of(c, t)).sum();
        }
    }
}
