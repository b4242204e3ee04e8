package io.tidemark.coordinator.api;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.coordinator.orchestration.Coordinator;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** The REST front door (dmctl's start-task, query-status, stop-task, resume-task; retry resumes a failed task). */
@RestController
@RequestMapping("/api/v1/migrations")
class MigrationController {
    private final Coordinator coordinator;
    private final SpecValidator validator;

    MigrationController(Coordinator coordinator, SecretBox secrets) {
        this.coordinator = coordinator;
        this.validator = new SpecValidator(secrets);
    }

    @PostMapping
    ResponseEntity<Map<String, String>> create(@RequestBody(required = false) CreateMigrationRequest request) {
        MigrationSpec spec = validator.validate(request);
        Migration m = coordinator.create(MigrationId.fromName(spec.name()), spec);
        return ResponseEntity.created(URI.create("/api/v1/migrations/" + m.id().value()))
                .body(Map.of("id", m.id().value()));
    }

    @GetMapping
    List<MigrationView> list() {
        return coordinator.list().stream().map(MigrationView::of).toList();
    }

    @GetMapping("/{id}")
    MigrationView get(@PathVariable String id) {
        return MigrationView.of(coordinator.get(parse(id)));
    }

    @PostMapping("/{id}/stop")
    MigrationView stop(@PathVariable String id) {
        return MigrationView.of(coordinator.stop(parse(id)));
    }

    @PostMapping("/{id}/resume")
    MigrationView resume(@PathVariable String id) {
        return MigrationView.of(coordinator.resume(parse(id)));
    }

    /** after a fatal error whose cause the user fixed: the failed stage runs again */
    @PostMapping("/{id}/retry")
    MigrationView retry(@PathVariable String id) {
        return MigrationView.of(coordinator.retry(parse(id)));
    }

    /** an id that cannot exist is simply not found */
    private static MigrationId parse(String id) {
        try {
            return MigrationId.of(id);
        } catch (TidemarkException e) {
            throw new TidemarkException(ErrorCode.UNKNOWN_MIGRATION, id);
        }
    }
}
