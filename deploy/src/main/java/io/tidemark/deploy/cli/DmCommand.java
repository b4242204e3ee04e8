package io.tidemark.deploy.cli;

import io.tidemark.coordinator.config.dm.DmConfigException;
import io.tidemark.coordinator.config.dm.SourceFiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * dmctl's verbs on DM source and task files, each one call of the coordinator's {@code /api/v1/sources},
 * {@code /api/v1/tasks} or {@code /api/v1/encrypt}: files are sent as they are, the coordinator reads them. Human
 * lines by default, the coordinator's answer as JSON with {@code --json}; the exit statuses of {@link Exit}.
 */
final class DmCommand {
    private static final String YAML = "application/yaml";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final CoordinatorApi api;
    private final PrintStream out;
    private final PrintStream err;

    DmCommand(CoordinatorApi api, PrintStream out, PrintStream err) {
        this.api = api;
        this.out = out;
        this.err = err;
    }

    Exit run(Invocation.Dm c) throws Unreachable, InterruptedException {
        String arg = c.operands().isEmpty() ? null : c.operands().getFirst();
        return switch (c.verb()) {
            case "operate-source" -> source(c, arg, c.operands().size() > 1 ? c.operands().get(1) : null);
            case "check-task" -> withFile(c, arg, (name, bytes) -> {
                CoordinatorApi.Answer a = api.call("POST", "/api/v1/tasks/check?name=" + query(name), YAML, bytes);
                return answered(c, a, name, () -> checkReport(a.json(), name));
            });
            case "start-task" -> withFile(c, arg, (name, bytes) -> {
                CoordinatorApi.Answer a = api.call("POST", "/api/v1/tasks?name=" + query(name)
                        + (c.removeMeta() ? "&remove-meta=true" : ""), YAML, bytes);
                return answered(c, a, name, () -> {
                    notes(a.json(), name);
                    task(a.json(), "started");
                    return Exit.OK;
                });
            });
            case "pause-task", "resume-task", "stop-task" -> {
                String action = c.verb().substring(0, c.verb().indexOf('-'));
                CoordinatorApi.Answer a = api.call("POST", "/api/v1/tasks/" + CoordinatorApi.segment(arg) + "/"
                        + action, null, null);
                yield answered(c, a, null, () -> {
                    task(a.json(), switch (action) {
                        case "pause" -> "paused";
                        case "resume" -> "resumed";
                        default -> "stopped";
                    });
                    return Exit.OK;
                });
            }
            case "start-relay", "stop-relay" -> {
                String action = c.verb().substring(0, c.verb().indexOf('-'));
                CoordinatorApi.Answer a = api.call("POST", "/api/v1/sources/" + CoordinatorApi.segment(arg)
                        + "/relay/" + action, null, null);
                yield answered(c, a, null, () -> {
                    JsonNode start = a.json().path("start");
                    out.println("relay of source " + arg + " " + (a.json().path("running").asBoolean()
                            ? "running" : "stopped") + (start.isObject() ? ", from " + Fields.text(start, "file")
                            + ":" + start.path("pos").asLong() : ""));
                    return Exit.OK;
                });
            }
            case "purge-relay" -> {
                String file = c.operands().get(1);
                CoordinatorApi.Answer a = api.call("POST", "/api/v1/sources/" + CoordinatorApi.segment(arg)
                        + "/relay/purge?filename=" + query(file), null, null);
                yield answered(c, a, null, () -> {
                    out.println("relay of source " + arg + " purged before " + file + ": "
                            + a.json().path("deleted").asLong() + " records deleted");
                    return Exit.OK;
                });
            }
            case "encrypt" -> {
                ObjectNode body = JSON.createObjectNode().put("plaintext", arg);
                CoordinatorApi.Answer a = api.call("POST", "/api/v1/encrypt", "application/json",
                        JSON.writeValueAsBytes(body));
                yield answered(c, a, null, () -> {
                    out.println(Fields.text(a.json(), "ciphertext"));
                    return Exit.OK;
                });
            }
            case "binlog" -> binlog(c);
            case "shard-ddl-lock" -> shardDdlLock(c, arg);
            default -> throw new IllegalStateException("verb " + c.verb());
        };
    }

