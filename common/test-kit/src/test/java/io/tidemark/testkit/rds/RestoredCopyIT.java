package io.tidemark.testkit.rds;

import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.Event;
import software.amazon.awssdk.services.rds.model.InvalidDbClusterStateException;
import software.amazon.awssdk.services.rds.model.SourceType;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The fake RDS restoring a snapshot, driven by the SDK's own client: the restored instance (a second MariaDB) holds
 * the rows of the snapshot's moment, not those written after, and the crash-recovery event names the source's binlog
 * point where exactly the later writes begin.
 */
class RestoredCopyIT {
    private static LocalMariaDb source;
    private static LocalMariaDb restored;
    private static FakeRds rds;
    private static RdsClient client;
    private static String db;

    @BeforeAll
    static void start() throws Exception {
        source = TestDatabases.startSource("restore-src");
        restored = TestDatabases.startTarget("restore-copy");
        db = TestDatabases.uniqueSchema("rst");
        TestDatabases.execute(source, "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".orders (id INT PRIMARY KEY, note VARCHAR(20), at DATETIME(6))",
                "INSERT INTO " + db + ".orders VALUES (1,'a','2026-01-02 03:04:05.123456'),(2,'b',NULL)");
        rds = FakeRds.start("us-east-1", (cluster, id) -> RestoredCopy.take(source, restored, List.of(db)));
        client = RdsClient.builder().endpointOverride(rds.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {client, rds, restored, source}) {
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
    void theRestoredInstanceHoldsTheSnapshotsRowsAndLogsWhereTheSourceWentOn() throws Exception {
        rds.restorePolls(2);
        client.createDBClusterSnapshot(r -> r.dbClusterIdentifier("orders-prod").dbClusterSnapshotIdentifier("s1"));
        TestDatabases.execute(source, "INSERT INTO " + db + ".orders VALUES (3,'late',NULL)");
        await().atMost(Duration.ofSeconds(5)).until(() -> client.describeDBClusterSnapshots(r -> r
                .dbClusterSnapshotIdentifier("s1")).dbClusterSnapshots().getFirst().status().equals("available"));

        assertThat(client.restoreDBClusterFromSnapshot(r -> r.dbClusterIdentifier("orders-restored")
                .snapshotIdentifier("s1").engine("aurora-mysql")).dbCluster().status()).isEqualTo("creating");
        client.createDBInstance(r -> r.dbInstanceIdentifier("orders-restored-1").dbClusterIdentifier("orders-restored")
                .engine("aurora-mysql").dbInstanceClass("db.r6g.large"));
        DBInstance instance = await().atMost(Duration.ofSeconds(5)).until(() -> {
            client.describeDBClusters(r -> r.dbClusterIdentifier("orders-restored"));
            return client.describeDBInstances(r -> r.dbInstanceIdentifier("orders-restored-1")).dbInstances()
                    .getFirst();
        }, i -> "available".equals(i.dbInstanceStatus()));
        assertThat(instance.endpoint().port()).isEqualTo(restored.port());

        List<Event> events = client.describeEvents(r -> r.sourceType(SourceType.DB_INSTANCE)
                .sourceIdentifier("orders-restored-1")).events();
        assertThat(events).singleElement().satisfies(e -> assertThat(e.message()).matches(
                "Binlog position from crash recovery is \\S+ \\d+"));
        String[] point = events.getFirst().message().substring("Binlog position from crash recovery is ".length())
                .split(" ");

        assertThat(rows(restored)).containsExactly("1 a 2026-01-02 03:04:05.123456", "2 b null");
        assertThat(rows(source)).hasSize(3).startsWith(rows(restored).toArray(String[]::new));
        assertThat(writesAfter(point[0], Long.parseLong(point[1]))).as("only the late insert is past the point")
                .isEqualTo(1);

        InvalidDbClusterStateException busy = catchThrowableOfType(InvalidDbClusterStateException.class,
                () -> client.deleteDBCluster(r -> r.dbClusterIdentifier("orders-restored").skipFinalSnapshot(true)));
        assertThat(busy.awsErrorDetails().errorMessage()).contains("still contains DB instances");
        assertThat(client.deleteDBInstance(r -> r.dbInstanceIdentifier("orders-restored-1")).dbInstance()
                .dbInstanceStatus()).isEqualTo("deleting");
        await().atMost(Duration.ofSeconds(5)).ignoreExceptionsInstanceOf(IllegalStateException.class).until(() -> {
            try {
                client.describeDBInstances(r -> r.dbInstanceIdentifier("orders-restored-1"));
                return false;
            } catch (DbInstanceNotFoundException gone) {
                return true;
            }
        });
        client.deleteDBCluster(r -> r.dbClusterIdentifier("orders-restored").skipFinalSnapshot(true));
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            client.describeDBClusters(r -> { });
            return rds.clusterIds().isEmpty();
        });
    }

    private static List<String> rows(LocalMariaDb server) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = TestDatabases.connect(server); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, note, CAST(at AS CHAR) FROM " + db + ".orders ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getInt(1) + " " + rs.getString(2) + " " + rs.getString(3));
            }
        }
        return out;
    }

    /** row events on the test's table in the source's binlog from the point on */
    private static int writesAfter(String file, long pos) throws Exception {
        int writes = 0;
        try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW BINLOG EVENTS IN '" + file + "' FROM " + pos)) {
            while (rs.next()) {
                if (rs.getString("Event_type").equals("Table_map")
                        && rs.getString("Info").contains("(" + db + ".orders)")) {
                    writes++;
                }
            }
        }
        return writes;
    }
}
