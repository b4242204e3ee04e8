package io.tidemark.snapshot.aurora;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.storage.Storages;
import io.tidemark.common.table.TableFilter;
import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.session.Timeouts;
import io.tidemark.snapshot.dump.Dump;
import io.tidemark.snapshot.dump.DumpListener;
import io.tidemark.snapshot.dump.DumpOptions;
import io.tidemark.snapshot.dump.DumpPrechecks;
import io.tidemark.snapshot.dump.DumpResult;
import io.tidemark.snapshot.dump.Source;
import io.tidemark.snapshot.dump.SourceSessions;
import io.tidemark.snapshot.dump.TableResult;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.rds.FakeRds;
import io.tidemark.testkit.rds.RestoredCopy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.rds.RdsClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * One attempt of the restored-instance flow against real MariaDBs (production, and a second one AWS "restores" the
 * snapshot into) and the fake RDS: the dump holds the snapshot's rows, read from the restored instance only, the
 * position is the restore's crash-recovery point on production's binlog, and what was created is deleted after.
 */
class RestoreFlowIT {
    private static final RestoreTarget TARGET = new RestoreTarget("db.r6g.large", "tidemark-subnets",
            List.of("sg-0a1b"), "aurora-mysql8-binlog");

    @TempDir
    static Path dir;
    private static LocalMariaDb production;
    private static LocalMariaDb restored;
    private FakeRds rds;
    private RdsClient client;
    private static String db;
    private static final AtomicReference<RestoredCopy> copy = new AtomicReference<>();
    private static final AtomicInteger lateId = new AtomicInteger(3);

    @BeforeAll
    static void startServers() throws Exception {
        production = TestDatabases.startSource("flow-prod");
        // the restored cluster has the binlog on (the parameter group the flow needs), so it is a source here too
        restored = TestDatabases.startSource("flow-restored");
        db = TestDatabases.uniqueSchema("flow");
        TestDatabases.execute(production, "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".orders (id INT PRIMARY KEY, note VARCHAR(20))",
                "INSERT INTO " + db + ".orders VALUES (1,'before-a'),(2,'before-b')",
                "SET GLOBAL log_output = 'TABLE'");
        TestDatabases.execute(restored, "SET GLOBAL log_output = 'TABLE'");
    }

    /** a fake RDS of each test's own, so that its call log is that test's */
    @BeforeEach
    void startRds() {
        rds = FakeRds.start("us-east-1", (cluster, id) -> {
            RestoredCopy taken = RestoredCopy.take(production, restored, List.of(db));
            // written while AWS snapshots: after the snapshot's point, so replication's, not the dump's
            int late = lateId.getAndIncrement();
            TestDatabases.execute(production, "INSERT INTO " + db + ".orders VALUES (" + late + ",'late-" + late
                    + "')");
            copy.set(taken);
            return taken;
        });
        RdsProperties properties = new RdsProperties(rds.endpoint(), "us-east-1", Duration.ofMillis(20),
                Duration.ofSeconds(2), Duration.ofSeconds(10));
        client = RdsClients.create(properties, "us-east-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    }

    @AfterEach
    void stopRds() {
        client.close();
        rds.close();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {restored, production}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // the others still need closing
            }
        }
    }

    private RestoreFlow flow() {
        return new RestoreFlow(new ExportDriver(client, Duration.ofMillis(20)),
                new RestoreDriver(client, Duration.ofMillis(20), Duration.ofMillis(300)));
    }

    private static Source production() {
        return new Source(TestDatabases.endpoint(production), TestDatabases.PASSWORD, Timeouts.defaults());
    }

    /** Tidemark's own dump of what the flow hands it, with both servers' general logs on for exactly its window */
    private static DumpResult dump(Source from, Path into) throws Exception {
        for (LocalMariaDb server : List.of(production, restored)) {
            TestDatabases.execute(server, "TRUNCATE TABLE mysql.general_log", "SET GLOBAL general_log = ON");
        }
        try {
            SourceSessions sessions = new SourceSessions();
            return new Dump(from, sessions, Storages.open(into.toString()), new DumpOptions(2, 1 << 20, 1 << 16))
                    .run(DumpPrechecks.run(from, sessions, TableFilter.parse(db + ".*")), new DumpListener() {
                        @Override
                        public void started(BinlogPosition start, List<TableRef> tables) {
                        }

                        @Override
                        public void tableDumped(TableResult result) {
                        }
                    });
        } finally {
            for (LocalMariaDb server : List.of(production, restored)) {
                TestDatabases.execute(server, "SET GLOBAL general_log = OFF");
            }
        }
    }

