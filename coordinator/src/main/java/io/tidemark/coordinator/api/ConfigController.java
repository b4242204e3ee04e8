package io.tidemark.coordinator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.secret.Secret;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.coordinator.CoordinatorProperties;
import io.tidemark.coordinator.config.dm.SourceFile;
import io.tidemark.coordinator.config.lightning.Note;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * dmctl's {@code config export|import}: every DM source and task as the files that create them again, e.g. on a new
 * cluster. Passwords leave sealed, never in plaintext; an import takes them back where they open with this
 * coordinator's key and names each file whose do not. Sources are imported before tasks, each through the very
 * parsing and start-task a posted file goes through.
 */
@RestController
@RequestMapping("/api/v1/config")
class ConfigController {
    private static final String OVERWRITE = "overwrite";
    /** a bundle holds many files, each at most the size one file may have */
    private static final int FILES_PER_BUNDLE = 64;

    private final DmStore store;
    private final SourceController sources;
    private final TaskController tasks;
    private final SecretBox secrets;
    private final DataSize maxBytes;
    private final ReentrantLock lock;

    ConfigController(DmStore store, SourceController sources, TaskController tasks, SecretBox secrets,
                     CoordinatorProperties properties) {
        this.store = store;
        this.sources = sources;
        this.tasks = tasks;
        this.secrets = secrets;
        this.maxBytes = DataSize.ofBytes(properties.maxSpecBytes().toBytes() * FILES_PER_BUNDLE);
        this.lock = tasks.lock();
    }

    /** what an import did with each file: {@code created}, {@code replaced}, {@code started}, {@code restarted} */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Imported(List<ImportedSource> sources, List<ImportedTask> tasks) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record ImportedSource(String sourceId, String file, String action, List<String> notes) {
    }

    record ImportedTask(String name, String file, String action, TaskView task) {
    }