    private Exit source(Invocation.Dm c, String action, String arg) throws Unreachable, InterruptedException {
        return switch (action) {
            case "create", "update" -> withFile(c, arg, (name, bytes) -> {
                CoordinatorApi.Answer a = api.call(action.equals("create") ? "POST" : "PUT",
                        "/api/v1/sources?name=" + query(name), YAML, bytes);
                return answered(c, a, name, () -> {
                    notes(a.json(), name);
                    out.println("source " + Fields.text(a.json(), "sourceId") + " " + action + "d: "
                            + Fields.text(a.json(), "user") + "@" + Fields.text(a.json(), "host") + ":"
                            + Fields.text(a.json(), "port"));
                    return Exit.OK;
                });
            });
            case "stop" -> {
                Optional<String> id = sourceIdOf(arg);
                if (id.isEmpty()) {
                    yield Exit.REFUSED;
                }
                CoordinatorApi.Answer a = api.call("DELETE", "/api/v1/sources/" + CoordinatorApi.segment(id.get()),
                        null, null);
                yield answered(c, a, null, () -> {
                    out.println("source " + id.get() + " stopped and removed");
                    return Exit.OK;
                });
            }
            default -> {
                CoordinatorApi.Answer a = api.call("GET", "/api/v1/sources"
                        + (arg == null ? "" : "/" + CoordinatorApi.segment(arg)), null, null);
                yield answered(c, a, null, () -> {
                    Table t = new Table("SOURCE-ID", "ADDRESS", "USER", "GTID", "RELAY");
                    for (JsonNode s : a.json().isArray() ? a.json() : JSON.createArrayNode().add(a.json())) {
                        t.row(Fields.text(s, "sourceId"), Fields.text(s, "host") + ":" + Fields.text(s, "port"),
                                Fields.text(s, "user"), Boolean.toString(Fields.isTrue(s, "enableGtid")),
                                Boolean.toString(Fields.isTrue(s, "enableRelay")));
                    }
                    t.print(out, "");
                    return Exit.OK;
                });
            }
        };
    }

    /**
     * dmctl's {@code binlog skip|replace}: on a task's name, each of its migrations stopped by an error (every one
     * when none is, so the coordinator says why it refuses); else on the migration id given.
     */
    private Exit binlog(Invocation.Dm c) throws Unreachable, InterruptedException {
        String op = c.operands().get(0);
        String name = c.operands().get(1);
        java.util.List<String> migrations = new java.util.ArrayList<>();
        CoordinatorApi.Answer task = api.call("GET", "/api/v1/tasks/" + CoordinatorApi.segment(name), null, null);
        if (task.ok()) {
            for (JsonNode i : task.json().path("instances")) {
                if ("failed".equals(Fields.text(i.path("migration"), "phase"))) {
                    migrations.add(Fields.text(i, "migrationId"));
                }
            }
            if (migrations.isEmpty()) {
                task.json().path("instances").forEach(i -> migrations.add(Fields.text(i, "migrationId")));
            }
        } else {
            migrations.add(name);
        }
        if (op.equals("list")) {
            return binlogList(c, migrations);
        }
        ObjectNode body = JSON.createObjectNode().put("op", op);
        if (c.binlogPos() != null) {
            body.put("position", c.binlogPos());
        }
        if (!op.equals("skip")) {
            c.operands().subList(2, c.operands().size()).forEach(body.putArray("sql")::add);
        }
        Exit worst = Exit.OK;
        for (String migration : migrations) {
            CoordinatorApi.Answer a = api.call("POST", "/api/v1/migrations/" + CoordinatorApi.segment(migration)
                    + "/binlog", "application/json", JSON.writeValueAsBytes(body));
            Exit exit = answered(c, a, null, () -> {
                JsonNode last = a.json().path("binlogOperations").path(a.json().path("binlogOperations").size() - 1);
                out.println("migration " + migration + ": binlog " + op + " at " + Fields.text(last, "position")
                        + "; replication resumes: phase " + Fields.text(a.json(), "phase"));
                return Exit.OK;
            });
            if (exit != Exit.OK) {
                worst = exit;
            }
        }
        return worst;
    }

