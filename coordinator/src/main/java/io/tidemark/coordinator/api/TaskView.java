package io.tidemark.coordinator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.migration.Phase;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A DM task as the API shows it, in DM's words (query-status): its stage, and each source's migration with its unit
 * and its full view (progress, positions, error).
 *
 * @param stage {@code Running} while any migration works, {@code Finished} when all completed, {@code Stopped} when
 *              the task was stopped, else {@code Paused} (paused by the user, or by an error to resume after)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record TaskView(String name, String mode, String stage, List<Instance> instances, List<String> notes,
                Instant createdAt) {
    /**
     * @param unit         {@code Dump}, {@code Load} or {@code Sync}: what DM's unit doing the work would be called;
     *                     null before the first and after the last
     * @param masterBinlog unit Sync, when the task itself is looked at: the source's binlog position now (dmctl's
     *                     {@code masterBinlog}; the migration's {@code positions.replication} is its
     *                     {@code syncerBinlog}); null when not read or the source did not answer
     * @param synced       with masterBinlog: whether replication has applied everything up to it
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Instance(String sourceId, String migrationId, String stage, String unit, MigrationView migration,
                    BinlogPosition masterBinlog, Boolean synced) {
    }

    static TaskView of(DmStore.StoredTask task, List<Migration> migrations, boolean stopped) {
        return of(task, migrations, stopped, m -> Optional.empty());
    }

    /** @param heads the source's binlog position now, read only for the migrations that replicate */
    static TaskView of(DmStore.StoredTask task, List<Migration> migrations, boolean stopped,
                       Function<Migration, Optional<BinlogPosition>> heads) {
        List<Instance> instances = task.instances().stream().map(i -> migrations.stream()
                        .filter(m -> m.id().value().equals(i.migrationId())).findFirst()
                        .map(m -> instance(i, m, heads))
                        .orElse(new Instance(i.sourceId(), i.migrationId(), "Stopped", null, null, null, null)))
                .toList();
        String stage = stopped ? "Stopped"
                : instances.stream().anyMatch(i -> i.stage().equals("Running")) ? "Running"
                : instances.stream().allMatch(i -> i.stage().equals("Finished")) ? "Finished" : "Paused";
        return new TaskView(task.name(), task.mode(), stage, instances, task.notes(), task.createdAt());
    }

    private static Instance instance(DmStore.TaskInstance i, Migration m,
                                     Function<Migration, Optional<BinlogPosition>> heads) {
        BinlogPosition master = m.phase() instanceof Phase.Replicating ? heads.apply(m).orElse(null) : null;
        BinlogPosition syncer = m.progress().replication();
        Boolean synced = master == null ? null : syncer != null && !syncer.isBefore(master);
        return new Instance(i.sourceId(), i.migrationId(), stage(m), unit(m), MigrationView.of(m), master, synced);
    }

    static String stage(Migration m) {
        return switch (m.phase()) {
            case Phase.Completed c -> "Finished";
            case Phase.Stopped s -> "Paused";
            case Phase.Failed f -> "Paused";
            default -> "Running";
        };
    }

    static String unit(Migration m) {
        return switch (m.phase()) {
            case Phase.Snapshotting s -> "Dump";
            case Phase.Importing i -> "Load";
            case Phase.Replicating r -> "Sync";
            default -> null;
        };
    }
}
