package io.tidemark.coordinator.api;

import io.tidemark.common.command.DesiredRelay;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.coordinator.CoordinatorProperties;
import io.tidemark.coordinator.config.dm.SourceFile;
import io.tidemark.coordinator.config.dm.SourceFiles;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.coordinator.config.lightning.Note;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * DM sources (dmctl's {@code operate-source create|update|stop|show}; DM OpenAPI's {@code /api/v1/sources}): a DM
 * source file as it is, or JSON of the same keys. The password is sealed before anything keeps it and is never shown.
 */
@RestController
@RequestMapping("/api/v1/sources")
class SourceController {
    private static final String DEFAULT_FILE_NAME = "source.yaml";

    private final DmStore store;
    private final DmRelays relays;
    private final RelayPurger purger;
    private final TaskController tasks;
    private final SecretBox secrets;
    private final DataSize maxBytes;
    private final Clock clock = Clock.systemUTC();
    /** one change at a time: create-if-absent and delete-if-unused are decided and written as one */
    private final ReentrantLock lock;

    SourceController(DmStore store, DmRelays relays, RelayPurger purger, TaskController tasks, SecretBox secrets,
                     CoordinatorProperties properties) {
        this.store = store;
        this.relays = relays;
        this.purger = purger;
        this.tasks = tasks;
        this.secrets = secrets;
        this.maxBytes = properties.maxSpecBytes();
        this.lock = tasks.lock();
    }

    /** operate-source create: 201, or 409 when the source-id exists */
    @PostMapping(consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain",
            "application/json", "application/octet-stream"})
    ResponseEntity<SourceView> create(HttpServletRequest request,
                                      @RequestParam(defaultValue = DEFAULT_FILE_NAME) String name) throws IOException {
        SourceFile file = read(request, name);
        lock.lock();
        try {
            if (store.source(file.sourceId()).isPresent()) {
                throw new TidemarkException(ErrorCode.SOURCE_EXISTS, file.sourceId());
            }
            DmStore.StoredSource saved = stored(file);
            save(saved);
            return ResponseEntity.created(URI.create("/api/v1/sources/" + file.sourceId())).body(SourceView.of(saved));
        } finally {
            lock.unlock();
        }
    }

    /** operate-source update: replaces the source of the file's source-id; tasks started already keep their copy */
    @PutMapping(path = "/{id}", consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml",
            "text/plain", "application/json", "application/octet-stream"})
    SourceView update(@PathVariable String id, HttpServletRequest request,
                      @RequestParam(defaultValue = DEFAULT_FILE_NAME) String name) throws IOException {
        return replace(id, read(request, name));
    }

    private SourceView replace(String id, SourceFile file) {
        if (!file.sourceId().equals(id)) {
            throw new TidemarkException(ErrorCode.INVALID_SPEC, "the file's source-id '" + file.sourceId()
                    + "' is not '" + id + "' of the path; send it to /api/v1/sources/" + file.sourceId());
        }
        lock.lock();
        try {
            get(id);
            DmStore.StoredSource saved = stored(file);
            save(saved);
            return SourceView.of(saved);
        } finally {
            lock.unlock();
        }
    }

    /** operate-source update FILE: the source the file's source-id names */
    @PutMapping(consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain",
            "application/json", "application/octet-stream"})
    SourceView update(HttpServletRequest request, @RequestParam(defaultValue = DEFAULT_FILE_NAME) String name)
            throws IOException {
        SourceFile file = read(request, name);
        return replace(file.sourceId(), file);
    }

    @GetMapping
    List<SourceView> list() {
        return store.sources().stream().map(SourceView::of).toList();
    }

    @GetMapping("/{id}")
    SourceView get(@PathVariable String id) {
        return store.source(id).map(SourceView::of)
                .orElseThrow(() -> new TidemarkException(ErrorCode.UNKNOWN_SOURCE, id, ""));
    }

    /** operate-source stop: refused while a task that has not finished reads the source */
    @DeleteMapping("/{id}")
    SourceView delete(@PathVariable String id) {
        lock.lock();
        try {
            SourceView view = get(id);
            List<String> users = tasks.unfinishedTasksOf(id);
            if (!users.isEmpty()) {
                throw new TidemarkException(ErrorCode.SOURCE_IN_USE, id, String.join(", ", users));
            }
            store.deleteSource(id);
            relays.stop(id);
            return view;
        } finally {
            lock.unlock();
        }
    }

    /** a source's relay as answered: no endpoint, so no password even sealed */
    record RelayView(String sourceId, boolean running, BinlogPosition start, long serverId) {
        static RelayView of(DesiredRelay r) {
            return new RelayView(r.sourceId(), r.running(), r.start(), r.serverId());
        }
    }

    /** dmctl start-relay: the source's relay wanted running, whatever its file's enable-relay says */
    @PostMapping("/{id}/relay/start")
    RelayView startRelay(@PathVariable String id) {
        lock.lock();
        try {
            DmStore.StoredSource source = store.source(id)
                    .orElseThrow(() -> new TidemarkException(ErrorCode.UNKNOWN_SOURCE, id, ""));
            return RelayView.of(relays.start(source));
        } finally {
            lock.unlock();
        }
    }

    /** dmctl stop-relay: the source's relay wanted stopped (its start is kept for a later start-relay) */
    @PostMapping("/{id}/relay/stop")
    RelayView stopRelay(@PathVariable String id) {
        lock.lock();
        try {
            DmStore.StoredSource source = store.source(id)
                    .orElseThrow(() -> new TidemarkException(ErrorCode.UNKNOWN_SOURCE, id, ""));
            return relays.stop(id).map(RelayView::of)
                    .orElseGet(() -> new RelayView(id, false, null, DmRelays.serverId(source.sourceId())));
        } finally {
            lock.unlock();
        }
    }

    /**
     * dmctl purge-relay --filename FILE: the relay's events before FILE are deleted; refused past the oldest checkpoint
     * of a task still reading the relay. Under the lock, so no task of the source starts meanwhile.
     */
    @PostMapping("/{id}/relay/purge")
    RelayPurger.Purged purgeRelay(@PathVariable String id, @RequestParam(required = false) String filename) {
        lock.lock();
        try {
            store.source(id).orElseThrow(() -> new TidemarkException(ErrorCode.UNKNOWN_SOURCE, id, ""));
            return purger.purge(id, filename);
        } finally {
            lock.unlock();
        }
    }

    private SourceFile read(HttpServletRequest request, String name) throws IOException {
        return parse(DmFiles.text(request, maxBytes), name);
    }

    /** a source file's text, as posted or as {@code config import} brings it */
    SourceFile parse(String text, String name) {
        return SourceFiles.parse(text, name, DmFiles.passwords(secrets));
    }

    /** keeps a source and the relay it asks for (or no longer asks for); under the lock */
    void save(DmStore.StoredSource saved) {
        store.save(saved);
        relays.follow(saved);
    }

    /** what the store keeps of a file: its password sealed at once */
    DmStore.StoredSource stored(SourceFile file) {
        SourceFile.Tls tls = file.security();
        DatabaseEndpoint from = new DatabaseEndpoint(file.host(), file.port(), file.user(),
                secrets.seal(file.password()), tls == null ? null
                : TlsFields.ofDm("from.security", tls.sslCa(), tls.sslCert(), tls.sslKey(), secrets));
        return new DmStore.StoredSource(file.sourceId(), from, file.enableGtid(), file.enableRelay(), file.security(),
                file.notes().stream().map(Note::toString).toList(), clock.instant(), file.purge());
    }
}