    /**
     * dmctl's {@code shard-ddl-lock [TASK]}: each lock with its state, DDL, the shards at it and the ones it waits
     * for; {@code shard-ddl-lock unlock LOCK-ID}: the lock's waiting shards go on past their DDL
     */
    private Exit shardDdlLock(Invocation.Dm c, String arg) throws Unreachable, InterruptedException {
        if ("unlock".equals(arg)) {
            String id = c.operands().get(1);
            CoordinatorApi.Answer a = api.call("POST", "/api/v1/shard-ddl-locks/" + CoordinatorApi.segment(id)
                    + "/unlock", null, null);
            return answered(c, a, null, () -> {
                out.println("shard DDL lock " + id + " unlocked: " + Fields.text(a.json(), "state") + "; "
                        + Fields.text(a.json(), "statement") + " runs on " + Fields.text(a.json(), "target")
                        + " and the shards at it go on");
                return Exit.OK;
            });
        }
        CoordinatorApi.Answer a = api.call("GET", "/api/v1/shard-ddl-locks" + (arg == null ? ""
                : "?task=" + query(arg)), null, null);
        return answered(c, a, null, () -> {
            if (a.json().isEmpty()) {
                out.println("no shard DDL lock" + (arg == null ? "" : " of task " + arg));
            }
            for (JsonNode l : a.json()) {
                out.println("lock " + Fields.text(l, "id") + " (" + Fields.text(l, "state") + "): "
                        + Fields.text(l, "statement"));
                Table t = new Table("SHARD", "MIGRATION", "POSITION", "GO", "DDL");
                for (JsonNode s : l.path("shards")) {
                    t.row(Fields.text(s, "table"), Fields.text(s, "migration"), Fields.text(s, "position"),
                            Boolean.toString(s.path("go").asBoolean()), Fields.text(s, "statement"));
                }
                t.print(out, "  ");
                if (l.path("waitingFor").isArray()) {
                    out.println("  waiting for: " + (l.path("waitingFor").isEmpty() ? "none" : String.join(", ",
                            l.path("waitingFor").valueStream().map(JsonNode::asString).toList())));
                } else {
                    out.println("  waiting for: unknown (mode incremental lists no shards): unlock it once every"
                            + " shard has reached the DDL");
                }
                if (l.path("error").isObject()) {
                    out.println("  blocked: " + Fields.text(l.path("error"), "message"));
                }
            }
            return Exit.OK;
        });
    }

