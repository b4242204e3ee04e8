package io.tidemark.coordinator.api;

import io.tidemark.common.error.TidemarkException;
import java.util.List;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.coordinator.CoordinatorProperties;
import io.tidemark.coordinator.config.lightning.LightningConfig;
import io.tidemark.coordinator.config.lightning.LightningConfigs;
import io.tidemark.coordinator.imports.FoundTables;
import io.tidemark.coordinator.imports.ImportFiles;
import io.tidemark.coordinator.imports.LightningFiles;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.coordinator.orchestration.Coordinator;
import io.tidemark.coordinator.precheck.MigrationPrechecks;
import io.tidemark.mysql.precheck.PrecheckReport;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * TiDB Lightning files, taken as they are (what {@code tidb-lightning -config FILE} and its
 * {@code --check-requirements} do): the file becomes a mode-import migration of the files under its
 * {@code data-source-dir}, which are listed and set against the file's rules before anything is created. A file Tidemark cannot run is answered 400 with every
 * problem (line, key, cause, fix); a target or storage that is not ready, 422 with every failing precheck.
 */
@RestController
@RequestMapping("/api/v1/imports")
class ImportController {
    private static final String TOML = "application/toml";

    private final Coordinator coordinator;
    private final MigrationPrechecks prechecks;
    private final LightningSpecs specs;
    private final DataSize maxBytes;

    ImportController(Coordinator coordinator, MigrationPrechecks prechecks, SecretBox secrets,
                     CoordinatorProperties properties) {
        this.coordinator = coordinator;
        this.prechecks = prechecks;
        this.specs = new LightningSpecs(secrets);
        this.maxBytes = properties.maxSpecBytes();
    }

    /** a file read and set against its files: the spec, or why its files could not be listed */
    private record Submitted(LightningConfig config, MigrationSpec spec, ImportFiles files, FoundTables found,
                             TidemarkException unlisted) {
    }

    /**
     * Creates the import the file describes, once its prechecks pass: 201 with the migration's view and the notes on
     * the file's keys.
     *
     * @param name the file's name, for messages and the migration's name
     */
    @PostMapping(consumes = {TOML, MediaType.TEXT_PLAIN_VALUE, MediaType.APPLICATION_OCTET_STREAM_VALUE})
    ResponseEntity<ImportView> create(HttpServletRequest request,
                                      @RequestParam(defaultValue = LightningSpecs.DEFAULT_FILE_NAME) String name)
            throws IOException {
        Submitted s = submitted(request, name);
        if (s.unlisted() != null) {
            prechecks.require(s.spec()); // the storage check fails with why, beside every other failing check
            throw s.unlisted();
        }
        Migration m = coordinator.create(MigrationId.fromName(s.spec().name()), s.spec());
        return ResponseEntity.created(URI.create("/api/v1/migrations/" + m.id().value()))
                .body(new ImportView(MigrationView.of(m), ImportView.notes(LightningSpecs.notes(s.config()))));
    }

    /** the same checks as {@link #create}, creating nothing: every precheck, the notes, the tables and their files */
    @PostMapping(path = "/check", consumes = {TOML, MediaType.TEXT_PLAIN_VALUE,
            MediaType.APPLICATION_OCTET_STREAM_VALUE})
    ImportCheck check(HttpServletRequest request,
                      @RequestParam(defaultValue = LightningSpecs.DEFAULT_FILE_NAME) String name) throws IOException {
        Submitted s = submitted(request, name);
        PrecheckReport report = prechecks.check(s.spec());
        if (s.unlisted() != null && report.failures().isEmpty()) {
            throw s.unlisted();
        }
        return ImportCheck.of(report, ImportView.notes(LightningSpecs.notes(s.config())), s.spec().imports(),
                s.found(), s.files());
    }

    private Submitted submitted(HttpServletRequest request, String name) throws IOException {
        for (String param : request.getParameterMap().keySet()) {
            if (!param.equals("name")) { // a misspelt parameter is refused, as unknown JSON fields are
                throw new FieldException(param, new TidemarkException(ErrorCode.INVALID_SPEC, "query parameter `"
                        + param + "` is not one " + request.getRequestURI() + " takes: it takes `name` only (the"
                        + " file's name)" + io.tidemark.coordinator.config.NearestName.of(param, List.of("name"))
                        .map(n -> "; did you mean `" + n + "`?").orElse("")));
            }
        }
        String toml = new String(RequestBodies.read(request.getInputStream(), request.getContentLengthLong(),
                maxBytes), StandardCharsets.UTF_8);
        if (!toml.isEmpty() && toml.charAt(0) == '\uFEFF') {
            toml = toml.substring(1); // a byte-order mark some editors write
        }
        LightningConfig config = LightningConfigs.parse(toml, name);
        MigrationSpec spec = specs.spec(config);
        ImportFiles files;
        try {
            files = ImportFiles.list(spec.storage());
        } catch (TidemarkException e) {
            return new Submitted(config, spec, null, null, e);
        }
        FoundTables found = LightningFiles.check(config, files);
        return new Submitted(config, LightningSpecs.withTables(spec, config, found), files, found, null);
    }
}
