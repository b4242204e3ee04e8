package io.tidemark.dm;

import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.status.ReplicationProgressed;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.dm.sync.ReplicatorState;
import io.tidemark.dm.task.TaskSupervisor;
import io.tidemark.kit.status.StatusPublisher;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka goes away while dm-service reports: replication does not wait for it, and a failure raised meanwhile reaches
 * the status topic once Kafka is back instead of being lost (which would leave the migration looking alive).
 */
class StatusOutageIT {
    @RegisterExtension
    final KafkaOutage kafka = new KafkaOutage();

    @Test
    void aFailureRaisedWhileKafkaIsDownArrivesOnceItIsBackAndProgressGoesOn() throws Exception {
        String servers = kafka.servers();
        try (LocalMariaDb source = TestDatabases.startSource("outage");
             LocalMariaDb target = TestDatabases.startTarget("outage");
             DmHarness harness = new DmHarness(servers)) {
            String ok = TestDatabases.uniqueSchema("outage_ok");
            String bad = TestDatabases.uniqueSchema("outage_bad");
            MigrationId healthy = MigrationId.of(ok.replace('_', '-'));
            MigrationId failing = MigrationId.of(bad.replace('_', '-'));
            // given one task over a table both sides agree on, and one whose target column is narrower than the source's
            for (String s : List.of(ok, bad)) {
                TestDatabases.execute(source, "CREATE DATABASE " + s,
                        "CREATE TABLE " + s + ".t (id INT PRIMARY KEY, v VARCHAR(20))");
            }
            TestDatabases.execute(target, "CREATE DATABASE " + ok, "CREATE TABLE " + ok + ".t (id INT PRIMARY KEY,"
                    + " v VARCHAR(20))", "CREATE DATABASE " + bad, "CREATE TABLE " + bad + ".t (id INT PRIMARY KEY, v VARCHAR(5))");
            // the producer gives a send up after 1.5 s: only the publisher's retries, not the client's buffer, can
            // carry an event across the outage
            ConfigurableApplicationContext service = harness.startService("tidemark.status.attempt-timeout=1s",
                    "tidemark.status.max-retry-backoff=500ms", "spring.kafka.producer.properties.request.timeout.ms=1000",
                    "spring.kafka.producer.properties.delivery.timeout.ms=1500");
            TaskSupervisor supervisor = service.getBean(TaskSupervisor.class);
            StatusPublisher publisher = service.getBean(StatusPublisher.class);
            BinlogPosition start = DmHarness.masterStatus(source);
            harness.publish(DmHarness.task(healthy, 1, source, target, List.of(ok + ".*"), start, null, 9101));
            harness.publish(DmHarness.task(failing, 1, source, target, List.of(bad + ".*"), start, null, 9102));
            await().atMost(Duration.ofSeconds(30)).until(() -> !harness.statuses(healthy, ReplicationProgressed.class)
                    .isEmpty() && !harness.statuses(failing, ReplicationProgressed.class).isEmpty());

            // when Kafka goes away
            kafka.goAway();
            Instant down = Instant.now();

            // then replication goes on: progress is reported without waiting for Kafka, and the next rows still apply
            TestDatabases.execute(source, "INSERT INTO " + ok + ".t VALUES (1, 'during outage')");
            BinlogPosition afterFirst = DmHarness.masterStatus(source);
            await().atMost(Duration.ofSeconds(20)).until(() -> supervisor.states().get(ReplicationTask.idFor(healthy))
                    instanceof ReplicatorState.Streaming st && !st.position().isBefore(afterFirst));
            TestDatabases.execute(source, "INSERT INTO " + ok + ".t VALUES (2, 'still during outage')");
            BinlogPosition afterSecond = DmHarness.masterStatus(source);
            await().atMost(Duration.ofSeconds(20)).until(() -> DmHarness.count(target,
                    "SELECT COUNT(*) FROM " + ok + ".t") == 2);

            // and a row the target rejects fails the other task while Kafka cannot take the report
            TestDatabases.execute(source, "INSERT INTO " + bad + ".t VALUES (1, 'longer than five')");
            await().atMost(Duration.ofSeconds(20)).until(() -> supervisor.states().get(ReplicationTask.idFor(failing))
                    instanceof ReplicatorState.Failed f && f.errorCode().equals("TM-30003"));
            // (an attempt that Kafka did not acknowledge within the attempt timeout marks the publisher as behind)
            await().atMost(Duration.ofSeconds(10)).until(() -> publisher.unsentSince() > 0);
            assertThat(harness.statuses(failing, WorkFailed.class)).noneMatch(f -> f.code().equals("TM-30003"));

            // when Kafka comes back on the same log and port
            Instant up = Instant.now();
            kafka.comeBack();

            // then the failure raised during the outage arrives, with its code and message
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                    harness.statuses(failing, WorkFailed.class)).anySatisfy(f -> {
                        assertThat(f.code()).isEqualTo("TM-30003");
                        assertThat(f.message()).contains("Data too long for column 'v'");
                        assertThat(f.retriable()).isFalse();
                        assertThat(f.at()).isAfter(down).isBefore(up);
                    }));
            // and so does the healthy task's progress past the rows it applied during the outage
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    harness.statuses(healthy, ReplicationProgressed.class))
                    .anySatisfy(p -> assertThat(p.position().isBefore(afterSecond)).isFalse()));
            assertThat(publisher.unsentSince()).isZero();
            service.close();
        }
    }
}