    /** dmctl's {@code binlog list}: each migration's binlog operations, the one not yet passed marked pending */
    private Exit binlogList(Invocation.Dm c, java.util.List<String> migrations)
            throws Unreachable, InterruptedException {
        Exit worst = Exit.OK;
        for (String migration : migrations) {
            CoordinatorApi.Answer a = api.call("GET", "/api/v1/migrations/" + CoordinatorApi.segment(migration),
                    null, null);
            if (a.ok() && c.json()) { // the operations, not the whole migration
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.createObjectNode()
                        .put("migration", migration).set("binlogOperations", a.json().path("binlogOperations"))));
                continue;
            }
            Exit exit = answered(c, a, null, () -> {
                JsonNode ops = a.json().path("binlogOperations");
                if (ops.isEmpty()) {
                    out.println("migration " + migration + ": no binlog operation");
                }
                for (JsonNode o : ops) {
                    out.println("migration " + migration + ": " + Fields.text(o, "op") + " at "
                            + Fields.text(o, "position") + (o.path("pending").asBoolean() ? " (pending)" : " (passed)")
                            + " asked " + Fields.text(o, "at")
                            + (o.path("sql").isEmpty() ? "" : ": " + String.join("; ",
                            o.path("sql").valueStream().map(JsonNode::asString).toList())));
                }
                return Exit.OK;
            });
            if (exit != Exit.OK) {
                worst = exit;
            }
        }
        return worst;
    }

    /**
     * The source-id of operate-source stop's argument: a source file's, read by the coordinator's own parser (as
     * dmctl reads the file it is given), or the argument itself. Only the id is used, so a password sealed with the
     * coordinator's key is left as written.
     */
    private Optional<String> sourceIdOf(String arg) {
        Path path = Path.of(arg);
        if (!Files.isRegularFile(path)) {
            return Optional.of(arg);
        }
        try {
            return Optional.of(SourceFiles.parse(Files.readString(path), arg, written -> written).sourceId());
        } catch (DmConfigException e) {
            err.println("tidemark: " + e.getMessage());
        } catch (IOException e) {
            err.println("tidemark: cannot read " + arg + ": " + e.getMessage());
        }
        return Optional.empty();
    }

    @FunctionalInterface
    private interface FileCall {
        Exit call(String name, byte[] bytes) throws Unreachable, InterruptedException;
    }

    @FunctionalInterface
    private interface Printer {
        Exit print();
    }

    private Exit withFile(Invocation.Dm c, String file, FileCall call) throws Unreachable, InterruptedException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            err.println("tidemark: cannot read " + file + ": " + (e.getMessage() == null ? e : e.getMessage()));
            return Exit.REFUSED;
        }
        return call.call(Path.of(file).getFileName().toString(), bytes);
    }

    /** prints an answer: as JSON with --json, else by {@code printer}; a refusal on stderr, whatever the format */
    private Exit answered(Invocation.Dm c, CoordinatorApi.Answer a, String file, Printer printer) {
        if (c.json()) {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(a.json()));
            if (a.ok()) {
                return c.verb().equals("check-task") && Fields.isFalse(a.json(), "passed") ? Exit.FAILED : Exit.OK;
            }
        } else if (a.ok()) {
            return printer.print();
        } else {
            ApiText.refusal(err, file, a.json());
        }
        return a.status() >= 500 ? Exit.FAILED : a.status() == 404 || a.status() == 409 || a.status() == 422
                || a.status() == 400 ? Exit.REFUSED : Exit.FAILED;
    }

    private void notes(JsonNode answer, String file) {
        for (JsonNode n : answer.path("notes")) {
            out.println("note: " + file + " " + n.asString());
        }
    }

    /** each source's migration with each check: PASS, WARN or FAIL with its fix */
    private Exit checkReport(JsonNode report, String file) {
        notes(report, file);
        for (JsonNode i : report.path("instances")) {
            out.println("source " + Fields.text(i, "sourceId") + " (migration " + Fields.text(i, "migration") + "):");
            Table t = new Table("STATE", "CHECK", "RESULT");
            for (JsonNode check : i.path("checks")) {
                String state = Optional.ofNullable(Fields.text(check, "state")).orElse("").toLowerCase(Locale.ROOT);
                String fix = Fields.text(check, "instruction");
                t.row(state, Fields.text(check, "name"), Fields.text(check, "message")
                        + (fix == null || state.equals("pass") ? "" : "; fix: " + fix));
            }
            if (t.isEmpty()) {
                out.println("  (no prechecks configured on the coordinator)");
            } else {
                t.print(out, "  ");
            }
        }
        boolean passed = !Fields.isFalse(report, "passed");
        out.println("check-task " + (passed ? "passed" : "failed") + ": " + Fields.text(report, "name"));
        return passed ? Exit.OK : Exit.FAILED;
    }

    /** a task's view as dmctl's query-status shows one: its stage, each source's stage and unit */
    private void task(JsonNode v, String what) {
        out.println("task " + Fields.text(v, "name") + " " + what + ": stage " + Fields.text(v, "stage"));
        instances(out, v);
    }

    static void instances(PrintStream out, JsonNode v) {
        Table t = new Table("SOURCE", "MIGRATION", "STAGE", "UNIT", "PHASE");
        for (JsonNode i : v.path("instances")) {
            t.row(Fields.text(i, "sourceId"), Fields.text(i, "migrationId"), Fields.text(i, "stage"),
                    Fields.text(i, "unit"), Fields.text(i.path("migration"), "phase"));
        }
        t.print(out, "  ");
    }

    private static String query(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
