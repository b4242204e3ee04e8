package io.tidemark.dm;

import io.tidemark.common.id.MigrationId;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import io.tidemark.dm.sync.ReplicatorState;
import io.tidemark.dm.task.TaskSupervisor;
import io.tidemark.testkit.DataDiff;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ownership moves between workers: a stopped worker's successor resumes from the checkpoint, and an owner whose
 * epoch was bumped by a newer one cannot write any more.
 */
class TakeoverIT {
    @Test
    void aNewWorkerResumesFromTheCheckpointAndAFencedOwnerCannotWrite() throws Exception {
        try (LocalMariaDb source = TestDatabases.startSource("takeover");
             LocalMariaDb target = TestDatabases.startTarget("takeover");
             DmHarness harness = new DmHarness()) {
            String s = TestDatabases.uniqueSchema("takeover");
            MigrationId id = MigrationId.of("takeover-" + s.replace('_', '-'));
            String taskKey = id + "/replication";
            String ddl = "CREATE TABLE events (id INT PRIMARY KEY, payload VARCHAR(64), n BIGINT UNSIGNED)";
            TestDatabases.execute(source, "CREATE DATABASE " + s, "USE " + s, ddl);
            TestDatabases.execute(target, "CREATE DATABASE " + s, "USE " + s, ddl);
            List<TableRef> tables = List.of(TableRef.of(s, "events"));

            // given a worker replicating a steady stream of transactions
            ConfigurableApplicationContext first = harness.startService();
            harness.publish(DmHarness.task(id, 1, source, target, List.of(s + ".*"), DmHarness.masterStatus(source),
                    null));
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread writer = new Thread(() -> write(source, s, 1, 400, writing), "test-writer");
            writer.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> DmHarness.count(target,
                    "SELECT COUNT(*) FROM " + s + ".events") > 40);

            // when it stops mid-stream and another worker of the group takes over
            first.close();
            long atHandover = DmHarness.count(target, "SELECT COUNT(*) FROM " + s + ".events");
            ConfigurableApplicationContext second = harness.startService();
            writer.join();

            // then the successor resumes from the checkpoint and the target equals the source
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> DataDiff.same(source, target, tables));
            DataDiff.assertSame(source, target, tables);
            assertThat(atHandover).isLessThan(400);
            assertThat(DmHarness.count(target, "SELECT owner_epoch FROM tidemark_meta.replication_checkpoints"
                    + " WHERE task_id = '" + taskKey + "'")).isEqualTo(2);

            // when a newer owner bumps the epoch behind this worker's back
            TaskSupervisor supervisor = second.getBean(TaskSupervisor.class);
            TestDatabases.execute(target, "UPDATE tidemark_meta.replication_checkpoints"
                    + " SET owner_epoch = owner_epoch + 1 WHERE task_id = '" + taskKey + "'");
            long before = DmHarness.count(target, "SELECT COUNT(*) FROM " + s + ".events");
            write(source, s, 1000, 1010, new AtomicBoolean(true));

            // then the old owner rolls its batch back and stops: nothing of it reaches the target
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    supervisor.states().get(taskKey) instanceof ReplicatorState.Fenced);
            assertThat(DmHarness.count(target, "SELECT COUNT(*) FROM " + s + ".events")).isEqualTo(before);

            // and a new desired record (a new epoch) restarts the task, which takes over and catches up
            harness.publish(DmHarness.task(id, 2, source, target, List.of(s + ".*"), null, null));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> DataDiff.same(source, target, tables));
            assertThat(DmHarness.count(target, "SELECT owner_epoch FROM tidemark_meta.replication_checkpoints"
                    + " WHERE task_id = '" + taskKey + "'")).isEqualTo(4);
            assertThat(supervisor.states().get(taskKey)).isInstanceOf(ReplicatorState.Streaming.class);

            // when a worker dies between applying a DDL and flushing the checkpoint after it
            BinlogPosition beforeDdl = DmHarness.masterStatus(source);
            TestDatabases.execute(source, "CREATE TABLE " + s + ".replayed (id INT PRIMARY KEY)");
            await().atMost(Duration.ofSeconds(30)).until(() -> DmHarness.count(target,
                    "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + s
                            + "' AND TABLE_NAME = 'replayed'") == 1);
            second.close();
            TestDatabases.execute(target, "UPDATE tidemark_meta.replication_checkpoints SET binlog_file = '"
                    + beforeDdl.file() + "', binlog_pos = " + beforeDdl.pos() + " WHERE task_id = '" + taskKey + "'");
            ConfigurableApplicationContext third = harness.startService();
            TestDatabases.execute(source, "INSERT INTO " + s + ".replayed VALUES (1), (2)");

            // then the replayed DDL does not wedge the task
            List<TableRef> all = List.of(TableRef.of(s, "events"), TableRef.of(s, "replayed"));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> DataDiff.same(source, target, all));
            assertThat(harness.statuses(id, WorkFailed.class)).isEmpty();
            third.close();
        }
    }

    /** one transaction per row pair, so there are many checkpoints to resume between */
    private static void write(LocalMariaDb source, String schema, int from, int to, AtomicBoolean writing) {
        try (var c = TestDatabases.connect(source); var st = c.createStatement()) {
            st.execute("USE " + schema);
            for (int i = from; i < to && writing.get(); i += 2) {
                st.execute("INSERT INTO events VALUES (" + i + ", 'payload-" + i + " ✓', 18446744073709551615 - " + i
                        + "), (" + (i + 1) + ", NULL, " + i + ")");
                if (i % 10 == 1) {
                    st.execute("UPDATE events SET payload = CONCAT(payload, '!') WHERE id = " + i);
                }
                if (i % 50 == 1) {
                    st.execute("DELETE FROM events WHERE id = " + (i + 1));
                }
                Thread.sleep(5);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
