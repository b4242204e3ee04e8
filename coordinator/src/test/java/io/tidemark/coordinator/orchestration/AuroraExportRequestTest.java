package io.tidemark.coordinator.orchestration;

import io.tidemark.common.command.AuroraExport;
import io.tidemark.common.command.AuroraRestore;
import io.tidemark.common.command.Command;
import io.tidemark.common.command.DumpFormat;
import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.migration.Mode;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.coordinator.CoordinatorProperties;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The spec's Aurora export travels to snapshot-service in its snapshot request, and survives Kafka's JSON. */
class AuroraExportRequestTest {
    private static final AuroraExport EXPORT = new AuroraExport("orders-prod", "us-east-1", "export-bucket",
            "tidemark/orders", "arn:aws:iam::123456789012:role/rds-s3-export", "alias/rds-export", null, true);

    @Test
    void theSnapshotRequestCarriesTheExportAndADumpsCarriesNone() {
        Orchestrator orchestrator = new Orchestrator(new CoordinatorProperties(3, DataSize.ofMegabytes(8),
                Duration.ofSeconds(5), DataSize.ofKilobytes(256), true), TopicCatalog.DEFAULT);
        DatabaseEndpoint ep = new DatabaseEndpoint("127.0.0.1", 3306, "root", TestDatabases.secretBox().seal("pw"));
        MigrationSpec spec = new MigrationSpec("orders", Mode.ALL, ep, ep, List.of("shop.*"),
                "s3://export-bucket/tidemark/orders", null, null, DumpFormat.PARQUET, null, null, List.of(), List.of(), EXPORT);
        Migration m = Migration.accepted(MigrationId.of("orders-1"), spec, List.of(), Instant.now());

        SnapshotRequest sent = (SnapshotRequest) orchestrator.snapshotRequest(m).command();
        assertThat(sent.auroraExport()).isEqualTo(EXPORT);
        SnapshotRequest read = (SnapshotRequest) MessageCodec.read(MessageCodec.write(sent), Command.class);
        assertThat(read.auroraExport()).isEqualTo(EXPORT);
        assertThat(read.format()).isEqualTo(DumpFormat.PARQUET);

        Migration dump = Migration.accepted(MigrationId.of("orders-2"), new MigrationSpec("orders", Mode.ALL, ep, ep,
                List.of("shop.*"), "file:///tmp/dumps/", null, null), List.of(), Instant.now());
        assertThat(((SnapshotRequest) orchestrator.snapshotRequest(dump).command()).auroraExport()).isNull();
    }

    @Test
    void anExistingSnapshotsRequestCarriesThePositionTheUserGaveThroughKafkasJsonAndItsStopToo() {
        Orchestrator orchestrator = new Orchestrator(new CoordinatorProperties(3, DataSize.ofMegabytes(8),
                Duration.ofSeconds(5), DataSize.ofKilobytes(256), true), TopicCatalog.DEFAULT);
        DatabaseEndpoint ep = new DatabaseEndpoint("127.0.0.1", 3306, "root", TestDatabases.secretBox().seal("pw"));
        AuroraExport existing = new AuroraExport(null, "us-east-1", "export-bucket", "tidemark/orders",
                "arn:aws:iam::123456789012:role/rds-s3-export", "alias/rds-export",
                "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:orders-1201", false);
        BinlogPosition read = BinlogPosition.ofFilePosition("mysql-bin-changelog.000042", 1234);
        MigrationSpec spec = new MigrationSpec("orders", Mode.ALL, ep, ep, List.of("shop.*"),
                "s3://export-bucket/tidemark/orders", read, null, DumpFormat.PARQUET, null, null, List.of(), List.of(),
                existing);
        Migration m = Migration.accepted(MigrationId.of("orders-4"), spec, List.of(), Instant.now());

        SnapshotRequest sent = (SnapshotRequest) orchestrator.snapshotRequest(m).command();
        SnapshotRequest back = (SnapshotRequest) MessageCodec.read(MessageCodec.write(sent), Command.class);
        assertThat(back.start()).isEqualTo(read);
        assertThat(back.auroraExport()).isEqualTo(existing);
        assertThat(((SnapshotRequest) orchestrator.snapshotStop(m).command()).start()).isEqualTo(read);

        // mode full has no start, and a snapshot Tidemark takes records its own
        MigrationSpec full = new MigrationSpec("orders", Mode.FULL, ep, ep, List.of("shop.*"),
                "s3://export-bucket/tidemark/orders", null, null, DumpFormat.PARQUET, null, null, List.of(), List.of(),
                existing);
        assertThat(((SnapshotRequest) orchestrator.snapshotRequest(Migration.accepted(MigrationId.of("orders-5"), full,
                List.of(), Instant.now())).command()).start()).isNull();
        assertThat(((SnapshotRequest) orchestrator.snapshotRequest(Migration.accepted(MigrationId.of("orders-6"),
                new MigrationSpec("orders", Mode.ALL, ep, ep, List.of("shop.*"), "s3://export-bucket/tidemark/orders",
                        null, null, DumpFormat.PARQUET, null, null, List.of(), List.of(), EXPORT), List.of(),
                Instant.now())).command()).start()).isNull();
    }

    @Test
    void theSnapshotRequestCarriesTheRestoreThroughKafkasJsonAndItsStopToo() {
        Orchestrator orchestrator = new Orchestrator(new CoordinatorProperties(3, DataSize.ofMegabytes(8),
                Duration.ofSeconds(5), DataSize.ofKilobytes(256), true), TopicCatalog.DEFAULT);
        DatabaseEndpoint ep = new DatabaseEndpoint("127.0.0.1", 3306, "root", TestDatabases.secretBox().seal("pw"));
        AuroraRestore restore = new AuroraRestore("orders-prod", "us-east-1", null, "db.r6g.large", "subnets",
                List.of("sg-0123456789abcdef0"), "aurora-mysql8-binlog-row", true, false);
        MigrationSpec spec = new MigrationSpec("orders", Mode.ALL, ep, ep, List.of("shop.*"), "file:///tmp/dumps/",
                null, null, DumpFormat.SQL, null, null, List.of(), List.of(), null, null, false, restore);
        Migration m = Migration.accepted(MigrationId.of("orders-3"), spec, List.of(), Instant.now());

        SnapshotRequest sent = (SnapshotRequest) orchestrator.snapshotRequest(m).command();
        SnapshotRequest read = (SnapshotRequest) MessageCodec.read(MessageCodec.write(sent), Command.class);
        assertThat(read.auroraRestore()).isEqualTo(restore);
        assertThat(read.auroraExport()).isNull();
        assertThat(read.format()).isEqualTo(DumpFormat.SQL);
        assertThat(((SnapshotRequest) orchestrator.snapshotStop(m).command()).auroraRestore()).isEqualTo(restore);
    }
}
