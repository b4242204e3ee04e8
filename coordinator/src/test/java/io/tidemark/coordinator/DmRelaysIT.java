package io.tidemark.coordinator;

import io.tidemark.common.command.DesiredRelay;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.mysql.flavor.Flavor;
import io.tidemark.mysql.position.BinlogPositions;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.Closing;
import io.tidemark.testkit.TestKafka;
import io.tidemark.common.topic.RelayHeaders;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * operate-source with {@code enable-relay: true} publishes the source's relay, wanted running, on the compacted relay
 * topic for dm-service: starting at the source's binlog position when it was enabled, its password sealed; an update
 * without the flag and operate-source stop want it stopped, and enabling it again keeps the first start (no gap).
 */
class DmRelaysIT {
    private static final String YAML = "application/yaml";

    private static TestKafka kafka;
    private static LocalMariaDb source;
    private static Harness h;

    @BeforeAll
    static void start() {
        kafka = TestKafka.start();
        source = TestDatabases.startSource("coordinator-relays");
        h = Harness.start(kafka);
    }

    @AfterAll
    static void stop() {
        Closing.quietly(h, source, kafka);
    }

    private static String file(boolean relay) {
        return """
                source-id: "relay-01"
                enable-relay: %s
                from:
                  host: "%s"
                  user: "root"
                  password: "%s"
                  port: %d
                """.formatted(relay, source.host(), TestDatabases.PASSWORD, source.port());
    }

    private static List<DesiredRelay> relays() {
        return h.commands(TopicCatalog.DEFAULT.dmRelays(), "relay-01", DesiredRelay.class);
    }

    @Test
    void enablingTheRelayPublishesItFromTheSourcesPositionThenStopsAndResumesItWithTheSameStart() throws Exception {
        BinlogPosition before;
        try (Connection c = TestDatabases.connect(source)) {
            before = BinlogPositions.current(c, Flavor.detect(c));
        }

        Harness.Response created = h.send("POST", "/api/v1/sources", YAML, file(true));
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        List<ConsumerRecord<String, byte[]>> raw = h.records(TopicCatalog.DEFAULT.dmRelays(), "relay-01");
        assertThat(raw).singleElement().satisfies(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                .contains("enc:v1:").doesNotContain(TestDatabases.PASSWORD));
        DesiredRelay first = relays().getFirst();
        assertThat(first.running()).isTrue();
        assertThat(first.start()).isEqualTo(before);
        assertThat(first.source().port()).isEqualTo(source.port());
        assertThat(first.serverId()).isGreaterThanOrEqualTo(1_000_000L);

        // the source's binlog moves on; an update without the flag stops the relay
        TestDatabases.execute(source, "FLUSH BINARY LOGS");
        assertThat(h.send("PUT", "/api/v1/sources/relay-01", YAML, file(false)).status()).isEqualTo(200);
        assertThat(relays()).last().satisfies(r -> {
            assertThat(r.running()).isFalse();
            assertThat(r.start()).isEqualTo(before);
        });

        // enabled again, across a coordinator restart: the relay resumes from its first start, not the source's now
        h.close();
        h = Harness.start(kafka);
        assertThat(h.send("PUT", "/api/v1/sources/relay-01", YAML, file(true)).status()).isEqualTo(200);
        assertThat(relays()).last().satisfies(r -> {
            assertThat(r.running()).isTrue();
            assertThat(r.start()).isEqualTo(before);
            assertThat(r.serverId()).isEqualTo(first.serverId());
        });

        // stop-relay and start-relay (dmctl verbs) flip it, answering without the endpoint's password
        Harness.Response stopped = h.send("POST", "/api/v1/sources/relay-01/relay/stop", null, null);
        assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
        assertThat(stopped.json().get("running").asBoolean()).isFalse();
        assertThat(stopped.body()).doesNotContain("enc:v1:").doesNotContain("password");
        Harness.Response started = h.send("POST", "/api/v1/sources/relay-01/relay/start", null, null);
        assertThat(started.json().get("running").asBoolean()).isTrue();
        assertThat(started.json().get("start").get("file").asString()).isEqualTo(before.file());
        assertThat(relays()).hasSize(5).last().satisfies(r -> assertThat(r.running()).isTrue());
        Harness.Response unknown = h.send("POST", "/api/v1/sources/nope/relay/start", null, null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("code").asString()).isEqualTo("TM-10015");

        // operate-source stop wants it stopped
        assertThat(h.send("DELETE", "/api/v1/sources/relay-01", null, null).status()).isEqualTo(200);
        assertThat(relays()).hasSize(6).last().satisfies(r -> assertThat(r.running()).isFalse());
    }

    @Test
    void aSourceWithPurgeExpiresHasItsExpiredRelayFilesDeletedOnSchedule() throws Exception {
        // given a relay (as dm-service writes it) with a file older than expires, and the file being written
        String topic = TopicCatalog.DEFAULT.relay("relay-02");
        long old = System.currentTimeMillis() - Duration.ofHours(3).toMillis();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            for (String file : List.of("mysql-bin.000001", "mysql-bin.000001", "mysql-bin.000002")) {
                RecordHeaders headers = new RecordHeaders();
                headers.add(RelayHeaders.FILE, file.getBytes(StandardCharsets.UTF_8));
                producer.send(new ProducerRecord<>(topic, 0, old, "relay-02", new byte[]{1}, headers)).get();
            }
        }

        // when a source with enable-relay and purge.expires of 1 hour, checked every second, is created
        Harness.Response created = h.send("POST", "/api/v1/sources", YAML, file(true).replace("relay-01", "relay-02")
                + "purge:\n  interval: 1\n  expires: 1\n");
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        // then the expired file goes, the one being written stays
        TopicPartition p = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300))
                    .until(() -> c.beginningOffsets(List.of(p)).get(p) == 2);
            assertThat(c.endOffsets(List.of(p)).get(p)).isEqualTo(3);
        }
        assertThat(h.send("DELETE", "/api/v1/sources/relay-02", null, null).status()).isEqualTo(200);
    }
}
