package io.tidemark.coordinator.api;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code config export} answers and {@code config import} takes (dmctl's {@code config export|import}): every DM
 * source and task as the file a user would write, by file name ({@code mysql-01.yaml}), as {@code tidemark config
 * export} lays them out in {@code DIR/sources/} and {@code DIR/tasks/}. Passwords in the files are sealed.
 */
record ConfigBundle(List<File> sources, List<File> tasks) {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> TOP = List.of("sources", "tasks");
    private static final List<String> FILE = List.of("name", "file");

    /** @param name the file's name, for messages and the exported directory; @param file its YAML text */
    record File(String name, String file) {
    }

    /** reads a posted bundle, every field checked: an unknown or missing one is refused, naming it */
    static ConfigBundle read(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw invalid("the body is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid("the body is not a JSON object");
        }
        unknown(root, TOP, "");
        return new ConfigBundle(files(root, "sources"), files(root, "tasks"));
    }

    private static List<File> files(JsonNode root, String list) {
        JsonNode items = root.get(list);
        if (items == null || items.isNull()) {
            return List.of();
        }
        if (!items.isArray()) {
            throw invalid("`" + list + "` is not a list of {\"name\", \"file\"}");
        }
        List<File> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String at = list + "[" + i + "]";
            if (!item.isObject()) {
                throw invalid("`" + at + "` is not an object {\"name\", \"file\"}");
            }
            unknown(item, FILE, at + ".");
            for (String field : FILE) {
                if (!item.path(field).isString() || item.get(field).asString().isBlank()) {
                    throw invalid("`" + at + "." + field + "` is missing or not a text");
                }
            }
            String name = item.get("name").asString();
            if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                throw invalid("`" + at + ".name` '" + name + "' is not a plain file name (no directory)");
            }
            if (!names.add(name)) {
                throw invalid("`" + list + "` holds two files named '" + name + "'");
            }
            out.add(new File(name, item.get("file").asString()));
        }
        return out;
    }

    private static void unknown(JsonNode node, List<String> known, String prefix) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!known.contains(field.getKey())) {
                throw invalid("unknown field `" + prefix + field.getKey() + "`: the fields are `"
                        + String.join("`, `", known) + "`");
            }
        }
    }

    private static TidemarkException invalid(String what) {
        return new TidemarkException(ErrorCode.CONFIG_BUNDLE_INVALID, what);
    }
}
