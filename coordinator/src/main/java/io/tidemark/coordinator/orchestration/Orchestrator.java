package io.tidemark.coordinator.orchestration;

import io.tidemark.common.command.ImportOptions;
import io.tidemark.common.command.ImportRequest;
import io.tidemark.common.command.BinlogOperation;
import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.table.TableRouter;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.coordinator.CoordinatorProperties;
import io.tidemark.coordinator.migration.ImportSource;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.migration.Phase;
import io.tidemark.coordinator.migration.TableProgress;
import io.tidemark.coordinator.migration.TargetTableSetup;

import java.util.ArrayList;
import java.time.Instant;
import java.util.List;

/**
 * Derives the next step of a migration from its persisted state alone, so the same rule drives a fresh migration,
 * a status event and a restart. Pure: it publishes nothing itself. Every command id is deterministic, so publishing
 * one again (after a crash between publish and save, or on resume) is recognised by the worker.
 */
final class Orchestrator {
    private final int threads;
    private final long fileSizeBytes;
    private final TopicCatalog topics;

    Orchestrator(CoordinatorProperties properties, TopicCatalog topics) {
        this.threads = properties.threads();
        this.fileSizeBytes = properties.fileSize().toBytes();
        this.topics = topics;
    }

    /**
     * @param resuming true at start-up: the command of the current phase is published again when its completion has
     *                 not been seen, since it may never have reached Kafka before the last stop
     */
    Decision decide(Migration m, boolean resuming) {
        List<Outgoing> commands = new ArrayList<>();
        Migration current = m;
        boolean republish = resuming;
        // a transition can make the next one due at once (an empty import plan), so step until the phase holds
        while (true) {
            Decision step = step(current, republish);
            commands.addAll(step.commands());
            if (step.next().phase().equals(current.phase())) {
                return new Decision(step.next(), commands);
            }
            current = step.next();
            republish = false;
        }
    }

    /**
     * The user's retry of a failed migration: back to the phase of the stage that failed ({@link Migration#retry}
     * chooses the epochs), whose command is then published as on a restart: a new snapshot request, the same import
     * request again, or the replication task with its new epoch.
     */
    Decision retry(Migration failed) {
        return decide(failed.retry(), true);
    }

    /** the retry of a replication stopped on a statement the target rejected, carrying binlog skip|replace */
    Decision retry(Migration failed, BinlogOperation operation, Instant at) {
        return decide(failed.retry(operation, at), true);
    }

    private Decision step(Migration m, boolean resuming) {
        return switch (m.phase()) {
            // the coordinator runs its prechecks itself (Coordinator#submit); the workers get nothing until they pass
            case Phase.Checking c -> Decision.stay(m);
            case Phase.Pending p -> {
                if (m.spec().mode().snapshots()) {
                    yield Decision.of(m.moveTo(p.startSnapshot()), snapshotRequest(m));
                }
                yield m.spec().mode().imports()
                        ? Decision.of(m.moveTo(p.startImport()), importRequest(m))
                        : Decision.of(m.moveTo(p.startReplication()),
                        replicationTask(m, ReplicationTask.Desired.RUNNING));
            }
            case Phase.Snapshotting s -> {
                if (m.progress().snapshotCompleted()) {
                    yield Decision.of(m.moveTo(s.startImport()), importRequest(m));
                }
                yield resuming ? Decision.of(m, snapshotRequest(m)) : Decision.stay(m);
            }
            case Phase.Importing i -> {
                if (!m.progress().importCompleted()) {
                    yield resuming ? Decision.of(m, importRequest(m)) : Decision.stay(m);
                }
                if (m.spec().checksum().counts() && !m.progress().counted()) {
                    // the coordinator counts the tables on the target (Migration#awaitsCount), then decides again;
                    // in mode all before replication starts, so the target holds exactly the imported rows
                    yield Decision.stay(m);
                }
                yield m.spec().mode().replicates()
                        ? Decision.of(m.moveTo(i.startReplication()), replicationTask(m, ReplicationTask.Desired.RUNNING))
                        : Decision.stay(m.moveTo(i.complete()));
            }
            // desired state on a compacted topic: writing the same record again is harmless
            case Phase.Replicating r ->
                    resuming ? Decision.of(m, replicationTask(m, ReplicationTask.Desired.RUNNING)) : Decision.stay(m);
            // the stop again: it may never have reached Kafka before the last stop of the coordinator
            case Phase.Stopped s -> !resuming ? Decision.stay(m) : m.stoppedInSnapshot()
                    ? Decision.of(m, snapshotStop(m))
                    : Decision.of(m, replicationTask(m, ReplicationTask.Desired.STOPPED));
            case Phase.Completed c -> Decision.stay(m);
            case Phase.Failed f -> Decision.stay(m);
        };
    }

    /** the user's stop of the snapshot under way: its request, desired stopped, in the same partition behind it */
    Outgoing snapshotStop(Migration m) {
        Outgoing request = snapshotRequest(m);
        return new Outgoing(request.topic(), request.key(), ((SnapshotRequest) request.command()).stopped());
    }

