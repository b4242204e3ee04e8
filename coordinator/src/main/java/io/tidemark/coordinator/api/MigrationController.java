package io.tidemark.coordinator.api;

import org.springframework.web.bind.annotation.RequestBody;
import java.util.ArrayList;
import java.util.Set;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.migration.Mode;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.coordinator.CoordinatorProperties;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.coordinator.orchestration.Coordinator;
import io.tidemark.coordinator.precheck.MigrationPrechecks;
import io.tidemark.mysql.precheck.PrecheckReport;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The REST front door (dmctl's check-task, start-task, query-status, stop-task, resume-task; retry resumes a failed
 * task).
 */
@RestController
@RequestMapping("/api/v1/migrations")
class MigrationController {
    private final Coordinator coordinator;
    private final MigrationPrechecks prechecks;
    private final SpecValidator validator;
    private final DataSize maxSpecBytes;

    MigrationController(Coordinator coordinator, MigrationPrechecks prechecks, SecretBox secrets,
                        CoordinatorProperties properties) {
        this.coordinator = coordinator;
        this.prechecks = prechecks;
        this.validator = new SpecValidator(secrets);
        this.maxSpecBytes = properties.maxSpecBytes();
    }

    /**
     * Accepts a migration whose prechecks pass (422 listing every failing item otherwise). The body is read by
     * {@link SpecJson}, the spec's own strict binding, and no further than the size limit. An import's tables are
     * found in its files first ({@link ImportTables}).
     *
     * <p>With {@code Prefer: respond-async} (RFC 7240) the answer does not wait for the prechecks: once the spec is
     * valid and the migration recorded in phase {@code checking}, 202 with its Location and view; its prechecks then
     * run on the coordinator's bounded pool and fail it with their report or let it go on ({@link Coordinator#submit}).
     */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> create(HttpServletRequest request) throws IOException {
        boolean async = Preferences.respondAsync(request.getHeaders(Preferences.PREFER));
        MigrationSpec spec = spec(request);
        if (spec.mode() == Mode.IMPORT) {
            try {
                spec = ImportTables.resolve(spec);
            } catch (TidemarkException unlisted) {
                prechecks.require(spec); // the storage check fails with why, beside every other failing check
                throw unlisted;
            }
        }
        if (async) {
            Migration m = coordinator.submit(MigrationId.fromName(spec.name()), spec);
            return ResponseEntity.accepted().location(URI.create("/api/v1/migrations/" + m.id().value()))
                    .header(Preferences.APPLIED, Preferences.RESPOND_ASYNC).body(MigrationView.of(m));
        }
        Migration m = coordinator.create(MigrationId.fromName(spec.name()), spec);
        return ResponseEntity.created(URI.create("/api/v1/migrations/" + m.id().value()))
                .body(Map.of("id", m.id().value()));
    }

    /** runs a spec's prechecks and creates nothing: every check with its state, whether they pass or not */
    @PostMapping(path = "/check", consumes = MediaType.APPLICATION_JSON_VALUE)
    CheckReport check(HttpServletRequest request) throws IOException {
        MigrationSpec spec = spec(request);
        if (spec.mode() == Mode.IMPORT) {
            try {
                spec = ImportTables.resolve(spec);
            } catch (TidemarkException unlisted) {
                PrecheckReport report = prechecks.check(spec);
                if (report.failures().isEmpty()) {
                    throw unlisted;
                }
                return CheckReport.of(report);
            }
        }
        return CheckReport.of(prechecks.check(spec));
    }

    private MigrationSpec spec(HttpServletRequest request) throws IOException {
        return validator.validate(SpecJson.read(request.getInputStream(), request.getContentLengthLong(),
                maxSpecBytes));
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

    /**
     * DM's {@code binlog skip|replace} for a replication stopped on a DDL the target rejected:
     * {@code {"op": "skip"|"replace", "position": "FILE:POS" (optional), "sql": ["..."] (replace only)}}.
     * Unknown fields are refused, as everywhere.
     */
    @PostMapping(path = "/{id}/binlog", consumes = MediaType.APPLICATION_JSON_VALUE)
    MigrationView binlog(@PathVariable String id, @RequestBody Map<String, Object> body) {
        for (String key : body.keySet()) {
            if (!BINLOG_FIELDS.contains(key)) {
                throw new TidemarkException(ErrorCode.BINLOG_OPERATION_INVALID, key,
                        "is not a field (op, position, sql)");
            }
        }
        Object op = body.get("op");
        Object position = body.get("position");
        Object sql = body.get("sql");
        if (op != null && !(op instanceof String) || position != null && !(position instanceof String)) {
            throw new TidemarkException(ErrorCode.BINLOG_OPERATION_INVALID, op instanceof String ? "position" : "op",
                    "must be a string");
        }
        List<String> statements = new ArrayList<>();
        if (sql instanceof String one) {
            statements.add(one);
        } else if (sql instanceof List<?> many) {
            for (Object each : many) {
                if (!(each instanceof String text)) {
                    throw new TidemarkException(ErrorCode.BINLOG_OPERATION_INVALID, "sql",
                            "must be a list of strings");
                }
                statements.add(text);
            }
        } else if (sql != null) {
            throw new TidemarkException(ErrorCode.BINLOG_OPERATION_INVALID, "sql", "must be a list of strings");
        }
        return MigrationView.of(coordinator.binlog(parse(id), (String) op, (String) position, statements));
    }

    private static final Set<String> BINLOG_FIELDS = Set.of("op", "position", "sql");

    /** an id that cannot exist is simply not found */
    private static MigrationId parse(String id) {
        try {
            return MigrationId.of(id);
        } catch (TidemarkException e) {
            throw new TidemarkException(ErrorCode.UNKNOWN_MIGRATION, id);
        }
    }
}
