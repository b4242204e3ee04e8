package io.tidemark.coordinator.api;

import io.tidemark.common.id.MigrationId;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.migration.Phase;
import io.tidemark.coordinator.orchestration.Coordinator;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * DM tasks (dmctl's {@code start-task}, {@code query-status}, {@code pause-task}, {@code resume-task},
 * {@code stop-task}, {@code check-task}; DM OpenAPI's {@code /api/v1/tasks}): a DM task file becomes one migration per
 * {@code mysql-instances[]} entry, through the same validation and creation as a JSON spec.
 */
@RestController
@RequestMapping("/api/v1/tasks")
class TaskController {
    private final DmStore store;
    private final Coordinator coordinator;
    /** sources and tasks change under one lock: a source cannot go while a task that reads it is being started */
    private final ReentrantLock lock = new ReentrantLock();

    TaskController(DmStore store, Coordinator coordinator) {
        this.store = store;
        this.coordinator = coordinator;
    }

    ReentrantLock lock() {
        return lock;
    }

    /** the tasks reading a source that may still do something: not every migration of theirs completed or stopped */
    List<String> unfinishedTasksOf(String sourceId) {
        return store.tasks().stream()
                .filter(t -> t.instances().stream().anyMatch(i -> i.sourceId().equals(sourceId)))
                .filter(t -> t.instances().stream().anyMatch(i -> migration(i).map(TaskController::unfinished)
                        .orElse(false)))
                .map(DmStore.StoredTask::name)
                .toList();
    }

    private Optional<Migration> migration(DmStore.TaskInstance instance) {
        return coordinator.list().stream().filter(m -> m.id().equals(MigrationId.of(instance.migrationId())))
                .findFirst();
    }

    static boolean unfinished(Migration m) {
        return !(m.phase() instanceof Phase.Completed) && !(m.phase() instanceof Phase.Stopped);
    }
}
