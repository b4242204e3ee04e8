package io.tidemark.coordinator.orchestration;

import io.tidemark.common.command.DumpFormat;
import io.tidemark.common.command.ImportOptions;
import io.tidemark.common.command.ImportRequest;
import io.tidemark.common.command.BinlogFilterRule;
import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.command.SafeMode;
import io.tidemark.common.command.SnapshotRequest;
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
import io.tidemark.common.status.SnapshotCompleted;
import io.tidemark.common.status.SnapshotStarted;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.coordinator.CoordinatorProperties;
import io.tidemark.coordinator.migration.ImportSource;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.migration.TargetCount;
import io.tidemark.coordinator.migration.ImportChecksum;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.coordinator.migration.Phase;
import io.tidemark.coordinator.migration.TargetTableSetup;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrchestratorTest {
    private static final MigrationId ID = MigrationId.of("orders-1");
    private static final WorkerId WORKER = new WorkerId("test@host:1");
    private static final TableRef T1 = TableRef.of("shop", "orders");
    private static final BinlogPosition START = BinlogPosition.ofFilePosition("mysql-bin.000003", 1200);
    private static final BinlogPosition END = BinlogPosition.ofFilePosition("mysql-bin.000003", 4800);

    private final Orchestrator orchestrator =
            new Orchestrator(new CoordinatorProperties(3, DataSize.ofMegabytes(8), Duration.ofSeconds(5),
                    DataSize.ofKilobytes(256), true), TopicCatalog.DEFAULT);

    private static Migration migration(Mode mode, BinlogPosition start) {
        DatabaseEndpoint ep = new DatabaseEndpoint("127.0.0.1", 3306, "root", TestDatabases.secretBox().seal("pw"));
        return Migration.accepted(ID, new MigrationSpec("orders", mode, ep, ep, List.of("shop.*"),
                mode.snapshots() ? "file:///tmp/dumps/" : null, start, null), List.of(), Instant.now());
    }

    @Test
    void aSnapshottingMigrationIsDumpedImportedThenReplicated() {
        Decision created = orchestrator.decide(migration(Mode.ALL, null), false);
        assertThat(created.next().phase()).isEqualTo(new Phase.Snapshotting());
        assertThat(created.commands()).singleElement().satisfies(out -> {
            assertThat(out.topic()).isEqualTo(TopicCatalog.DEFAULT.snapshotCommands());
            assertThat(out.key()).isEqualTo("orders-1");
            SnapshotRequest r = (SnapshotRequest) out.command();
            assertThat(r.messageId()).isEqualTo(SnapshotRequest.idFor(ID, 1));
            assertThat(r.location()).isEqualTo("file:///tmp/dumps/orders-1");
            assertThat(r.threads()).isEqualTo(3);
            assertThat(r.fileSizeBytes()).isEqualTo(8L << 20);
            assertThat(r.filter()).containsExactly("shop.*");
        });
        assertThat(orchestrator.decide(created.next(), false).commands()).isEmpty();

        BinlogPosition ordersPoint = BinlogPosition.ofFilePosition("mysql-bin.000003", 2400);
        Migration dumped = created.next()
                .apply(new SnapshotStarted("s", ID, WORKER, 1, Instant.now(), START, List.of(T1)))
                .apply(new SnapshotCompleted("c", ID, WORKER, 1, Instant.now(), "file:///x", START, END, List.of(T1),
                        List.of(new TablePoint(T1, ordersPoint))));
        Decision importing = orchestrator.decide(dumped, false);
        assertThat(importing.next().phase()).isEqualTo(new Phase.Importing());
        assertThat(importing.commands()).singleElement().satisfies(out -> {
            ImportRequest r = (ImportRequest) out.command();
            assertThat(out.topic()).isEqualTo(TopicCatalog.DEFAULT.importCommands());
            assertThat(r.tables()).containsExactly(T1);
            assertThat(r.location()).isEqualTo("file:///tmp/dumps/orders-1");
        });

        Migration planned = importing.next().apply(new ImportPlanned("p", ID, WORKER, 1, Instant.now(),
                List.of(new ImportPlanned.PlannedChunk("c1", T1, 1), new ImportPlanned.PlannedChunk("c2", T1, 1))));
        Migration halfway = planned.apply(new ChunkImported("i1", ID, WORKER, 1, Instant.now(), "c1", T1, 1, 1));
        assertThat(orchestrator.decide(halfway, false).next().phase()).isEqualTo(new Phase.Importing());

        Migration allIn = halfway.apply(new ChunkImported("i2", ID, WORKER, 1, Instant.now(), "c2", T1, 1, 1));
        Decision counting = orchestrator.decide(allIn, false);
        // the import is verified on the target before replication writes anything there
        assertThat(counting.next().phase()).isEqualTo(new Phase.Importing());
        assertThat(counting.next().awaitsCount()).isTrue();
        assertThat(counting.commands()).isEmpty();

        Decision replicating = orchestrator.decide(counting.next().counted(Map.of(T1, TargetCount.rowsOnly(2)),
                "target", Instant.now()), false);
        assertThat(replicating.next().phase()).isEqualTo(new Phase.Replicating());
        assertThat(replicating.commands()).singleElement().satisfies(out -> {
            ReplicationTask t = (ReplicationTask) out.command();
            assertThat(out.topic()).isEqualTo(TopicCatalog.DEFAULT.replicationTasks());
            assertThat(out.key()).isEqualTo(ReplicationTask.idFor(ID));
            assertThat(t.desired()).isEqualTo(ReplicationTask.Desired.RUNNING);
            assertThat(t.start()).isEqualTo(START);
            assertThat(t.safeModeExit()).isEqualTo(END);
            assertThat(t.tablePoints()).containsExactly(new TablePoint(T1, ordersPoint));
        });
    }

    @Test
    void theReplicationTaskResumesByGtidWhenTheSpecSaysEnableGtid() {
        DatabaseEndpoint ep = new DatabaseEndpoint("127.0.0.1", 3306, "root", TestDatabases.secretBox().seal("pw"));
        BinlogPosition start = BinlogPosition.of("mysql-bin.000003", 1200, "0-1-42");
        MigrationSpec gtid = new MigrationSpec("orders", Mode.INCREMENTAL, ep, ep, List.of("shop.*"), null, start,
                null, null, null, null, null, null, null, true);

        ReplicationTask t = task(orchestrator.decide(Migration.accepted(ID, gtid, List.of(), Instant.now()), false));

        assertThat(t.enableGtid()).isTrue();
        assertThat(t.start()).isEqualTo(start);
        assertThat(task(orchestrator.decide(migration(Mode.INCREMENTAL, START), false)).enableGtid()).isFalse();
    }

    @Test
    void theReplicationTaskReadsTheRelayTheSpecNames() {
        Migration relayed = migration(Mode.INCREMENTAL, START);
        relayed = Migration.accepted(ID, relayed.spec().withRelay("mysql-01"), List.of(), Instant.now());

        assertThat(task(orchestrator.decide(relayed, false)).relaySourceId()).isEqualTo("mysql-01");
        assertThat(task(orchestrator.decide(migration(Mode.INCREMENTAL, START), false)).relaySourceId()).isNull();
    }

    @Test
    void theReplicationTaskCarriesTheSpecsWorkerCountOrLeavesItToTheService() {
        DatabaseEndpoint ep = new DatabaseEndpoint("127.0.0.1", 3306, "root", TestDatabases.secretBox().seal("pw"));
        MigrationSpec eight = new MigrationSpec("orders", Mode.INCREMENTAL, ep, ep, List.of("shop.*"), null, START,
                null, null, null, null, null, null, null, null, false, null, 8);

        assertThat(task(orchestrator.decide(Migration.accepted(ID, eight, List.of(), Instant.now()), false))
                .workerCount()).isEqualTo(8);
        assertThat(task(orchestrator.decide(migration(Mode.INCREMENTAL, START), false)).workerCount()).isNull();
    }

    private static ReplicationTask task(Decision d) {
        return d.commands().stream().map(Outgoing::command).filter(ReplicationTask.class::isInstance)
                .map(ReplicationTask.class::cast).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void theReplicationTaskCarriesTheSnapshotsTablePointsWhateverItsDesiredStateOrEpoch() {
        // Given a migration of mode all whose snapshot gave two of its three tables a point of their own
        TableRef items = TableRef.of("shop", "items");
        TableRef log = TableRef.of("shop", "log");
        List<TablePoint> points = List.of(new TablePoint(items, BinlogPosition.of("mysql-bin.000003", 1500, "0-1-9")),
                new TablePoint(log, BinlogPosition.ofFilePosition("mysql-bin.000003", 3900)));
        Migration snapshotting = orchestrator.decide(migration(Mode.ALL, null), false).next();
        Migration importing = orchestrator.decide(snapshotting
                .apply(new SnapshotCompleted("c", ID, WORKER, 1, Instant.now(), "file:///x", START, END,
                        List.of(T1, items, log), points)), false).next();
        Decision replicating = orchestrator.decide(importing.apply(new ImportPlanned("p", ID, WORKER, 1,
                Instant.now(), List.of())).counted(Map.of(T1, TargetCount.rowsOnly(0), items, TargetCount.rowsOnly(0),
                log, TargetCount.rowsOnly(0)), "target", Instant.now()), false);

        // Then the task that starts replication carries them, and so does every later form of it: stopped at
        // cut-over, published again at start-up, and retried under a new epoch after a failure
        assertThat(task(replicating).tablePoints()).isEqualTo(points);
        Migration running = replicating.next();
        assertThat(task(Decision.of(running, orchestrator.replicationTask(running.stop(),
                ReplicationTask.Desired.STOPPED))).tablePoints()).isEqualTo(points);
        assertThat(task(orchestrator.decide(running.stop(), true)).tablePoints()).isEqualTo(points);
        ReplicationTask retried = task(orchestrator.retry(running.apply(fatal(Stage.REPLICATION, 1))));
        assertThat(retried.epoch()).isEqualTo(2);
        assertThat(retried.tablePoints()).isEqualTo(points);
    }

    @Test
    void aTaskGrowsByAboutOneHundredBytesPerTablePoint() {
        // what a task of many tables weighs on the replication topic: 10,000 points are past Kafka's default 1 MiB
        List<TablePoint> points = IntStream.range(0, 10_000).mapToObj(i -> new TablePoint(
                TableRef.of("shop", String.format(Locale.ROOT, "orders_%05d", i)),
                BinlogPosition.ofFilePosition("mysql-bin.000123", 123_456_789))).toList();
        Migration replicating = migration(Mode.ALL, null).moveTo(new Phase.Replicating());
        Migration withPoints = replicating.apply(new SnapshotCompleted("c", ID, WORKER, 1, Instant.now(), "x", START,
                END, points.stream().map(TablePoint::table).toList(), points));
        long without = MessageCodec.write(task(Decision.of(replicating, orchestrator.replicationTask(replicating,
                ReplicationTask.Desired.RUNNING)))).length;
        long with = MessageCodec.write(task(Decision.of(withPoints, orchestrator.replicationTask(withPoints,
                ReplicationTask.Desired.RUNNING)))).length;

        assertThat((with - without) / points.size()).isBetween(100L, 110L);
        assertThat(with).isGreaterThan(1024 * 1024);
    }

    @Test
    void aFullMigrationCompletesWhenItsImportDoesEvenWithAnEmptyPlan() {
        Migration m = orchestrator.decide(migration(Mode.FULL, null), false).next()
                .apply(new SnapshotCompleted("c", ID, WORKER, 1, Instant.now(), "file:///x", START, END, List.of()));
        Migration importing = orchestrator.decide(m, false).next()
                .apply(new ImportPlanned("p", ID, WORKER, 1, Instant.now(), List.of()));
        Decision done = orchestrator.decide(importing, false);
        assertThat(done.next().phase()).isEqualTo(new Phase.Completed());
        assertThat(done.commands()).isEmpty();
    }

    @Test
    void anIncrementalMigrationReplicatesAtOnceFromTheGivenStartWithoutSafeMode() {
        BinlogPosition given = BinlogPosition.of("mysql-bin.000007", 4, "0-1-100");
        Decision d = orchestrator.decide(migration(Mode.INCREMENTAL, given), false);
        assertThat(d.next().phase()).isEqualTo(new Phase.Replicating());
        ReplicationTask t = (ReplicationTask) d.commands().getFirst().command();
        assertThat(t.start()).isEqualTo(given);
        assertThat(t.safeModeExit()).isNull();
        assertThat(t.tablePoints()).as("no snapshot, no points").isEmpty();
        assertThat(t.serverId()).isEqualTo(Orchestrator.serverId(ID));
        assertThat(t.safeMode()).as("DM's default: safe mode for 60s after every start").isEqualTo(SafeMode.DM_DEFAULT);
    }

    @Test
    void theSpecsSafeModeSettingsAndBinlogFiltersTravelWithTheTask() {
        DatabaseEndpoint ep = new DatabaseEndpoint("127.0.0.1", 3306, "root", TestDatabases.secretBox().seal("pw"));
        SafeMode always = new SafeMode(true, 5_000);
        List<BinlogFilterRule> rules = List.of(new BinlogFilterRule("shop", "orders", List.of("delete"), null,
                BinlogFilterRule.Action.IGNORE), new BinlogFilterRule("shop*", null, List.of(),
                List.of("^DROP\\s+TABLE"), BinlogFilterRule.Action.ERROR));
        Migration m = Migration.accepted(ID, new MigrationSpec("orders", Mode.INCREMENTAL, ep, ep, List.of("shop.*"),
                null, null, null, null, null, always, rules), List.of(), Instant.now());
        ReplicationTask t = (ReplicationTask) orchestrator.decide(m, false).commands().getFirst().command();
        assertThat(t.safeMode()).isEqualTo(always);
        assertThat(t.binlogFilters()).isEqualTo(rules);
        ReplicationTask read = MessageCodec.read(MessageCodec.write(t), ReplicationTask.class);
        assertThat(read.safeMode()).isEqualTo(always);
        assertThat(read.binlogFilters()).isEqualTo(rules);
    }

    @Test
    void resumingPublishesTheCurrentPhasesCommandAgainUnderTheSameId() {
        Migration snapshotting = orchestrator.decide(migration(Mode.ALL, null), false).next();
        Decision resumed = orchestrator.decide(snapshotting, true);
        assertThat(resumed.next()).isEqualTo(snapshotting);
        assertThat(resumed.commands()).singleElement()
                .satisfies(out -> assertThat(out.command().messageId()).isEqualTo(SnapshotRequest.idFor(ID, 1)));
        assertThat(orchestrator.decide(snapshotting.moveTo(new Phase.Completed()), true).commands()).isEmpty();
        // stopped during its snapshot: the snapshot's stop again, in the snapshot's partition behind its request
        assertThat(orchestrator.decide(snapshotting.moveTo(new Phase.Stopped()), true).commands()).singleElement()
                .satisfies(out -> {
                    SnapshotRequest stop = (SnapshotRequest) out.command();
                    assertThat(stop.messageId()).isEqualTo(SnapshotRequest.stopIdFor(ID, 1));
                    assertThat(stop.stopRequested()).isTrue();
                    assertThat(out.key()).isEqualTo(ID.value());
                });
        // a stopped replication: its task desired stopped again
        Migration replicating = orchestrator.decide(migration(Mode.INCREMENTAL, null), false).next();
        assertThat(orchestrator.decide(replicating.moveTo(new Phase.Stopped()), true).commands()).singleElement()
                .satisfies(out -> assertThat(((ReplicationTask) out.command()).desired())
                        .isEqualTo(ReplicationTask.Desired.STOPPED));
    }

    private static WorkFailed fatal(Stage stage, long epoch) {
        return WorkFailed.of(ID, WORKER, epoch, stage, "subject",
                new TidemarkException(ErrorCode.TARGET_STATEMENT_FAILED, "shop.orders", "Table doesn't exist"));
    }

    private Migration importing() {
        Migration snapshotting = orchestrator.decide(migration(Mode.ALL, null), false).next();
        return orchestrator.decide(snapshotting
                .apply(new SnapshotStarted("s", ID, WORKER, 1, Instant.now(), START, List.of(T1)))
                .apply(new SnapshotCompleted("c", ID, WORKER, 1, Instant.now(), "file:///x", START, END, List.of(T1))),
                false).next();
    }

    @Test
    void aRoutedSnapshotIsImportedUnderItsTargetNamesWhetherRequestedFirstOrAgainAfterItsPlan() {
        DatabaseEndpoint ep = new DatabaseEndpoint("127.0.0.1", 3306, "root", TestDatabases.secretBox().seal("pw"));
        TableRef items = TableRef.of("shop", "items");
        Migration created = Migration.accepted(ID, new MigrationSpec("routed", Mode.FULL, ep, ep, List.of("shop.*"),
                "file:///tmp/dumps/", null, null, null, null, null, List.of(), List.of(
                new io.tidemark.common.command.RouteRule("shop", "orders", "sales", "orders_v2"),
                new io.tidemark.common.command.RouteRule("shop", null, "shop_new", null)), null), List.of(),
                Instant.now());
        Migration dumped = orchestrator.decide(created, false).next()
                .apply(new SnapshotStarted("s", ID, WORKER, 1, Instant.now(), START, List.of(T1, items)))
                .apply(new SnapshotCompleted("c", ID, WORKER, 1, Instant.now(), "file:///x", START, END,
                        List.of(T1, items)));
        Decision importing = orchestrator.decide(dumped, false);
        List<ImportOptions.TableRoute> routes = List.of(
                new ImportOptions.TableRoute(items, TableRef.of("shop_new", "items")),
                new ImportOptions.TableRoute(T1, TableRef.of("sales", "orders_v2")));
        assertThat(importing.commands()).singleElement().satisfies(out -> {
            ImportRequest r = (ImportRequest) out.command();
            assertThat(r.tables()).as("the dump's names").containsExactly(items, T1);
            assertThat(r.options().routes()).containsExactlyElementsOf(routes);
            assertThat(r.options().createSchema()).isTrue();
        });
        // a restart after the plan (which names the targets) requests the same import again, not the targets as dumped
        Migration planned = importing.next().apply(new ImportPlanned("p", ID, WORKER, 1, Instant.now(),
                List.of(new ImportPlanned.PlannedChunk("c1", TableRef.of("sales", "orders_v2"), 1))));
        assertThat(orchestrator.decide(planned, true).commands()).singleElement()
                .satisfies(out -> assertThat(out.command()).isEqualTo(importing.commands().getFirst().command()));
    }

    @Test
    void aRetriedImportPublishesTheSameRequestAgainSoItsChunksResumeFromTheirCheckpoints() {
        Migration failed = importing()
                .apply(new ImportPlanned("p", ID, WORKER, 1, Instant.now(),
                        List.of(new ImportPlanned.PlannedChunk("c1", T1, 1), new ImportPlanned.PlannedChunk("c2", T1, 1))))
                .apply(new ChunkImported("i1", ID, WORKER, 1, Instant.now(), "c1", T1, 1, 1))
                .apply(fatal(Stage.IMPORT, 1));
        assertThat(failed.phase()).isEqualTo(new Phase.Failed());
        assertThat(orchestrator.decide(failed, true).commands()).as("a failed migration waits").isEmpty();

        Decision retried = orchestrator.retry(failed);
        assertThat(retried.next().phase()).isEqualTo(new Phase.Importing());
        assertThat(retried.next().progress().chunks().get("c1").imported()).isTrue();
        assertThat(retried.commands()).singleElement().satisfies(out -> {
            assertThat(out.topic()).isEqualTo(TopicCatalog.DEFAULT.importCommands());
            assertThat(out.key()).isEqualTo("orders-1");
            ImportRequest r = (ImportRequest) out.command();
            assertThat(r.epoch()).isEqualTo(1);
            assertThat(r.messageId()).isEqualTo(ImportRequest.idFor(ID, 1));
            assertThat(r.tables()).containsExactly(T1);
        });
        // the second of two quick retries is refused, so nothing else is published
        assertThatThrownBy(() -> orchestrator.retry(retried.next()))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.error()).isEqualTo(ErrorCode.ILLEGAL_TRANSITION));
    }

    @Test
    void aRetriedImportWhoseChunksAreAllInMovesOnAtOnce() {
        Migration failed = importing()
                .apply(new ImportPlanned("p", ID, WORKER, 1, Instant.now(), List.of(new ImportPlanned.PlannedChunk("c1", T1, 1))))
                .apply(new ChunkImported("i1", ID, WORKER, 1, Instant.now(), "c1", T1, 1, 1));
        // the fatal report raced the last chunk's: the orchestrator had not yet moved on
        Decision retried = orchestrator.retry(failed.apply(fatal(Stage.IMPORT, 1)));
        assertThat(retried.next().phase()).isEqualTo(new Phase.Importing());
        assertThat(retried.next().awaitsCount()).as("verified, not imported again").isTrue();
        assertThat(retried.commands()).isEmpty();
        Decision counted = orchestrator.decide(retried.next().counted(Map.of(T1, TargetCount.rowsOnly(1)), "target",
                Instant.now()), false);
        assertThat(counted.next().phase()).isEqualTo(new Phase.Replicating());
        assertThat(counted.commands()).singleElement()
                .satisfies(out -> assertThat(out.command()).isInstanceOf(ReplicationTask.class));
    }

    @Test
    void aRetriedSnapshotIsANewDumpUnderTheNextEpoch() {
        Migration snapshotting = orchestrator.decide(migration(Mode.ALL, null), false).next();
        Migration failed = snapshotting
                .apply(new SnapshotStarted("s", ID, WORKER, 1, Instant.now(), START, List.of(T1)))
                .apply(fatal(Stage.SNAPSHOT, 1));

        Decision retried = orchestrator.retry(failed);
        assertThat(retried.next().phase()).isEqualTo(new Phase.Snapshotting());
        assertThat(retried.next().progress().snapshotStart()).as("the new dump records its own").isNull();
        assertThat(retried.commands()).singleElement().satisfies(out -> {
            assertThat(out.topic()).isEqualTo(TopicCatalog.DEFAULT.snapshotCommands());
            SnapshotRequest r = (SnapshotRequest) out.command();
            assertThat(r.epoch()).isEqualTo(2);
            assertThat(r.messageId()).isEqualTo(SnapshotRequest.idFor(ID, 2));
            assertThat(r.location()).isEqualTo("file:///tmp/dumps/orders-1");
        });
        // the old dump's completion is stale now; the new one's moves the migration on to its import
        Migration next = retried.next();
        assertThat(next.isStale(new SnapshotCompleted("c1", ID, WORKER, 1, Instant.now(), "file:///x", START, END,
                List.of(T1)))).isTrue();
        Decision imported = orchestrator.decide(next.apply(new SnapshotCompleted("c2", ID, WORKER, 2, Instant.now(),
                "file:///x", END, END, List.of(T1))), false);
        assertThat(imported.next().phase()).isEqualTo(new Phase.Importing());
        assertThat(imported.next().progress().snapshotStart()).isEqualTo(END);
        assertThat(((ImportRequest) imported.commands().getFirst().command()).epoch()).isEqualTo(1);
    }

    @Test
    void aRetriedReplicationRepublishesTheTaskRunningUnderTheNextEpoch() {
        Migration failed = orchestrator.decide(migration(Mode.INCREMENTAL, null), false).next()
                .apply(fatal(Stage.REPLICATION, 1));
        Decision retried = orchestrator.retry(failed);
        assertThat(retried.next().phase()).isEqualTo(new Phase.Replicating());
        assertThat(retried.commands()).singleElement().satisfies(out -> {
            assertThat(out.topic()).isEqualTo(TopicCatalog.DEFAULT.replicationTasks());
            assertThat(out.key()).isEqualTo(ReplicationTask.idFor(ID));
            ReplicationTask t = (ReplicationTask) out.command();
            assertThat(t.messageId()).isEqualTo(ReplicationTask.idFor(ID));
            assertThat(t.epoch()).isEqualTo(2);
            assertThat(t.desired()).isEqualTo(ReplicationTask.Desired.RUNNING);
        });
    }

    @Test
    void retryIsRefusedOutsideFailed() {
        Migration snapshotting = orchestrator.decide(migration(Mode.ALL, null), false).next();
        for (Phase phase : List.of(new Phase.Pending(), new Phase.Snapshotting(), new Phase.Importing(),
                new Phase.Replicating(), new Phase.Completed(), new Phase.Stopped())) {
            assertThatThrownBy(() -> orchestrator.retry(snapshotting.moveTo(phase)))
                    .isInstanceOfSatisfying(TidemarkException.class,
                            e -> assertThat(e.error()).isEqualTo(ErrorCode.ILLEGAL_TRANSITION));
        }
    }

    @Test
    void eachMigrationDumpsIntoItsOwnDirectoryWhoseIdJoinsThePathBeforeTheS3Parameters() {
        DatabaseEndpoint ep = new DatabaseEndpoint("127.0.0.1", 3306, "root", TestDatabases.secretBox().seal("pw"));
        for (String[] storageAndDump : new String[][] {
                {"file:///tmp/dumps", "file:///tmp/dumps/orders-1"},
                {"file:///tmp/dumps//", "file:///tmp/dumps/orders-1"},
                {"s3://bucket", "s3://bucket/orders-1"},
                {"s3://bucket/dumps/", "s3://bucket/dumps/orders-1"},
                {"s3://bucket/dumps?endpoint=http://127.0.0.1:9000&region=us-east-1&force-path-style=true",
                        "s3://bucket/dumps/orders-1?endpoint=http://127.0.0.1:9000&region=us-east-1"
                                + "&force-path-style=true"},
                {"s3://bucket/dumps/?region=us-east-1", "s3://bucket/dumps/orders-1?region=us-east-1"}}) {
            Migration m = Migration.accepted(ID, new MigrationSpec("orders", Mode.FULL, ep, ep, List.of("shop.*"),
                    storageAndDump[0], null, null), List.of(), Instant.now());
            SnapshotRequest r = (SnapshotRequest) orchestrator.decide(m, false).commands().getFirst().command();
            assertThat(r.location()).as(storageAndDump[0]).isEqualTo(storageAndDump[1]);
        }
    }

    @Test
    void anImportIsRequestedAtOnceWithWhatTheUserSaidAndCompletesOnlyOnceItsTablesCountRight() {
        // Given an import of two tables, one routed to another name, the other without a CREATE TABLE file
        TableRef items = TableRef.of("shop", "items");
        TableRef routed = TableRef.of("shop", "orders_all");
        DatabaseEndpoint ep = new DatabaseEndpoint("127.0.0.1", 4000, "root", TestDatabases.secretBox().seal("pw"));
        ImportSource source = new ImportSource("s3://b/schema?region=r", ImportOptions.OnDuplicate.IGNORE,
                List.of(new ImportOptions.TableRoute(T1, routed)), List.of(T1, items), List.of(items));
        Migration accepted = Migration.accepted(ID, new MigrationSpec("orders", Mode.IMPORT, null, ep,
                List.of("shop.*"), "s3://b/export?region=r", null, TargetTableSetup.PRE_CREATED, null, source),
                List.of(), Instant.now());

        // Then the import is requested at once, of the files where they are, with every option
        Decision importing = orchestrator.decide(accepted, false);
        assertThat(importing.next().phase()).isEqualTo(new Phase.Importing());
        assertThat(importing.commands()).singleElement().satisfies(out -> {
            ImportRequest r = (ImportRequest) out.command();
            assertThat(out.topic()).isEqualTo(TopicCatalog.DEFAULT.importCommands());
            assertThat(r.messageId()).isEqualTo(ImportRequest.idFor(ID, 1));
            assertThat(r.location()).isEqualTo("s3://b/export?region=r");
            assertThat(r.tables()).containsExactly(items, T1);
            assertThat(r.options()).isEqualTo(new ImportOptions("s3://b/schema?region=r", false,
                    ImportOptions.OnDuplicate.IGNORE, List.of(new ImportOptions.TableRoute(T1, routed))));
        });
        assertThat(importing.next().progress().tables().values()).extracting(t -> t.table())
                .containsExactly(items, routed);

        // When every chunk is in, it waits for its count
        Migration allIn = importing.next()
                .apply(new ImportPlanned("p", ID, WORKER, 1, Instant.now(), List.of(
                        new ImportPlanned.PlannedChunk("c1", routed, 1), new ImportPlanned.PlannedChunk("c2", items, 1))))
                .apply(new ChunkImported("i1", ID, WORKER, 1, Instant.now(), "c1", routed, 5, 1))
                .apply(new ChunkImported("i2", ID, WORKER, 1, Instant.now(), "c2", items, 3, 1, 0x77L));
        Decision waiting = orchestrator.decide(allIn, false);
        assertThat(waiting.commands()).isEmpty();
        assertThat(waiting.next().phase()).isEqualTo(new Phase.Importing());
        assertThat(waiting.next().awaitsCount()).isTrue();

        // Then a count that differs fails it, naming the table and both numbers
        Migration mismatch = allIn.counted(Map.of(routed, TargetCount.rowsOnly(5), items, new TargetCount(4, 0x77L)),
                "root@127.0.0.1:4000", Instant.now());
        assertThat(mismatch.phase()).isEqualTo(new Phase.Failed());
        assertThat(mismatch.error().code()).isEqualTo("TM-30015");
        assertThat(mismatch.error().stage()).isEqualTo(Stage.IMPORT);
        assertThat(mismatch.error().message()).isEqualTo("target root@127.0.0.1:4000 does not hold the rows the"
                + " imported files did: shop.items: 3 rows in the files, 4 in the target");

        // and its retry counts again, without importing anything again
        Decision retried = orchestrator.retry(mismatch);
        assertThat(retried.commands()).isEmpty();
        assertThat(retried.next().awaitsCount()).isTrue();

        // and the same count with other values fails it too, naming the table, both checksums and its chunks
        Migration otherValues = retried.next().counted(Map.of(routed, TargetCount.rowsOnly(5),
                items, new TargetCount(3, 0x78L)), "t", Instant.now());
        assertThat(otherValues.phase()).isEqualTo(new Phase.Failed());
        assertThat(otherValues.error().message()).isEqualTo("target t does not hold the rows the imported files did:"
                + " shop.items: 3 rows in the files and in the target, but their values differ (value checksum of the"
                + " files 77, of the target 78; chunks c2)");

        // and a count and checksum that match complete it; the table without a checksum of its files is counted only
        Migration counted = orchestrator.retry(otherValues).next().counted(Map.of(routed, TargetCount.rowsOnly(5),
                items, new TargetCount(3, 0x77L)), "t", Instant.now());
        assertThat(orchestrator.decide(counted, false).next().phase()).isEqualTo(new Phase.Completed());
        assertThat(counted.progress().valueSumInFiles(routed)).isNull();
        assertThat(counted.progress().valueSumInFiles(items)).isEqualTo(0x77L);
    }

    @Test
    void checksumOptionalWarnsOfATableThatDiffersAndGoesOnAndOffCountsNothing() {
        DatabaseEndpoint ep = new DatabaseEndpoint("127.0.0.1", 3306, "root", TestDatabases.secretBox().seal("pw"));
        Function<ImportChecksum, Migration> allIn = level -> {
            Migration accepted = Migration.accepted(ID, new MigrationSpec("orders", Mode.FULL, ep, ep,
                    List.of("shop.*"), "file:///tmp/dumps", null, null, null, null, null, List.of(), List.of(), null,
                    level), List.of(), Instant.now());
            Migration importing = orchestrator.decide(orchestrator.decide(accepted, false).next().apply(
                    new SnapshotCompleted("c", ID, WORKER, 1, Instant.now(), "file:///x", START, END, List.of(T1))),
                    false).next();
            return importing.apply(new ImportPlanned("p", ID, WORKER, 1, Instant.now(),
                            List.of(new ImportPlanned.PlannedChunk("c1", T1, 1))))
                    .apply(new ChunkImported("i1", ID, WORKER, 1, Instant.now(), "c1", T1, 3, 1, 0x77L));
        };

        // optional: a table whose values differ is a warning naming it, and the migration completes
        Migration optional = allIn.apply(ImportChecksum.OPTIONAL);
        assertThat(optional.awaitsCount()).isTrue();
        Migration warned = optional.counted(Map.of(T1, new TargetCount(3, 0x78L)), "t", Instant.now());
        assertThat(warned.error()).isNull();
        assertThat(warned.warnings()).singleElement().satisfies(w -> {
            assertThat(w.name()).isEqualTo("import checksum");
            assertThat(w.message()).startsWith("TM-30015 target t does not hold the rows the imported files did: "
                    + T1 + ": 3 rows in the files and in the target, but their values differ");
        });
        assertThat(orchestrator.decide(warned, false).next().phase()).isEqualTo(new Phase.Completed());

        // off: nothing is counted, the import completes once its chunks are in
        Migration off = allIn.apply(ImportChecksum.OFF);
        assertThat(off.awaitsCount()).isFalse();
        assertThat(orchestrator.decide(off, false).next().phase()).isEqualTo(new Phase.Completed());
    }

    @Test
    void theSnapshotIsAskedForInTheSpecsFormat() {
        DatabaseEndpoint ep = new DatabaseEndpoint("127.0.0.1", 3306, "root", TestDatabases.secretBox().seal("pw"));
        MigrationSpec parquet = new MigrationSpec("orders", Mode.FULL, ep, ep, List.of("shop.*"), "file:///tmp/dumps",
                null, null, DumpFormat.PARQUET, null);

        SnapshotRequest r = (SnapshotRequest) orchestrator.decide(Migration.accepted(ID, parquet, List.of(),
                Instant.now()), false).commands().getFirst().command();

        assertThat(r.format()).isEqualTo(DumpFormat.PARQUET);
        assertThat(((SnapshotRequest) orchestrator.decide(migration(Mode.ALL, null), false).commands().getFirst()
                .command()).format()).isEqualTo(DumpFormat.SQL);
    }

    @Test
    void serverIdsAreStableAndClearOfTheSmallIdsReplicasUse() {
        assertThat(Orchestrator.serverId(ID)).isEqualTo(Orchestrator.serverId(MigrationId.of("orders-1")));
        IntStream.range(0, 1000).mapToObj(i -> MigrationId.fromName("m" + i)).forEach(id ->
                assertThat(Orchestrator.serverId(id)).isBetween(1_000_000L, 0xFFFFFFFFL));
    }
}
