package io.tidemark.deploy;

import io.tidemark.common.table.TableRef;
import io.tidemark.testkit.DataDiff;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 12's failover matrix on {@code deploy/cluster.sh}: {snapshot, import, replication} × {worker, coordinator,
 * broker}. Each test is one migration in mode {@code all} under a live write load on the source, with three SIGKILLs
 * of one kind of process — one in each phase — each followed by the process back (a new worker instance, the same
 * coordinator, the broker on its port and log dirs); it ends in a data diff of every table and in a view that lost no
 * status event.
 *
 * <p>Each kill is proven to land in its phase and while the phase's work is held mid-way by the test, not by a sleep:
 * the dump waits on a source table the test locked (a snapshot-service session queued on it, no completion marker),
 * a chunk waits on a row the test holds on the target (a row-lock wait, chunks not done), replication streams the
 * write load (its checkpoint moving). The phase is read from the API before the kill, and the hold is seen still in
 * place after it, so the phase cannot have moved on in between. When the coordinator or the broker was killed, the held
 * work is let go and completes while it is away (the dump's completion marker, the claimed chunk done), so its
 * reports have to wait for it: the final view shows whether any was lost.
 */
class FailoverMatrixIT {
    private static final int ROWS = 20_000;

    private static LocalMariaDb source;
    private static LocalMariaDb target;
    private static ClusterScript cluster;
    private static int port;
    /** the running instance of each worker kind: a killed worker is replaced by a new one */
    private static final Map<String, String> instances = new HashMap<>(
            Map.of("snapshot", "snapshot-1", "lightning", "lightning-1", "dm", "dm-1"));

    private final MigrationApi api = new MigrationApi(() -> port);

    enum Phase {
        SNAPSHOT("snapshotting", "snapshot"), IMPORT("importing", "lightning"), REPLICATION("replicating", "dm");

        final String apiPhase;
        final String worker;

        Phase(String apiPhase, String worker) {
            this.apiPhase = apiPhase;
            this.worker = worker;
        }
    }

    enum Fault { WORKER, COORDINATOR, BROKER }

    @BeforeAll
    static void start() throws Exception {
        source = TestDatabases.startSource("matrix");
        target = TestDatabases.startTarget("matrix");
        // under target/, so that every process's log (the killed ones' too, as NAME.log.N) is there after a red run
        cluster = new ClusterScript(Files.createTempDirectory(
                Files.createDirectories(Path.of("target").toAbsolutePath()), "failover-matrix-"));
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        // small dump files (many chunks) and small target transactions; consumers notice a dead member in seconds,
        // and a status event Kafka did not take is sent again within a second of the broker being back
        cluster.run(Duration.ofMinutes(8), "start", "--port=" + port, "--",
                "--tidemark.coordinator.file-size=64KB", "--tidemark.lightning.batch-statements=2",
                "--tidemark.status.max-retry-backoff=1s",
                "--spring.kafka.consumer.properties.session.timeout.ms=6000",
                "--spring.kafka.consumer.properties.heartbeat.interval.ms=1000");
        System.out.printf("[matrix] cluster up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (cluster != null) {
                cluster.run(Duration.ofMinutes(2), "stop");
            }
        } finally {
            if (source != null) {
                source.close();
            }
            if (target != null) {
                target.close();
            }
        }
    }

    @Test
    void workerKilledInEachPhase() throws Exception {
        scenario(Fault.WORKER);
    }

    @Test
    void coordinatorKilledInEachPhase() throws Exception {
        scenario(Fault.COORDINATOR);
    }

    @Test
    void brokerKilledInEachPhase() throws Exception {
        scenario(Fault.BROKER);
    }

    private void scenario(Fault fault) throws Exception {
        long t0 = System.nanoTime();
        String schema = "fm_" + fault.name().toLowerCase();
        List<TableRef> tables = List.of(TableRef.of(schema, "load"), TableRef.of(schema, "m_hold"),
                TableRef.of(schema, "z_gate"));
        String loadTable = "CREATE TABLE " + schema + ".load (id BIGINT PRIMARY KEY, n INT NOT NULL, s VARCHAR(80),"
                + " d DATETIME(6))";
        TestDatabases.execute(source, "CREATE DATABASE " + schema, "USE " + schema, loadTable,
                "INSERT INTO " + schema + ".load SELECT seq, seq % 1000, CONCAT('row ', seq, ' 🌊'),"
                        + " TIMESTAMP('2026-01-01') + INTERVAL seq SECOND + INTERVAL seq MICROSECOND"
                        + " FROM seq_1_to_" + ROWS,
                "CREATE TABLE " + schema + ".m_hold (k INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO " + schema + ".m_hold SELECT seq, CONCAT('held ', seq) FROM seq_1_to_10",
                "CREATE TABLE " + schema + ".z_gate (k INT PRIMARY KEY)",
                "INSERT INTO " + schema + ".z_gate VALUES (1)");
        // the import's hold: the table exists on the target, empty, as on the source, so that the test can hold a
        // row of its first chunk there before any chunk is imported
        TestDatabases.execute(target, "CREATE DATABASE " + schema, loadTable);
        Path dumps = cluster.dir().resolve("dumps-" + schema);

        WriteLoad writes = WriteLoad.start(source, schema);
        try {
            run(fault, schema, tables, dumps, writes, t0);
        } finally {
            writes.halt(); // a red test leaves no writer behind
        }
    }

    private void run(Fault fault, String schema, List<TableRef> tables, Path dumps, WriteLoad writes, long t0)
            throws Exception {
        String id;
        try (Connection gate = TestDatabases.connect(source); Statement gateLock = gate.createStatement();
             Connection hold = TestDatabases.connect(source); Statement dumpHold = hold.createStatement();
             Connection row = TestDatabases.connect(target); Statement rowHold = row.createStatement()) {
            rowHold.execute("BEGIN");
            rowHold.execute("INSERT INTO " + schema + ".load VALUES (1, 0, 'held by the test', NULL)");
            id = submitWithDumpHeld(schema, dumps, gateLock, dumpHold);

            // the snapshot: a snapshot-service took the request and its dump waits on the locked table
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> api.get(id).path("phase").asString().equals("snapshotting")
                            && FaultEvidence.waitersOn(source, schema, "m_hold") > 0);
            String before = api.get(id).path("phase").asString();
            String killed = kill(fault, Phase.SNAPSHOT);
            stillHeld(fault, id, Phase.SNAPSHOT, () -> FaultEvidence.waitersOn(source, schema, "m_hold"));
            assertThat(Files.exists(dumps.resolve(id).resolve("tidemark-snapshot.json")))
                    .as("the dump had not completed (no completion marker)").isFalse();
            dumpHold.execute("UNLOCK TABLES");
            if (fault != Fault.WORKER) {
                // the dump completes while the killed process is away: its reports must wait for it, not be lost
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                        .until(() -> Files.exists(dumps.resolve(id).resolve("tidemark-snapshot.json")));
            }
            String back = restart(fault, Phase.SNAPSHOT, killed, id);
            cell(Phase.SNAPSHOT, fault, killed, before, "dump held on " + schema + ".m_hold, no completion marker",
                    back, writes);

            // the import: a lightning-service claimed the first chunk, which waits on the row the test holds
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> FaultEvidence.rowLockWaits(target) > 0);
            // the plan reaches the coordinator beside the chunks reaching the workers: a chunk may be claimed first
            String loadName = schema + ".load";
            JsonNode importing = api.awaitView(id, Duration.ofMinutes(1), v -> table(v, loadName)
                    .path("chunksTotal").asInt() > 0);
            before = importing.path("phase").asString();
            long unfinished = FaultEvidence.unfinishedChunks(target, id);
            int chunksDone = table(importing, loadName).path("chunksDone").asInt();
            int chunksTotal = table(importing, loadName).path("chunksTotal").asInt();
            assertThat(chunksDone).as("chunks of %s done when the kill landed", loadName).isLessThan(chunksTotal);
            killed = kill(fault, Phase.IMPORT);
            assertThat(unfinished).as("chunks were still to import when the kill landed").isPositive();
            stillHeld(fault, id, Phase.IMPORT, () -> FaultEvidence.rowLockWaits(target));
            rowHold.execute("ROLLBACK");
            if (fault != Fault.WORKER) {
                // the claimed chunk completes while the killed process is away
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                        .until(() -> FaultEvidence.unfinishedChunks(target, id) == 0);
            }
            back = restart(fault, Phase.IMPORT, killed, id);
            cell(Phase.IMPORT, fault, killed, before, chunksDone + " of " + chunksTotal + " chunks of " + loadName
                    + " done, " + unfinished + " claimed and not done, one waiting on a held row", back, writes);
        }

        // replication: the write load streams through a dm-service, whose checkpoint moves
        api.awaitView(id, Duration.ofMinutes(3), v -> v.path("phase").asString().equals("replicating"));
        long epochAtKill = FaultEvidence.awaitCheckpointAdvancing(target);
        String before = api.get(id).path("phase").asString();
        String killed = kill(fault, Phase.REPLICATION);
        if (fault == Fault.COORDINATOR) {
            FaultEvidence.awaitCheckpointAdvancing(target); // replication needs no coordinator to go on
        }
        String back = restart(fault, Phase.REPLICATION, killed, id);
        FaultEvidence.awaitCheckpointAdvancing(target);
        cell(Phase.REPLICATION, fault, killed, before, "replication checkpoint moving under the write load", back,
                writes);

        // the write load stops; the migration converges to the source
        long written = writes.stop();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> DataDiff.same(source, target, tables));
        DataDiff.assertSame(source, target, tables);

        // no status event was lost: every table's dump and every chunk reached the coordinator, whichever process
        // was down when it was sent
        // (a consumer of the status topic catches up after a broker restart in seconds, so the view is awaited)
        JsonNode view = api.awaitView(id, Duration.ofMinutes(1),
                v -> v.path("positions").path("replication").isObject());
        assertThat(view.path("phase").asString()).isEqualTo("replicating");
        assertThat(view.path("error").isNull() || view.path("error").isMissingNode()).as("no failure: %s",
                view.path("error")).isTrue();
        assertThat(view.path("positions").path("snapshotEnd").isObject()).as("snapshot completed: %s", view).isTrue();
        assertThat(view.path("positions").path("replication").isObject())
                .as("replication's progress reached the coordinator: %s", view).isTrue();
        assertThat(view.path("tables").valueStream().toList()).as("tables of %s", view).hasSize(3).allSatisfy(t -> {
            assertThat(t.path("rowsDumped").asLong()).as("%s", t).isPositive();
            assertThat(t.path("chunksTotal").asInt()).as("%s", t).isPositive();
            assertThat(t.path("chunksDone").asInt()).as("%s", t).isEqualTo(t.path("chunksTotal").asInt());
            assertThat(t.path("rowsImported").asLong()).as("%s", t).isEqualTo(t.path("rowsDumped").asLong());
        });
        if (fault == Fault.WORKER) {
            assertThat(FaultEvidence.checkpointEpoch(target)).as("the new dm-service took the task over")
                    .isGreaterThan(epochAtKill);
        }
        System.out.printf("[matrix] %s: target equals source (%d writes during the run), %.1f s%n",
                fault.name().toLowerCase(), written, (System.nanoTime() - t0) / 1e9);
    }

    /** the view's entry of a table, by its name {@code schema.table}; missing when the view has none yet */
    private static JsonNode table(JsonNode view, String name) {
        return view.path("tables").valueStream().filter(t -> t.path("table").asString().equals(name)).findFirst()
                .orElse(tools.jackson.databind.node.MissingNode.getInstance());
    }

    /**
     * Submits the migration with its dump held on {@code m_hold}: the coordinator's own precheck at the POST reads
     * every table (in name order) and must pass first. It is let past {@code m_hold} by a gate on {@code z_gate},
     * which sorts after it; then {@code m_hold} is locked and the gate opened, so the POST completes and the
     * snapshot-service's reading of {@code m_hold} waits on the lock.
     */
    private String submitWithDumpHeld(String schema, Path dumps, Statement gate, Statement hold) throws Exception {
        gate.execute("LOCK TABLES " + schema + ".z_gate WRITE");
        String spec = """
                {"name": "%s", "mode": "all",
                 "source": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["%s.*"], "storage": "%s"}
                """.formatted(schema.replace('_', '-'), source.port(), TestDatabases.PASSWORD, target.port(),
                TestDatabases.PASSWORD, schema, dumps.toUri());
        CompletableFuture<String> submitted = CompletableFuture.supplyAsync(() -> {
            try {
                return api.submit(spec, TestDatabases.PASSWORD);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> FaultEvidence.waitersOn(source, schema, "z_gate") > 0 || submitted.isDone());
        hold.execute("LOCK TABLES " + schema + ".m_hold WRITE");
        gate.execute("UNLOCK TABLES");
        return submitted.get(1, TimeUnit.MINUTES);
    }

    /**
     * The phase's work was still held after the kill, so the phase had not moved on. A killed coordinator or broker
     * leaves the worker waiting on the hold. A killed worker leaves the coordinator up to show the phase unchanged;
     * its session queued on a table lock ends with it (the server sees the connection gone: that was whose work was
     * held), while a row-lock wait stays until the row is let go.
     */
    private void stillHeld(Fault fault, String id, Phase phase, Waiters waiters) throws Exception {
        if (fault == Fault.WORKER) {
            assertThat(api.get(id).path("phase").asString()).as("the phase after the kill")
                    .isEqualTo(phase.apiPhase);
            if (phase == Phase.SNAPSHOT) {
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                        .until(() -> waiters.count() == 0);
                return;
            }
        }
        assertThat(waiters.count()).as("the %s work still waits on the test's hold after the kill", phase)
                .isPositive();
    }

    @FunctionalInterface
    private interface Waiters {
        long count() throws Exception;
    }

    /** SIGKILLs the process the fault names in that phase; returns its name */
    private String kill(Fault fault, Phase phase) throws Exception {
        String name = switch (fault) {
            case WORKER -> instances.get(phase.worker);
            case COORDINATOR -> "coordinator-1";
            case BROKER -> "broker";
        };
        long pid = cluster.pid(name);
        assertThat(cluster.run(Duration.ofMinutes(1), "kill", name)).contains(name + " killed (SIGKILL, pid " + pid);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("%s after kill", name)
                .isFalse();
        return name;
    }

    /** brings the killed process back: a new worker instance, or the same coordinator or broker; returns its name */
    private String restart(Fault fault, Phase phase, String killed, String id) throws Exception {
        if (fault == Fault.WORKER) {
            String out = cluster.run(Duration.ofMinutes(4), "scale", phase.worker + "=1");
            Matcher m = Pattern.compile("(" + phase.worker + "-\\d+)  pid").matcher(out);
            assertThat(m.find()).as("a new %s instance: %s", phase.worker, out).isTrue();
            instances.put(phase.worker, m.group(1));
            return m.group(1);
        }
        String bootstrap = Files.readString(cluster.dir().resolve("bootstrap")).strip();
        String out = cluster.run(Duration.ofMinutes(4), "restart", killed);
        assertThat(out).contains(killed + " restarted");
        if (fault == Fault.BROKER) {
            assertThat(out).as("the broker is back on its port").contains("at " + bootstrap);
        } else {
            // the restarted coordinator rebuilt its state from Kafka: the migration is known again
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                    .until(() -> api.call("GET", "/api/v1/migrations/" + id, null, null).statusCode() == 200);
        }
        return killed;
    }

    private static void cell(Phase phase, Fault fault, String killed, String apiPhase, String evidence, String back,
                             WriteLoad writes) {
        assertThat(apiPhase).as("the migration's phase at the %s kill of %s", phase, killed)
                .isEqualTo(phase.apiPhase);
        System.out.printf("[matrix] cell %s × %s: killed %s in phase %s (%s; %d source writes so far); back: %s%n",
                phase.name().toLowerCase(), fault.name().toLowerCase(), killed, apiPhase, evidence, writes.count(),
                back);
    }

    /**
     * The source's write load: inserts, updates and deletes on {@code load} in a thread of its own, from before the
     * dump until told to stop; never rows 1 to 100 (row 1 is held on the target) — any failure fails the test.
     */
    private static final class WriteLoad {
        private final AtomicBoolean writing = new AtomicBoolean(true);
        private final AtomicLong writes = new AtomicLong();
        private final Thread thread;
        private volatile Exception failure;

        private WriteLoad(LocalMariaDb db, String schema) {
            thread = new Thread(() -> run(db, schema), "write-load-" + schema);
        }

        static WriteLoad start(LocalMariaDb db, String schema) {
            WriteLoad w = new WriteLoad(db, schema);
            w.thread.start();
            return w;
        }

        private void run(LocalMariaDb db, String schema) {
            try (Connection c = TestDatabases.connect(db); Statement st = c.createStatement()) {
                for (long i = 1; writing.get(); i++) {
                    st.execute("INSERT INTO " + schema + ".load VALUES (" + (1_000_000 + i) + ", 7, 'late 🐳', NOW(6))");
                    st.execute("UPDATE " + schema + ".load SET n = n + 1, d = NOW(6) WHERE id = "
                            + (101 + i * 7919 % (ROWS - 100)));
                    if (i <= ROWS / 4) {
                        st.execute("DELETE FROM " + schema + ".load WHERE id = " + (ROWS / 2 + i));
                    }
                    writes.addAndGet(3);
                    Thread.sleep(10); // a steady load, not a flood on two cores
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        long count() {
            return writes.get();
        }

        void halt() {
            writing.set(false);
        }

        /** stops the load; returns how many writes it made */
        long stop() throws Exception {
            writing.set(false);
            thread.join(TimeUnit.MINUTES.toMillis(1));
            if (failure != null) {
                throw new AssertionError("the source's write load failed", failure);
            }
            return writes.get();
        }
    }
}