    @Test
    void theDumpIsTheRestoresAndThePositionProductionsCrashRecoveryPoint() throws Exception {
        Path into = dir.resolve("m1");
        RestoreFlow.Plan plan = new RestoreFlow.Plan("orders-prod", null, false, TARGET, "tidemark-m1-e1",
                "tidemark-m1-e1-r", "tidemark-m1-e1-r1");

        RestoreFlow.Result result = flow().run(plan, production(), (from, position) -> {
            try {
                return dump(from, into);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, () -> false);

        RestoredCopy taken = copy.get();
        assertThat(result.position()).isEqualTo(BinlogPosition.ofFilePosition(taken.binlogFile(),
                taken.binlogPosition()));
        assertThat(result.dump().tables()).extracting(TableRef::toString).containsExactly(db + ".orders");
        String dumped = allFiles(into);
        assertThat(dumped).contains("before-a", "before-b").as("written after this snapshot")
                .doesNotContain("late-" + (lateId.get() - 1));
        assertThat(queriesOn(production)).as("production is not read during the dump").isZero();
        assertThat(queriesOn(restored)).as("the restored instance is").isPositive();

        assertThat(rds.calls("RestoreDBClusterFromSnapshot")).singleElement()
                .satisfies(c -> assertThat(c.param("SnapshotIdentifier")).endsWith(":cluster-snapshot:tidemark-m1-e1"));
        assertThat(rds.calls("CreateDBInstance")).hasSize(1);
        List<String> actions = rds.calls().stream().map(FakeRds.RdsCall::action)
                .filter(a -> !a.startsWith("Describe")).toList();
        assertThat(actions).containsExactly("CreateDBClusterSnapshot", "RestoreDBClusterFromSnapshot",
                "CreateDBInstance", "DeleteDBInstance", "DeleteDBCluster", "DeleteDBClusterSnapshot");
        assertThat(rds.clusterIds()).isEmpty();
        assertThat(rds.instanceIds()).isEmpty();
        assertThat(rds.snapshotIds()).isEmpty();
    }

    @Test
    void aRestoreWithoutTheEventFailsBeforeTheDumpAndLeavesNothingBehind() throws Exception {
        rds.binlogOffIn("default.aurora-mysql8.0");
        RestoreFlow.Plan plan = new RestoreFlow.Plan("orders-prod", null, false, new RestoreTarget("db.r6g.large",
                null, List.of(), "default.aurora-mysql8.0"), "tidemark-m2-e1", "tidemark-m2-e1-r",
                "tidemark-m2-e1-r1");

        TidemarkException missing = catchThrowableOfType(TidemarkException.class, () -> flow().run(plan,
                production(), (from, position) -> {
                    throw new AssertionError("nothing is dumped without a position");
                }, () -> false));

        assertThat(missing.error()).isEqualTo(ErrorCode.AURORA_RESTORE_NO_RECOVERY_EVENT);
        assertThat(rds.calls("RestoreDBClusterFromSnapshot")).hasSize(1);
        assertThat(rds.calls("DeleteDBCluster")).hasSize(1);
        assertThat(rds.clusterIds()).isEmpty();
        assertThat(rds.instanceIds()).isEmpty();
        assertThat(rds.snapshotIds()).isEmpty();
    }

    @Test
    void aKeptRestoreStaysAfterTheDumpAndTheSnapshotTidemarkTookGoes() throws Exception {
        RestoreFlow.Plan plan = new RestoreFlow.Plan("orders-prod", null, false, TARGET, "tidemark-m3-e1",
                "tidemark-m3-e1-r", "tidemark-m3-e1-r1", true);

        RestoreFlow.Result result = flow().run(plan, production(), (from, position) -> {
            try {
                return dump(from, dir.resolve("m3"));
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, () -> false);

        assertThat(result.dump().tables()).extracting(TableRef::toString).containsExactly(db + ".orders");
        assertThat(rds.clusterIds()).containsExactly("tidemark-m3-e1-r");
        assertThat(rds.instanceIds()).containsExactly("tidemark-m3-e1-r1");
        assertThat(rds.calls("DeleteDBInstance")).isEmpty();
        assertThat(rds.calls("DeleteDBCluster")).isEmpty();
        assertThat(rds.snapshotIds()).isEmpty();
    }

    private static String allFiles(Path root) throws Exception {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                all.append(Files.readString(f)).append('\n');
            }
        }
        return all.toString();
    }

    /** statements on the test's schema in the server's general log, the dump's window only */
    private static int queriesOn(LocalMariaDb server) throws Exception {
        try (Connection c = TestDatabases.connect(server); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM mysql.general_log WHERE command_type = 'Query'"
                     + " AND CONVERT(argument USING utf8mb4) LIKE '%" + db + "%'"
                     + " AND CONVERT(argument USING utf8mb4) NOT LIKE '%general_log%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
