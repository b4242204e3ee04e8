package io.tidemark.deploy.cli;

import tools.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The coordinator's answers about a submitted file, as lines a user reads and greps: its notes, a check's report,
 * and a refusal with each problem on a line of its own ({@code error: FILE:LINE KEY = VALUE: what; fix: how}),
 * compiler style.
 */
final class ApiText {
    private ApiText() {
    }

    /** {@code note: FILE:LINE KEY: TEXT} for each of the answer's {@code notes} */
    static void notes(PrintStream out, String file, JsonNode answer) {
        for (JsonNode n : answer.path("notes")) {
            out.println("note: " + where(file, n) + item(Fields.text(n, "key"), null,
                    Fields.text(n, "text", "message")));
        }
    }

    /**
     * An error answer ({@code code, message, remedy}, and for a refused file its {@code problems}, for failed
     * prechecks its {@code failures}, {@code warnings} and {@code notChecked}).
     *
     * @param file the file as the user named it, or null when the request carried none
     */
    static void refusal(PrintStream err, String file, JsonNode error) {
        int items = 0;
        for (String listName : List.of("problems", "items")) {
            for (JsonNode p : error.path(listName)) {
                String fix = Fields.text(p, "fix", "instruction", "remedy");
                err.println("error: " + (file == null ? "" : where(file, p)) + item(Fields.text(p, "key"),
                        Fields.text(p, "value"), Fields.text(p, "what", "cause", "message", "text"))
                        + (fix == null ? "" : "; fix: " + fix));
                items++;
            }
        }
        for (JsonNode c : error.path("failures")) {
            String fix = Fields.text(c, "instruction", "fix");
            err.println("error: check " + Fields.text(c, "name") + " failed: " + Fields.text(c, "message")
                    + (fix == null ? "" : "; fix: " + fix));
            items++;
        }
        for (JsonNode c : error.path("warnings")) {
            String fix = Fields.text(c, "instruction", "fix");
            err.println("warning: check " + Fields.text(c, "name") + ": " + Fields.text(c, "message")
                    + (fix == null ? "" : "; " + fix));
        }
        List<String> notChecked = new ArrayList<>();
        error.path("notChecked").forEach(n -> notChecked.add(n.asString()));
        if (!notChecked.isEmpty()) {
            err.println("not checked, as a check they need failed: " + String.join(", ", notChecked));
        }
        String code = Fields.text(error, "code");
        String remedy = Fields.text(error, "remedy");
        if (items == 0) {
            err.println("error: " + (code == null ? "" : code + " ") + Fields.text(error, "message"));
            if (remedy != null) {
                err.println("  fix: " + remedy);
            }
        } else {
            err.println("refused" + (code == null ? "" : " (" + code + ")") + ", nothing was started"
                    + (remedy == null ? "" : ": " + remedy));
        }
    }

    /**
     * What {@code POST /api/v1/imports/check} answers: each check that did not pass, and the tables found with their
     * files.
     *
     * @return whether the import would be accepted
     */
    static boolean checkReport(PrintStream out, JsonNode report) {
        List<String> notChecked = new ArrayList<>();
        for (JsonNode c : report.path("checks")) {
            String state = Objects.requireNonNullElse(Fields.text(c, "state"), "").toUpperCase(Locale.ROOT);
            String fix = Fields.text(c, "instruction", "fix");
            switch (state) {
                case "FAIL" -> out.println("error: check " + Fields.text(c, "name") + " failed: "
                        + Fields.text(c, "message") + (fix == null ? "" : "; fix: " + fix));
                case "WARN" -> out.println("warning: check " + Fields.text(c, "name") + ": "
                        + Fields.text(c, "message") + (fix == null ? "" : "; " + fix));
                case "SKIPPED" -> notChecked.add(Fields.text(c, "name"));
                default -> {
                    // passed
                }
            }
        }
        if (!notChecked.isEmpty()) {
            out.println("not checked, as a check they need failed: " + String.join(", ", notChecked));
        }
        Table table = new Table("TABLE", "INTO", "DATA FILES", "SCHEMA FILES", "SIZE");
        for (JsonNode t : report.path("tables")) {
            String name = Fields.text(t, "table");
            String target = Fields.text(t, "target");
            OptionalLong bytes = Fields.number(t, "bytes");
            table.row(name, target == null || target.equals(name) ? "(same)" : target,
                    Integer.toString(t.path("dataFiles").size()), Integer.toString(t.path("schemaFiles").size()),
                    bytes.isPresent() ? Progress.bytes(bytes.getAsLong()) : "-");
        }
        if (!table.isEmpty()) {
            out.println("would import:");
            table.print(out, "  ");
        }
        return !Fields.isFalse(report, "passed");
    }

    /** {@code FILE:LINE } from an item's {@code line} (or {@code position.line}), {@code FILE } without one */
    private static String where(String file, JsonNode item) {
        OptionalLong line = Fields.number(item, "line");
        if (line.isEmpty()) {
            line = Fields.number(item.path("position"), "line");
        }
        return line.isPresent() && line.getAsLong() > 0 ? file + ":" + line.getAsLong() + " " : file + " ";
    }

    private static String item(String key, String value, String text) {
        StringBuilder s = new StringBuilder();
        if (key != null) {
            s.append(key);
            if (value != null) {
                s.append(" = ").append(value);
            }
            s.append(": ");
        }
        return s.append(text == null ? "" : text).toString();
    }
}
