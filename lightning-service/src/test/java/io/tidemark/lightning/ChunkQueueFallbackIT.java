package io.tidemark.lightning;

import io.tidemark.common.command.ImportRequest;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.status.ChunkImported;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.TestKafka;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A cluster without share groups (as before Kafka 4.2: Amazon MSK, many on-premise clusters): {@code auto} falls back
 * to the consumer group and imports all the same; {@code share} refuses to start, saying which cluster lacks what.
 */
class ChunkQueueFallbackIT {
    private static final TopicCatalog TOPICS = TopicCatalog.DEFAULT;
    private static ServiceRig rig;

    @TempDir
    static Path dumps;

    @BeforeAll
    static void start() {
        rig = ServiceRig.startOn(TestKafka.startWithoutShareGroups(), "lightning-fallback", List.of(),
                "--tidemark.lightning.workers=2");
    }

    @AfterAll
    static void stop() throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void autoFallsBackToTheConsumerGroupAndTheTargetEqualsTheSource() throws Exception {
        // given a service started with chunk-queue=auto on a cluster whose share.version feature is off
        assertThat(ShareGroupChunksIT.chunkQueue(rig.service()))
                .containsEntry("path", "consumer-group")
                .containsEntry("group", TOPICS.importWorkerGroup())
                .hasEntrySatisfying("reason", r -> assertThat((String) r).contains("share.version")
                        .contains("not enabled"));
        assertThat(rig.service().getBean(MeterRegistry.class).find("tidemark.lightning.chunk.queue")
                .tag("path", "consumer-group").gauge()).isNotNull();
        String db = TestDatabases.uniqueSchema("fallback");
        Path dir = dumps.resolve(db);
        TestService.write(dir, db + "-schema-create.sql", "CREATE DATABASE `" + db + "`;\n");
        TestService.write(dir, db + ".t-schema.sql", "CREATE TABLE `t` (`id` int PRIMARY KEY, `v` varchar(20));\n");
        for (int f = 0; f < 4; f++) {
            TestService.write(dir, String.format("%s.t.%09d.sql", db, f), "INSERT INTO `t` VALUES (" + (2 * f + 1)
                    + ",'a" + f + "'),(" + (2 * f + 2) + ",'b" + f + "');\n");
        }
        MigrationId m = MigrationId.of("fallback-" + db.replace('_', '-'));

        // when an import of four chunks runs
        ImportRequest request = new ImportRequest(ImportRequest.idFor(m, 1), m, 1,
                TestDatabases.endpoint(rig.target()), dir.toString(), List.of(TableRef.of(db, "t")));
        rig.producer().send(new ProducerRecord<>(TOPICS.importCommands(), m.value(), request)).get();

        // then every chunk is imported through the consumer group and the target holds the dump's rows
        await().atMost(Duration.ofSeconds(30)).until(() -> rig.status().of(ChunkImported.class, m).stream()
                .map(ChunkImported::chunkId).distinct().count() == 4);
        assertThat(rig.status().of(WorkFailed.class, m)).isEmpty();
        assertThat(rig.rows("SELECT id, v FROM `" + db + "`.t ORDER BY id")).containsExactly(
                "1|a0", "2|b0", "3|a1", "4|b1", "5|a2", "6|b2", "7|a3", "8|b3");
    }

    @Test
    void shareOnAClusterWithoutShareGroupsRefusesToStartNamingTheClusterTheFeatureAndTheFix() {
        String bootstrap = rig.kafka().bootstrapServers();
        assertThatThrownBy(() -> TestService.start(bootstrap, "--tidemark.lightning.chunk-queue=share",
                "--spring.application.name=lightning-share-demanded").close())
                .rootCause()
                .hasMessageContaining("TM-40022")
                .hasMessageContaining(bootstrap)
                .hasMessageContaining("share.version")
                .hasMessageContaining("kafka-features.sh")
                .hasMessageContaining("tidemark.lightning.chunk-queue=auto");
    }
}
