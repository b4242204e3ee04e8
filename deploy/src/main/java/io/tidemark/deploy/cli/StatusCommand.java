package io.tidemark.deploy.cli;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

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

    /**
     * With an argument, a DM task of that name first (dmctl's query-status TASK), else the migration of that id;
     * without one, every migration and then every DM task.
     */
    Exit run(Invocation.QueryStatus command) throws Unreachable, InterruptedException {
        if (command.id().isPresent()) {
            CoordinatorApi.Answer task = api.call("GET", "/api/v1/tasks/" + CoordinatorApi.segment(command.id().get()),
                    null, null);
            if (task.ok()) {
                if (command.json()) {
                    out.println(task.json().toPrettyString());
                    return Exit.OK;
                }
                out.println("task " + Fields.text(task.json(), "name") + " (task-mode " + Fields.text(task.json(),
                        "mode") + "): stage " + Fields.text(task.json(), "stage"));
                DmCommand.instances(out, task.json());
                for (JsonNode i : task.json().path("instances")) {
                    if (i.path("migration").isObject()) {
                        out.println();
                        out.println("source " + Fields.text(i, "sourceId") + ":");
                        ViewText.detail(out, i.path("migration"), i);
                    }
                }
                return Exit.OK;
            }
        }
        CoordinatorApi.Answer answer = command.id().isPresent() ? api.migration(command.id().get()) : api.migrations();
        if (!answer.ok()) {
            ApiText.refusal(err, null, answer.json());
            if (answer.status() == 404 && command.id().isPresent()) {
                err.println("list the migrations with " + api.addr().command("query-status"));
            }
            return Exit.FAILED;
        }
        CoordinatorApi.Answer tasks = command.id().isPresent() ? null : api.call("GET", "/api/v1/tasks", null, null);
        boolean anyTask = tasks != null && tasks.ok() && !tasks.json().isEmpty();
        if (command.json()) {
            out.println(anyTask ? JsonNodeFactory.instance.objectNode().<tools.jackson.databind.node.ObjectNode>set(
                    "migrations", answer.json()).set("tasks", tasks.json()).toPrettyString()
                    : answer.json().toPrettyString());
            return Exit.OK;
        }
        if (command.id().isPresent()) {
            ViewText.detail(out, answer.json());
        } else {
            ViewText.list(out, answer.json());
        }
        if (anyTask) {
            out.println();
            Table t = new Table("TASK", "MODE", "STAGE", "SOURCES");
            for (JsonNode task : tasks.json()) {
                t.row(Fields.text(task, "name"), Fields.text(task, "mode"), Fields.text(task, "stage"),
                        Integer.toString(task.path("instances").size()));
            }
            t.print(out, "");
        }
        return Exit.OK;
    }
}
