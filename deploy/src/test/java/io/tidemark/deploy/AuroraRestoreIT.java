package io.tidemark.deploy;

import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.table.TableRef;
import io.tidemark.testkit.DataDiff;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.rds.FakeRds;
import io.tidemark.testkit.rds.RestoredCopy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Mode {@code all} with {@code "snapshot": {"engine": "aurora-restore"}} (the zh seed's small-data procedure) through
 * the standalone platform: the RDS API is {@link FakeRds}, whose restore is a second MariaDB loaded from a consistent
 * read of production ({@link RestoredCopy}) and whose crash-recovery event is that read's binlog point. Tidemark dumps
 * the restored instance, imports it, and replicates from production from exactly that point. Production is written
 * before the snapshot, while AWS restores, and after; it ends in a data diff production against target.
 */
class AuroraRestoreIT {
    private static final String PASSWORD = "Repl-pw-9";
    private static final String DB = "depot";
    private static final String YARD = "yard";
    private static final String DOCK = "dock";
    private static final List<TableRef> TABLES = List.of(TableRef.of(DB, "parcels"));
    private static final String GRANTS = "GRANT SELECT, RELOAD, LOCK TABLES, REPLICATION SLAVE, BINLOG MONITOR"
            + " ON *.* TO 'tidemark'@'%'";

    @TempDir
    static Path work;
    private static Stack stack;
    private static LocalMariaDb restored;
    private static FakeRds rds;
    private static final AtomicReference<RestoredCopy> copy = new AtomicReference<>();
    private static final AtomicInteger snapshots = new AtomicInteger();
    private final MigrationApi api = new MigrationApi(() -> stack.platform().coordinatorPort());

    @BeforeAll
    static void startEverything() throws Exception {
        // the restored cluster: binlog on (its parameter group), production's account, as AWS restores it
        restored = TestDatabases.startSource("aurres-restored");
        TestDatabases.execute(restored, "CREATE USER IF NOT EXISTS 'tidemark'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                GRANTS, "SET GLOBAL log_output = 'TABLE'", "SET GLOBAL general_log = ON");
        rds = FakeRds.start("us-east-1", (cluster, id) -> {
            RestoredCopy taken = RestoredCopy.take(stack.source(), restored, List.of(DB, YARD, DOCK));
            // after the snapshot's point, before the dump: replication from production brings it, not the dump
            int n = snapshots.incrementAndGet();
            TestDatabases.execute(stack.source(), "INSERT INTO " + DB + ".parcels VALUES (" + (777_000 + n)
                    + ", 'after-snapshot-" + n + "')");
            copy.set(taken);
            return taken;
        });
        stack = Stack.named("aurres").withSource()
                .property("tidemark.aws.rds.endpoint", rds.endpoint().toString())
                .property("tidemark.aws.rds.poll-interval", "200ms")
                .start();
        TestDatabases.execute(stack.source(),
                "CREATE USER IF NOT EXISTS 'tidemark'@'%' IDENTIFIED BY '" + PASSWORD + "'", GRANTS,
                "CREATE DATABASE " + DB, "USE " + DB,
                "CREATE TABLE " + DB + ".parcels (id INT PRIMARY KEY, note VARCHAR(40))",
                "INSERT INTO " + DB + ".parcels SELECT seq, CONCAT('parcel ', seq) FROM seq_1_to_500",
                "CREATE DATABASE " + YARD, "CREATE TABLE " + YARD + ".slots (id INT PRIMARY KEY)",
                "INSERT INTO " + YARD + ".slots VALUES (1), (2)",
                "CREATE DATABASE " + DOCK, "USE " + DOCK,
                "CREATE TABLE " + DOCK + ".cranes (id INT PRIMARY KEY, label VARCHAR(20))",
                "INSERT INTO " + DOCK + ".cranes SELECT seq, CONCAT('crane ', seq) FROM seq_1_to_100",
                "SET GLOBAL log_output = 'TABLE'", "SET GLOBAL general_log = ON");
    }

    @AfterAll
    static void stopEverything() {
        for (AutoCloseable c : new AutoCloseable[] {stack, rds, restored}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
    }

    @Test
    void modeAllDumpsTheRestoredClusterAndReplicatesFromProductionAtItsCrashRecoveryPoint() throws Exception {
        // Given production under writes from before the snapshot on, and restores that take a while
        rds.restorePolls(5);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong writes = new AtomicLong();
        Thread writer = new Thread(() -> write(writing, writes), "production-writer");
        writer.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> writes.get() > 10);
        Path dumps = work.resolve("dumps");

        // When a migration in mode all is submitted with engine aurora-restore
        String id = api.submit("""
                {"name": "aurora depot", "mode": "all",
                 "source": {"host": "127.0.0.1", "port": %d, "user": "tidemark", "password": "%s"},
                 "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["%s.*"],
                 "storage": "%s",
                 "snapshot": {"engine": "aurora-restore", "cluster": "depot-prod", "region": "us-east-1",
                              "instanceClass": "db.r6g.large", "subnetGroup": "tidemark-subnets",
                              "securityGroups": ["sg-0123456789abcdef0"],
                              "clusterParameterGroup": "aurora-mysql8-binlog-row"}}
                """.formatted(stack.source().port(), PASSWORD, stack.target().port(), TestDatabases.PASSWORD, DB,
                dumps.toUri()), PASSWORD);

        // Then AWS restores while production is written, and the migration is imported and replicating
        await().atMost(Duration.ofMinutes(1)).until(() -> !calls("RestoreDBClusterFromSnapshot", id).isEmpty());
        long atRestore = writes.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> writes.get() > atRestore + 10);
        JsonNode view = api.awaitView(id, Duration.ofMinutes(3), v -> v.path("phase").asString().equals("replicating")
                || v.path("phase").asString().equals("failed"));
        assertThat(view.path("phase").asString()).as(view.toString()).isEqualTo("replicating");
        writing.set(false);
        writer.join();

        // and the snapshot's start and end are both production's crash-recovery point of the restore
        RestoredCopy taken = copy.get();
        BinlogPosition recovery = BinlogPosition.ofFilePosition(taken.binlogFile(), taken.binlogPosition());
        assertThat(position(view.path("positions").path("snapshotStart"))).isEqualTo(recovery);
        assertThat(position(view.path("positions").path("snapshotEnd"))).isEqualTo(recovery);

        // and writes after the import arrive too: the target ends equal to production
        TestDatabases.execute(stack.source(), "INSERT INTO " + DB + ".parcels VALUES (900001, 'late')",
                "UPDATE " + DB + ".parcels SET note = 'moved' WHERE id <= 10",
                "DELETE FROM " + DB + ".parcels WHERE id BETWEEN 480 AND 500");
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> DataDiff.same(stack.source(), stack.target(), TABLES));
        DataDiff.assertSame(stack.source(), stack.target(), TABLES);

        // and the dump is the restored instance's: the row written after the snapshot came by replication only
        assertThat(dumpFiles(dumps.resolve(id))).contains("parcel 1")
                .doesNotContain("after-snapshot-" + snapshots.get());
        assertThat(consistentReads(stack.source())).as("production was not dumped").isZero();
        assertThat(consistentReads(restored)).as("the restored instance was").isPositive();

        // and AWS was asked once each, by names derived from the migration, and what was created is deleted
        String snapshotId = calls("CreateDBClusterSnapshot", id).getFirst().param("DBClusterSnapshotIdentifier");
        assertThat(calls("CreateDBClusterSnapshot", id)).singleElement()
                .satisfies(call -> assertThat(call.param("DBClusterIdentifier")).isEqualTo("depot-prod"));
        assertThat(calls("RestoreDBClusterFromSnapshot", id)).singleElement().satisfies(call -> {
            assertThat(call.param("SnapshotIdentifier")).endsWith(":cluster-snapshot:" + snapshotId);
            assertThat(call.param("DBClusterIdentifier")).isEqualTo(snapshotId + "-r");
            assertThat(call.param("DBClusterParameterGroupName")).isEqualTo("aurora-mysql8-binlog-row");
            assertThat(call.param("DBSubnetGroupName")).isEqualTo("tidemark-subnets");
            assertThat(call.members("VpcSecurityGroupIds", "VpcSecurityGroupId"))
                    .containsExactly("sg-0123456789abcdef0");
        });
        assertThat(calls("CreateDBInstance", id)).singleElement()
                .satisfies(call -> assertThat(call.param("DBInstanceClass")).isEqualTo("db.r6g.large"));
        assertThat(rds.calls().stream().filter(c -> c.params().values().stream().anyMatch(v -> v.contains(id)))
                .map(FakeRds.RdsCall::action).filter(a -> !a.startsWith("Describe")).toList())
                .containsExactly("CreateDBClusterSnapshot", "RestoreDBClusterFromSnapshot", "CreateDBInstance",
                        "DeleteDBInstance", "DeleteDBCluster", "DeleteDBClusterSnapshot");
        // (another test's migration keeps its restored cluster)
        assertThat(rds.clusterIds()).noneMatch(c -> c.contains(id));
        assertThat(rds.instanceIds()).noneMatch(i -> i.contains(id));
        assertThat(rds.snapshotIds()).noneMatch(sn -> sn.contains(id));
        assertThat(api.get(id).toString()).doesNotContain(PASSWORD).doesNotContain(TestDatabases.PASSWORD);
        // cut-over, so that the tables are no longer held
        assertThat(api.post(id, "stop").statusCode()).isEqualTo(200);
    }

    @Test
    void stopWhileAwsRestoresDeletesTheRestoredClusterAndTheSnapshotAndImportsNothing() throws Exception {
        // Given a restore AWS takes long to bring up
        rds.restorePolls(30);
        String id = api.submit("""
                {"name": "aurora yard", "mode": "all",
                 "source": {"host": "127.0.0.1", "port": %d, "user": "tidemark", "password": "%s"},
                 "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["%s.*"],
                 "storage": "%s",
                 "snapshot": {"engine": "aurora-restore", "cluster": "depot-prod", "region": "us-east-1",
                              "instanceClass": "db.r6g.large", "clusterParameterGroup": "aurora-mysql8-binlog-row"}}
                """.formatted(stack.source().port(), PASSWORD, stack.target().port(), TestDatabases.PASSWORD, YARD,
                work.resolve("stopped").toUri()), PASSWORD);
        await().atMost(Duration.ofMinutes(1)).until(() -> !calls("RestoreDBClusterFromSnapshot", id).isEmpty());

        // When the user stops the migration while the restored cluster is still being created
        var stop = api.post(id, "stop");

        // Then it is stopped, and snapshot-service deletes the restored instance, cluster and snapshot
        assertThat(stop.statusCode()).as(stop.body()).isEqualTo(200);
        await().atMost(Duration.ofMinutes(1)).until(() -> !calls("DeleteDBClusterSnapshot", id).isEmpty());
        assertThat(rds.clusterIds()).noneMatch(c -> c.contains(id));
        assertThat(rds.instanceIds()).noneMatch(i -> i.contains(id));
        assertThat(rds.snapshotIds()).noneMatch(s -> s.contains(id));
        assertThat(calls("DeleteDBCluster", id)).hasSize(1);
        assertThat(api.get(id).path("phase").asString()).isEqualTo("stopped");
        // and nothing was dumped or imported
        assertThat(tidemarkQueriesNaming(restored, YARD)).as("the restored instance was never read").isZero();
        try (Connection c = TestDatabases.connect(stack.target()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.SCHEMATA"
                     + " WHERE SCHEMA_NAME = '" + YARD + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the import never ran").isZero();
        }
    }

    @Test
    void aRestoreKeptThroughAStopIsReattachedOnResumeInsteadOfRestoringASecondClusterEndingInADataDiff()
            throws Exception {
        // Given a migration keeping its restored cluster, and a restore AWS takes long to bring up
        List<TableRef> cranes = List.of(TableRef.of(DOCK, "cranes"));
        rds.restorePolls(30);
        String id = api.submit("""
                {"name": "aurora dock", "mode": "all",
                 "source": {"host": "127.0.0.1", "port": %d, "user": "tidemark", "password": "%s"},
                 "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["%s.*"],
                 "storage": "%s",
                 "snapshot": {"engine": "aurora-restore", "cluster": "depot-prod", "region": "us-east-1",
                              "instanceClass": "db.r6g.large", "clusterParameterGroup": "aurora-mysql8-binlog-row",
                              "keepRestored": true}}
                """.formatted(stack.source().port(), PASSWORD, stack.target().port(), TestDatabases.PASSWORD, DOCK,
                work.resolve("resumed").toUri()), PASSWORD);
        await().atMost(Duration.ofMinutes(1)).until(() -> !calls("RestoreDBClusterFromSnapshot", id).isEmpty());
        String cluster = calls("RestoreDBClusterFromSnapshot", id).getFirst().param("DBClusterIdentifier");

        // When the user stops it while the restored cluster is still being created
        assertThat(api.post(id, "stop").statusCode()).isEqualTo(200);

        // Then the snapshot goes but the restored cluster is kept, as the spec asks
        await().atMost(Duration.ofMinutes(1)).until(() -> !calls("DeleteDBClusterSnapshot", id).isEmpty());
        assertThat(rds.clusterIds()).contains(cluster);
        assertThat(calls("DeleteDBCluster", id)).isEmpty();
        assertThat(api.get(id).path("phase").asString()).isEqualTo("stopped");

        // When the user resumes it, and production is written meanwhile
        TestDatabases.execute(stack.source(), "UPDATE " + DOCK + ".cranes SET label = 'resumed' WHERE id <= 5");
        var resume = api.post(id, "resume");
        assertThat(resume.statusCode()).as(resume.body()).isEqualTo(200);

        // Then the new attempt re-attaches to the kept cluster: no second snapshot, restore or instance
        api.awaitView(id, Duration.ofMinutes(3), v -> v.path("phase").asString().equals("replicating"));
        assertThat(calls("CreateDBClusterSnapshot", id)).hasSize(1);
        assertThat(calls("RestoreDBClusterFromSnapshot", id)).hasSize(1);
        assertThat(calls("CreateDBInstance", id)).hasSize(1);
        assertThat(rds.clusterIds()).filteredOn(c -> c.contains(id)).containsExactly(cluster);

        // and the target ends equal to production, writes after the resume included
        TestDatabases.execute(stack.source(), "INSERT INTO " + DOCK + ".cranes VALUES (101, 'late')",
                "DELETE FROM " + DOCK + ".cranes WHERE id = 50");
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .until(() -> DataDiff.same(stack.source(), stack.target(), cranes));
        DataDiff.assertSame(stack.source(), stack.target(), cranes);
        // cut-over, so that the tables are no longer held
        assertThat(api.post(id, "stop").statusCode()).isEqualTo(200);
    }

    /** the RDS calls of one migration: those naming something derived from its id */
    private static List<FakeRds.RdsCall> calls(String action, String migrationId) {
        return rds.calls(action).stream()
                .filter(call -> call.params().values().stream().anyMatch(v -> v.contains(migrationId))).toList();
    }

    /** Tidemark's dump opens each table's read with this statement; the fake's own copy does not say READ ONLY */
    private static int consistentReads(LocalMariaDb server) throws Exception {
        try (Connection c = TestDatabases.connect(server); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM mysql.general_log WHERE command_type = 'Query'"
                     + " AND CONVERT(argument USING utf8mb4)"
                     + " LIKE 'START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY%'"
                     + " AND CONVERT(user_host USING utf8mb4) LIKE 'tidemark%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int tidemarkQueriesNaming(LocalMariaDb server, String text) throws Exception {
        try (Connection c = TestDatabases.connect(server); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM mysql.general_log WHERE command_type = 'Query'"
                     + " AND CONVERT(argument USING utf8mb4) LIKE '%" + text + "%'"
                     + " AND CONVERT(user_host USING utf8mb4) LIKE 'tidemark%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String dumpFiles(Path dir) throws Exception {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                all.append(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }

    /** inserts and updates, as production traffic, until told to stop */
    private static void write(AtomicBoolean writing, AtomicLong writes) {
        try (Connection c = TestDatabases.connect(stack.source()); Statement st = c.createStatement()) {
            int i = 0;
            while (writing.get()) {
                i++;
                st.execute("INSERT INTO " + DB + ".parcels VALUES (" + (100_000 + i) + ", 'live " + i + "')");
                st.execute("UPDATE " + DB + ".parcels SET note = CONCAT('parcel ', id, ' v', " + i + ") WHERE id = "
                        + (i % 400 + 1));
                writes.incrementAndGet();
                Thread.sleep(20);
            }
        } catch (Exception e) {
            throw new IllegalStateException("writing to production failed", e);
        }
    }

    private static BinlogPosition position(JsonNode n) {
        return BinlogPosition.ofFilePosition(n.path("file").asString(), n.path("pos").asLong());
    }
}
