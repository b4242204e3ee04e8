package io.tidemark.deploy.cli;

import tools.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Migration views ({@code GET /api/v1/migrations[/{id}]}) as text: the list, one migration in detail, an import's
 * summary per table with its verification, and a failure with its fix.
 */
final class ViewText {
    private ViewText() {
    }

    /** {@code query-status} without an id: one line per migration */
    static void list(PrintStream out, JsonNode views) {
        Table table = new Table("ID", "NAME", "MODE", "PHASE");
        for (JsonNode v : views) {
            table.row(Fields.text(v, "id"), Fields.text(v, "name"), Fields.text(v, "mode"), Fields.text(v, "phase"));
        }
        if (table.isEmpty()) {
            out.println("no migrations");
        } else {
            table.print(out, "");
        }
    }

    /** {@code query-status ID}: everything the view says, secrets aside (the view carries none) */
    static void detail(PrintStream out, JsonNode v) {
        detail(out, v, null);
    }

    /**
     * As {@link #detail(PrintStream, JsonNode)}, for one source of a DM task ({@code query-status TASK}): with dmctl's
     * {@code masterBinlog} and {@code synced} when the coordinator read the source's position.
     */
    static void detail(PrintStream out, JsonNode v, JsonNode instance) {
        Table head = new Table("id", Objects.requireNonNullElse(Fields.text(v, "id"), "-"));
        head.row("name", Fields.text(v, "name"));
        head.row("mode", Fields.text(v, "mode"));
        head.row("phase", Fields.text(v, "phase"));
        optional(head, "export", export(v.path("export")));
        if (!v.path("source").isMissingNode() && !v.path("source").isNull()) {
            head.row("source", endpoint(v.path("source")));
        }
        head.row("target", endpoint(v.path("target")));
        optional(head, "storage", Fields.text(v, "storage"));
        optional(head, "schema", Fields.text(v, "schemaStorage"));
        List<String> filter = new ArrayList<>();
        v.path("filter").forEach(f -> filter.add(f.asString()));
        if (!filter.isEmpty()) {
            head.row("filter", String.join(" ", filter));
        }
        optional(head, "tables", Fields.text(v, "targetTables"));
        optional(head, "format", Fields.text(v, "format"));
        optional(head, "duplicates", Fields.text(v, "onDuplicate"));
        optional(head, "replication", position(v.path("positions").path("replication")));
        if (instance != null && instance.path("masterBinlog").isObject()) {
            head.row("master binlog", position(instance.path("masterBinlog"))
                    + (instance.path("synced").asBoolean() ? " (synced)" : " (not synced yet)"));
        }
        Fields.number(v, "lagSeconds").ifPresent(lag -> head.row("lag", lag + "s"));
        if (v.path("rowsPerSecond").isNumber()) {
            head.row("rows/s", String.format(java.util.Locale.ROOT, "%.1f", v.path("rowsPerSecond").asDouble()));
        }
        optional(head, "created", Fields.text(v, "createdAt"));
        optional(head, "updated", Fields.text(v, "updatedAt"));
        head.print(out, "");
        if (!v.path("tables").isEmpty()) {
            out.println();
            tables(out, v);
        }
        for (JsonNode w : v.path("warnings")) {
            out.println("warning: " + Fields.text(w, "name") + ": " + Fields.text(w, "message")
                    + (Fields.text(w, "instruction") == null ? "" : "; " + Fields.text(w, "instruction")));
        }
        JsonNode error = error(v);
        if (error != null) {
            out.println("error: " + Fields.text(error, "code") + " " + Fields.text(error, "message"));
            if (Fields.text(error, "remedy") != null) {
                out.println("  fix: " + Fields.text(error, "remedy"));
            }
        }
    }

    /** each table's state, rows and chunks, and its verification when the view carries one */
    static void tables(PrintStream out, JsonNode v) {
        boolean verified = hasVerification(v);
        Table table = verified
                ? new Table("TABLE", "STATE", "CHUNKS", "ROWS", "BYTES", "ROWS IN FILES", "ROWS IN TARGET", "CHECK")
                : new Table("TABLE", "STATE", "CHUNKS", "ROWS", "BYTES");
        for (JsonNode t : v.path("tables")) {
            String chunks = Fields.number(t, "chunksDone").orElse(0) + "/" + Fields.number(t, "chunksTotal").orElse(0);
            String rows = Long.toString(Fields.number(t, "rowsImported").orElse(0));
            String bytes = bytes(t);
            if (verified) {
                OptionalLong inFiles = Fields.number(t, "rowsInFiles");
                OptionalLong inTarget = Fields.number(t, "rowsInTarget");
                String check = inFiles.isEmpty() || inTarget.isEmpty() ? "-"
                        : inFiles.getAsLong() == inTarget.getAsLong() ? "ok" : "MISMATCH";
                table.row(Fields.text(t, "table"), Fields.text(t, "state"), chunks, rows, bytes, text(inFiles),
                        text(inTarget), check);
            } else {
                table.row(Fields.text(t, "table"), Fields.text(t, "state"), chunks, rows, bytes);
            }
        }
        table.print(out, "");
    }

