package io.tidemark.deploy.cli;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code tidemark import --config FILE}: submits a TiDB Lightning file as it is and, like {@code tidb-lightning},
 * waits — a progress line whenever something changed, then each table's rows and "the whole procedure completed",
 * or the error with its fix. The import runs on the platform: a client that stops waiting stops nothing.
 */
final class ImportCommand {
    /** the line TiDB Lightning users look for at the end of a successful import */
    static final String COMPLETED = "the whole procedure completed";

    private final CoordinatorApi api;
    private final PrintStream out;
    private final PrintStream err;
    private final Settings settings;
    private final AtomicReference<String> watching;

    /**
     * @param watching while the client waits on an import: what an interrupt should tell the user (that the
     *                 import runs on, and how to watch it again)
     */
    ImportCommand(CoordinatorApi api, PrintStream out, PrintStream err, Settings settings,
                  AtomicReference<String> watching) {
        this.api = api;
        this.out = out;
        this.err = err;
        this.settings = settings;
        this.watching = watching;
    }

    Exit run(Invocation.Import command) throws Unreachable, InterruptedException {
        String shown = command.config().toString();
        byte[] toml;
        try {
            toml = Files.readAllBytes(command.config());
        } catch (NoSuchFileException e) {
            err.println("tidemark: cannot read --config " + shown + ": no such file");
            return Exit.REFUSED;
        } catch (AccessDeniedException e) {
            err.println("tidemark: cannot read --config " + shown + ": permission denied");
            return Exit.REFUSED;
        } catch (IOException e) {
            err.println("tidemark: cannot read --config " + shown + ": " + (Files.isDirectory(command.config())
                    ? "it is a directory; give the TiDB Lightning file" : e.getMessage()));
            return Exit.REFUSED;
        }
        String name = command.config().getFileName().toString();
        CoordinatorApi.Answer answer = api.submitImport(name, toml, command.check());
        if (!answer.ok()) {
            ApiText.refusal(err, shown, answer.json());
            return answer.status() >= 500 ? Exit.FAILED : Exit.REFUSED;
        }
        ApiText.notes(out, shown, answer.json());
        if (command.check()) {
            return checked(shown, answer.json());
        }
        String id = Fields.text(answer.json(), "id");
        if (id == null) {
            err.println("tidemark: the coordinator accepted " + shown + " but answered no migration id: look for it"
                    + " with " + api.addr().command("query-status"));
            return Exit.FAILED;
        }
        if (command.detach()) {
            out.println("import " + id + " accepted; it runs on the platform");
            out.println("watch it: " + api.addr().command("query-status " + id));
            return Exit.OK;
        }
        out.println("import " + id + " accepted; waiting for it (Ctrl-C stops the waiting, not the import)");
        watching.set("import " + id + " keeps running on the platform; watch it with: "
                + api.addr().command("query-status " + id));
        try {
            return watch(id, answer.json());
        } finally {
            watching.set(null);
        }
    }

    /** {@code --check}: what the coordinator found, and the verdict */
    private Exit checked(String shown, JsonNode report) {
        if (!ApiText.checkReport(out, report)) {
            out.println("check failed: " + shown + " would be refused; nothing was created");
            return Exit.REFUSED;
        }
        out.println("check passed: " + shown + " can be imported; nothing was created");
        return Exit.OK;
    }

    private Exit watch(String id, JsonNode accepted) throws Unreachable, InterruptedException {
        Instant start = Instant.now();
        Progress last = null;
        JsonNode view = accepted;
        while (true) {
            Progress progress = Progress.of(view);
            if (!progress.equals(last)) {
                out.println(progress.line(Duration.between(start, Instant.now())));
                last = progress;
            }
            switch (progress.phase()) {
                case "completed" -> {
                    return completed(view);
                }
                case "failed" -> {
                    if (ViewText.hasVerification(view)) {
                        out.println();
                        ViewText.tables(out, view);
                    }
                    ViewText.failure(out, view, api);
                    return Exit.FAILED;
                }
                case "stopped" -> {
                    out.println("import " + id + " was stopped; resume it: curl -X POST "
                            + api.url("/api/v1/migrations/" + id + "/resume"));
                    return Exit.FAILED;
                }
                default -> {
                    // still running
                }
            }
            Thread.sleep(settings.pollInterval().toMillis());
            view = poll(id);
            if (view == null) {
                return Exit.FAILED;
            }
        }
    }

    /**
     * The view, riding out a coordinator that does not answer for a while (a restart): only after
     * {@link Settings#outageGrace()} of silence does the client give up waiting. Null for a migration that is gone.
     */
    private JsonNode poll(String id) throws Unreachable, InterruptedException {
        Instant silentSince = null;
        while (true) {
            try {
                CoordinatorApi.Answer answer = api.migration(id);
                if (silentSince != null) {
                    out.println("the coordinator at " + api.addr().shown() + " answers again");
                }
                if (answer.ok()) {
                    return answer.json();
                }
                if (answer.status() == 404) {
                    ApiText.refusal(err, null, answer.json());
                    err.println("import " + id + " is no longer known to the coordinator at " + api.addr().shown());
                    return null;
                }
                // a coordinator that cannot answer now (Kafka unavailable): waited out as silence is
                throw new Unreachable(api.addr(), "HTTP " + answer.status() + " " + Fields.text(answer.json(), "code")
                        + " " + Fields.text(answer.json(), "message"));
            } catch (Unreachable e) {
                if (silentSince == null) {
                    silentSince = Instant.now();
                    out.println("the coordinator at " + api.addr().shown() + " does not answer (" + e.getMessage()
                            + "); still waiting for up to " + Progress.duration(settings.outageGrace())
                            + " — the import itself runs on");
                } else if (Duration.between(silentSince, Instant.now()).compareTo(settings.outageGrace()) > 0) {
                    err.println("import " + id + " still runs on the platform; watch it once the coordinator answers: "
                            + api.addr().command("query-status " + id));
                    throw e;
                }
            }
            Thread.sleep(settings.pollInterval().toMillis());
        }
    }

    private Exit completed(JsonNode view) {
        out.println();
        ViewText.tables(out, view);
        if (ViewText.verificationFailed(view)) {
            out.println("verification failed: the target holds another number of rows than the files for the tables"
                    + " marked MISMATCH; see " + api.addr().command("query-status " + Fields.text(view, "id")));
            return Exit.FAILED;
        }
        out.println(COMPLETED);
        return Exit.OK;
    }
}
