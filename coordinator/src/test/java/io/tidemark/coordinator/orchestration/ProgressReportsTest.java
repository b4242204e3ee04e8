package io.tidemark.coordinator.orchestration;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.migration.Mode;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.common.status.ChunkImported;
import io.tidemark.common.status.ImportPlanned;
import io.tidemark.common.status.MigrationProgressed;
import io.tidemark.common.status.SnapshotCompleted;
import io.tidemark.common.status.SnapshotStarted;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.coordinator.CoordinatorProperties;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.coordinator.migration.Phase;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The coordinator's migration-progressed summaries: one per phase change, then at most one per interval however many
 * worker events arrive, with the view's table figures and the rate and ETA measured between summaries.
 */
class ProgressReportsTest {
    private static final MigrationId ID = MigrationId.of("orders-1");
    private static final WorkerId WORKER = new WorkerId("lightning@host:1");
    private static final WorkerId COORDINATOR = new WorkerId("coordinator@host:2");
    private static final TableRef ORDERS = TableRef.of("shop", "orders");
    private static final TableRef USERS = TableRef.of("shop", "users");
    private static final BinlogPosition START = BinlogPosition.ofFilePosition("mysql-bin.000003", 1200);
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    private final Orchestrator orchestrator = new Orchestrator(new CoordinatorProperties(3, DataSize.ofMegabytes(8),
            Duration.ofSeconds(5), DataSize.ofKilobytes(256), true), TopicCatalog.DEFAULT);
    private final Map<MigrationId, Migration> saved = new ConcurrentHashMap<>();
    private final List<StatusEvent> published = new ArrayList<>();
    private final MovingClock clock = new MovingClock();
    private final ProgressReports reports = new ProgressReports(published::add,
            id -> Optional.ofNullable(saved.get(id)), COORDINATOR, clock);

    /** what the coordinator does: save, then tell the reports */
    private Migration save(Migration before, Migration after) {
        saved.put(after.id(), after);
        reports.changed(before, after);
        return after;
    }

    /** a mode-all migration importing 500 chunks of 100 bytes and 10 rows of orders, and one of users */
    private Migration importing() {
        DatabaseEndpoint ep = new DatabaseEndpoint("127.0.0.1", 3306, "root", TestDatabases.secretBox().seal("pw"));
        Migration accepted = Migration.accepted(ID, new MigrationSpec("orders", Mode.ALL, ep, ep, List.of("shop.*"),
                "file:///tmp/dumps/", null, null), List.of(), T0);
        Migration m = save(null, accepted);
        Migration snapshotting = save(m, orchestrator.decide(m, false).next());
        Migration dumped = snapshotting
                .apply(new SnapshotStarted("s", ID, WORKER, 1, T0, START, List.of(ORDERS, USERS)))
                .apply(new SnapshotCompleted("c", ID, WORKER, 1, T0, "file:///x", START, START, List.of(ORDERS, USERS),
                        List.of()));
        Migration importing = save(snapshotting, orchestrator.decide(dumped, false).next());
        assertThat(importing.phase()).isEqualTo(new Phase.Importing());
        List<ImportPlanned.PlannedChunk> chunks = new ArrayList<>(IntStream.range(0, 500)
                .mapToObj(i -> new ImportPlanned.PlannedChunk("o" + i, ORDERS, 100)).toList());
        chunks.add(new ImportPlanned.PlannedChunk("u0", USERS, 50));
        return save(importing, importing.apply(new ImportPlanned("p", ID, WORKER, 1, T0, chunks)));
    }

    @Test
    void aBurstOfWorkerEventsYieldsOneSummaryPerIntervalAndEachPhaseChangeOneAtOnce() {
        Migration m = importing();
        // pending (new), snapshotting, importing: one summary each, at once, without a flush
        assertThat(published).extracting(e -> ((MigrationProgressed) e).phase())
                .containsExactly("pending", "snapshotting", "importing");
        published.clear();

        for (int i = 0; i < 500; i++) {
            m = save(m, m.apply(new ChunkImported("i" + i, ID, WORKER, 1, T0, "o" + i, ORDERS, 10, 100)));
        }
        assertThat(published).isEmpty();
        clock.advance(Duration.ofSeconds(5));
        reports.flush();
        reports.flush();
        assertThat(published).singleElement().satisfies(e -> {
            MigrationProgressed p = (MigrationProgressed) e;
            assertThat(p.phase()).isEqualTo("importing");
            assertThat(p.tables()).first().satisfies(t -> {
                assertThat(t.rowsImported()).isEqualTo(5000);
                assertThat(t.bytesImported()).isEqualTo(50_000);
            });
        });
    }

