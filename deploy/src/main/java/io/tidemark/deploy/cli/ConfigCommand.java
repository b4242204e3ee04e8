package io.tidemark.deploy.cli;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * dmctl's {@code config export|import}: the coordinator's {@code GET /api/v1/config/export} written as one file per
 * source and task ({@code DIR/sources/ID.yaml}, {@code DIR/tasks/NAME.yaml}), and those files sent back to
 * {@code POST /api/v1/config/import} as they are. The files are the user's to read, edit and keep in version control;
 * their passwords are sealed by the coordinator, never plaintext.
 */
final class ConfigCommand {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> KINDS = List.of("sources", "tasks");

    private final CoordinatorApi api;
    private final PrintStream out;
    private final PrintStream err;

    ConfigCommand(CoordinatorApi api, PrintStream out, PrintStream err) {
        this.api = api;
        this.out = out;
        this.err = err;
    }

    Exit run(Invocation.Config c) throws Unreachable, InterruptedException {
        return c.export() ? export(c) : importAll(c);
    }

    private Exit export(Invocation.Config c) throws Unreachable, InterruptedException {
        CoordinatorApi.Answer a = api.call("GET", "/api/v1/config/export", null, null);
        if (!a.ok()) {
            return refused(c, a);
        }
        List<String> written = new ArrayList<>();
        try {
            for (String kind : KINDS) {
                Path dir = c.dir().resolve(kind);
                Files.createDirectories(dir);
                Set<String> names = new java.util.HashSet<>();
                for (JsonNode f : a.json().path(kind)) {
                    String name = Fields.text(f, "name");
                    Path file = dir.resolve(name).normalize();
                    if (!dir.normalize().equals(file.getParent())) { // a name is the coordinator's; it stays a name
                        err.println("tidemark: the coordinator exported a file named '" + name + "', which is not a"
                                + " plain file name; nothing more was written");
                        return Exit.FAILED;
                    }
                    Files.writeString(file, Fields.text(f, "file"));
                    names.add(name);
                    written.add(file.toString());
                }
                for (Path stale : yamlFiles(dir)) {
                    if (!names.contains(stale.getFileName().toString())) {
                        err.println("warning: " + stale + " is not part of this export; it was left as it is, and"
                                + " config import of " + c.dir() + " would bring it back");
                    }
                }
            }
        } catch (IOException e) {
            err.println("tidemark: cannot write into " + c.dir() + ": " + e.getMessage());
            return Exit.FAILED;
        }
        if (c.json()) {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.createObjectNode()
                    .put("dir", c.dir().toString()).set("files", JSON.valueToTree(written))));
        } else {
            written.forEach(f -> out.println("exported " + f));
            out.println("config export: " + a.json().path("sources").size() + " source(s) and "
                    + a.json().path("tasks").size() + " task(s) written to " + c.dir()
                    + " (passwords sealed with the coordinator's key)");
        }
        return Exit.OK;
    }

    private Exit importAll(Invocation.Config c) throws Unreachable, InterruptedException {
        ObjectNode bundle = JSON.createObjectNode();
        int files = 0;
        try {
            if (!Files.isDirectory(c.dir())) {
                err.println("tidemark: " + c.dir() + " is not a directory: name the one config export wrote with -d"
                        + " DIR");
                return Exit.REFUSED;
            }
            for (String kind : KINDS) {
                ArrayNode list = bundle.putArray(kind);
                Path dir = c.dir().resolve(kind);
                for (Path file : Files.isDirectory(dir) ? yamlFiles(dir) : List.<Path>of()) {
                    list.addObject().put("name", file.getFileName().toString()).put("file", Files.readString(file));
                    files++;
                }
            }
        } catch (IOException e) {
            err.println("tidemark: cannot read " + c.dir() + ": " + e.getMessage());
            return Exit.REFUSED;
        }
        if (files == 0) {
            err.println("tidemark: " + c.dir() + " holds no sources/*.yaml and no tasks/*.yaml: nothing to import"
                    + " (config export -d " + c.dir() + " writes them)");
            return Exit.REFUSED;
        }
        CoordinatorApi.Answer a = api.call("POST", "/api/v1/config/import" + (c.overwrite() ? "?overwrite=true" : ""),
                "application/json", JSON.writeValueAsBytes(bundle));
        if (!a.ok()) {
            return refused(c, a);
        }
        if (c.json()) {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(a.json()));
            return Exit.OK;
        }
        for (JsonNode s : a.json().path("sources")) {
            for (JsonNode n : s.path("notes")) {
                out.println("note: " + c.dir().resolve("sources").resolve(Fields.text(s, "file")) + " " + n.asString());
            }
            out.println("source " + Fields.text(s, "sourceId") + " " + Fields.text(s, "action") + " from "
                    + c.dir().resolve("sources").resolve(Fields.text(s, "file")));
        }
        for (JsonNode t : a.json().path("tasks")) {
            out.println("task " + Fields.text(t, "name") + " " + Fields.text(t, "action") + " from "
                    + c.dir().resolve("tasks").resolve(Fields.text(t, "file")) + ": stage "
                    + Fields.text(t.path("task"), "stage"));
            DmCommand.instances(out, t.path("task"));
        }
        out.println("config import: " + a.json().path("sources").size() + " source(s) and "
                + a.json().path("tasks").size() + " task(s) imported");
        return Exit.OK;
    }

    /** a refusal on stderr (as JSON on stdout too with --json); 2 when the coordinator refused, 1 when it failed */
    private Exit refused(Invocation.Config c, CoordinatorApi.Answer a) {
        if (c.json()) {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(a.json()));
        } else {
            ApiText.refusal(err, null, a.json());
        }
        return a.status() >= 400 && a.status() < 500 ? Exit.REFUSED : Exit.FAILED;
    }

    /** the YAML files right in {@code dir}, by name, so an import starts them in a stable order */
    private static List<Path> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".yaml") || n.endsWith(".yml");
            }).sorted().toList();
        }
    }
}
