package io.tidemark.coordinator.migration;

import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.migration.Mode;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.position.TablePoint;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.common.status.ChunkImported;
import io.tidemark.common.status.ImportPlanned;
import io.tidemark.common.status.ReplicationProgressed;
import io.tidemark.common.status.SnapshotCompleted;
import io.tidemark.common.status.ExportProgressed;
import io.tidemark.common.status.SnapshotStarted;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.status.TableDumped;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import io.tidemark.coordinator.store.StoredChunk;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationTest {
    private static final MigrationId ID = MigrationId.of("orders-1");
    private static final WorkerId WORKER = new WorkerId("test@host:1");
    private static final TableRef T1 = TableRef.of("shop", "orders");
    private static final TableRef T2 = TableRef.of("shop", "items");
    private static final BinlogPosition START = BinlogPosition.ofFilePosition("mysql-bin.000003", 1200);
    private static final BinlogPosition END = BinlogPosition.ofFilePosition("mysql-bin.000003", 4800);

    static Migration migration(Mode mode) {
        DatabaseEndpoint ep = new DatabaseEndpoint("127.0.0.1", 3306, "root", TestDatabases.secretBox().seal("pw"));
        return Migration.accepted(ID, new MigrationSpec("orders", mode, ep, ep, List.of("shop.*"),
                mode.snapshots() ? "file:///tmp/dumps" : null, null, null), List.of(),
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    private static Migration in(Phase phase) {
        return migration(Mode.ALL).moveTo(phase);
    }

    @Test
    void legalTransitionsFollowTheModes() {
        Phase.Pending pending = new Phase.Pending();
        assertThat(pending.startSnapshot().startImport().startReplication().stop().resume())
                .isEqualTo(new Phase.Replicating());
        assertThat(pending.startSnapshot().startImport().complete()).isEqualTo(new Phase.Completed());
        assertThat(pending.startReplication()).isEqualTo(new Phase.Replicating());
        assertThat(in(new Phase.Replicating()).stop().phase().code()).isEqualTo("stopped");
        assertThat(migration(Mode.INCREMENTAL).moveTo(new Phase.Stopped()).resume().phase().code())
                .isEqualTo("replicating");
    }

    @Test
    void aSnapshotStoppedUnderWayStaysStoppedWhateverItsServiceReportsAndResumesAsANewAttempt() {
        // Given a snapshot under way, when the user stops it
        Migration stopped = in(new Phase.Snapshotting()).stop();

        // then it is stopped in its snapshot
        assertThat(stopped.phase().code()).isEqualTo("stopped");
        assertThat(stopped.stoppedInSnapshot()).isTrue();
        // and an export that completed before its cancel reached AWS does not make it importable
        Migration after = stopped.apply(new SnapshotCompleted("c", ID, WORKER, 1, Instant.now(), "file:///x", START,
                END, List.of(T1)));
        assertThat(after).isEqualTo(stopped);
        assertThat(after.stoppedInSnapshot()).isTrue();
        // and a resume is a new snapshot attempt, whose names differ from the cancelled one's
        Migration resumed = stopped.resume();
        assertThat(resumed.phase()).isEqualTo(new Phase.Snapshotting());
        assertThat(resumed.epochs().of(Stage.SNAPSHOT)).isEqualTo(stopped.epochs().of(Stage.SNAPSHOT) + 1);
        assertThat(resumed.isStale(new SnapshotCompleted("c", ID, WORKER, 1, Instant.now(), "file:///x", START, END,
                List.of(T1)))).as("the stopped attempt's reports are stale").isTrue();
    }

    @Test
    void stopAndResumeAreRejectedOutsideTheirPhases() {
        for (Phase phase : List.of(new Phase.Pending(), new Phase.Importing(),
                new Phase.Completed(), new Phase.Stopped(), new Phase.Failed())) {
            assertThatThrownBy(() -> in(phase).stop())
                    .isInstanceOfSatisfying(TidemarkException.class,
                            e -> assertThat(e.error()).isEqualTo(ErrorCode.ILLEGAL_TRANSITION))
                    .hasMessageContaining("migration orders-1 cannot go from " + phase.code() + " to stopped");
        }
        for (Phase phase : List.of(new Phase.Pending(), new Phase.Replicating(), new Phase.Completed(),
                new Phase.Failed())) {
            assertThatThrownBy(() -> in(phase).resume())
                    .isInstanceOfSatisfying(TidemarkException.class,
                            e -> assertThat(e.error()).isEqualTo(ErrorCode.ILLEGAL_TRANSITION));
        }
    }

    @Test
    void failingIsLegalOnlyWhileWorkIsUnderWay() {
        Failure failure = new Failure("TM-30002", "denied", "fix it", Stage.IMPORT, "shop.orders", false, Instant.now());
        for (Phase phase : List.of(new Phase.Pending(), new Phase.Snapshotting(), new Phase.Importing(),
                new Phase.Replicating())) {
            assertThat(in(phase).fail(failure).phase()).isEqualTo(new Phase.Failed());
        }
        for (Phase phase : List.of(new Phase.Completed(), new Phase.Stopped(), new Phase.Failed())) {
            assertThatThrownBy(() -> in(phase).fail(failure))
                    .isInstanceOfSatisfying(TidemarkException.class,
                            e -> assertThat(e.error()).isEqualTo(ErrorCode.ILLEGAL_TRANSITION));
        }
    }

    @Test
    void phasesPersistAsTheirCodesAndReadBack() {
        for (String code : List.of("pending", "snapshotting", "importing", "replicating", "completed", "stopped",
                "failed")) {
            Migration m = in(Phase.of(code));
            String json = new String(MessageCodec.write(m), StandardCharsets.UTF_8);
            assertThat(json).contains("\"phase\":\"" + code + "\"").contains("\"schema\":1");
            assertThat(MessageCodec.read(json.getBytes(StandardCharsets.UTF_8), Migration.class)).isEqualTo(m);
        }
        assertThatThrownBy(() -> Phase.of("running")).hasMessageContaining("unknown migration phase 'running'");
    }

    @Test
    void warningsAndTheTargetTablesSetupSurviveTheRoundTripAndOlderRecordsReadWithTheirDefaults() {
        Migration m = migration(Mode.ALL);
        Migration warned = Migration.accepted(ID, new MigrationSpec("orders", Mode.ALL, m.spec().source(),
                        m.spec().target(), List.of("shop.*"), "file:///tmp/dumps", null, TargetTableSetup.PRE_CREATED),
                List.of(new Warning("keyless_tables", "keyless table shop.log", "add a key")), m.createdAt());
        String json = new String(MessageCodec.write(warned), StandardCharsets.UTF_8);
        assertThat(json).contains("\"targetTables\":\"pre-created\"").contains("\"name\":\"keyless_tables\"");
        assertThat(MessageCodec.read(json.getBytes(StandardCharsets.UTF_8), Migration.class)).isEqualTo(warned);

        // a migration stored before either field existed
        String older = new String(MessageCodec.write(m), StandardCharsets.UTF_8)
                .replace(",\"targetTables\":\"create\"", "").replace(",\"warnings\":[]", "");
        assertThat(older).doesNotContain("targetTables").doesNotContain("warnings");
        Migration read = MessageCodec.read(older.getBytes(StandardCharsets.UTF_8), Migration.class);
        assertThat(read.spec().targetTables()).isEqualTo(TargetTableSetup.CREATE);
        assertThat(read.warnings()).isEmpty();
        assertThat(read).isEqualTo(m);
    }

    @Test
    void aggregatedProgressSurvivesTheRoundTripThroughKafkasFormat() {
        Migration m = snapshotDone(migration(Mode.ALL).moveTo(new Phase.Importing()))
                .apply(new ImportPlanned(ImportPlanned.idFor(ID, 1), ID, WORKER, 1, Instant.now(),
                        List.of(new ImportPlanned.PlannedChunk("c1", T1, 10))));
        Migration read = MessageCodec.read(MessageCodec.write(m), Migration.class);
        // its chunks are records of their own (StoredChunk), never written into the migration's
        assertThat(read.progress().chunks()).isEmpty();
        assertThat(read.withChunksRead(m.progress().chunks())).isEqualTo(m);
    }

    @Test
    void aPlanInPartsIsCompleteOnlyOnceItsLastPartIsIn() {
        // Given a plan of 3 chunks reported 2 per event: 2 parts
        List<ImportPlanned.PlannedChunk> chunks = List.of(new ImportPlanned.PlannedChunk("c1", T1, 10),
                new ImportPlanned.PlannedChunk("c2", T1, 10), new ImportPlanned.PlannedChunk("c3", T1, 10));
        List<ImportPlanned> parts = ImportPlanned.paged(ID, WORKER, 1, Instant.now(), chunks, 2);
        assertThat(parts).extracting(ImportPlanned::eventId).containsExactly(
                ImportPlanned.idFor(ID, 1) + "/1-of-2", ImportPlanned.idFor(ID, 1) + "/2-of-2");
        Migration m = snapshotDone(migration(Mode.FULL).moveTo(new Phase.Importing()));

        // When the first part is in and both its chunks are imported
        m = m.apply(parts.get(0))
                .apply(new ChunkImported(ChunkImported.idFor("c1"), ID, WORKER, 1, Instant.now(), "c1", T1, 1, 10))
                .apply(new ChunkImported(ChunkImported.idFor("c2"), ID, WORKER, 1, Instant.now(), "c2", T1, 1, 10));

        // Then the import is not complete: the plan is not
        assertThat(m.progress().importCompleted()).isFalse();

        // When the last part is in, Then it waits for that part's chunk, and completes with it
        m = m.apply(parts.get(1));
        assertThat(m.progress().importCompleted()).isFalse();
        m = m.apply(new ChunkImported(ChunkImported.idFor("c3"), ID, WORKER, 1, Instant.now(), "c3", T1, 1, 10));
        assertThat(m.progress().importCompleted()).isTrue();
        assertThat(m.progress().chunks()).hasSize(3);
    }

    @Test
    void aRoutedSnapshotsTablesArePairedWithTheirTargetsAndCountedUnderTheTargetNames() {
        // Given mode all with a table route (shop.orders -> sales.orders_v2) and a schema route (shop -> shop_new)
        DatabaseEndpoint ep = new DatabaseEndpoint("127.0.0.1", 3306, "root", TestDatabases.secretBox().seal("pw"));
        Migration m = Migration.accepted(ID, new MigrationSpec("routed", Mode.ALL, ep, ep, List.of("shop.*"),
                "file:///tmp/dumps", null, null, null, null, null, List.of(), List.of(
                new io.tidemark.common.command.RouteRule("shop", "orders", "sales", "orders_v2"),
                new io.tidemark.common.command.RouteRule("shop", null, "shop_new", null)), null), List.of(),
                Instant.parse("2026-01-01T00:00:00Z")).moveTo(new Phase.Snapshotting());
        TableRef orders = TableRef.of("sales", "orders_v2");
        TableRef items = TableRef.of("shop_new", "items");

        // When the snapshot reports the source's names and the import its routed ones
        m = m.apply(new SnapshotStarted("s", ID, WORKER, 1, Instant.now(), START, List.of(T1, T2)))
                .apply(new TableDumped("d", ID, WORKER, 1, Instant.now(), T1, 42, 100, List.of("f")))
                .apply(new SnapshotCompleted("c", ID, WORKER, 1, Instant.now(), "file:///x", START, END,
                        List.of(T1, T2), List.of(new TablePoint(T1, END))))
                .moveTo(new Phase.Importing())
                .apply(new ImportPlanned("p", ID, WORKER, 1, Instant.now(), List.of(
                        new ImportPlanned.PlannedChunk("c1", orders, 10), new ImportPlanned.PlannedChunk("c2", items, 5))))
                .apply(new ChunkImported("i1", ID, WORKER, 1, Instant.now(), "c1", orders, 42, 100))
                .apply(new ChunkImported("i2", ID, WORKER, 1, Instant.now(), "c2", items, 7, 50));

        // Then each source table is one entry, paired with its target, its point kept under the source name
        assertThat(m.progress().tables().values()).extracting(TableProgress::table, TableProgress::targetTable)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(T2, items),
                        org.assertj.core.groups.Tuple.tuple(T1, orders));
        assertThat(m.progress().tablePoints()).containsExactly(new TablePoint(T1, END));
        assertThat(m.progress().rowsInFiles(orders)).isEqualTo(42);
        assertThat(m.awaitsCount()).isTrue();
        assertThat(MessageCodec.read(MessageCodec.write(m), Migration.class).withChunksRead(m.progress().chunks()))
                .isEqualTo(m);

        // And the count is taken of the target tables: equal counts pass, a short one fails naming both names
        Migration good = m.counted(java.util.Map.of(orders, TargetCount.rowsOnly(42), items,
                TargetCount.rowsOnly(7)), "tidb", Instant.now());
        assertThat(good.awaitsCount()).isFalse();
        assertThat(good.error()).isNull();
        Migration bad = m.counted(java.util.Map.of(orders, TargetCount.rowsOnly(41), items,
                TargetCount.rowsOnly(7)), "tidb", Instant.now());
        assertThat(bad.phase()).isEqualTo(new Phase.Failed());
        assertThat(bad.error().message()).contains("sales.orders_v2 (from shop.orders): 42 rows in the files,"
                + " 41 in the target");
    }

    @Test
    void everyEventAppliedTwiceChangesNothingTheSecondTime() {
        List<StatusEvent> events = List.of(
                new SnapshotStarted("s", ID, WORKER, 1, Instant.now(), START, List.of(T1, T2)),
                new TableDumped("d", ID, WORKER, 1, Instant.now(), T1, 42, 100, List.of("f")),
                new SnapshotCompleted("c", ID, WORKER, 1, Instant.now(), "file:///x", START, END, List.of(T1, T2)),
                new ImportPlanned("p", ID, WORKER, 1, Instant.now(),
                        List.of(new ImportPlanned.PlannedChunk("c1", T1, 10), new ImportPlanned.PlannedChunk("c2", T2, 10))),
                new ChunkImported("i", ID, WORKER, 1, Instant.now(), "c1", T1, 42, 100),
                new ReplicationProgressed("r", ID, WORKER, 1, Instant.now(), END, 3, true, 5, 1),
                WorkFailed.of(ID, WORKER, 1, Stage.REPLICATION, "task",
                        new TidemarkException(ErrorCode.SOURCE_UNREACHABLE, "src", "timeout")));
        Migration m = migration(Mode.ALL).moveTo(new Phase.Replicating());
        for (StatusEvent event : events) {
            Migration once = m.apply(event);
            assertThat(once).isNotEqualTo(m);
            assertThat(once.apply(event)).isEqualTo(once);
            m = once;
        }
        assertThat(m.progress().tables().get("`shop`.`orders`")).isEqualTo(new TableProgress(T1, true, 42, null));
        assertThat(m.progress().chunks().get("c1")).isEqualTo(new ChunkProgress(T1, true, 42, null, 10));
        assertThat(m.progress().importCompleted()).isFalse();
    }

    @Test
    void aLateProgressEventDoesNotMoveTheReplicationPositionBack() {
        Migration m = in(new Phase.Replicating())
                .apply(new ReplicationProgressed("r2", ID, WORKER, 1, Instant.now(), END, 0, false, 9, 1))
                .apply(new ReplicationProgressed("r1", ID, WORKER, 1, Instant.now(), START, 7, true, 1, 1));
        assertThat(m.progress().replication()).isEqualTo(END);
        assertThat(m.progress().lagSeconds()).isZero();
    }

    @Test
    void anAuroraExportsProgressIsShownWithoutALateReportMovingItBackAndSurvivesTheRoundTrip() {
        Migration m = in(new Phase.Snapshotting())
                .apply(exported("STARTING", 0, 0))
                .apply(exported("IN_PROGRESS", 42, 3))
                .apply(exported("STARTING", 0, 0)); // redelivered late
        assertThat(m.progress().export()).isEqualTo(new ExportProgress("tidemark-x-e1", "IN_PROGRESS", 42, 3));
        assertThat(m.phase()).isInstanceOf(Phase.Snapshotting.class);
        assertThat(MessageCodec.read(MessageCodec.write(m), Migration.class)).isEqualTo(m);

        Migration done = m.apply(exported("COMPLETE", 100, 7));
        assertThat(done.progress().export().percent()).isEqualTo(100);
        assertThat(done.progress().export().status()).isEqualTo("COMPLETE");
    }

    private static ExportProgressed exported(String status, int percent, long gb) {
        return new ExportProgressed(ExportProgressed.idFor(ID, 1, "tidemark-x-e1", status, percent, gb), ID, WORKER, 1,
                Instant.now(), "tidemark-x-e1", status, percent, gb);
    }

    @Test
    void olderEpochsAreStale() {
        Migration m = migration(Mode.ALL);
        assertThat(m.isStale(new TableDumped("d", ID, WORKER, 0, Instant.now(), T1, 1, 1, List.of()))).isTrue();
        assertThat(m.isStale(new TableDumped("d", ID, WORKER, 1, Instant.now(), T1, 1, 1, List.of()))).isFalse();
    }

    @Test
    void aRetriableFailureKeepsThePhaseAndClearsOnLaterProgressWhileAFatalOneFails() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        WorkFailed retriable = new WorkFailed("f1", ID, WORKER, 1, t0, Stage.REPLICATION, "task", "TM-20001",
                "cannot connect", "check", true);
        Migration m = in(new Phase.Replicating()).apply(retriable);
        assertThat(m.phase()).isEqualTo(new Phase.Replicating());
        assertThat(m.error().code()).isEqualTo("TM-20001");
        m = m.apply(new ReplicationProgressed("r", ID, WORKER, 1, t0.plusSeconds(5), END, 0, false, 1, 1));
        assertThat(m.error()).isNull();

        WorkFailed fatal = new WorkFailed("f2", ID, WORKER, 1, t0, Stage.REPLICATION, "task", "TM-20007",
                "purged", "raise retention", false);
        Migration failed = m.apply(fatal);
        assertThat(failed.phase()).isEqualTo(new Phase.Failed());
        assertThat(failed.error().remedy()).isEqualTo("raise retention");
        assertThat(failed.apply(fatal)).isEqualTo(failed);
    }

    private static WorkFailed fatal(Stage stage, long epoch, Instant at) {
        return new WorkFailed("f-" + stage.code(), ID, WORKER, epoch, at, stage, "subject", "TM-30002",
                "denied", "grant it", false);
    }

    @Test
    void retryIsLegalOnlyFromFailed() {
        for (Phase phase : List.of(new Phase.Pending(), new Phase.Snapshotting(), new Phase.Importing(),
                new Phase.Replicating(), new Phase.Completed(), new Phase.Stopped())) {
            assertThatThrownBy(() -> in(phase).retry())
                    .isInstanceOfSatisfying(TidemarkException.class,
                            e -> assertThat(e.error()).isEqualTo(ErrorCode.ILLEGAL_TRANSITION))
                    .hasMessageContaining("migration orders-1 cannot go from " + phase.code() + " to a retry");
        }
        // a failed phase without the error that says which stage to run again (not written by this build)
        assertThatThrownBy(() -> in(new Phase.Failed()).retry()).isInstanceOf(TidemarkException.class);
        // a stage the mode does not run
        Migration incremental = migration(Mode.INCREMENTAL).moveTo(new Phase.Replicating())
                .apply(fatal(Stage.IMPORT, 1, Instant.now()));
        assertThat(incremental.phase()).isEqualTo(new Phase.Failed());
        assertThatThrownBy(incremental::retry).isInstanceOf(TidemarkException.class);
    }

    @Test
    void retryRunsTheFailedStageAgainWithTheEpochItsWorkersNeed() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

        Migration importFailed = snapshotDone(in(new Phase.Importing()))
                .apply(new ImportPlanned("p", ID, WORKER, 1, t0, List.of(new ImportPlanned.PlannedChunk("c1", T1, 10),
                        new ImportPlanned.PlannedChunk("c2", T1, 10))))
                .apply(new ChunkImported("i1", ID, WORKER, 1, t0, "c1", T1, 42, 10))
                .apply(fatal(Stage.IMPORT, 1, t0));
        Migration importRetried = importFailed.retry();
        assertThat(importRetried.phase()).isEqualTo(new Phase.Importing());
        assertThat(importRetried.epochs()).isEqualTo(Epochs.initial());
        assertThat(importRetried.progress()).isEqualTo(importFailed.progress());
        assertThat(importRetried.progress().chunks().get("c1").imported()).isTrue();
        assertThat(importRetried.error()).isEqualTo(importFailed.error());

        Migration snapshotFailed = in(new Phase.Snapshotting())
                .apply(new SnapshotStarted("s", ID, WORKER, 1, t0, START, List.of(T1)))
                .apply(new TableDumped("d", ID, WORKER, 1, t0, T1, 42, 100, List.of("f")))
                .apply(fatal(Stage.SNAPSHOT, 1, t0));
        Migration snapshotRetried = snapshotFailed.retry();
        assertThat(snapshotRetried.phase()).isEqualTo(new Phase.Snapshotting());
        assertThat(snapshotRetried.epochs()).isEqualTo(new Epochs(2, 1, 1));
        assertThat(snapshotRetried.progress()).as("the old dump is forgotten").isEqualTo(Progress.none());
        // a dump that had completed may have been imported from: its import attempt is over too
        assertThat(snapshotDone(in(new Phase.Importing())).apply(fatal(Stage.SNAPSHOT, 1, t0)).retry().epochs())
                .isEqualTo(new Epochs(2, 2, 1));

        Migration replicationFailed = in(new Phase.Replicating())
                .apply(new ReplicationProgressed("r", ID, WORKER, 1, t0, END, 0, false, 1, 1))
                .apply(fatal(Stage.REPLICATION, 1, t0));
        Migration replicationRetried = replicationFailed.retry();
        assertThat(replicationRetried.phase()).isEqualTo(new Phase.Replicating());
        assertThat(replicationRetried.epochs()).isEqualTo(new Epochs(1, 1, 2));
        assertThat(replicationRetried.progress().replication()).isEqualTo(END);

        // retrying twice: the second finds the phase no longer failed
        assertThatThrownBy(importRetried::retry)
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.error()).isEqualTo(ErrorCode.ILLEGAL_TRANSITION))
                .hasMessageContaining("cannot go from importing to a retry");
    }

    @Test
    void theRetriedErrorStaysUntilItsStageProgressesAndItsRedeliveryDoesNotFailTheRetry() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        WorkFailed failure = fatal(Stage.IMPORT, 1, t0);
        Migration failed = snapshotDone(in(new Phase.Importing()))
                .apply(new ImportPlanned("p", ID, WORKER, 1, t0, List.of(new ImportPlanned.PlannedChunk("c1", T1, 10),
                        new ImportPlanned.PlannedChunk("c2", T1, 10))))
                .apply(failure);
        // while failed, progress does not hide why
        assertThat(failed.apply(new ChunkImported("i1", ID, WORKER, 1, t0.plusSeconds(1), "c1", T1, 1, 1)).error())
                .isNotNull();

        Migration retried = failed.retry();
        assertThat(retried.apply(failure)).as("the same failure delivered again").isEqualTo(retried);
        assertThat(retried.apply(new ChunkImported("i0", ID, WORKER, 1, t0.minusSeconds(1), "c1", T1, 1, 1)).error())
                .as("progress from before the failure").isNotNull();
        Migration progressed = retried.apply(new ChunkImported("i1", ID, WORKER, 1, t0.plusSeconds(1), "c1", T1, 1, 1));
        assertThat(progressed.error()).isNull();
        assertThat(progressed.phase()).isEqualTo(new Phase.Importing());

        Migration failedAgain = retried.apply(fatal(Stage.IMPORT, 1, t0.plusSeconds(2)));
        assertThat(failedAgain.phase()).isEqualTo(new Phase.Failed());
        assertThat(failedAgain.error().at()).isEqualTo(t0.plusSeconds(2));
    }

    @Test
    void eachTablesSnapshotPointIsKeptFromTheCompletedSnapshotThroughRedeliveryAndTheRoundTrip() {
        // Given a snapshot of three tables whose completion gives two of them a point of their own
        TableRef log = TableRef.of("shop", "log");
        BinlogPosition ordersPoint = BinlogPosition.of("mysql-bin.000003", 2100, "0-1-41");
        BinlogPosition logPoint = BinlogPosition.ofFilePosition("mysql-bin.000003", 3300);
        TableDumped ordersDumped = new TableDumped("d", ID, WORKER, 1, Instant.now(), T1, 42, 100, List.of("f"));
        Migration m = in(new Phase.Snapshotting())
                .apply(new SnapshotStarted("s", ID, WORKER, 1, Instant.now(), START, List.of(T1, T2, log)))
                .apply(ordersDumped)
                .apply(new SnapshotCompleted("c", ID, WORKER, 1, Instant.now(), "file:///x", START, END,
                        List.of(T1, T2, log), List.of(new TablePoint(T1, ordersPoint), new TablePoint(log, logPoint))));

        // Then each keeps its own point, in table order, and the third stays without one
        assertThat(m.progress().tablePoints())
                .containsExactly(new TablePoint(log, logPoint), new TablePoint(T1, ordersPoint));
        assertThat(m.progress().tables().get("`shop`.`orders`")).isEqualTo(new TableProgress(T1, true, 42, ordersPoint));
        assertThat(m.progress().tables().get("`shop`.`items`").snapshotPoint()).isNull();

        // and a table's dump reported again after the completion keeps its point
        assertThat(m.apply(ordersDumped)).isEqualTo(m);

        // and the stored record holds the two points, nothing for the table without one, and reads back equal
        String json = new String(MessageCodec.write(m), StandardCharsets.UTF_8);
        assertThat(json).contains("\"snapshotPoint\":{\"file\":\"mysql-bin.000003\",\"pos\":2100,\"gtidSet\":\"0-1-41\"}");
        assertThat(json.split("snapshotPoint", -1)).hasSize(3);
        assertThat(MessageCodec.read(json.getBytes(StandardCharsets.UTF_8), Migration.class)).isEqualTo(m);

        // and a retried snapshot forgets them with the old dump
        assertThat(m.apply(fatal(Stage.SNAPSHOT, 1, Instant.now())).retry().progress().tablePoints()).isEmpty();
    }

    @Test
    void tenThousandTablesWithTheirPointsAndChunksMeasureWhatProgressDocuments() {
        // Given a migration of 10,000 tables, each dumped with a point and planned as one chunk
        int n = 10_000;
        List<TableRef> tables = IntStream.range(0, n)
                .mapToObj(i -> TableRef.of("shop", String.format(Locale.ROOT, "orders_%05d", i))).toList();
        BinlogPosition point = BinlogPosition.ofFilePosition("mysql-bin.000123", 123_456_789);
        BinlogPosition mysqlPoint = point.withGtidSet("3E11FA47-71CA-11E1-9E33-C80AA9429562:1-123456789");
        Migration accepted = migration(Mode.ALL);
        long began = System.nanoTime();
        Migration started = accepted.apply(new SnapshotStarted("s", ID, WORKER, 1, Instant.now(), START, tables));
        Migration withoutPoints = started.apply(
                new SnapshotCompleted("c", ID, WORKER, 1, Instant.now(), "x", START, END, tables));
        Migration withPoints = started.apply(new SnapshotCompleted("c", ID, WORKER, 1, Instant.now(), "x", START, END,
                tables, tables.stream().map(t -> new TablePoint(t, point)).toList()));
        Migration withGtids = started.apply(new SnapshotCompleted("c", ID, WORKER, 1, Instant.now(), "x", START, END,
                tables, tables.stream().map(t -> new TablePoint(t, mysqlPoint)).toList()));
        Migration planned = withPoints.apply(new ImportPlanned("p", ID, WORKER, 1, Instant.now(), tables.stream()
                .map(t -> new ImportPlanned.PlannedChunk(ImportChunk.idFor(ID, 1, t + ".000000000.sql"), t, 1))
                .toList()));
        // Then each event of that size is applied at once (a copy of the maps per table took seconds)
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(2));

        // and the stored record grows by what Progress's documentation says, in bytes per table
        assertThat((stored(withoutPoints) - stored(accepted)) / n).as("a table").isBetween(95L, 105L);
        assertThat((stored(withPoints) - stored(withoutPoints)) / n).as("its point").isBetween(55L, 65L);
        assertThat((stored(withGtids) - stored(withoutPoints)) / n).as("with a MySQL GTID set").isBetween(115L, 125L);
        // and a chunk adds nothing to it: each is a record of its own (its id names the migration and the file)
        // (but its importPlanned flag)
        assertThat(stored(planned)).as("10,000 chunks").isBetween(stored(withPoints) - 8, stored(withPoints) + 8);
        String chunkId = ImportChunk.idFor(ID, 1, tables.getLast() + ".000000000.sql");
        assertThat(MessageCodec.write(new StoredChunk(ID, 1, chunkId, planned.progress().chunks().get(chunkId))))
                .as("a chunk's own record").hasSizeBetween(220, 240);
        assertThat(stored(planned)).as("all of it").isBetween(1_600_000L, 1_680_000L);
        // and a snapshot without points stores no field for them
        assertThat(new String(MessageCodec.write(withoutPoints), StandardCharsets.UTF_8)).doesNotContain("snapshotPoint");
    }

    private static long stored(Migration m) {
        return MessageCodec.write(m).length;
    }

    static Migration snapshotDone(Migration m) {
        return m.apply(new SnapshotStarted("s", ID, WORKER, 1, Instant.now(), START, List.of(T1)))
                .apply(new TableDumped("d", ID, WORKER, 1, Instant.now(), T1, 42, 100, List.of("f")))
                .apply(new SnapshotCompleted("c", ID, WORKER, 1, Instant.now(), "file:///x", START, END, List.of(T1)));
    }

    @Test
    void tablesWhoseNamesDifferOnlyInWhereTheDotIsStayTwoTables() {
        TableRef dotInSchema = TableRef.of("x.y", "z");
        TableRef dotInTable = TableRef.of("x", "y.z");
        Migration m = migration(Mode.ALL).moveTo(new Phase.Replicating()).apply(
                new TableDumped("d1", ID, WORKER, 1, Instant.now(), dotInSchema, 7, 70, List.of("f1")))
                .apply(new TableDumped("d2", ID, WORKER, 1, Instant.now(), dotInTable, 9, 90, List.of("f2")));
        assertThat(m.progress().tables()).hasSize(2);
        assertThat(m.progress().tables().get("`x.y`.`z`").rowsDumped()).isEqualTo(7);
        assertThat(m.progress().tables().get("`x`.`y.z`").rowsDumped()).isEqualTo(9);

        // a record stored under the older schema.table keys reads back under the quoted ones
        java.util.SortedMap<String, TableProgress> old = new java.util.TreeMap<>();
        old.put("shop.orders", new TableProgress(T1, true, 42, null));
        Progress read = new Progress(old, null, null, null, false, false, null, null, null, null, null);
        assertThat(read.tables()).containsOnlyKeys("`shop`.`orders`");
    }
}