    @Test
    void aRestartedCoordinatorSummarisesEachMigrationOnceAsItFoundIt() {
        Migration m = importing();
        published.clear();
        reports.resumed(m.id());
        reports.flush();
        assertThat(published).singleElement().satisfies(e -> assertThat(((MigrationProgressed) e).phase())
                .isEqualTo("importing"));
    }

    @Test
    void theSummaryCarriesTheViewsFiguresWithRateAndEta() {
        Migration m = importing();
        published.clear();
        for (int i = 0; i < 250; i++) {
            m = save(m, m.apply(new ChunkImported("i" + i, ID, WORKER, 1, T0, "o" + i, ORDERS, 10, 100)));
        }
        clock.advance(Duration.ofSeconds(10));
        reports.flush();

        MigrationProgressed p = (MigrationProgressed) published.getLast();
        assertThat(p.eventId()).isEqualTo(ID + "/progressed/" + T0.plusSeconds(10).toEpochMilli());
        assertThat(p.migrationId()).isEqualTo(ID);
        assertThat(p.workerId()).isEqualTo(COORDINATOR);
        assertThat(p.stage()).isEqualTo(Stage.IMPORT);
        assertThat(p.epoch()).isEqualTo(1);
        assertThat(p.mode()).isEqualTo(Mode.ALL);
        assertThat(p.tables()).containsExactly(
                new MigrationProgressed.Table("shop.orders", 0, 2500, 25_000, 50_000, 50.0),
                new MigrationProgressed.Table("shop.users", 0, 0, 0, 50, 0.0));
        assertThat(p.tablesOmitted()).isZero();
        // 2,500 rows in the 10 s since the importing summary; 25,050 bytes left at 2,500 bytes/s
        assertThat(p.rowsPerSecond()).isEqualTo(250.0);
        assertThat(p.etaSeconds()).isEqualTo(11L);
        assertThat(p.lagSeconds()).isNull();
        assertThat(p.errorCode()).isNull();

        // the public form round-trips, and aggregating it back changes nothing (the coordinator skips it)
        assertThat(MessageCodec.read(MessageCodec.write(p), StatusEvent.class)).isEqualTo(p);
        assertThat(m.apply(p)).isEqualTo(m);
    }

    @Test
    void beforeTheImportIsPlannedThereIsNoPercentOrEta() {
        DatabaseEndpoint ep = new DatabaseEndpoint("127.0.0.1", 3306, "root", TestDatabases.secretBox().seal("pw"));
        Migration m = Migration.accepted(ID, new MigrationSpec("orders", Mode.FULL, ep, ep, List.of("shop.*"),
                "file:///tmp/dumps/", null, null), List.of(), T0)
                .apply(new SnapshotStarted("s", ID, WORKER, 1, T0, START, List.of(ORDERS)));
        MigrationProgressed p = ProgressSummary.of(m, COORDINATOR, T0, null).event();
        assertThat(p.tables()).containsExactly(new MigrationProgressed.Table("shop.orders", 0, 0, 0, 0, null));
        assertThat(p.tablesOmitted()).isZero();
        assertThat(p.rowsPerSecond()).isNull();
        assertThat(p.etaSeconds()).isNull();
    }

    @Test
    void aMigrationOfThousandsOfTablesListsTheFirstOnesThatFitAndCountsTheRest() {
        DatabaseEndpoint ep = new DatabaseEndpoint("127.0.0.1", 3306, "root", TestDatabases.secretBox().seal("pw"));
        List<TableRef> many = IntStream.range(0, 3000).mapToObj(i -> TableRef.of("shop", "orders_%05d".formatted(i)))
                .toList();
        Migration m = Migration.accepted(ID, new MigrationSpec("orders", Mode.FULL, ep, ep, List.of("shop.*"),
                "file:///tmp/dumps/", null, null), List.of(), T0)
                .apply(new SnapshotStarted("s", ID, WORKER, 1, T0, START, many));

        assertThat(ProgressSummary.of(m, COORDINATOR, T0, null).event().tables()).hasSize(3000);
        MigrationProgressed p = ProgressSummary.of(m, COORDINATOR, T0, null, 64 * 1024).event();
        assertThat(MessageCodec.write(p).length).isLessThanOrEqualTo(64 * 1024);
        assertThat(p.tables()).isNotEmpty().hasSizeLessThan(3000);
        assertThat(p.tables().getFirst().table()).isEqualTo("shop.orders_00000");
        assertThat(p.tablesOmitted()).isEqualTo(3000 - p.tables().size());
    }

    private static final class MovingClock extends Clock {
        private Instant now = T0;

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
