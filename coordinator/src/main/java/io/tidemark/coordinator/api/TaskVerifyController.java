package io.tidemark.coordinator.api;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.MigrationId;
import io.tidemark.coordinator.verify.MigrationVerifier;
import io.tidemark.coordinator.verify.VerifyOptions;
import io.tidemark.coordinator.verify.VerifyReport;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/tasks/{name}/verify}: the verified cut-over of a DM task, one report per
 * {@code mysql-instances[]} entry (each its own migration, verified at its own source's position), with the
 * parameters of {@code /api/v1/migrations/{id}/verify}. Here rather than in the verify package because the DM task
 * store is this package's.
 */
@RestController
class TaskVerifyController {
    private final DmStore store;
    private final MigrationVerifier verifier;

    TaskVerifyController(DmStore store, MigrationVerifier verifier) {
        this.store = store;
        this.verifier = verifier;
    }

    @PostMapping("/api/v1/tasks/{name}/verify")
    List<VerifyReport> verify(@PathVariable String name, @RequestParam Map<String, String> parameters) {
        VerifyOptions options = VerifyOptions.of(parameters);
        DmStore.StoredTask task = store.task(name).filter(t -> !t.stopped())
                .orElseThrow(() -> new TidemarkException(ErrorCode.UNKNOWN_TASK, name));
        List<VerifyReport> reports = new ArrayList<>();
        for (DmStore.TaskInstance i : task.instances()) {
            reports.add(verifier.verify(MigrationId.of(i.migrationId()), options));
        }
        return reports;
    }
}