    /**
     * Whether the view reports a failed verification: a table whose files hold another number of rows than the
     * target does, or an overall {@code verification} marked failed.
     */
    static boolean verificationFailed(JsonNode v) {
        for (JsonNode t : v.path("tables")) {
            OptionalLong inFiles = Fields.number(t, "rowsInFiles");
            OptionalLong inTarget = Fields.number(t, "rowsInTarget");
            if (inFiles.isPresent() && inTarget.isPresent() && inFiles.getAsLong() != inTarget.getAsLong()) {
                return true;
            }
        }
        JsonNode overall = v.path("verification");
        String state = Fields.text(overall, "state", "status");
        return Fields.isFalse(overall, "passed") || "failed".equalsIgnoreCase(state)
                || "mismatch".equalsIgnoreCase(state);
    }

    /** a failed migration: its error with the fix, and how to run the failed stage again */
    static void failure(PrintStream out, JsonNode v, CoordinatorApi api) {
        String id = Fields.text(v, "id");
        JsonNode error = error(v);
        if (error == null) {
            out.println("the import failed; the coordinator gave no error (its log says why)");
        } else {
            out.println("the import failed: " + Fields.text(error, "code") + " " + Fields.text(error, "message"));
            String stage = Fields.text(error, "stage");
            if (stage != null) {
                out.println("  stage: " + stage);
            }
            if (Fields.text(error, "remedy") != null) {
                out.println("  fix: " + Fields.text(error, "remedy"));
            }
        }
        out.println("  once fixed, retry it (the import resumes from its imported chunks): curl -X POST "
                + api.url("/api/v1/migrations/" + id + "/retry"));
        out.println("  and watch it: " + api.addr().command("query-status " + id));
    }

    static boolean hasVerification(JsonNode v) {
        for (JsonNode t : v.path("tables")) {
            if (Fields.number(t, "rowsInFiles").isPresent() || Fields.number(t, "rowsInTarget").isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** the view's error: {@code error} today, {@code failure} as some drafts name it */
    static JsonNode error(JsonNode v) {
        for (String name : List.of("error", "failure")) {
            JsonNode e = v.path(name);
            if (e.isObject()) {
                return e;
            }
        }
        return null;
    }

    private static String endpoint(JsonNode e) {
        if (!e.isObject()) {
            return null;
        }
        String user = Fields.text(e, "user");
        return Fields.text(e, "host") + ":" + Fields.text(e, "port") + (user == null ? "" : " (user " + user + ")");
    }

    /**
     * The import's progress in bytes of its files: done of total, a bar and the percent
     * ({@code 1.0 MiB/3.0 MiB [###-------] 33%}), or "-" before it is planned.
     */
    private static String bytes(JsonNode t) {
        long total = Fields.number(t, "bytesTotal").orElse(0);
        if (total <= 0) {
            return "-";
        }
        long done = Fields.number(t, "bytesImported").orElse(0);
        int percent = (int) (done * 100 / total);
        return Progress.bytes(done) + "/" + Progress.bytes(total) + " [" + "#".repeat(percent / 10)
                + "-".repeat(10 - percent / 10) + "] " + percent + "%";
    }

    private static String position(JsonNode p) {
        if (!p.isObject()) {
            return null;
        }
        String gtid = Fields.text(p, "gtidSet", "gtid");
        String file = Fields.text(p, "file");
        if (file == null) {
            return gtid;
        }
        return file + ":" + Fields.text(p, "pos", "position") + (gtid == null ? "" : " (" + gtid + ")");
    }

    /** engine aurora-export: {@code 42 %, 3 GB (IN_PROGRESS, tidemark-…)}; null when the view has no export */
    private static String export(JsonNode e) {
        if (!e.isObject()) {
            return null;
        }
        return Fields.number(e, "percent").orElse(0) + " %, " + Fields.number(e, "extractedGb").orElse(0) + " GB ("
                + Fields.text(e, "status") + ", " + Fields.text(e, "exportTask") + ")";
    }

    private static void optional(Table table, String name, String value) {
        if (value != null) {
            table.row(name, value);
        }
    }

    private static String text(OptionalLong n) {
        return n.isPresent() ? Long.toString(n.getAsLong()) : "-";
    }
}
