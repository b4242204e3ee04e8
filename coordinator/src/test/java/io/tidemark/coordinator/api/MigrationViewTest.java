package io.tidemark.coordinator.api;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.migration.Mode;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.position.TablePoint;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.common.status.ChunkImported;
import io.tidemark.common.status.ImportPlanned;
import io.tidemark.common.status.SnapshotCompleted;
import io.tidemark.common.status.SnapshotStarted;
import io.tidemark.common.status.TableDumped;
import io.tidemark.common.storage.LocationKeys;
import io.tidemark.common.table.TableRef;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MigrationViewTest {
    private static final WorkerId WORKER = new WorkerId("test@host:1");

    @Test
    void theViewShowsProgressPerTableAndNoPasswordInAnyForm() {
        String password = "pl41ntext-Pw";
        MigrationSpec spec = new SpecValidator(TestDatabases.secretBox()).validate(new CreateMigrationRequest("o", "all",
                new CreateMigrationRequest.Endpoint("10.0.0.1", 3306, "dm", password),
                new CreateMigrationRequest.Endpoint("10.0.0.2", 4000, "root", password), null, "/var/dumps", null,
                null));
        MigrationId id = MigrationId.of("o-1");
        TableRef t1 = TableRef.of("shop", "orders");
        TableRef t2 = TableRef.of("shop", "items");
        TableRef t3 = TableRef.of("shop", "empty");
        BinlogPosition start = BinlogPosition.ofFilePosition("mysql-bin.000001", 4);
        BinlogPosition end = BinlogPosition.ofFilePosition("mysql-bin.000001", 900);
        BinlogPosition ordersPoint = BinlogPosition.of("mysql-bin.000001", 120, "0-1-7");
        BinlogPosition itemsPoint = BinlogPosition.ofFilePosition("mysql-bin.000001", 480);
        Migration m = Migration.accepted(id, spec, List.of(), Instant.now())
                .apply(new SnapshotStarted("s", id, WORKER, 1, Instant.now(), start, List.of(t1, t2, t3)))
                .apply(new TableDumped("d", id, WORKER, 1, Instant.now(), t1, 10, 100, List.of("f")))
                .apply(new SnapshotCompleted("c", id, WORKER, 1, Instant.now(), "file:///x", start, end,
                        List.of(t1, t2, t3), List.of(new TablePoint(t1, ordersPoint), new TablePoint(t2, itemsPoint))))
                .apply(new ImportPlanned("p", id, WORKER, 1, Instant.now(), List.of(
                        new ImportPlanned.PlannedChunk("c1", t1, 1), new ImportPlanned.PlannedChunk("c2", t1, 1),
                        new ImportPlanned.PlannedChunk("c3", t2, 1))))
                .apply(new ChunkImported("i", id, WORKER, 1, Instant.now(), "c1", t1, 6, 60))
                .apply(new ChunkImported("i", id, WORKER, 1, Instant.now(), "c3", t2, 0, 0));

        MigrationView view = MigrationView.of(m);
        assertThat(view.tables()).containsExactly(
                // a table whose chunks are all in shows the rows its files held, to compare with the target's count
                new MigrationView.TableView("shop.empty", "imported", 0, 0, 0, 0, null, 0L, null, null, null, null),
                new MigrationView.TableView("shop.items", "imported", 0, 0, 1, 1, itemsPoint, 0L, null, null, null,
                        null),
                new MigrationView.TableView("shop.orders", "importing", 10, 6, 1, 2, ordersPoint, null, null, null,
                        null, null));
        assertThat(view.storage()).isEqualTo("file:///var/dumps");

        String json = MessageCodec.mapper().writeValueAsString(view);
        assertThat(json).doesNotContain(password).doesNotContain("enc:v1").doesNotContain("password")
                .contains("\"source\":{\"host\":\"10.0.0.1\",\"port\":3306,\"user\":\"dm\"}")
                .contains("\"table\":\"shop.orders\",\"state\":\"importing\",\"rowsDumped\":10,\"rowsImported\":6,"
                        + "\"chunksDone\":1,\"chunksTotal\":2,"
                        + "\"snapshotPoint\":{\"file\":\"mysql-bin.000001\",\"pos\":120,\"gtidSet\":\"0-1-7\"}}");
    }

    @Test
    void theViewShowsTheStorageLocationWithoutKeys() {
        // the spec holds them sealed; the view shows neither them nor their sealed form
        DatabaseEndpoint ep = new DatabaseEndpoint("10.0.0.1", 3306, "dm", TestDatabases.secretBox().seal("pw"));
        MigrationSpec spec = new MigrationSpec("o", Mode.FULL, ep, ep, List.of("*.*"), LocationKeys.seal(
                "s3://bucket/dumps?region=us-east-1&access-key=AKIAEXAMPLE&secret-access-key=wJalrXUtnFEMI",
                TestDatabases.secretBox()), null, null);
        MigrationView view = MigrationView.of(Migration.accepted(MigrationId.of("o-1"), spec, List.of(),
                Instant.now()));
        assertThat(view.storage()).isEqualTo("s3://bucket/dumps?region=us-east-1&access-key=***"
                + "&secret-access-key=***");
        assertThat(MessageCodec.mapper().writeValueAsString(view)).doesNotContain("AKIAEXAMPLE")
                .doesNotContain("wJalr").doesNotContain("sealed:");
    }
}
