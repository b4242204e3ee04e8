package io.tidemark.snapshot.aurora;

import io.tidemark.common.command.AuroraExport;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.testkit.rds.FakeRds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.ExportTask;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The export driven through the SDK against the fake RDS: by name, re-attaching, queued, failed, cancelled. */
class ExportDriverIT {
    private static final AuroraExport EXPORT = new AuroraExport("orders-prod", "us-east-1", "exports", "tm",
            "arn:aws:iam::123456789012:role/rds-s3-export", "alias/rds-export", null, false);

    private final List<FakeRds.ExportJob> exported = new CopyOnWriteArrayList<>();
    private FakeRds rds;
    private RdsClient client;

    @BeforeEach
    void start() {
        // the control plane only: the export's files are FakeRdsIT's and the import's concern
        rds = FakeRds.start("us-east-1", (cluster, id) -> exported::add);
        client = client();
    }

    private RdsClient client() {
        RdsProperties properties = new RdsProperties(rds.endpoint(), "us-east-1", Duration.ofMillis(20),
                Duration.ofSeconds(2), Duration.ofSeconds(10));
        return RdsClients.create(properties, "us-east-1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    }

    @AfterEach
    void stop() {
        client.close();
        rds.close();
    }

    private ExportDriver driver(RdsClient c) {
        return new ExportDriver(c, Duration.ofMillis(20));
    }

    @Test
    void aRestartedDriverReattachesToItsSnapshotAndExportByName() throws Exception {
        rds.snapshotCreationPolls(3);
        ExportDriver first = driver(client);
        DBClusterSnapshot snapshot = first.snapshot("orders-prod", "tidemark-m1-e1");
        assertThat(snapshot.status()).isEqualTo("available");
        rds.holdExports();
        first.start("tidemark-m1-e1", snapshot.dbClusterSnapshotArn(), EXPORT, List.of("shop.orders", "crm"));

        // the service restarts mid-export: a new client and driver, the same names
        try (RdsClient again = client()) {
            ExportDriver second = driver(again);
            DBClusterSnapshot same = second.snapshot("orders-prod", "tidemark-m1-e1");
            ExportTask attached = second.start("tidemark-m1-e1", same.dbClusterSnapshotArn(), EXPORT, List.of());
            assertThat(attached.status()).isIn("STARTING", "IN_PROGRESS");
            rds.releaseExports();
            List<ExportDriver.Progress> progress = new CopyOnWriteArrayList<>();
            ExportTask done = second.await("tidemark-m1-e1", progress::add);
            assertThat(done.status()).isEqualTo("COMPLETE");
            assertThat(progress.getLast().percent()).isEqualTo(100);
        }
        assertThat(rds.calls("CreateDBClusterSnapshot")).hasSize(1);
        assertThat(rds.calls("StartExportTask")).singleElement().satisfies(call -> {
            assertThat(call.members("ExportOnly")).containsExactly("shop.orders", "crm");
            assertThat(call.param("S3Prefix")).isEqualTo("tm");
            assertThat(call.param("SourceArn")).isEqualTo(snapshot.dbClusterSnapshotArn());
        });
        assertThat(exported).singleElement().satisfies(job -> assertThat(job.exportOnly())
                .containsExactly("shop.orders", "crm"));

        first.deleteSnapshot("tidemark-m1-e1");
        first.deleteSnapshot("tidemark-m1-e1");
        assertThat(rds.calls("DeleteDBClusterSnapshot")).as("gone already the second time").hasSize(1);
        assertThat(rds.snapshotIds()).isEmpty();
    }

    @Test
    void anExportAtAwsConcurrencyLimitWaitsThenStartsOnce() throws Exception {
        ExportDriver d = driver(client);
        String arn = d.snapshot("orders-prod", "tidemark-m2-e1").dbClusterSnapshotArn();
        rds.failNext("StartExportTask", 400, "ExportTaskLimitExceeded", "You have reached the maximum of 5 exports");
        rds.failNext("StartExportTask", 400, "ExportTaskLimitExceeded", "You have reached the maximum of 5 exports");

        d.start("tidemark-m2-e1", arn, EXPORT, List.of());

        assertThat(rds.calls("StartExportTask")).hasSize(3).last()
                .satisfies(call -> assertThat(call.params()).doesNotContainKey("ExportOnly"));
        assertThat(d.await("tidemark-m2-e1", p -> { }).status()).isEqualTo("COMPLETE");
        assertThat(exported).hasSize(1);
    }

    @Test
    void aFailedOrWarnedExportFailsWithAwsWordsAndACancelledOneIsNeverComplete() throws Exception {
        ExportDriver d = driver(client);
        String arn = d.snapshot("orders-prod", "tidemark-m3-e1").dbClusterSnapshotArn();

        rds.failNextExport("S3 bucket exports is in eu-west-1, not the snapshot's region us-east-1");
        d.start("tidemark-m3-e1", arn, EXPORT, List.of());
        TidemarkException failed = catchThrowableOfType(TidemarkException.class,
                () -> d.await("tidemark-m3-e1", p -> { }));
        assertThat(failed.error()).isEqualTo(ErrorCode.AURORA_EXPORT_FAILED);
        assertThat(failed.detail()).isEqualTo("AWS's export tidemark-m3-e1 failed: S3 bucket exports is in"
                + " eu-west-1, not the snapshot's region us-east-1");

        rds.warnOnNextExport("The following tables were skipped: shop.bad/name");
        d.start("tidemark-m3-e2", arn, EXPORT, List.of());
        TidemarkException skipped = catchThrowableOfType(TidemarkException.class,
                () -> d.await("tidemark-m3-e2", p -> { }));
        assertThat(skipped.error()).isEqualTo(ErrorCode.EXPORT_INCOMPLETE);
        assertThat(skipped.detail()).contains("s3://exports/tm", "skipped tables: The following tables were"
                + " skipped: shop.bad/name");

        rds.holdExports();
        d.start("tidemark-m3-e3", arn, EXPORT, List.of());
        d.cancel("tidemark-m3-e3");
        d.cancel("tidemark-m3-e3");
        rds.releaseExports();
        TidemarkException cancelled = catchThrowableOfType(TidemarkException.class,
                () -> d.await("tidemark-m3-e3", p -> { }));
        assertThat(cancelled.error()).isEqualTo(ErrorCode.EXPORT_INCOMPLETE);
        assertThat(rds.calls("CancelExportTask")).as("once: the second finds it cancelling").hasSize(1);
    }

    @Test
    void anAccessDenialOfTheSnapshotIsNamedWithTheActionToGrant() {
        rds.failNext("CreateDBClusterSnapshot", 403, "AccessDenied", "User: arn:aws:iam::123456789012:user/tm is"
                + " not authorized to perform: rds:CreateDBClusterSnapshot");
        TidemarkException denied = catchThrowableOfType(TidemarkException.class,
                () -> driver(client).snapshot("orders-prod", "tidemark-m4-e1"));
        assertThat(denied.error()).isEqualTo(ErrorCode.RDS_ACCESS_DENIED);
        assertThat(denied.getMessage()).contains("CreateDBClusterSnapshot (cluster orders-prod, snapshot"
                + " tidemark-m4-e1)", "rds:CreateDBClusterSnapshot [AccessDenied, HTTP 403");
    }
}
