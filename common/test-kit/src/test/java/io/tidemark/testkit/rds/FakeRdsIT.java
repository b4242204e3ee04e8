package io.tidemark.testkit.rds;

import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.LocalS3;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DbClusterSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.ExportTask;
import software.amazon.awssdk.services.rds.model.ExportTaskAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.InvalidExportOnlyException;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.model.StartExportTaskResponse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The fake RDS driven by the SDK's own {@link RdsClient}: what a snapshot export asks of AWS is answered in RDS's
 * shapes, the export holds the rows of the snapshot's moment (not those written in the export window), and each
 * fault arrives at the client as the SDK's typed RDS exception with AWS's error code.
 */
class FakeRdsIT {
    private static final String BUCKET = "exports";
    private static final String ROLE = "arn:aws:iam::123456789012:role/rds-s3-export";
    private static final String KEY = "alias/rds-export";

    @TempDir
    static Path dir;
    private static LocalMariaDb source;
    private static LocalS3 s3;
    private static FakeRds rds;
    private static RdsClient client;
    private static String db;

    @BeforeAll
    static void start() throws Exception {
        source = TestDatabases.startSource("fake-rds-src");
        s3 = LocalS3.start(dir, BUCKET);
        db = TestDatabases.uniqueSchema("rds");
        TestDatabases.execute(source, "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".orders (id INT PRIMARY KEY, note VARCHAR(20))",
                "INSERT INTO " + db + ".orders VALUES (1,'a'),(2,'b'),(3,'c')");
        // stands for AWS's Parquet writer: one text object per exported table, its rows in key order
        ConsistentSnapshot.Writer writer = (session, job) -> {
            List<String> tables = job.exportOnly().isEmpty() ? List.of(db + ".orders") : job.exportOnly();
            for (String table : tables) {
                StringBuilder rows = new StringBuilder();
                try (Statement st = session.createStatement();
                     ResultSet rs = st.executeQuery("SELECT id, note FROM " + table + " ORDER BY id")) {
                    while (rs.next()) {
                        rows.append(rs.getInt(1)).append(',').append(rs.getString(2)).append('\n');
                    }
                }
                String[] dbTable = table.split("\\.");
                s3.put(job.bucket(), job.prefix() + "/" + job.identifier() + "/" + dbTable[0] + "/" + table
                        + "/1/part-00000.txt", rows.toString().getBytes(StandardCharsets.UTF_8));
            }
        };
        rds = FakeRds.start("us-east-1", (cluster, id) ->
                ConsistentSnapshot.open(source.jdbcUrl(), source.user(), source.password(), writer));
        client = RdsClient.builder().endpointOverride(rds.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).apiCallTimeout(Duration.ofSeconds(20)))
                .build();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (rds != null) {
            rds.close();
        }
        if (s3 != null) {
            s3.stop();
        }
        if (source != null) {
            source.close();
        }
    }

    private static DBClusterSnapshot createAvailableSnapshot(String id) {
        rds.snapshotCreationPolls(2);
        DBClusterSnapshot created = client.createDBClusterSnapshot(r -> r.dbClusterIdentifier("orders-prod")
                .dbClusterSnapshotIdentifier(id)).dbClusterSnapshot();
        assertThat(created.status()).isEqualTo("creating");
        assertThat(created.dbClusterSnapshotArn())
                .isEqualTo("arn:aws:rds:us-east-1:123456789012:cluster-snapshot:" + id);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.describeDBClusterSnapshots(
                r -> r.dbClusterSnapshotIdentifier(id)).dbClusterSnapshots().getFirst().status().equals("available"));
        return created;
    }

    private static ExportTask awaitEnd(String id) {
        return await().atMost(Duration.ofSeconds(20)).until(
                () -> client.describeExportTasks(r -> r.exportTaskIdentifier(id)).exportTasks().getFirst(),
                t -> List.of("COMPLETE", "FAILED", "CANCELED").contains(t.status()));
    }

    private static StartExportTaskResponse export(String id, String snapshotArn, String... only) {
        return client.startExportTask(r -> r.exportTaskIdentifier(id).sourceArn(snapshotArn).s3BucketName(BUCKET)
                .s3Prefix("tidemark/m1").iamRoleArn(ROLE).kmsKeyId(KEY).exportOnly(only));
    }

    @Test
    void anExportHoldsTheRowsOfTheSnapshotsMomentAndIsRecordedAsAsked() throws Exception {
        DBClusterSnapshot snapshot = createAvailableSnapshot("tm-m1-a1");
        // written in the export window: after the snapshot, so not in the export
        TestDatabases.execute(source, "INSERT INTO " + db + ".orders VALUES (4,'late')");

        StartExportTaskResponse started = export("tm-m1-a1-export", snapshot.dbClusterSnapshotArn(), db + ".orders");
        assertThat(started.status()).isIn("STARTING", "IN_PROGRESS");
        ExportTask done = awaitEnd("tm-m1-a1-export");

        assertThat(done.status()).isEqualTo("COMPLETE");
        assertThat(done.percentProgress()).isEqualTo(100);
        assertThat(done.exportOnly()).containsExactly(db + ".orders");
        assertThat(done.warningMessage()).isNull();
        String key = "tidemark/m1/tm-m1-a1-export/" + db + "/" + db + ".orders/1/part-00000.txt";
        assertThat(s3.get(BUCKET, key).map(b -> new String(b, StandardCharsets.UTF_8)))
                .hasValue("1,a\n2,b\n3,c\n");
        try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + db + ".orders")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the late row is in the source").isEqualTo(4);
        }

        // a second StartExportTask of one identifier is refused: AWS identifiers are unique
        ExportTaskAlreadyExistsException twice = catchThrowableOfType(ExportTaskAlreadyExistsException.class,
                () -> export("tm-m1-a1-export", snapshot.dbClusterSnapshotArn()));
        assertThat(twice.awsErrorDetails().errorCode()).isEqualTo("ExportTaskAlreadyExists");

        client.deleteDBClusterSnapshot(r -> r.dbClusterSnapshotIdentifier("tm-m1-a1"));
        assertThat(rds.snapshotIds()).doesNotContain("tm-m1-a1");
        assertThat(rds.calls("StartExportTask")).filteredOn(c -> c.param("ExportTaskIdentifier").startsWith("tm-m1-"))
                .hasSize(2).first().satisfies(call -> {
            assertThat(call.param("Version")).isEqualTo("2014-10-31");
            assertThat(call.param("IamRoleArn")).isEqualTo(ROLE);
            assertThat(call.param("KmsKeyId")).isEqualTo(KEY);
            assertThat(call.param("S3Prefix")).isEqualTo("tidemark/m1");
            assertThat(call.members("ExportOnly")).containsExactly(db + ".orders");
        });
        assertThat(rds.calls("DeleteDBClusterSnapshot")).singleElement()
                .satisfies(call -> assertThat(call.param("DBClusterSnapshotIdentifier")).isEqualTo("tm-m1-a1"));
        DbClusterSnapshotNotFoundException gone = catchThrowableOfType(DbClusterSnapshotNotFoundException.class,
                () -> client.describeDBClusterSnapshots(r -> r.dbClusterSnapshotIdentifier("tm-m1-a1")));
        assertThat(gone.statusCode()).isEqualTo(404);
    }

    @Test
    void failedWarnedAndCancelledExportsArriveAsAwsReportsThem() {
        DBClusterSnapshot snapshot = createAvailableSnapshot("tm-m2-a1");
        String arn = snapshot.dbClusterSnapshotArn();

        rds.failNextExport("The IAM role arn:aws:iam::123456789012:role/rds-s3-export cannot write to bucket exports.");
        export("tm-m2-failed", arn);
        ExportTask failed = awaitEnd("tm-m2-failed");
        assertThat(failed.status()).isEqualTo("FAILED");
        assertThat(failed.failureCause()).contains("cannot write to bucket exports");

        rds.warnOnNextExport("The following tables were skipped: " + db + ".bad/name");
        export("tm-m2-warned", arn);
        ExportTask warned = awaitEnd("tm-m2-warned");
        assertThat(warned.status()).isEqualTo("COMPLETE");
        assertThat(warned.warningMessage()).contains(db + ".bad/name");

        rds.holdExports();
        export("tm-m2-cancelled", arn);
        await().atMost(Duration.ofSeconds(5)).until(() -> "IN_PROGRESS".equals(rds.exportStatus("tm-m2-cancelled")));
        assertThat(client.cancelExportTask(r -> r.exportTaskIdentifier("tm-m2-cancelled")).status())
                .isEqualTo("CANCELING");
        rds.releaseExports();
        assertThat(awaitEnd("tm-m2-cancelled").status()).isEqualTo("CANCELED");
        assertThat(s3.keys(BUCKET, "tidemark/m1/tm-m2-cancelled/")).as("a cancelled export writes nothing").isEmpty();

        InvalidExportOnlyException wildcard = catchThrowableOfType(InvalidExportOnlyException.class,
                () -> export("tm-m2-wild", arn, db + ".*"));
        assertThat(wildcard.awsErrorDetails().errorCode()).isEqualTo("InvalidExportOnly");
    }

    @Test
    void anInjectedErrorReachesTheClientWithAwsCodeAndThrottlingIsRetriedBySdk() {
        rds.failNext("DescribeExportTasks", 403, "AccessDenied",
                "User: arn:aws:iam::123456789012:user/tm is not authorized to perform: rds:DescribeExportTasks");
        RdsException denied = catchThrowableOfType(RdsException.class, () -> client.describeExportTasks(r -> { }));
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        assertThat(denied.awsErrorDetails().errorMessage()).contains("rds:DescribeExportTasks");

        int before = rds.calls("DescribeDBClusterSnapshots").size();
        rds.failNext("DescribeDBClusterSnapshots", 400, "Throttling", "Rate exceeded");
        client.describeDBClusterSnapshots(r -> { });
        assertThat(rds.calls("DescribeDBClusterSnapshots")).as("the throttled call and the SDK's retry")
                .hasSize(before + 2);
    }
}