    Outgoing snapshotRequest(Migration m) {
        long epoch = m.epochs().of(Stage.SNAPSHOT);
        return new Outgoing(topics.snapshotCommands(), m.id().value(), new SnapshotRequest(
                SnapshotRequest.idFor(m.id(), epoch), m.id(), epoch, m.spec().source(), m.spec().filter(),
                dumpLocation(m), threads, fileSizeBytes, m.spec().format(), m.spec().auroraExport(),
                ReplicationTask.Desired.RUNNING, m.spec().auroraRestore(), existingSnapshotsStart(m)));
    }

    /** engine aurora-export of an existing snapshotArn: the position the user said it holds (only mode all has one) */
    private static BinlogPosition existingSnapshotsStart(Migration m) {
        var export = m.spec().auroraExport();
        return export != null && !export.takesSnapshot() ? m.spec().start() : null;
    }

    /**
     * The import of the migration's own dump, or for mode import of the files at its storage: the tables found there
     * when it was accepted (named as in the files), with what the user said of them — where the schema files are,
     * whether to create the tables, what a duplicate key does, where each routed table goes.
     */
    Outgoing importRequest(Migration m) {
        long epoch = m.epochs().of(Stage.IMPORT);
        String id = ImportRequest.idFor(m.id(), epoch);
        ImportSource source = m.spec().imports();
        ImportRequest request = source == null
                ? new ImportRequest(id, m.id(), epoch, m.spec().target(), dumpLocation(m),
                m.progress().tables().values().stream().map(TableProgress::table).toList(), ownDump(m))
                : new ImportRequest(id, m.id(), epoch, m.spec().target(), m.spec().storage(), source.tables(),
                new ImportOptions(source.schemaStorage(), m.spec().targetTables() != TargetTableSetup.PRE_CREATED,
                        source.onDuplicate(), source.routes(), source.strictFormat(), source.csv()));
        return new Outgoing(topics.importCommands(), m.id().value(), request);
    }

    /**
     * How the migration's own dump is imported: as {@link ImportOptions#defaults()}, with each dumped table the spec's
     * routes rename sent to its target table (paired when the snapshot reported it, {@link TableProgress#target()}).
     */
    private static ImportOptions ownDump(Migration m) {
        TableRouter router = TableRouter.of(m.spec().routes());
        List<ImportOptions.TableRoute> routes = m.progress().tables().values().stream()
                .filter(t -> t.target() != null)
                .map(t -> new ImportOptions.TableRoute(t.table(), t.target(), router.extracted(t.table())))
                .toList();
        ImportOptions defaults = ImportOptions.defaults();
        return routes.isEmpty() ? defaults : new ImportOptions(defaults.schemaLocation(), defaults.createSchema(),
                defaults.onDuplicate(), routes);
    }

    /**
     * The whole desired state of the task: after a snapshot, start where it began, safe mode until where it ended, and
     * each table's own snapshot point, before which that table's events are already in its dump and are skipped.
     * A point adds about 100 bytes to the task: 10,000 of them pass Kafka's default 1 MiB, and the migration then
     * fails with KAFKA_MESSAGE_TOO_LARGE, naming the limit to raise.
     */
    Outgoing replicationTask(Migration m, ReplicationTask.Desired desired) {
        String taskId = ReplicationTask.idFor(m.id());
        boolean fromSnapshot = m.spec().mode().snapshots();
        return new Outgoing(topics.replicationTasks(), taskId, new ReplicationTask(
                taskId, m.id(), m.epochs().of(Stage.REPLICATION), desired, m.spec().source(), m.spec().target(),
                m.spec().filter(),
                fromSnapshot ? m.progress().snapshotStart() : m.spec().start(),
                fromSnapshot ? m.progress().snapshotEnd() : null,
                serverId(m.id()),
                fromSnapshot ? m.progress().tablePoints() : List.of(), m.spec().safeMode(), m.spec().binlogFilters(),
                m.spec().routes()).withBinlogOperation(m.binlog().pending()).withEnableGtid(m.spec().enableGtid())
                .withRelay(m.spec().relaySourceId())
                .withShardDdls(m.spec().shardPessimistic(), m.binlog().shardDdls().go())
                .withWorkerCount(m.spec().workerCount()));
    }

    /**
     * {@code {storage}/{migrationId}}: each migration dumps into its own directory. The id joins the path, before any
     * parameters: {@code s3://b/dumps?region=r} becomes {@code s3://b/dumps/{id}?region=r}.
     */
    static String dumpLocation(Migration m) {
        String storage = m.spec().storage();
        int query = storage.indexOf('?');
        String path = query < 0 ? storage : storage.substring(0, query);
        String parameters = query < 0 ? "" : storage.substring(query);
        return path.replaceAll("/+$", "") + "/" + m.id().value() + parameters;
    }

    /**
     * Stable across restarts so the source sees one replica per task, and far from the small ids (1, 2, ...) real
     * replicas are usually given.
     */
    static long serverId(MigrationId id) {
        return 1_000_000L + (id.value().hashCode() & 0x3fffffff);
    }
}
