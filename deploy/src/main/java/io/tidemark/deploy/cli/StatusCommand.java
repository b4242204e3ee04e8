package io.tidemark.deploy.cli;

import java.io.PrintStream;

/** {@code tidemark query-status [ID]}: dmctl's query-status — every migration, or one in detail. */
final class StatusCommand {
    private final CoordinatorApi api;
    private final PrintStream out;
    private final PrintStream err;

    StatusCommand(CoordinatorApi api, PrintStream out, PrintStream err) {
        this.api = api;
        this.out = out;
        this.err = err;
    }

    Exit run(Invocation.QueryStatus command) throws Unreachable, InterruptedException {
        CoordinatorApi.Answer answer = command.id().isPresent() ? api.migration(command.id().get()) : api.migrations();
        if (!answer.ok()) {
            ApiText.refusal(err, null, answer.json());
            if (answer.status() == 404 && command.id().isPresent()) {
                err.println("list the migrations with " + api.addr().command("query-status"));
            }
            return Exit.FAILED;
        }
        if (command.id().isPresent()) {
            ViewText.detail(out, answer.json());
        } else {
            ViewText.list(out, answer.json());
        }
        return Exit.OK;
    }
}
