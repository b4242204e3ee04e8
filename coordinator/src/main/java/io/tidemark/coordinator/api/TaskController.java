package io.tidemark.coordinator.api;

import io.tidemark.common.command.DesiredRelay;
import io.tidemark.common.command.RouteRule;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.coordinator.CoordinatorProperties;
import io.tidemark.coordinator.config.dm.TaskFile;
import io.tidemark.coordinator.config.dm.TaskFiles;
import io.tidemark.coordinator.config.lightning.Note;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.coordinator.migration.Phase;
import io.tidemark.coordinator.migration.Warning;
import io.tidemark.coordinator.orchestration.Coordinator;
import io.tidemark.coordinator.precheck.MigrationPrechecks;
import io.tidemark.mysql.precheck.PrecheckReport;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * DM tasks (dmctl's {@code start-task}, {@code check-task}, {@code query-status}, {@code pause-task},
 * {@code resume-task}, {@code stop-task}; DM OpenAPI's {@code /api/v1/tasks}): a DM task file becomes one migration per
 * {@code mysql-instances[]} entry, each through the very validation ({@link SpecJson}, {@link SpecValidator}) and
 * creation ({@link Coordinator#create}) a JSON spec posted to {@code /api/v1/migrations} goes through. Pause and resume
 * are the migrations' stop and resume (retry for one paused by an error); stop-task stops them and hides the task,
 * which start-task of the same file resumes from its checkpoints (DM's checkpoint wins over meta).
 */
@RestController
@RequestMapping("/api/v1/tasks")
class TaskController {
    private static final String DEFAULT_FILE_NAME = "task.yaml";
    /** start-task's {@code --remove-meta}: start over from {@code meta}, leaving a stopped task's checkpoints */
    private static final String REMOVE_META = "remove-meta";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DmStore store;
    private final Coordinator coordinator;
    private final MigrationPrechecks prechecks;
    private final SourceHeads heads;
    private final DmRelays relays;
    private final SpecValidator validator;
    private final SecretBox secrets;
    private final DataSize maxBytes;
    private final Clock clock = Clock.systemUTC();
    /** sources and tasks change under one lock: a source cannot go while a task that reads it is being started */
    private final ReentrantLock lock = new ReentrantLock();

    TaskController(DmStore store, Coordinator coordinator, MigrationPrechecks prechecks, SecretBox secrets,
                   CoordinatorProperties properties, SourceHeads heads, DmRelays relays) {
        this.heads = heads;
        this.relays = relays;
        this.store = store;
        this.coordinator = coordinator;
        this.prechecks = prechecks;
        this.validator = new SpecValidator(secrets);
        this.secrets = secrets;
        this.maxBytes = properties.maxSpecBytes();
    }

    ReentrantLock lock() {
        return lock;
    }

    /** a task file's migration, validated as a posted spec is */
    private record Planned(TaskFile.Instance instance, MigrationSpec spec) {
    }

    /**
     * start-task: 201 with the task's view once every source's migration passes its prechecks; 409 when a task of
     * the name has not finished, 400 with every problem of the file, 422 with every failing precheck. The prechecks of
     * all sources run before any migration is created, so a task never starts on some sources only for a cause a
     * precheck finds.
     */
    @PostMapping(consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain",
            "application/json", "application/octet-stream"})
    ResponseEntity<TaskView> start(HttpServletRequest request,
                                   @RequestParam(defaultValue = DEFAULT_FILE_NAME) String name,
                                   @RequestParam(name = REMOVE_META, defaultValue = "false") boolean removeMeta)
            throws IOException {
        return start(DmFiles.text(request, maxBytes, List.of("name", REMOVE_META)), name, removeMeta);
    }

    /** start-task of a file's text, as posted or as {@code config import} brings it */
    ResponseEntity<TaskView> start(String text, String name, boolean removeMeta) {
        TaskFile file = read(text, name);
        String digest = digest(text);
        lock.lock();
        try {
            Optional<DmStore.StoredTask> existing = store.task(file.name());
            List<Migration> stopped = existing.filter(DmStore.StoredTask::stopped)
                    .filter(t -> !removeMeta && digest.equals(t.fileDigest()))
                    .map(this::resumable).orElse(List.of());
            if (!stopped.isEmpty()) { // DM: the checkpoint wins over meta, so the same file continues where it stopped
                stopped.forEach(m -> coordinator.resume(m.id()));
                DmStore.StoredTask t = existing.get();
                store.save(new DmStore.StoredTask(t.name(), t.mode(), t.instances(), t.notes(), t.createdAt(),
                        t.fileDigest(), null, t.file()));
                return ResponseEntity.created(URI.create("/api/v1/tasks/" + file.name())).body(view(file.name()));
            }
            if (existing.isPresent() && !existing.get().stopped()) {
                List<String> running = existing.get().instances().stream().map(this::migration)
                        .flatMap(Optional::stream).filter(TaskController::unfinished)
                        .map(m -> m.id().value() + " is " + m.phase().code()).toList();
                if (!running.isEmpty()) {
                    throw new TidemarkException(ErrorCode.TASK_RUNNING, file.name(), String.join(", ", running));
                }
            }
            List<Planned> planned = plan(file, name);
            List<List<Warning>> warnings = prechecks.requireTask(planned.stream().map(Planned::spec).toList());
            List<DmStore.TaskInstance> created = new ArrayList<>();
            try {
                for (int i = 0; i < planned.size(); i++) {
                    Planned p = planned.get(i);
                    Migration m = coordinator.createChecked(MigrationId.fromName(p.spec().name()), p.spec(),
                            warnings.get(i));
                    created.add(new DmStore.TaskInstance(p.instance().sourceId(), m.id().value()));
                }
            } finally {
                if (!created.isEmpty()) { // what started is kept, so it can be seen and stopped as the task
                    store.save(new DmStore.StoredTask(file.name(), file.mode(), created,
                            file.notes().stream().map(Note::toString).toList(), clock.instant(), digest, null,
                            TaskFileText.sealed(text, secrets)));
                }
            }
            return ResponseEntity.created(URI.create("/api/v1/tasks/" + file.name())).body(view(file.name()));
        } finally {
            lock.unlock();
        }
    }

    /** check-task: every precheck of every source's migration, creating nothing */
    @PostMapping(path = "/check", consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml",
            "text/plain", "application/json", "application/octet-stream"})
    TaskCheck check(HttpServletRequest request, @RequestParam(defaultValue = DEFAULT_FILE_NAME) String name)
            throws IOException {
        TaskFile file = read(DmFiles.text(request, maxBytes), name);
        List<Planned> planned = plan(file, name);
        List<PrecheckReport> reports = prechecks.checkTask(planned.stream()
                .map(Planned::spec).toList());
        List<TaskCheck.Instance> instances = new ArrayList<>();
        for (int i = 0; i < planned.size(); i++) {
            Planned p = planned.get(i);
            CheckReport report = CheckReport.of(reports.get(i));
            instances.add(new TaskCheck.Instance(p.instance().sourceId(), p.spec().name(), report.passed(),
                    report.checks()));
        }
        return new TaskCheck(file.name(), instances.stream().allMatch(TaskCheck.Instance::passed), instances,
                file.notes().stream().map(Note::toString).toList());
    }

    @GetMapping
    List<TaskView> list() {
        List<Migration> all = coordinator.list();
        return store.tasks().stream().map(t -> TaskView.of(t, all, false)).toList();
    }

    @GetMapping("/{name}")
    TaskView get(@PathVariable String name) {
        // the sources' positions now, as dmctl's query-status shows them beside replication's
        return TaskView.of(task(name), coordinator.list(), false, m -> heads.now(m.spec().source()));
    }

    /** pause-task: each migration still working stops where it is (replication keeps its checkpoint) */
    @PostMapping("/{name}/pause")
    TaskView pause(@PathVariable String name) {
        return each(name, m -> unfinished(m) && !(m.phase() instanceof Phase.Failed), m -> coordinator.stop(m.id()));
    }

    /** resume-task: a paused migration resumes; one paused by an error runs its failed stage again */
    @PostMapping("/{name}/resume")
    TaskView resume(@PathVariable String name) {
        each(name, m -> m.phase() instanceof Phase.Stopped, m -> coordinator.resume(m.id()));
        return each(name, m -> m.phase() instanceof Phase.Failed, m -> coordinator.retry(m.id()));
    }

    /**
     * stop-task: the migrations stop and the task is forgotten by query-status; its name may start again, resuming
     * the stopped migrations when the file is unchanged (see {@link #start})
     */
    @PostMapping("/{name}/stop")
    TaskView stop(@PathVariable String name) {
        lock.lock();
        try {
            each(name, m -> unfinished(m) && !(m.phase() instanceof Phase.Failed), m -> coordinator.stop(m.id()));
            DmStore.StoredTask task = task(name);
            store.save(new DmStore.StoredTask(task.name(), task.mode(), task.instances(), task.notes(),
                    task.createdAt(), task.fileDigest(), clock.instant(), task.file()));
            return TaskView.of(task, coordinator.list(), true);
        } finally {
            lock.unlock();
        }
    }

    @DeleteMapping("/{name}")
    TaskView delete(@PathVariable String name) {
        return stop(name);
    }

    /** the tasks reading a source that may still do something: not every migration of theirs completed or stopped */
    List<String> unfinishedTasksOf(String sourceId) {
        return store.tasks().stream()
                .filter(t -> t.instances().stream().anyMatch(i -> i.sourceId().equals(sourceId)
                        && migration(i).map(TaskController::unfinished).orElse(false)))
                .map(DmStore.StoredTask::name)
                .toList();
    }

    private TaskView each(String name, java.util.function.Predicate<Migration> which,
                          Function<Migration, Migration> change) {
        for (DmStore.TaskInstance i : task(name).instances()) {
            migration(i).filter(which).ifPresent(change::apply);
        }
        return view(name);
    }

    private TaskView view(String name) {
        return TaskView.of(task(name), coordinator.list(), false);
    }

    private DmStore.StoredTask task(String name) {
        return store.task(name).filter(t -> !t.stopped()).orElseThrow(() -> new TidemarkException(ErrorCode.UNKNOWN_TASK, name));
    }

    /**
     * the migrations of a stopped task, when every one of them is still there and stopped (so resuming continues
     * each from its checkpoint); empty when any is gone or ended otherwise, and the task then starts over
     */
    private List<Migration> resumable(DmStore.StoredTask task) {
        List<Optional<Migration>> all = task.instances().stream().map(this::migration).toList();
        return all.stream().allMatch(m -> m.isPresent() && m.get().phase() instanceof Phase.Stopped)
                ? all.stream().map(Optional::orElseThrow).toList() : List.of();
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private TaskFile read(String text, String name) {
        Function<String, Optional<TaskFiles.Source>> sources = id -> store.source(id).map(s ->
                new TaskFiles.Source(s.from().host(), s.from().port(), s.from().user(),
                        secrets.open(s.from().password()), s.enableGtid(), s.from().tls()));
        return TaskFiles.parse(text, name, sources, DmFiles.passwords(secrets));
    }

    /** each instance's spec through the spec's own binding and validation; a refusal names the entry it came from */
    private List<Planned> plan(TaskFile file, String fileName) {
        List<Planned> out = new ArrayList<>();
        for (TaskFile.Instance i : file.instances()) {
            try {
                out.add(new Planned(i, relayed(i.sourceId(),
                        validator.validate(SpecJson.read(JSON.writeValueAsBytes(i.spec())))
                                .withTask(file.name(), file.pessimistic()))));
            } catch (FieldException e) {
                throw refused(fileName, i, e.field() + ": " + e.error().detail());
            } catch (TidemarkException e) {
                throw refused(fileName, i, e.detail());
            }
        }
        Map<String, List<RouteRule>> routes = new java.util.LinkedHashMap<>();
        out.forEach(p -> routes.put(p.instance().sourceId(), p.spec().routes()));
        ShardSources.refuseMergeAcrossSources(file.name(), routes);
        return out;
    }

    /**
     * DM: every task of a source whose relay runs (enable-relay, or start-relay) reads the relay, so it resumes even
     * after the source purged the binlog it stopped in
     */
    private MigrationSpec relayed(String sourceId, MigrationSpec spec) {
        boolean relayRuns = relays.relay(sourceId).filter(DesiredRelay::running).isPresent();
        return relayRuns && spec.mode().replicates() ? spec.withRelay(sourceId) : spec;
    }

    private static TidemarkException refused(String fileName, TaskFile.Instance i, String why) {
        return new TidemarkException(ErrorCode.INVALID_DM_CONFIG, "task", fileName, i.path() + " (source "
                + i.sourceId() + "): the migration made of it is refused: " + why);
    }

    private Optional<Migration> migration(DmStore.TaskInstance instance) {
        MigrationId id = MigrationId.of(instance.migrationId());
        return coordinator.list().stream().filter(m -> m.id().equals(id)).findFirst();
    }

    static boolean unfinished(Migration m) {
        return !(m.phase() instanceof Phase.Completed) && !(m.phase() instanceof Phase.Stopped);
    }
}