    /** every source and every task not stopped, as files; the tasks stop-task stopped are forgotten, as in DM */
    @GetMapping("/export")
    ConfigBundle export() {
        lock.lock();
        try {
            List<DmStore.StoredTask> all = store.tasks();
            List<String> old = all.stream().filter(t -> t.file() == null).map(DmStore.StoredTask::name).toList();
            if (!old.isEmpty()) {
                throw new TidemarkException(ErrorCode.CONFIG_TASK_NOT_EXPORTABLE, String.join(", ", old));
            }
            return new ConfigBundle(
                    store.sources().stream().map(s -> new ConfigBundle.File(s.sourceId() + ".yaml", SourceYaml.of(s)))
                            .toList(),
                    all.stream().map(t -> new ConfigBundle.File(t.name() + ".yaml", t.file())).toList());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Creates every source, then starts every task, of an exported bundle. Refused before anything changes when a
     * sealed password does not open here (TM-10026), when a source or task exists and {@code overwrite} is not set
     * (TM-10027), or when a source file is refused; a task refused by its own checks (its file, its prechecks) stops
     * the import there, the sources and the tasks before it imported.
     *
     * @param overwrite replace existing sources (as operate-source update) and stop running tasks of the names to
     *                  start them again from the imported files
     */
    @PostMapping(path = "/import", consumes = MediaType.APPLICATION_JSON_VALUE)
    Imported importAll(HttpServletRequest request,
                       @RequestParam(name = OVERWRITE, defaultValue = "false") boolean overwrite) throws IOException {
        for (String param : request.getParameterMap().keySet()) {
            if (!param.equals(OVERWRITE)) {
                throw new TidemarkException(ErrorCode.CONFIG_BUNDLE_INVALID, "query parameter `" + param
                        + "` is not one " + request.getRequestURI() + " takes: it takes `" + OVERWRITE + "`");
            }
        }
        ConfigBundle bundle = ConfigBundle.read(RequestBodies.read(request.getInputStream(),
                request.getContentLengthLong(), maxBytes));
        if (bundle.sources().isEmpty() && bundle.tasks().isEmpty()) {
            throw new TidemarkException(ErrorCode.CONFIG_BUNDLE_INVALID, "the bundle holds no source and no task");
        }
        refuseForeignPasswords(bundle);
        List<SourceFile> parsed = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (ConfigBundle.File f : bundle.sources()) {
            SourceFile file = sources.parse(f.file(), f.name());
            if (!ids.add(file.sourceId())) {
                throw new TidemarkException(ErrorCode.CONFIG_BUNDLE_INVALID, "two source files have source-id '"
                        + file.sourceId() + "' (the second: " + f.name() + ")");
            }
            parsed.add(file);
        }
        lock.lock();
        try {
            List<String> existing = new ArrayList<>();
            parsed.stream().filter(s -> store.source(s.sourceId()).isPresent())
                    .forEach(s -> existing.add("source " + s.sourceId()));
            bundle.tasks().stream().map(this::taskName).flatMap(Optional::stream)
                    .filter(n -> store.task(n).filter(t -> !t.stopped()).isPresent())
                    .forEach(n -> existing.add("task " + n));
            if (!existing.isEmpty() && !overwrite) {
                throw new TidemarkException(ErrorCode.CONFIG_EXISTS, String.join(", ", existing));
            }
            List<ImportedSource> doneSources = new ArrayList<>();
            for (int i = 0; i < parsed.size(); i++) {
                SourceFile file = parsed.get(i);
                boolean replaced = store.source(file.sourceId()).isPresent();
                sources.save(sources.stored(file));
                doneSources.add(new ImportedSource(file.sourceId(), bundle.sources().get(i).name(),
                        replaced ? "replaced" : "created", file.notes().stream().map(Note::toString).toList()));
            }
            List<ImportedTask> doneTasks = new ArrayList<>();
            for (ConfigBundle.File f : bundle.tasks()) {
                Optional<String> name = taskName(f);
                boolean running = name.flatMap(store::task).filter(t -> !t.stopped()).isPresent();
                if (running) {
                    tasks.stop(name.get());
                }
                TaskView view = tasks.start(f.file(), f.name(), false).getBody();
                doneTasks.add(new ImportedTask(view.name(), f.name(), running ? "restarted" : "started", view));
            }
            return new Imported(doneSources, doneTasks);
        } finally {
            lock.unlock();
        }
    }

    /**
     * TM-10026 naming every file whose sealed password this coordinator cannot open, before anything is imported:
     * the files' own parsers would report it as one problem of one file, while the fix is the cluster's key
     */
    private void refuseForeignPasswords(ConfigBundle bundle) {
        List<String> foreign = new ArrayList<>();
        for (ConfigBundle.File f : bundle.sources()) {
            if (!opens(TaskFileText.value(f.file(), TaskFileText.SOURCE_PASSWORD))) {
                foreign.add("source " + TaskFileText.value(f.file(), "source-id").orElse("?") + " (" + f.name() + ")");
            }
        }
        for (ConfigBundle.File f : bundle.tasks()) {
            if (!opens(TaskFileText.value(f.file(), TaskFileText.TARGET_PASSWORD))) {
                foreign.add("task " + taskName(f).orElse("?") + " (" + f.name() + ")");
            }
        }
        if (!foreign.isEmpty()) {
            throw new TidemarkException(ErrorCode.CONFIG_SEALED_WITH_OTHER_KEY, String.join(", ", foreign));
        }
    }

    private boolean opens(Optional<String> password) {
        if (password.isEmpty() || !password.get().startsWith(TaskFileText.SEALED)) {
            return true; // plaintext, or none: the file's parser decides
        }
        try {
            secrets.open(new Secret(password.get()));
            return true;
        } catch (TidemarkException e) {
            return false;
        }
    }

    private Optional<String> taskName(ConfigBundle.File f) {
        return TaskFileText.value(f.file(), "name");
    }
}
