package io.tidemark.snapshot.aurora;

import io.tidemark.common.command.AuroraExport;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.storage.Storage;
import io.tidemark.common.storage.Storages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Where AWS is told to write the export, and the position kept for a re-attaching attempt. */
class AuroraSnapshotTest {
    private static final AuroraExport SPEC = new AuroraExport("orders-prod", "us-east-1", "exports", "tm",
            "arn:aws:iam::123456789012:role/rds-s3-export", "alias/rds-export", null, true);

    @Test
    void theExportGoesBelowTheRequestsLocationWhereTheImportReadsIt() {
        AuroraExport into = AuroraSnapshot.exportInto(SPEC, URI.create("s3://exports/dumps/m-1/"));
        assertThat(into.prefix()).isEqualTo("dumps/m-1");
        assertThat(into.bucket()).isEqualTo("exports");
        assertThat(into.iamRole()).isEqualTo(SPEC.iamRole());
        assertThat(into.keepSnapshot()).isTrue();
        assertThat(AuroraSnapshot.exportInto(SPEC, URI.create("s3://exports/")).prefix()).isEmpty();
    }

    @Test
    void aLocationOffTheExportsBucketIsRefusedNamingBoth() {
        TidemarkException e = catchThrowableOfType(TidemarkException.class,
                () -> AuroraSnapshot.exportInto(SPEC, URI.create("s3://other/m-1/")));
        assertThat(e.error()).isEqualTo(ErrorCode.INVALID_SPEC);
        assertThat(e.getMessage()).contains("s3://other/m-1/", "s3://exports");
    }

    @Test
    void thePositionBeforeTheSnapshotIsKeptForTheSameRequestOnly(@TempDir Path dir) throws Exception {
        Storage storage = Storages.open(dir.toString());
        BinlogPosition start = BinlogPosition.of("mysql-bin.000003", 4711, "0-1-42");
        new ExportStart("m-1/snapshot/e1", "tidemark-m-1-e1", start).write(storage);

        assertThat(ExportStart.read(storage, "m-1/snapshot/e1")).hasValueSatisfying(s -> {
            assertThat(s.start()).isEqualTo(start);
            assertThat(s.snapshotId()).isEqualTo("tidemark-m-1-e1");
        });
        assertThat(ExportStart.read(storage, "m-1/snapshot/e2")).as("another attempt records its own").isEmpty();
        Files.writeString(dir.resolve(ExportStart.FILE), "{not json");
        assertThat(ExportStart.read(storage, "m-1/snapshot/e1")).isEmpty();
    }
}
