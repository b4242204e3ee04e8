package io.tidemark.dm;

import io.tidemark.common.command.DesiredRelay;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.dm.relay.RelayReader;
import io.tidemark.dm.relay.RelaySupervisor;
import io.tidemark.dm.relay.RelayedEvent;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The coordinator's relay records ({@code tidemark.dm.relays}) run on exactly one dm-service instance of the group;
 * when that one leaves, the other takes the relay over from the topic's last record, with no event missing or twice.
 */
class RelayOwnershipIT {
    @Test
    void oneInstanceOwnsTheRelayAndTheOtherTakesItOverWithoutAGapOrADuplicate() throws Exception {
        try (LocalMariaDb source = TestDatabases.startSource("relayown");
             DmHarness harness = new DmHarness()) {
            String s = TestDatabases.uniqueSchema("relayown");
            String sourceId = "src-" + s.replace('_', '-');
            TestDatabases.execute(source, "CREATE DATABASE " + s, "CREATE TABLE " + s + ".t (id INT PRIMARY KEY)");

            // given two instances of the service and the relay of a source wanted running
            ConfigurableApplicationContext a = harness.startService();
            ConfigurableApplicationContext b = harness.startService();
            List<ConfigurableApplicationContext> both = List.of(a, b);
            awaitBothMembersAssigned(harness);
            harness.publish(new DesiredRelay(sourceId, TestDatabases.endpoint(source), 7300,
                    DmHarness.masterStatus(source), true));

            // when the source is written to
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger written = new AtomicInteger();
            Thread writer = new Thread(() -> write(source, s, writing, written), "test-writer");
            writer.start();

            // then exactly one instance relays it, and keeps doing so
            await().atMost(Duration.ofSeconds(30)).until(() -> owners(both, sourceId).size() == 1);
            ConfigurableApplicationContext owner = owners(both, sourceId).getFirst();
            for (int i = 0; i < 10; i++) {
                assertThat(owners(both, sourceId)).containsExactly(owner);
                Thread.sleep(200);
            }
            assertThat(written.get()).isPositive();

            // when the owner leaves mid-stream
            owner.close();
            ConfigurableApplicationContext survivor = owner == a ? b : a;

            // then the other one takes the relay over
            await().atMost(Duration.ofSeconds(30)).until(() -> owners(List.of(survivor), sourceId).size() == 1);
            Thread.sleep(500);
            writing.set(false);
            writer.join();
            RelaySupervisor relays = survivor.getBean(RelaySupervisor.class);
            BinlogPosition[] end = new BinlogPosition[1];
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                end[0] = DmHarness.masterStatus(source);
                assertThat(relays.relayed(sourceId)).contains(end[0]);
            });
            assertThat(relays.states()).containsEntry(sourceId, "running");

            // and the relay holds every event once, each starting where the one before it ended
            List<RelayedEvent> events = readAll(harness, TopicCatalog.DEFAULT.relay(sourceId), end[0]);
            Set<String> seen = new HashSet<>();
            int rows = 0;
            for (int i = 0; i < events.size(); i++) {
                RelayedEvent e = events.get(i);
                // a format description the source re-sent at a stream's start occupies no place of its own
                assertThat(e.artificial() || seen.add(e.file() + ":" + e.pos())).as("event %s at %s:%s is relayed once", e.type(),
                        e.file(), e.pos()).isTrue();
                if (i > 0) {
                    RelayedEvent before = events.get(i - 1);
                    assertThat(e.file() + ":" + e.pos()).as("event %s (%s) follows %s", i, e.type(), before.type())
                            .isEqualTo(before.resumeAt().file() + ":" + before.resumeAt().pos());
                }
                if (e.type().contains("WRITE_ROWS")) {
                    rows++;
                }
            }
            assertThat(rows).isEqualTo(written.get());
            assertThat(seen).hasSizeGreaterThan(written.get() * 3);
            survivor.close();
        }
    }

    /** the relay group has settled: each instance holds one of the two partitions, so nothing moves any more */
    private static void awaitBothMembersAssigned(DmHarness harness) {
        String group = TopicCatalog.DEFAULT.relayGroup();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                harness.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                return d.members().size() == 2 && d.members().stream()
                        .allMatch(m -> m.assignment().topicPartitions().size() == 1);
            });
        }
    }

    private static List<ConfigurableApplicationContext> owners(List<ConfigurableApplicationContext> services,
                                                               String sourceId) {
        List<ConfigurableApplicationContext> out = new ArrayList<>();
        for (ConfigurableApplicationContext c : services) {
            if (c.isActive() && "running".equals(c.getBean(RelaySupervisor.class).states().get(sourceId))) {
                out.add(c);
            }
        }
        return out;
    }

    /** one row per transaction, so every row is one WRITE_ROWS event of the relay */
    private static void write(LocalMariaDb source, String schema, AtomicBoolean writing, AtomicInteger written) {
        try (var c = TestDatabases.connect(source); var st = c.createStatement()) {
            for (int id = 1; writing.get(); id++) {
                st.execute("INSERT INTO " + schema + ".t VALUES (" + id + ")");
                written.incrementAndGet();
                Thread.sleep(20);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<RelayedEvent> readAll(DmHarness harness, String topic, BinlogPosition end) {
        List<RelayedEvent> events = new ArrayList<>();
        try (RelayReader reader = new RelayReader(topic, 0, Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, harness.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                events.addAll(reader.poll(Duration.ofMillis(200)));
                return !events.isEmpty() && events.getLast().resumeAt().equals(end);
            });
        }
        return events;
    }
}
