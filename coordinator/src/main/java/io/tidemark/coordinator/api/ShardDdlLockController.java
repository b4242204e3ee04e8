package io.tidemark.coordinator.api;

import io.tidemark.coordinator.orchestration.Coordinator;
import io.tidemark.coordinator.shard.ShardDdlLock;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * dmctl's {@code shard-ddl-lock [TASK]} and {@code shard-ddl-lock unlock LOCK-ID} (shard-mode pessimistic): the shard
 * DDL locks, one per DM task and merged table that a shard's DDL waits at, and the user's resolution of a stuck one.
 */
@RestController
@RequestMapping("/api/v1/shard-ddl-locks")
class ShardDdlLockController {
    private final Coordinator coordinator;

    ShardDdlLockController(Coordinator coordinator) {
        this.coordinator = coordinator;
    }

    /** the locks, of one task with {@code ?task=NAME} */
    @GetMapping
    List<View> list(@RequestParam(required = false) String task) {
        return coordinator.shardDdlLocks(task).stream().map(View::of).toList();
    }

    /** the lock's waiting shards go on past their DDL, the first one's run on the merged table; 404 for no such lock */
    @PostMapping("/{id}/unlock")
    View unlock(@PathVariable String id) {
        return View.of(coordinator.unlock(id));
    }

    /**
     * A lock as users see it.
     *
     * @param state      waiting (for {@code waitingFor}), blocked (the DDLs differ: {@code error}), complete (being
     *                   resolved) or resolved (its shards go on past the DDL)
     * @param waitingFor the shards known from the snapshot not at the DDL yet, {@code migration:schema.table}
     */
    record View(String id, String task, String target, String state, String statement, List<Shard> shards,
                List<String> waitingFor, ApiError error) {
        static View of(ShardDdlLock l) {
            return new View(l.id(), l.task(), l.target().toString(), l.state(),
                    l.reached().getFirst().statement(), l.reached().stream().map(s -> new Shard(
                    s.migration().value(), s.table().toString(), s.position().file() + ":" + s.position().pos(),
                    s.statement(), s.go())).toList(), l.shardsKnown() ? l.waitingFor() : null,
                    l.error() == null ? null : ApiError.of(l.error()));
        }
    }

    /** one shard at its DDL; {@code go}: the coordinator told it to go on */
    record Shard(String migration, String table, String position, String statement, boolean go) {
    }
}
