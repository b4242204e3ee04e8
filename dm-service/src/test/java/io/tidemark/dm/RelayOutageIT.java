package io.tidemark.dm;

import io.tidemark.common.command.DesiredRelay;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.dm.relay.RelayReader;
import io.tidemark.dm.relay.RelaySupervisor;
import io.tidemark.dm.relay.RelayedEvent;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka goes away under a running relay: the writer stops (going on would leave a gap), and once Kafka is back the
 * relay starts again by itself from the topic's last record, every event once and contiguous.
 */
class RelayOutageIT {
    @RegisterExtension
    final KafkaOutage kafka = new KafkaOutage();

    @Test
    void aRelayStoppedByAKafkaOutageStartsAgainByItselfWithoutAGap() throws Exception {
        String servers = kafka.servers();
        try (LocalMariaDb source = TestDatabases.startSource("relayoutage");
             DmHarness harness = new DmHarness(servers)) {
            String s = TestDatabases.uniqueSchema("relayoutage");
            String sourceId = "src-" + s.replace('_', '-');
            TestDatabases.execute(source, "CREATE DATABASE " + s, "CREATE TABLE " + s + ".t (id INT PRIMARY KEY)");
            // the producer gives a record up after 1.5 s (2 s while it waits for the topic's leader), so the outage
            // reaches the writer quickly
            ConfigurableApplicationContext service = harness.startService(
                    "spring.kafka.producer.properties.request.timeout.ms=1000",
                    "spring.kafka.producer.properties.delivery.timeout.ms=1500",
                    "spring.kafka.producer.properties.max.block.ms=2000");
            RelaySupervisor relays = service.getBean(RelaySupervisor.class);

            // given a running relay that caught up with the source
            harness.publish(new DesiredRelay(sourceId, TestDatabases.endpoint(source), 7400,
                    DmHarness.masterStatus(source), true));
            insert(source, s, 1, 3);
            awaitCaughtUp(relays, sourceId, source);

            // when Kafka goes away while the source is written to
            kafka.goAway();
            insert(source, s, 4, 6);

            // then the relay stops, saying why
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    relays.states().getOrDefault(sourceId, "").startsWith("failed: TM-50004"));

            // when Kafka comes back on the same log and port
            kafka.comeBack();
            insert(source, s, 7, 8);

            // then the relay runs again and holds every event once, each beginning where the one before it ended
            BinlogPosition end = awaitCaughtUp(relays, sourceId, source);
            assertThat(relays.states()).containsEntry(sourceId, "running");
            List<RelayedEvent> events = readAll(servers, TopicCatalog.DEFAULT.relay(sourceId), end);
            int rows = 0;
            for (int i = 1; i < events.size(); i++) {
                RelayedEvent before = events.get(i - 1);
                RelayedEvent e = events.get(i);
                assertThat(e.file() + ":" + e.pos()).as("event %s (%s) follows %s", i, e.type(), before.type())
                        .isEqualTo(before.resumeAt().file() + ":" + before.resumeAt().pos());
                rows += e.type().contains("WRITE_ROWS") ? 1 : 0;
            }
            assertThat(rows).isEqualTo(8);
            service.close();
        }
    }

    private static BinlogPosition awaitCaughtUp(RelaySupervisor relays, String sourceId, LocalMariaDb source) {
        BinlogPosition[] end = new BinlogPosition[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            end[0] = DmHarness.masterStatus(source);
            assertThat(relays.relayed(sourceId)).contains(end[0]);
            assertThat(relays.states()).containsEntry(sourceId, "running");
        });
        return end[0];
    }

    private static void insert(LocalMariaDb source, String schema, int from, int to) throws Exception {
        for (int id = from; id <= to; id++) {
            TestDatabases.execute(source, "INSERT INTO " + schema + ".t VALUES (" + id + ")");
        }
    }

    private static List<RelayedEvent> readAll(String servers, String topic, BinlogPosition end) {
        List<RelayedEvent> events = new ArrayList<>();
        try (RelayReader reader = new RelayReader(topic, 0, Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                servers))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                events.addAll(reader.poll(Duration.ofMillis(200)));
                return !events.isEmpty() && events.getLast().resumeAt().equals(end);
            });
        }
        return events;
    }
}
